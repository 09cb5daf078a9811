"""Numbers per publication, and what the charts make of them: best time to post,
pillar and hook comparison, top and bottom, a post's curve against its pillar.

The unit is a publication (a post on one account): that is what a platform
counts and what went out at one time. Each one's numbers at 48 hours come
from metric_curve (interpolated between the snapshots either side of 48 h,
rollup.py); a publication younger than that, or with no snapshot after it,
has none yet and is left out of medians (it still counts as published).

- `figures(conn, since=…, until=…, flt=…)` → one `PublicationFigures` per
  publication with numbers that went out in [since, until) (published_at),
  with its 48-hour views, engagement, completion and average view
  percentage, its latest totals, pillar and hook style (read from the
  metric_pubs roll-up and the posts: one table scan, no per-row joins but posts).
- `best_time(figs, zone, min_count=3)` → `BestTimeGrid`: weekday × hour (local
  to `zone`, Monday = 0) of the median 48-hour views of the publications that
  went out in that hour; a cell with fewer than `min_count` has no median.
- `compare(figs, by="pillar" | "hook")` → `GroupStats` per pillar or hook
  style: count and spread (quartiles) of 48-hour views, engagement,
  completion and average view percentage.
- `ranked(figs, n)` → (top, bottom) by 48-hour views.
- `post_curves(conn, post_id, since=…)` → per publication of the post, its
  views at each age against the median (and quartiles) of the other
  publications of the same pillar on the same account at that age.

A hook style is a post tag `hook:<style>` (e.g. `hook:question`); a post
without one is in the group "none". A publication without a pillar is in
"none" too.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, NamedTuple, Protocol
from zoneinfo import ZoneInfo

from storage.metrics.days import ALL, Filter
from storage.metrics.fetch import Executes, tuples
from storage.metrics.rollup import AGES_H
from storage.metrics.stats import Spread, median, spread
from storage.timefmt import from_db, to_db

NONE = "none"


class PublicationFigures(NamedTuple):
    """One publication's numbers at 48 hours and now (None: not known / not given).

    A NamedTuple rather than a dataclass: the charts build tens of thousands."""

    publication_id: int
    post_id: int
    title: str
    account_id: int
    platform: str
    handle: str
    pillar_id: int | None
    pillar: str  # its name, or "none"
    hook: str  # the post's hook:<style> tag, or "none"
    published_at: datetime
    views_48h: int | None
    engagement_48h: float | None
    completion_48h: float | None
    avg_view_pct_48h: float | None
    views: int | None  # latest known
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None


# Engagement at 48 hours (stats.engagement in SQL): over the interactions given.
_ENGAGEMENT = (
    "CASE WHEN views_48h > 0 "
    "AND COALESCE(likes_48h, comments_48h, shares_48h, saves_48h) IS NOT NULL "
    "THEN (COALESCE(likes_48h, 0) + COALESCE(comments_48h, 0) + COALESCE(shares_48h, 0) "
    "+ COALESCE(saves_48h, 0)) * 1.0 / views_48h END"
)
_FIGURES = (
    "SELECT publication_id, post_id, account_id, published_at, views_48h, "
    + _ENGAGEMENT
    + ", completion_48h, avg_view_pct_48h, views, likes, comments, shares, saves "
    "FROM metric_pubs WHERE published_at IS NOT NULL{where}"
)
# Reading every post is cheaper than a join per publication once there are many.
_FEW = 400


def hook_of(tags: str | None) -> str:
    """The hook style in a post's tags (JSON list): the first `hook:<style>`, else "none"."""
    if not tags or "hook:" not in tags:
        return NONE
    try:
        items = json.loads(tags)
    except ValueError:
        return NONE
    for tag in items if isinstance(items, list) else []:
        if isinstance(tag, str) and tag.startswith("hook:") and tag[5:].strip():
            return tag[5:].strip()
    return NONE


def figures(
    conn: sqlite3.Connection,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    flt: Filter = ALL,
    post_id: int | None = None,
) -> list[PublicationFigures]:
    """Every publication with numbers that went out in [since, until) (of one post,
    with `post_id`), oldest first: one read of metric_pubs, one of the posts."""
    where, args = "", []  # type: tuple[str, list[object]]
    if since is not None:
        where += " AND published_at >= ?"
        args.append(to_db(since))
    if until is not None:
        where += " AND published_at < ?"
        args.append(to_db(until))
    if flt.account_ids is not None:
        where += f" AND account_id IN ({', '.join('?' for _ in flt.account_ids) or 'NULL'})"
        args.extend(flt.account_ids)
    if post_id is not None:
        where += " AND post_id = ?"
        args.append(post_id)
    cur = tuples(conn)
    pubs = cur.execute(_FIGURES.format(where=where), args).fetchall()
    posts = _posts(cur, {r[1] for r in pubs})
    accounts = {
        r[0]: (r[1], r[2]) for r in cur.execute("SELECT id, platform, handle FROM accounts")
    }
    pillars = dict(cur.execute("SELECT id, name FROM pillars").fetchall())
    wanted = None if flt.pillar_ids is None else set(flt.pillar_ids)
    hooks: dict[str, str] = {}
    out = []
    for r in pubs:
        title, pillar_id, tags = posts[r[1]]
        if wanted is not None and (pillar_id or 0) not in wanted:
            continue
        hook = hooks.get(tags)
        if hook is None:
            hook = hooks[tags] = hook_of(tags)
        platform, handle = accounts.get(r[2], ("", ""))
        out.append(
            PublicationFigures(
                r[0],
                r[1],
                title,
                r[2],
                platform,
                handle,
                pillar_id,
                pillars.get(pillar_id, NONE),
                hook,
                datetime.fromisoformat(r[3]),
                *r[4:],
            )
        )
    out.sort(key=lambda f: (f.published_at, f.publication_id))
    return out


def _posts(cur: Executes, ids: set[int]) -> dict[int, tuple[str, int | None, str]]:
    """Title, pillar and tags of these posts (all posts read at once when many)."""
    sql = "SELECT id, title, pillar_id, tags FROM posts"
    if len(ids) > _FEW:
        return {r[0]: (r[1], r[2], r[3]) for r in cur.execute(sql)}
    out: dict[int, tuple[str, int | None, str]] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), _FEW):
        chunk = wanted[start : start + _FEW]
        sql_in = f"{sql} WHERE id IN ({', '.join('?' for _ in chunk)})"
        out.update({r[0]: (r[1], r[2], r[3]) for r in cur.execute(sql_in, chunk)})
    return out


# --- best time to post ------------------------------------------------------------------


@dataclass(frozen=True)
class BestTimeCell:
    """Publications that went out in one local weekday and hour, and their median."""

    weekday: int  # Monday = 0
    hour: int
    count: int  # publications with 48-hour views behind the median
    median_views: float | None  # None: fewer than min_count (not enough data)


@dataclass(frozen=True)
class BestTimeGrid:
    """7 × 24 cells (cells[weekday * 24 + hour]), the zone and the minimum count."""

    zone: str
    min_count: int
    cells: tuple[BestTimeCell, ...]

    def cell(self, weekday: int, hour: int) -> BestTimeCell:
        return self.cells[weekday * 24 + hour]

    def best(self, n: int = 3) -> list[BestTimeCell]:
        """The n cells with the highest median (enough data only), best first."""
        known = [c for c in self.cells if c.median_views is not None]
        return sorted(known, key=lambda c: (-(c.median_views or 0), c.weekday, c.hour))[:n]


class Outing(Protocol):
    """What the best-time grid reads of a publication (PublicationFigures has it)."""

    @property
    def published_at(self) -> datetime: ...
    @property
    def views_48h(self) -> int | None: ...


class Measured(Protocol):
    """What the comparison reads of a publication (PublicationFigures has it)."""

    @property
    def pillar(self) -> str: ...
    @property
    def hook(self) -> str: ...
    @property
    def views_48h(self) -> int | None: ...
    @property
    def engagement_48h(self) -> float | None: ...
    @property
    def completion_48h(self) -> float | None: ...
    @property
    def avg_view_pct_48h(self) -> float | None: ...


class _Outing(NamedTuple):
    published_at: datetime
    views_48h: int | None


def best_time(figs: Iterable[Outing], zone: ZoneInfo, *, min_count: int = 3) -> BestTimeGrid:
    """The weekday × hour grid of median 48-hour views (see the module docstring)."""
    slots: list[list[int]] = [[] for _ in range(7 * 24)]
    for f in figs:
        if f.views_48h is None:
            continue
        local = f.published_at.astimezone(zone)
        slots[local.weekday() * 24 + local.hour].append(f.views_48h)
    cells = tuple(
        BestTimeCell(
            i // 24,
            i % 24,
            len(views),
            median(views) if len(views) >= min_count and views else None,
        )
        for i, views in enumerate(slots)
    )
    return BestTimeGrid(zone.key, min_count, cells)


# --- pillar and hook comparison -------------------------------------------------------------


@dataclass(frozen=True)
class GroupStats:
    """One pillar's (or hook style's) publications: how many, and the spread of each number."""

    key: str
    publications: int  # publications with numbers that went out in the range
    views_48h: Spread | None  # over those with 48-hour numbers (its count says how many)
    engagement_48h: Spread | None
    completion_48h: Spread | None
    avg_view_pct_48h: Spread | None


def compare(
    figs: Iterable[Measured], by: Literal["pillar", "hook"] = "pillar"
) -> tuple[GroupStats, ...]:
    """Per pillar or hook style, by median 48-hour views (highest first, "none" last)."""
    groups: dict[str, tuple[list, list, list, list]] = {}
    for f in figs:
        cols = groups.get(f.pillar if by == "pillar" else f.hook)
        if cols is None:
            cols = groups[f.pillar if by == "pillar" else f.hook] = ([], [], [], [])
        cols[0].append(f.views_48h)
        cols[1].append(f.engagement_48h)
        cols[2].append(f.completion_48h)
        cols[3].append(f.avg_view_pct_48h)
    return _group_stats(groups)


def _group_stats(groups: dict[str, tuple[list, list, list, list]]) -> tuple[GroupStats, ...]:
    out = [
        GroupStats(key, len(cols[0]), *(spread(c) for c in cols)) for key, cols in groups.items()
    ]
    return tuple(
        sorted(
            out,
            key=lambda g: (g.key == NONE, -(g.views_48h.median if g.views_48h else -1), g.key),
        )
    )


def ranked(
    figs: Iterable[PublicationFigures], n: int = 3
) -> tuple[list[PublicationFigures], list[PublicationFigures]]:
    """The top n and bottom n by 48-hour views (those with 48-hour numbers only);
    the bottom list worst first and never repeating the top."""
    known = sorted(
        (f for f in figs if f.views_48h is not None),
        key=lambda f: (-(f.views_48h or 0), f.publication_id),
    )
    top = known[:n]
    bottom = [f for f in reversed(known) if f not in top][:n]
    return top, bottom


# --- the same straight from the database, reading only what they need -------------------------


def _lean(
    conn: sqlite3.Connection,
    columns: str,
    since: datetime | None,
    until: datetime | None,
    flt: Filter,
) -> list[tuple]:
    """Rows (post_id, *columns) of metric_pubs in the range and accounts of `flt`."""
    where, args = "", []  # type: tuple[str, list[object]]
    if since is not None:
        where += " AND published_at >= ?"
        args.append(to_db(since))
    if until is not None:
        where += " AND published_at < ?"
        args.append(to_db(until))
    if flt.account_ids is not None:
        where += f" AND account_id IN ({', '.join('?' for _ in flt.account_ids) or 'NULL'})"
        args.extend(flt.account_ids)
    cur = tuples(conn)
    return cur.execute(
        f"SELECT post_id, {columns} FROM metric_pubs WHERE published_at IS NOT NULL{where}", args
    ).fetchall()


def best_time_grid(
    conn: sqlite3.Connection,
    zone: ZoneInfo,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    flt: Filter = ALL,
    min_count: int = 3,
) -> BestTimeGrid:
    """`best_time` of the publications that went out in [since, until) in `flt`."""
    rows = _lean(conn, "published_at, views_48h", since, until, flt)
    if flt.pillar_ids is not None:
        cur = tuples(conn)
        posts = _posts(cur, {r[0] for r in rows})
        wanted = set(flt.pillar_ids)
        rows = [r for r in rows if (posts[r[0]][1] or 0) in wanted]
    return best_time(
        (_Outing(datetime.fromisoformat(r[1]), r[2]) for r in rows if r[2] is not None),
        zone,
        min_count=min_count,
    )


def compare_groups(
    conn: sqlite3.Connection,
    by: Literal["pillar", "hook"] = "pillar",
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    flt: Filter = ALL,
) -> tuple[GroupStats, ...]:
    """`compare` of the publications that went out in [since, until) in `flt`."""
    rows = _lean(
        conn,
        "views_48h, " + _ENGAGEMENT + ", completion_48h, avg_view_pct_48h",
        since,
        until,
        flt,
    )
    cur = tuples(conn)
    posts = _posts(cur, {r[0] for r in rows})
    pillars = dict(cur.execute("SELECT id, name FROM pillars").fetchall())
    wanted = None if flt.pillar_ids is None else set(flt.pillar_ids)
    keys: dict[tuple[int | None, str], str] = {}  # (pillar, tags) -> its group
    groups: dict[str, tuple[list, list, list, list]] = {}
    for post_id, views, eng, done, pct in rows:
        _, pillar_id, tags = posts[post_id]
        if wanted is not None and (pillar_id or 0) not in wanted:
            continue
        key = keys.get((pillar_id, tags))
        if key is None:
            key = keys[(pillar_id, tags)] = (
                pillars.get(pillar_id, NONE) if by == "pillar" else hook_of(tags)
            )
        cols = groups.get(key)
        if cols is None:
            cols = groups[key] = ([], [], [], [])
        cols[0].append(views)
        cols[1].append(eng)
        cols[2].append(done)
        cols[3].append(pct)
    return _group_stats(groups)


# --- a post's curve against its pillar ---------------------------------------------------------


@dataclass(frozen=True)
class CurveAge:
    """Views at one age: the publication's, and its pillar's on the same account."""

    age_h: int
    views: int | None
    pillar_median: float | None
    pillar_q1: float | None
    pillar_q3: float | None
    peers: int  # other publications with views at this age


@dataclass(frozen=True)
class CurveComparison:
    """One publication of a post against its pillar at the same ages."""

    publication_id: int
    account_id: int
    platform: str
    handle: str
    pillar: str
    published_at: datetime
    ages: tuple[CurveAge, ...]


def post_curves(
    conn: sqlite3.Connection, post_id: int, *, since: datetime | None = None
) -> tuple[CurveComparison, ...]:
    """Each publication of the post against the other publications of its pillar
    on the same account (those that went out since `since`, if given)."""
    pubs = conn.execute(
        "SELECT p.id, p.account_id, a.platform, a.handle, posts.pillar_id, pl.name, "
        "p.published_at FROM publications AS p JOIN posts ON posts.id = p.post_id "
        "JOIN accounts AS a ON a.id = p.account_id "
        "LEFT JOIN pillars AS pl ON pl.id = posts.pillar_id "
        "WHERE p.post_id = ? AND p.published_at IS NOT NULL ORDER BY a.platform, a.handle",
        (post_id,),
    ).fetchall()
    out = []
    cur = tuples(conn)
    for pub, account, platform, handle, pillar_id, pillar, published in pubs:
        own = dict(
            cur.execute(
                "SELECT age_h, views FROM metric_curve WHERE publication_id = ?", (pub,)
            ).fetchall()
        )
        peers: dict[int, list[int]] = {}
        for age, views in cur.execute(
            "SELECT c.age_h, c.views FROM metric_pubs AS m "
            "JOIN posts ON posts.id = m.post_id "
            "JOIN metric_curve AS c ON c.publication_id = m.publication_id "
            "WHERE m.account_id = ? AND COALESCE(posts.pillar_id, 0) = ? AND m.publication_id != ? "
            "AND m.published_at >= ? AND c.views IS NOT NULL",
            (account, pillar_id or 0, pub, "" if since is None else to_db(since)),
        ):
            peers.setdefault(age, []).append(views)
        ages = []
        for age in AGES_H:
            s = spread(peers.get(age, []))
            ages.append(
                CurveAge(
                    age,
                    own.get(age),
                    None if s is None else s.median,
                    None if s is None else s.q1,
                    None if s is None else s.q3,
                    0 if s is None else s.count,
                )
            )
        out.append(
            CurveComparison(
                pub, account, platform, handle, pillar or NONE, from_db(published), tuple(ages)
            )
        )
    return tuple(out)
