"""``lgf check`` on the 10 rounds × 15 reviews database: the check itself (integrity check, schema,
counts and the domain rules, read-only) in-process, beside a bare ``PRAGMA integrity_check`` on the
same file in the same run (its floor), and the whole ``lgf check`` process beside a bare Python
process running only that pragma (interpreter start-up included in both). Target: the check under 1 s.

Runnable alone: ``python -m benchmarks check`` (from the repository root).
"""

from __future__ import annotations

import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import figure, median
from benchmarks.generate import make_large_database

REPEATS = 5
BARE = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchall())"


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _cpu_of_child(command: list[str]) -> float:
    """CPU seconds (user + system) the child used: less swayed than wall time by a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, capture_output=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run() -> list[str]:
    from lgf_desktop.integrity import check_database

    with tempfile.TemporaryDirectory(prefix="lgf-bench-check-") as folder:
        path = make_large_database(Path(folder) / "large.sqlite3", rounds=10, reviews_per_round=15)
        assert check_database(path).ok
        check, bare, process, bare_process, process_cpu = [], [], [], [], []
        command = [sys.executable, "-m", "lgf_desktop.cli", "--db", str(path), "check"]
        for _ in range(REPEATS):  # alternated, so machine load hits both alike
            check.append(_timed(lambda: check_database(path)))
            bare.append(_timed(lambda: sqlite3.connect(path).execute("PRAGMA integrity_check").fetchall()))
            process.append(_timed(lambda: subprocess.run(command, capture_output=True, check=True)))
            process_cpu.append(_cpu_of_child(command))
            bare_process.append(_timed(lambda: subprocess.run([sys.executable, "-c", BARE, str(path)],
                                                              capture_output=True, check=True)))
    return [
        figure("check: lgf check's work, 10x15 database", median(check) * 1000, "ms", "< 1000 ms"),
        figure("check: baseline bare PRAGMA integrity_check, same file", median(bare) * 1000, "ms", "floor"),
        figure("check: whole `lgf check` process", median(process) * 1000, "ms", "reported"),
        figure("check: whole `lgf check` process, CPU time", median(process_cpu) * 1000, "ms", "reported"),
        figure("check: baseline bare python process running the pragma", median(bare_process) * 1000, "ms", "floor"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
