"""The exact numbers behind each chart, as a table: column titles and rows of text.

Pure functions of what a read brought back (model.ChartData) and the view;
the pane puts the result in a KeyedDataTable. The rows are the chart's
numbers unrounded except for display: counts with separators, rates as
percentages to one decimal place.
"""

from __future__ import annotations

from dataclasses import dataclass

from screens.numbers import text as tx
from screens.numbers.model import (
    BestTime,
    ChartData,
    Comparison,
    OverTime,
    PostReport,
    View,
)
from storage.metrics.stats import Spread

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
NOT_ENOUGH = "not enough data"


@dataclass(frozen=True)
class Table:
    """Column titles, and each row's key and cells."""

    columns: tuple[str, ...]
    keys: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def age_label(hours: int) -> str:
    """An age as shown: 12h under two days, then 2d, 7d, 90d."""
    return f"{hours}h" if hours < 48 else f"{hours // 24}d"


def table(data: ChartData, view: View) -> Table:
    """The table of the chart `data` was read for."""
    if isinstance(data, OverTime):
        return _followers(data) if view.measure[0] == "followers" else _days(data)
    if isinstance(data, BestTime):
        return _best(data)
    if isinstance(data, Comparison):
        return _compare(data, view)
    return _post(data)


def _days(data: OverTime) -> Table:
    columns = (
        "Day",
        "Views",
        "Cumulative",
        "Likes",
        "Comments",
        "Shares",
        "Saves",
        "Engagement",
        "Completion",
        "Avg view %",
        "Followers from videos",
    )
    rows = tuple(
        (
            p.day.isoformat(),
            tx.count(p.views),
            tx.count(p.cumulative_views),
            tx.count(p.likes),
            tx.count(p.comments),
            tx.count(p.shares),
            tx.count(p.saves),
            tx.percent(p.engagement, 2),
            tx.percent(p.completion),
            tx.NOT_GIVEN if p.avg_view_pct is None else f"{p.avg_view_pct:.1f}%",
            tx.count(p.followers_gained),
        )
        for p in data.series.points
    )
    return Table(columns, tuple(r[0] for r in rows), rows)


def _followers(data: OverTime) -> Table:
    gained = {p.day: p.followers_gained for p in data.series.points}
    rows = tuple(
        (
            f.day.isoformat(),
            tx.count(f.followers),
            tx.NOT_GIVEN if f.change is None else f"{f.change:+,}",
            tx.count(gained.get(f.day)),
        )
        for f in data.followers
    )
    return Table(
        ("Day", "Followers", "Change", "Followers from videos"), tuple(r[0] for r in rows), rows
    )


def _best(data: BestTime) -> Table:
    grid = data.grid
    rows = tuple(
        (
            WEEKDAYS[c.weekday],
            f"{c.hour:02d}:00",
            f"{c.count:,}",
            NOT_ENOUGH if c.median_views is None else tx.count(c.median_views),
        )
        for c in grid.cells
        if c.count
    )
    keys = tuple(f"{c.weekday}-{c.hour}" for c in grid.cells if c.count)
    return Table(("Day", "Hour", "Posts", "Median 48-h views"), keys, rows)


def _spread_cells(key: str, s: Spread | None) -> tuple[str, ...]:
    if s is None:
        return ("0",) + (tx.NOT_GIVEN,) * 5
    values = (s.low, s.q1, s.median, s.q3, s.high)
    return (f"{s.count:,}", *(tx.measure_value(key, v) for v in values))


def _compare(data: Comparison, view: View) -> Table:
    key = view.measure[0]
    rows = tuple(
        (tx.shown(g.key, 24), f"{g.publications:,}", *_spread_cells(key, getattr(g, key)))
        for g in data.groups
    )
    title = "Pillar" if data.by == "pillar" else "Hook"
    return Table(
        (title, "Posts", "With numbers", "Lowest", "Q1", "Median", "Q3", "Highest"),
        tuple(g.key for g in data.groups),
        rows,
    )


def _post(data: PostReport) -> Table:
    if data.curve is None:
        return Table(("Age", "Views", "Pillar median", "Q1", "Q3", "Peers"), (), ())
    rows = tuple(
        (
            age_label(a.age_h),
            tx.count(a.views),
            tx.count(a.pillar_median),
            tx.count(a.pillar_q1),
            tx.count(a.pillar_q3),
            f"{a.peers:,}",
        )
        for a in data.curve.ages
    )
    keys = tuple(str(a.age_h) for a in data.curve.ages)
    return Table(("Age", "Views", "Pillar median", "Q1", "Q3", "Peers"), keys, rows)
