"""Numbers that grow as the fake clock advances: every fake platform's counts.

`grown(base, per_hour, since, now)` is `base` plus `per_hour` for every hour
of fake time since `since` (whole counts, never going down), so a test that
advances the clock by a day sees a day more of views; counts read at the
same fake moment are the same. Each platform module keeps its own bases and
rates (a test may change them).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime


def hours_between(since: datetime, now: datetime) -> float:
    """Fake hours from `since` to `now` (0 when `now` is earlier)."""
    return max(0.0, (now - since).total_seconds() / 3600)


def grown(base: float, per_hour: float, since: datetime, now: datetime) -> int:
    """`base` plus `per_hour` for each hour since `since`, as a whole count."""
    return int(base + per_hour * hours_between(since, now))


def grown_all(
    base: Mapping[str, float], per_hour: Mapping[str, float], since: datetime, now: datetime
) -> dict[str, int]:
    """Each named count grown (names in `base`; a rate missing is 0)."""
    return {k: grown(v, per_hour.get(k, 0.0), since, now) for k, v in base.items()}
