"""Encryption at rest: the workshop's autosave (p50/p99) on an encrypted copy of the 10 rounds x 15
reviews database beside the same saves on the plain file, interleaved in blocks so a busy machine
weighs on both alike; the time to encrypt that database ("Encrypt this database…": checked copy,
replace, the plain file overwritten) and to open it, plain and encrypted (the encrypted open cold,
its key derived from the passphrase as at the start of a sitting).

Run with ``python -m benchmarks encryption``.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from benchmarks.bench_autosave import AutosaveRun, make_database, planned_saves
from benchmarks.figures import figure, median, percentile
from lgf_desktop.storage.sqlite import connections
from lgf_desktop.db import Database
from lgf_desktop.storage.sqlite.encrypting import encrypt_database

PASSPHRASE = "benchmark passphrase, three words"
BLOCK = 25


def _open_time(path: Path, passphrase: str | None) -> float:
    connections._raw_key.cache_clear()  # cold: as the first open of a sitting
    start = time.perf_counter()
    Database.open(path, passphrase=passphrase).close()
    return time.perf_counter() - start


def run() -> list[str]:
    with tempfile.TemporaryDirectory(dir=Path.home() if Path.home().exists() else None) as folder:
        plain = Path(folder) / "plain" / "large.sqlite3"
        encrypted = Path(folder) / "encrypted" / "large.sqlite3"
        plain.parent.mkdir()
        encrypted.parent.mkdir()
        make_database(plain).close()
        shutil.copy(plain, encrypted)
        start = time.perf_counter()
        encrypt_database(encrypted, PASSPHRASE)
        encrypting = time.perf_counter() - start
        size_mb = encrypted.stat().st_size / 1e6

        open_plain = median([_open_time(plain, None) for _ in range(3)])
        open_encrypted = median([_open_time(encrypted, PASSPHRASE) for _ in range(3)])

        runs = {}
        for name, path, passphrase in (("plain", plain, None), ("encrypted", encrypted, PASSPHRASE)):
            db = Database.open(path, passphrase=passphrase)
            runs[name] = (AutosaveRun(db), planned_saves(db))
        for block in range(0, len(runs["plain"][1]), BLOCK):
            for run_, saves in runs.values():
                for review_id, question_id, text in saves[block:block + BLOCK]:
                    run_.save(review_id, question_id, text)
        for run_, _ in runs.values():
            run_.db.close()
    p = {name: (median(r.times) * 1000, percentile(r.times, 99) * 1000) for name, (r, _) in runs.items()}
    return [
        figure("autosave p50, plain", p["plain"][0], "ms", "-"),
        figure("autosave p99, plain", p["plain"][1], "ms", "-"),
        figure("autosave p50, encrypted", p["encrypted"][0], "ms", "-"),
        figure("autosave p99, encrypted", p["encrypted"][1], "ms", "< 20 ms"),
        figure("autosave encrypted / plain (p50)", p["encrypted"][0] / p["plain"][0], "x", "< 1.5"),
        figure("autosave encrypted / plain (p99)", p["encrypted"][1] / p["plain"][1], "x", "< 1.5"),
        figure(f"encrypt the 10x15 database ({size_mb:.1f} MB)", encrypting, "s", "-"),
        figure("open the 10x15 database, plain", open_plain * 1000, "ms", "-"),
        figure("open the 10x15 database, encrypted (cold key)", open_encrypted * 1000, "ms", "-"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
