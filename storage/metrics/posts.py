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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from storage.metrics.days import ALL, Filter
from storage.metrics.rollup import AGES_H
from storage.metrics.stats import Spread, engagement, median, spread
from storage.timefmt import from_db, to_db

NONE = "none"


@dataclass(frozen=True)
class PublicationFigures:
    """One publication's numbers at 48 hours and now (None: not known / not given)."""

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


_FIGURES = """
SELECT m.publication_id, m.post_id, posts.title, m.account_id, posts.pillar_id, posts.tags,
       m.published_at, m.views_48h, m.likes_48h, m.comments_48h, m.shares_48h, m.saves_48h,
       m.completion_48h, m.avg_view_pct_48h, m.views, m.likes, m.comments, m.shares, m.saves
FROM metric_pubs AS m
JOIN posts ON posts.id = m.post_id
WHERE m.published_at IS NOT NULL AND m.published_at >= ? AND m.published_at < ?{where}
ORDER BY m.published_at, m.publication_id
"""


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
) -> list[PublicationFigures]:
    """Every publication with numbers that went out in [since, until), oldest first
    (one read of metric_pubs and the posts it belongs to)."""
    where, args = _where(flt)
    cur = conn.cursor()
    cur.row_factory = None
    accounts = {r[0]: (r[1], r[2]) for r in cur.execute("SELECT id, platform, handle FROM accounts")}
    pillars = dict(cur.execute("SELECT id, name FROM pillars").fetchall())
    rows = cur.execute(
        _FIGURES.format(where=where),
        ["" if since is None else to_db(since), "9999" if until is None else to_db(until), *args],
    )
    out = []
    for r in rows:
        platform, handle = accounts.get(r[3], ("", ""))
        views = r[7]
        out.append(
            PublicationFigures(
                publication_id=r[0],
                post_id=r[1],
                title=r[2],
                account_id=r[3],
                platform=platform,
                handle=handle,
                pillar_id=r[4],
                pillar=pillars.get(r[4], NONE),
                hook=hook_of(r[5]),
                published_at=from_db(r[6]),
                views_48h=views,
                engagement_48h=engagement(views, r[8], r[9], r[10], r[11]),
                completion_48h=r[12],
                avg_view_pct_48h=r[13],
                views=r[14],
                likes=r[15],
                comments=r[16],
                shares=r[17],
                saves=r[18],
            )
        )
    return out


def _where(flt: Filter) -> tuple[str, list[object]]:
    parts: list[str] = []
    args: list[object] = []
    if flt.account_ids is not None:
        parts.append(f"m.account_id IN ({', '.join('?' for _ in flt.account_ids) or 'NULL'})")
        args.extend(flt.account_ids)
    if flt.pillar_ids is not None:
        parts.append(
            f"COALESCE(posts.pillar_id, 0) IN ({', '.join('?' for _ in flt.pillar_ids) or 'NULL'})"
        )
        args.extend(flt.pillar_ids)
    return "".join(f" AND {p}" for p in parts), args


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


def best_time(
    figs: Sequence[PublicationFigures], zone: ZoneInfo, *, min_count: int = 3
) -> BestTimeGrid:
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
    figs: Sequence[PublicationFigures], by: Literal["pillar", "hook"] = "pillar"
) -> tuple[GroupStats, ...]:
    """Per pillar or hook style, by median 48-hour views (highest first, "none" last)."""
    groups: dict[str, list[PublicationFigures]] = {}
    for f in figs:
        groups.setdefault(f.pillar if by == "pillar" else f.hook, []).append(f)
    out = [
        GroupStats(
            key,
            len(items),
            spread([f.views_48h for f in items]),
            spread([f.engagement_48h for f in items]),
            spread([f.completion_48h for f in items]),
            spread([f.avg_view_pct_48h for f in items]),
        )
        for key, items in groups.items()
    ]
    return tuple(
        sorted(
            out,
            key=lambda g: (g.key == NONE, -(g.views_48h.median if g.views_48h else -1), g.key),
        )
    )


def ranked(
    figs: Sequence[PublicationFigures], n: int = 3
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
    cur = conn.cursor()
    cur.row_factory = None
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
