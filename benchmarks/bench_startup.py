"""Cold start as users feel it: median time from process start to the main window *usable* (its
navigator and first page filled), in fresh processes, for LGF Desktop on a database of 10 rounds ×
15 reviews, beside a bare PySide6 ``QMainWindow`` shown in the same run, and their ratio (target
≤ 2). The time to the (still empty) window shown is reported too (target ≤ 1.5 × bare).

Each start is a new Python process (offscreen, so it runs without a display); the app prints the
wall-clock times once its window is shown and once it is filled (``LGF_STARTUP_PROBE``) and the
time is taken from just before the process was spawned. Runs alternate so machine load hits both
alike.
Run alone with ``python -m benchmarks.bench_startup`` or with the others: ``python -m benchmarks startup``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import figure, median
from benchmarks.generate import make_large_database

REPEATS = 9
BARE = (
    "import time\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "window.resize(1366, 768)\n"
    "window.show()\n"
    "QTimer.singleShot(0, lambda: (print(f'shown {time.time():.6f}', flush=True), app.quit()))\n"
    "app.exec()\n"
)


def _time_start(command: list[str], env: dict[str, str], mark: str = "shown") -> float:
    start = time.time()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    stamps = [line for line in result.stdout.splitlines() if line.startswith(mark + " ")]
    if result.returncode != 0 or not stamps:
        raise RuntimeError(f"{command} did not show its window: {result.stderr.strip()[-400:]}")
    return float(stamps[-1].split()[1]) - start


def _both(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds to the window shown, seconds to the window filled) for one start of the app."""
    start = time.time()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    stamps = dict(line.split() for line in result.stdout.splitlines() if line.startswith(("shown ", "ready ")))
    if result.returncode != 0 or set(stamps) != {"shown", "ready"}:
        raise RuntimeError(f"{command} did not show its window: {result.stderr.strip()[-400:]}")
    return float(stamps["shown"]) - start, float(stamps["ready"]) - start


def measure(repeats: int = REPEATS) -> tuple[float, float, float]:
    """Medians in seconds: app window shown, bare QMainWindow shown, app window usable (filled)."""
    with tempfile.TemporaryDirectory(prefix="lgf-bench-startup-") as folder:
        db = make_large_database(Path(folder) / "large.sqlite3", rounds=10, reviews_per_round=15)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=folder, XDG_CONFIG_HOME=f"{folder}/config",
                   XDG_DATA_HOME=f"{folder}/data", LGF_STARTUP_PROBE="1")
        env.pop("LGF_DB", None)
        # An installed app has its bytecode compiled (pip does it); so do these starts after the
        # warm-up below, in a cache of their own, even where the shell says not to write bytecode.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = f"{folder}/pycache"
        app_cmd = [sys.executable, "-m", "lgf_desktop", "--db", str(db)]
        bare_cmd = [sys.executable, "-c", BARE]
        _time_start(app_cmd, env)  # warm the OS file cache once for both (a "cold" start of a used laptop)
        _time_start(bare_cmd, env)
        app_times, bare_times, filled_times = [], [], []
        for _ in range(repeats):
            shown, filled = _both(app_cmd, env)
            app_times.append(shown)
            filled_times.append(filled)
            bare_times.append(_time_start(bare_cmd, env))
    return median(app_times), median(bare_times), median(filled_times)


def run() -> list[str]:
    app, bare, usable = measure()
    return [
        # Usable: the navigator and the newest round's page filled, the feature modules plugged in.
        figure("startup app window usable (10 rounds x 15 reviews)", usable * 1000, "ms", "-"),
        figure("startup bare QMainWindow shown", bare * 1000, "ms", "-"),
        figure("startup ratio usable/bare", usable / bare, "x", "<= 2"),
        figure("startup app window shown, not yet filled", app * 1000, "ms", "-"),
        figure("startup ratio shown/bare", app / bare, "x", "<= 1.5"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
