"""Medians and quartiles of small lists, and the rates the charts show (pure functions).

Quartiles are the "inclusive" kind (linear interpolation between the closest
ranks, as `statistics.quantiles(method="inclusive")` and numpy's default):
for 1, 2, 3, 4, 5 the quartiles are 2, 3, 4. One value is its own
quartiles. Nothing here divides by zero: a rate over no views is None.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Spread:
    """How a number is spread over a group: quartiles, median, extremes, count."""

    count: int
    low: float
    q1: float
    median: float
    q3: float
    high: float


def spread(values: Sequence[float | None]) -> Spread | None:
    """The spread of the given values (None ignored); None when there are none."""
    data = [v for v in values if v is not None]
    data.sort()
    if not data:
        return None
    if len(data) == 1:
        one = float(data[0])
        return Spread(1, one, one, one, one, one)
    q1, med, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return Spread(len(data), float(data[0]), q1, med, q3, float(data[-1]))


def median(values: Sequence[float | None]) -> float | None:
    """The median of the given values (None ignored), or None."""
    data = [v for v in values if v is not None]
    return float(statistics.median(data)) if data else None


def engagement(
    views: float | None,
    likes: float | None,
    comments: float | None,
    shares: float | None,
    saves: float | None,
) -> float | None:
    """(likes + comments + shares + saves) / views, over the ones the platform gives
    (TikTok gives no saves, Kuaishou no shares or saves); None without views or
    with none of the four."""
    parts = [x for x in (likes, comments, shares, saves) if x is not None]
    if not views or not parts:
        return None
    return sum(parts) / views


def ratio(part: float | None, whole: float | None) -> float | None:
    """part / whole, or None when either is missing or whole is 0."""
    if part is None or not whole:
        return None
    return part / whole
