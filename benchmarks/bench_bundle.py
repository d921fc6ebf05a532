"""The self-contained bundle (tools/build-bundle) beside the development install: median time from
process start to the main window usable (navigator and first page filled, the same start-up probe
as ``bench_startup``), on a database of 10 rounds × 15 reviews, in fresh processes alternating
between the two; and the bundle's size on disk (folder, and the .deb when built).

Build first (``tools/build-bundle``, or ``tools/build-deb`` for the package size); then
``python -m benchmarks bundle``. Without a bundle it says so and measures nothing.
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

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "lgf-desktop"
WINDOW = BUNDLE / ("lgf-desktop.exe" if os.name == "nt" else "lgf-desktop")
REPEATS = 7


def _usable(command: list[str], env: dict[str, str]) -> float:
    start = time.time()
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
    ready = [line for line in result.stdout.splitlines() if line.startswith("ready ")]
    if result.returncode != 0 or not ready:
        raise RuntimeError(f"{command[0]} did not reach a usable window: {result.stderr.strip()[-400:]}")
    return float(ready[-1].split()[1]) - start


def folder_size(folder: Path) -> int:
    return sum(path.lstat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def measure(repeats: int = REPEATS) -> tuple[float, float]:
    """Medians in seconds to the usable window: (development install, bundle)."""
    with tempfile.TemporaryDirectory(prefix="lgf-bench-bundle-") as folder:
        db = make_large_database(Path(folder) / "large.sqlite3", rounds=10, reviews_per_round=15)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=folder, XDG_CONFIG_HOME=f"{folder}/config",
                   XDG_DATA_HOME=f"{folder}/data", LGF_STARTUP_PROBE="1")
        env.pop("LGF_DB", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: bytecode compiled (the bundle's always is)
        env["PYTHONPYCACHEPREFIX"] = f"{folder}/pycache"
        development = [sys.executable, "-m", "lgf_desktop", "--db", str(db)]
        bundle = [str(WINDOW), "--db", str(db)]
        _usable(development, env)  # warm the file cache and the bytecode once for both
        _usable(bundle, env)
        times: dict[str, list[float]] = {"development": [], "bundle": []}
        for _ in range(repeats):
            times["development"].append(_usable(development, env))
            times["bundle"].append(_usable(bundle, env))
    return median(times["development"]), median(times["bundle"])


def run() -> list[str]:
    if not WINDOW.exists():
        return ["bundle: not built; run tools/build-bundle first"]
    development, bundle = measure()
    lines = [
        figure("bundle window usable (10 rounds x 15 reviews)", bundle * 1000, "ms", "-"),
        figure("development install window usable (same database)", development * 1000, "ms", "-"),
        figure("bundle ratio usable bundle/development", bundle / development, "x", "<= 1.2"),
        figure("bundle folder size", folder_size(BUNDLE) / 1e6, "MB", "-"),
    ]
    for deb in sorted((ROOT / "dist").glob("lgf-desktop_*.deb")):
        lines.append(figure(f"bundle {deb.name} size", deb.stat().st_size / 1e6, "MB", "-"))
    return lines


if __name__ == "__main__":
    for line in run():
        print(line)
