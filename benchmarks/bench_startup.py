"""Cold start as users feel it: the time from process start to the main window *usable* (its
navigator and first page filled), in fresh processes, for LGF Desktop on a database of 10 rounds ×
15 reviews, beside a bare PySide6 ``QMainWindow`` shown in the same run, and their ratio (target
≤ 2). The time to the (still empty) window shown is reported too (target ≤ 1.5 × bare).

Each start is a new Python process; the app prints the wall-clock time and its own CPU time once its
window is exposed ("shown"), once it is filled ("ready", ``LGF_STARTUP_PROBE``: usable) and once it
has taken the open database over ("loaded"); wall time is taken from just before the process was
spawned. Runs alternate so machine load hits both alike. Medians and the worst run are printed; the
CPU seconds each process spent are printed beside them, because on a shared machine they say what
wall time cannot: how much work the start-up does.

Usable is only worth having if the window answers then: between "ready" and "loaded" (the database
layer importing on a worker, then the window taking it over) the app ticks a timer every 5 ms and
reports the longest the event loop was kept waiting ("stall": a click or a keystroke would have
waited as long). Its median and worst are printed too.

Offscreen by default; ``LGF_BENCH_DISPLAY=:22`` runs the same under that X server (e.g. Xvfb).
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
# The same probe as the app's (lgf_desktop/ui/app.py): the time the window is first exposed.
BARE = (
    "import time\n"
    "from PySide6.QtCore import QEvent, QObject, QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "window.resize(1366, 768)\n"
    "window.show()\n"
    "class Exposed(QObject):\n"
    "    def eventFilter(self, obj, event):\n"
    "        if event.type() == QEvent.Type.Expose and window.windowHandle().isExposed():\n"
    "            print(f'shown {time.time():.6f} {time.process_time():.6f}', flush=True)\n"
    "            QTimer.singleShot(0, app.quit)\n"
    "        return False\n"
    "probe = Exposed()\n"
    "window.windowHandle().installEventFilter(probe)\n"
    "app.exec()\n"
)


def _stamps(command: list[str], env: dict[str, str], marks: set[str]) -> dict[str, tuple[float, float]]:
    """{mark: (wall seconds since spawn, CPU seconds of the process)} for one start ("stall": its
    seconds, not a time since spawn)."""
    start = time.time()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    stamps = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] in marks:
            stamps[parts[0]] = (float(parts[1]) - (0 if parts[0] == "stall" else start), float(parts[2]))
    if result.returncode != 0 or set(stamps) != marks:
        raise RuntimeError(f"{command[:3]} did not report {sorted(marks)}: {result.stderr.strip()[-400:]}")
    return stamps


def measure(repeats: int = REPEATS, display: str | None = None) -> dict[str, list[float]]:
    """Seconds per run: app shown, app usable, bare shown (wall), the CPU time of each, the app's
    database taken over (wall) and its longest stall in between."""
    with tempfile.TemporaryDirectory(prefix="lgf-bench-startup-") as folder:
        db = make_large_database(Path(folder) / "large.sqlite3", rounds=10, reviews_per_round=15)
        env = dict(os.environ, HOME=folder, XDG_CONFIG_HOME=f"{folder}/config",
                   XDG_DATA_HOME=f"{folder}/data", LGF_STARTUP_PROBE="1")
        if display:
            env.update(QT_QPA_PLATFORM="xcb", DISPLAY=display)
        else:
            env["QT_QPA_PLATFORM"] = "offscreen"
        env.pop("LGF_DB", None)
        # An installed app has its bytecode compiled (pip does it); so do these starts after the
        # warm-up below, in a cache of their own, even where the shell says not to write bytecode.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = f"{folder}/pycache"
        app_cmd = [sys.executable, "-m", "lgf_desktop", "--db", str(db)]
        bare_cmd = [sys.executable, "-c", BARE]
        marks = {"shown", "ready", "loaded", "stall"}
        _stamps(app_cmd, env, marks)  # warm the OS file cache once for both
        _stamps(bare_cmd, env, {"shown"})
        runs: dict[str, list[float]] = {k: [] for k in ("app", "usable", "bare", "usable_cpu", "bare_cpu", "loaded",
                                                        "stall")}
        for _ in range(repeats):
            app = _stamps(app_cmd, env, marks)
            bare = _stamps(bare_cmd, env, {"shown"})
            runs["app"].append(app["shown"][0])
            runs["usable"].append(app["ready"][0])
            runs["usable_cpu"].append(app["ready"][1])
            runs["loaded"].append(app["loaded"][0])
            runs["stall"].append(app["stall"][0])
            runs["bare"].append(bare["shown"][0])
            runs["bare_cpu"].append(bare["shown"][1])
    return runs


def run() -> list[str]:
    display = os.environ.get("LGF_BENCH_DISPLAY")
    runs = measure(display=display)
    where = f"X server {display}" if display else "offscreen"
    ms = {k: [v * 1000 for v in values] for k, values in runs.items()}
    usable, bare, app = median(ms["usable"]), median(ms["bare"]), median(ms["app"])
    return [
        f"startup ({where}, {len(ms['usable'])} runs each, 10 rounds x 15 reviews)",
        # Usable: the navigator and the newest round's page filled, the feature modules plugged in.
        figure("startup app window usable, median", usable, "ms", "-"),
        figure("startup app window usable, worst", max(ms["usable"]), "ms", "-"),
        figure("startup bare QMainWindow shown, median", bare, "ms", "-"),
        figure("startup bare QMainWindow shown, worst", max(ms["bare"]), "ms", "-"),
        figure("startup ratio usable/bare (medians)", usable / bare, "x", "<= 2"),
        figure("startup ratio usable/bare (worst runs)", max(ms["usable"]) / max(ms["bare"]), "x", "<= 2"),
        figure("startup app window shown, not yet filled, median", app, "ms", "-"),
        figure("startup ratio shown/bare (medians)", app / bare, "x", "<= 1.5"),
        figure("startup CPU to usable, median", median(ms["usable_cpu"]), "ms", "-"),
        figure("startup CPU to bare window shown, median", median(ms["bare_cpu"]), "ms", "-"),
        figure("startup CPU ratio usable/bare", median(ms["usable_cpu"]) / median(ms["bare_cpu"]), "x", "-"),
        figure("startup app database taken over (every screen works), median", median(ms["loaded"]), "ms", "-"),
        figure("startup longest UI stall between usable and taken over, median", median(ms["stall"]), "ms", "-"),
        figure("startup longest UI stall between usable and taken over, worst", max(ms["stall"]), "ms", "-"),
    ]


if __name__ == "__main__":
    for line in run():
        print(line)
