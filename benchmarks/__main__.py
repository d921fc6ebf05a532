"""Run every benchmark module and print its figures."""

from __future__ import annotations

import pkgutil
import sys
from importlib import import_module
from pathlib import Path

import benchmarks


def main(only: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(benchmarks.__file__).parent)]))
    for name in names:
        if not name.startswith("bench_") or (only and not any(o in name for o in only)):
            continue
        module = import_module(f"benchmarks.{name}")
        for figure in module.run():
            print(figure, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
