"""Formatting and statistics shared by the benchmark scripts."""

from __future__ import annotations

import statistics


def figure(name: str, value: float, unit: str, target: str) -> str:
    return f"{name}: {value:.3g} {unit} (target {target})"


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]
