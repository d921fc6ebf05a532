"""Speed measurements. ``python -m benchmarks`` (from the repository root) runs every
``benchmarks/bench_*.py`` module's ``run()`` and prints one line per figure:
``<name>: <value> <unit> (target <target>)``."""
