"""The summary figures every benchmark prints, computed one way."""

from __future__ import annotations

import math
import statistics


def percentile(values: list[float], p: float) -> float:
    """The ``p`` percentile of ``values`` by nearest rank (the smallest value with at least
    ``p`` % of the values at or below it).

    >>> percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), percentile([5, 1, 3], 50)
    (9, 3)
    """
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]


def median_p95_ms(seconds: list[float]) -> tuple[float, float]:
    """Median and 95th percentile of durations in seconds, in milliseconds.

    >>> median_p95_ms([0.001] * 19 + [0.5])
    (1.0, 1.0)
    """
    return statistics.median(seconds) * 1000, percentile(seconds, 95) * 1000
