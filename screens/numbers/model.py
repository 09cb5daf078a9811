"""What the Numbers tab shows, as one frozen `View`, and what a read of it brings back.

A key makes a new `View` (`with_key`-style helpers below); the pane reads the
chart's data for it in a database worker (`read_chart`) and draws it. The
date range is the last `days` local days of the workspace zone up to today;
the best-time grid, the comparison and the post list count the publications
that went out in that range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from storage.metrics.days import Filter
from storage.metrics.posts import BestTimeGrid, CurveComparison, GroupStats
from storage.metrics.repo import Choice, NumbersRepo, PublicationChoice
from storage.metrics.series import FollowerPoint, Series


class Chart(StrEnum):
    """The four charts of the tab."""

    TIME = "time"
    BEST = "best"
    COMPARE = "compare"
    POST = "post"


CHART_TITLES: dict[Chart, str] = {
    Chart.TIME: "Over time",
    Chart.BEST: "Best time to post",
    Chart.COMPARE: "Comparison",
    Chart.POST: "Post report",
}

# (key, title) of what the over-time chart plots; `m` cycles them.
TIME_MEASURES: tuple[tuple[str, str], ...] = (
    ("views", "views per day"),
    ("cumulative", "cumulative views"),
    ("engagement", "engagement rate"),
    ("completion", "completion and average view %"),
    ("followers", "followers"),
)
# (field of GroupStats, title) of what the comparison shows; `m` cycles them.
COMPARE_MEASURES: tuple[tuple[str, str], ...] = (
    ("views_48h", "48-hour views"),
    ("engagement_48h", "engagement at 48 h"),
    ("completion_48h", "completion at 48 h"),
    ("avg_view_pct_48h", "average view % at 48 h"),
)
RANGES: tuple[int, ...] = (7, 28, 90, 365)  # days; `d` cycles them
GroupBy = Literal["pillar", "hook"]


@dataclass(frozen=True)
class View:
    """Everything that decides what the tab shows."""

    chart: Chart = Chart.TIME
    days: int = 28
    account_id: int | None = None  # None: every account
    pillar_id: int | None = None  # None: every pillar; 0: posts without one
    time_measure: int = 0  # index in TIME_MEASURES
    compare_measure: int = 0  # index in COMPARE_MEASURES
    compare_by: GroupBy = "pillar"
    publication_id: int | None = None  # the post report's publication (None: the newest)
    post_id: int | None = None  # a post asked for from another tab (its newest publication)
    table: bool = False  # the numbers as a table instead of the chart

    @property
    def measure(self) -> tuple[str, str]:
        """(key, title) of the measure of the current chart (TIME or COMPARE)."""
        if self.chart == Chart.COMPARE:
            return COMPARE_MEASURES[self.compare_measure]
        return TIME_MEASURES[self.time_measure]

    def filter(self) -> Filter:
        """The account and pillar filter as the queries take it."""
        return Filter(
            account_ids=None if self.account_id is None else (self.account_id,),
            pillar_ids=None if self.pillar_id is None else (self.pillar_id,),
        )

    def span(self, now: datetime, zone: ZoneInfo) -> tuple[date, date, datetime]:
        """First and last local day of the range, and the first day's local midnight."""
        last = now.astimezone(zone).date()
        first = last - timedelta(days=self.days - 1)
        return first, last, datetime.combine(first, time(0), tzinfo=zone)


def cycle(values: Sequence[int], current: int | None) -> int | None:
    """The value after `current`: None (all) → each value in turn → None again."""
    if current is None or current not in values:
        return values[0] if values else None
    index = values.index(current) + 1
    return values[index] if index < len(values) else None


def next_range(days: int) -> int:
    """The next date range (7 → 28 → 90 → 365 → 7)."""
    index = RANGES.index(days) + 1 if days in RANGES else 0
    return RANGES[index % len(RANGES)]


def next_measure(view: View) -> View:
    """The next measure of the over-time chart or the comparison (others: unchanged)."""
    if view.chart == Chart.TIME:
        return replace(view, time_measure=(view.time_measure + 1) % len(TIME_MEASURES))
    if view.chart == Chart.COMPARE:
        return replace(view, compare_measure=(view.compare_measure + 1) % len(COMPARE_MEASURES))
    return view


@dataclass(frozen=True)
class Choices:
    """What the account and pillar filters cycle through."""

    accounts: tuple[Choice, ...] = ()
    pillars: tuple[Choice, ...] = ()

    def label(self, kind: Literal["account", "pillar"], value: int | None) -> str:
        """The label of a filter's value ("all accounts" / "all pillars" for None)."""
        if value is None:
            return f"all {kind}s"
        items = self.accounts if kind == "account" else self.pillars
        return next((c.label for c in items if c.id == value), f"{kind} {value}")


# --- what a read brings back ---------------------------------------------------------


@dataclass(frozen=True)
class OverTime:
    """The over-time chart's days (for the filter) and follower counts (for its accounts)."""

    series: Series
    followers: tuple[FollowerPoint, ...]


@dataclass(frozen=True)
class BestTime:
    """The weekday × hour grid."""

    grid: BestTimeGrid


@dataclass(frozen=True)
class Comparison:
    """Pillars or hook styles and the spread of each measure."""

    by: GroupBy
    groups: tuple[GroupStats, ...]


@dataclass(frozen=True)
class PostReport:
    """The publications to pick from, the one shown and its curve against its pillar."""

    choices: tuple[PublicationChoice, ...]
    chosen: PublicationChoice | None
    curve: CurveComparison | None


ChartData = OverTime | BestTime | Comparison | PostReport


def read_chart(
    repo: NumbersRepo, view: View, now: datetime, zone: ZoneInfo, *, min_count: int
) -> ChartData:
    """Read what `view`'s chart needs (in a database worker)."""
    first, last, since = view.span(now, zone)
    flt = view.filter()
    if view.chart == Chart.TIME:
        accounts = flt.account_ids
        return OverTime(
            repo.daily(first, last, zone, flt), repo.followers(first, last, zone, accounts)
        )
    if view.chart == Chart.BEST:
        return BestTime(repo.best_time(zone, since=since, flt=flt, min_count=min_count))
    if view.chart == Chart.COMPARE:
        return Comparison(view.compare_by, repo.compare(view.compare_by, since=since, flt=flt))
    choices = repo.publications(since=since, flt=flt)
    chosen = next((c for c in choices if c.publication_id == view.publication_id), None)
    if view.post_id is not None:
        asked = repo.publications(post_id=view.post_id)
        chosen = asked[0] if asked else chosen
        if chosen is not None and chosen not in choices:
            choices = (chosen, *choices)
    if chosen is None and choices:
        chosen = choices[0]
    curve = None
    if chosen is not None:
        curves = repo.post_curves(chosen.post_id)
        curve = next((c for c in curves if c.publication_id == chosen.publication_id), None)
    return PostReport(choices, chosen, curve)
