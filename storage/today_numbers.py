"""Today's "yesterday's numbers": each metric's gain yesterday against the week before.

Read from the quarter-hour roll-ups (storage/metrics): the gains of every
snapshot summed per local day, never a scan of the raw snapshots. Followers:
an account's change in follower count where its counts are kept, else what
its videos say they brought (followers_gained). `TodayRepo.numbers` and
`TodayRepo.numbers_key` (storage/today.py) call these. The numbers' values
are here too, apart from the triage items' (storage/today_models.py): the App
that shows a read made by a child process (app/first_read.py) loads these,
not those, before its first paint.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

METRICS = ("views", "likes", "comments", "shares", "followers_gained")
AVERAGE_DAYS = 7


@dataclass(frozen=True)
class MetricFigure:
    """One metric: yesterday's daily gain and the average of the week before."""

    name: str
    yesterday: int | None
    week_avg: float | None

    @property
    def change(self) -> float | None:
        """Yesterday against the average as a fraction (+0.12 = 12% more)."""
        if self.yesterday is None or not self.week_avg:
            return None
        return (self.yesterday - self.week_avg) / self.week_avg


@dataclass(frozen=True)
class YesterdayNumbers:
    """Daily gains of `day` (a local date) against the 7 days before it."""

    day: date
    figures: tuple[MetricFigure, ...]


def _number_range(now: datetime, zone: ZoneInfo) -> tuple[date, date]:
    """Yesterday (local) and the first of the 7 days before it."""
    yesterday = now.astimezone(zone).date() - timedelta(days=1)
    return yesterday, yesterday - timedelta(days=AVERAGE_DAYS)


def _day_figures(sums: dict[tuple[date, int], dict[str, object]]) -> dict[date, dict[str, int]]:
    """Per day: each of METRICS summed over accounts (absent: no account gave it)."""
    out: dict[date, dict[str, int]] = {}
    for (day, _account), row in sums.items():
        figures = out.setdefault(day, {})
        for metric in METRICS:
            value = row.get(metric)
            if metric == "followers_gained" and row.get("follower_change") is not None:
                value = row["follower_change"]
            if value is not None:
                figures[metric] = figures.get(metric, 0) + int(value)  # type: ignore[call-overload]
    return out


def _by_day(
    conn: sqlite3.Connection, now: datetime, zone: ZoneInfo
) -> tuple[date, dict[date, dict[str, int]]]:
    # Imported here: the App that unpickles the values above does not need the read.
    from storage.metrics.days import day_sums

    yesterday, first = _number_range(now, zone)
    sums = day_sums(conn, first, yesterday, zone, per_account=True)
    return yesterday, _day_figures(sums)


def numbers(conn: sqlite3.Connection, now: datetime, zone: ZoneInfo) -> YesterdayNumbers:
    """Yesterday's daily gains (local day) against the average of the 7 days before."""
    yesterday, by_day = _by_day(conn, now, zone)
    figures = []
    for metric in METRICS:
        y_val = by_day.get(yesterday, {}).get(metric)
        vals = [
            by_day[d][metric]
            for d in (yesterday - timedelta(days=i) for i in range(1, AVERAGE_DAYS + 1))
            if metric in by_day.get(d, {})
        ]
        avg = sum(vals) / len(vals) if vals else None
        figures.append(MetricFigure(metric, y_val, avg))
    return YesterdayNumbers(yesterday, tuple(figures))


def numbers_key(conn: sqlite3.Connection, now: datetime, zone: ZoneInfo) -> tuple[object, ...]:
    """Changes when `numbers(now, zone)` may change: another day, or other sums
    in its days (read from the roll-ups: a few hundred rows at most)."""
    yesterday, by_day = _by_day(conn, now, zone)
    return (yesterday, tuple(sorted((d, tuple(sorted(f.items()))) for d, f in by_day.items())))
