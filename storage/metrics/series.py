"""Numbers over time, one point per local day: for everything, an account, a pillar, a post.

- `daily(conn, first, last, zone, flt)`: views, likes, comments, shares,
  saves, watch time, followers the videos brought, engagement rate,
  completion and average view percentage, and cumulative views, of each day
  from `first` to `last` (local days of `zone`), for all publications or the
  accounts / pillars in `flt`. Read from metric_buckets (days.py): the range
  of quarter-hours and one sum of everything before it; never the raw snapshots.
- `post_daily(conn, post_id, first, last, zone)`: the same for one post (all
  its publications, or some accounts'), from that post's own snapshots — an
  index range of a few hundred rows, computed with the roll-ups' arithmetic.
- `followers(conn, first, last, zone, account_ids)`: the follower count at the
  end of each day (the last count known by then) and its change that day.

Every day of the range has a point; a number nobody gave that day is None.
Rates are of that day's gains: a day's engagement is its gained interactions
over its gained views; its completion is the completion of that day's views
(rollup.py explains the two counters behind it).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.metrics import rollup as R
from storage.metrics.days import (
    ALL,
    DaySums,
    Filter,
    day_sums,
    days_between,
    midnight,
    total_before,
)
from storage.metrics.fetch import tuples
from storage.metrics.stats import engagement, ratio


@dataclass(frozen=True)
class DayPoint:
    """One local day's numbers (gains that day; None: not given by anyone)."""

    day: date
    views: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    watch_time_s: float | None
    followers_gained: int | None  # what the videos say they brought (YouTube)
    follower_change: int | None  # change in the accounts' follower counts
    engagement: float | None  # (likes + comments + shares + saves) / views of the day
    completion: float | None  # share of the day's views watched to the end
    avg_view_pct: float | None  # average percentage of the video the day's views saw
    cumulative_views: int | None  # every view up to the end of the day (None: none known)


@dataclass(frozen=True)
class Series:
    """A run of days and their points, first to last."""

    first: date
    last: date
    points: tuple[DayPoint, ...]

    def values(self, name: str) -> list[float | None]:
        """One field of every point, in day order (for a chart's y values)."""
        return [getattr(p, name) for p in self.points]


@dataclass(frozen=True)
class FollowerPoint:
    """An account's (or accounts') follower count at the end of a day, and that day's change."""

    day: date
    followers: int | None
    change: int | None


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _point(day: date, sums: DaySums | None, running: int | None) -> DayPoint:
    s = sums or {}
    views = _int(s.get("views"))
    return DayPoint(
        day=day,
        views=views,
        likes=_int(s.get("likes")),
        comments=_int(s.get("comments")),
        shares=_int(s.get("shares")),
        saves=_int(s.get("saves")),
        watch_time_s=s.get("watch_time_s"),
        followers_gained=_int(s.get("followers_gained")),
        follower_change=_int(s.get("follower_change")),
        engagement=engagement(
            views,
            s.get("likes"),
            s.get("comments"),
            s.get("shares"),
            s.get("saves"),
        ),
        completion=ratio(s.get("completed"), s.get("completion_views")),
        avg_view_pct=ratio(s.get("pct_views"), s.get("pct_base")),
        cumulative_views=running,
    )


def _series(first: date, last: date, by_day: dict[date, DaySums], before: int | None) -> Series:
    running = before
    points = []
    for day in days_between(first, last):
        sums = by_day.get(day)
        views = None if sums is None else sums.get("views")
        if views is not None:
            running = int(views) + (running or 0)
        points.append(_point(day, sums, running))
    return Series(first, last, tuple(points))


def daily(
    conn: sqlite3.Connection, first: date, last: date, zone: ZoneInfo, flt: Filter = ALL
) -> Series:
    """Each local day's numbers from `first` to `last` for the publications in `flt`."""
    sums = day_sums(conn, first, last, zone, flt)
    before = total_before(conn, midnight(first, zone), flt).get("views")
    return _series(first, last, {d: s for (d, _), s in sums.items()}, _int(before))


_POST_SNAPS = (
    f"SELECT s.publication_id, s.captured_at, {', '.join('s.' + c for c in R.SNAP_COLS)} "
    "FROM metric_snapshots AS s JOIN publications AS p ON p.id = s.publication_id "
    "WHERE p.post_id = ?{accounts} ORDER BY s.publication_id, s.captured_at"
)


def post_daily(
    conn: sqlite3.Connection,
    post_id: int,
    first: date,
    last: date,
    zone: ZoneInfo,
    account_ids: Sequence[int] | None = None,
) -> Series:
    """Each local day's numbers of one post (its publications on `account_ids`, or all)."""
    accounts = ""
    args: list[object] = [post_id]
    if account_ids is not None:
        accounts = f" AND p.account_id IN ({', '.join('?' for _ in account_ids) or 'NULL'})"
        args.extend(account_ids)
    cur = tuples(conn)
    by_pub: dict[int, list[R.Snap]] = {}
    for row in cur.execute(_POST_SNAPS.format(accounts=accounts), args):
        by_pub.setdefault(row[0], []).append(row[1:])
    buckets: R.Buckets = {}
    for snaps in by_pub.values():
        R.accumulate_gains(buckets, 0, 0, snaps)
    days = days_between(first, last)
    bounds = [midnight(d, zone) for d in (*days, last + timedelta(days=1))]
    by_day: dict[date, DaySums] = {}
    before: int | None = None
    for (bucket, _, _), acc in buckets.items():
        if bucket >= bounds[-1]:
            continue
        views = acc[1]
        if bucket < bounds[0]:
            if views is not None:
                before = int(views) + (before or 0)
            continue
        day = days[bisect_right(bounds, bucket) - 1]
        sums = by_day.setdefault(day, {})
        sums["snapshots"] = int(sums.get("snapshots") or 0) + acc[0]
        for name, value in zip(R.GAIN_COLS, acc[1:], strict=True):
            if value is not None:
                have = sums.get(name)
                sums[name] = value if have is None else have + value
    return _series(first, last, by_day, before)


def followers(
    conn: sqlite3.Connection,
    first: date,
    last: date,
    zone: ZoneInfo,
    account_ids: Sequence[int] | None = None,
) -> tuple[FollowerPoint, ...]:
    """Follower counts at the end of each local day (summed over the accounts that
    have a count by then) and each day's change (from the roll-ups)."""
    days = days_between(first, last)
    bounds = [midnight(d, zone) for d in (*days, last + timedelta(days=1))]
    cur = tuples(conn)
    if account_ids is None:
        account_ids = [r[0] for r in cur.execute("SELECT id FROM accounts ORDER BY id")]
    ends: list[list[int | None]] = [
        [None] * len(days) for _ in account_ids
    ]  # each account's count at each day's end
    for n, account in enumerate(account_ids):
        row = cur.execute(
            "SELECT followers FROM account_snapshots WHERE account_id = ? "
            "AND followers IS NOT NULL AND captured_at < ? ORDER BY captured_at DESC LIMIT 1",
            (account, bounds[0]),
        ).fetchone()
        known: int | None = None if row is None else row[0]
        rows = cur.execute(
            "SELECT captured_at, followers FROM account_snapshots WHERE account_id = ? "
            "AND followers IS NOT NULL AND captured_at >= ? AND captured_at < ? "
            "ORDER BY captured_at",
            (account, bounds[0], bounds[-1]),
        ).fetchall()
        i = 0
        for k in range(len(days)):
            while i < len(rows) and rows[i][0] < bounds[k + 1]:
                known = rows[i][1]
                i += 1
            ends[n][k] = known
    changes = day_sums(conn, first, last, zone, Filter(account_ids=tuple(account_ids)))
    out = []
    for k, day in enumerate(days):
        counts = [e[k] or 0 for e in ends if e[k] is not None]
        change = changes.get((day, 0), {}).get("follower_change")
        out.append(FollowerPoint(day, sum(counts) if counts else None, _int(change)))
    return tuple(out)
