"""What goes into a report, read once from the storage queries.

`week_report(ws, day, now)`: the Monday–Sunday week (workspace zone) holding
`day`: views per day and the week's total against the week before, the
followers' change, what was published, top and bottom by 48-hour views, the
best slots of the last 90 days, and the pillar mix of the week against each
pillar's target share.

`post_report(ws, post_id, now)`: a post, each of its publications with its
numbers now and at 48 hours, its curve against its pillar's median at the
same ages, and its views per day since it went out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.workspace import Workspace
from storage.metrics import posts as P
from storage.metrics import series as S
from storage.metrics.posts import BestTimeCell, CurveComparison, PublicationFigures
from storage.metrics.report_rows import pillar_targets, post_head, published_between
from storage.metrics.series import DayPoint

BEST_TIME_DAYS = 90


@dataclass(frozen=True)
class Published:
    """One publication that went out in the week (numbers or not)."""

    published_at: datetime
    title: str
    account: str
    pillar: str
    views_48h: int | None
    url: str | None


@dataclass(frozen=True)
class PillarShare:
    """A pillar's part of the week's publications, its target, its median 48-hour views."""

    pillar: str
    publications: int
    share: float
    target: float | None
    median_views_48h: float | None  # over the last 90 days


@dataclass(frozen=True)
class WeekReport:
    """Everything the week's report says."""

    first: date
    last: date
    zone: str
    in_progress: bool
    days: tuple[DayPoint, ...]
    previous_views: int | None
    follower_change: int | None
    published: tuple[Published, ...]
    top: tuple[PublicationFigures, ...]
    bottom: tuple[PublicationFigures, ...]
    best_slots: tuple[BestTimeCell, ...]
    min_count: int
    pillars: tuple[PillarShare, ...]

    @property
    def views(self) -> int | None:
        return _sum([p.views for p in self.days])


def _sum(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def week_report(ws: Workspace, day: date, now: datetime) -> WeekReport:
    """The report of the week holding `day` (see the module docstring)."""
    zone, conn = ws.config.zone, ws.store.conn
    first = day - timedelta(days=day.weekday())
    last = first + timedelta(days=6)
    since = datetime.combine(first, time(0), zone)
    until = datetime.combine(last + timedelta(days=1), time(0), zone)
    days = S.daily(conn, first, last, zone).points
    before = S.daily(conn, first - timedelta(days=7), first - timedelta(days=1), zone).points
    followers = S.followers(conn, first, last, zone)
    figs = P.figures(conn, since=since, until=until)
    by_pub = {f.publication_id: f for f in figs}
    published = tuple(
        Published(
            w.published_at,
            w.title,
            w.account,
            w.pillar or P.NONE,
            by_pub[w.publication_id].views_48h if w.publication_id in by_pub else None,
            w.url,
        )
        for w in published_between(conn, since, until)
    )
    top, bottom = P.ranked(figs, 3)
    recent = P.figures(conn, since=until - timedelta(days=BEST_TIME_DAYS), until=until)
    min_count = ws.config.metrics.best_time_min_posts
    grid = P.best_time(recent, zone, min_count=min_count)
    medians = {
        g.key: (g.views_48h.median if g.views_48h else None) for g in P.compare(recent, "pillar")
    }
    return WeekReport(
        first=first,
        last=last,
        zone=zone.key,
        in_progress=now.astimezone(zone).date() <= last,
        days=days,
        previous_views=_sum([p.views for p in before]),
        follower_change=_sum([f.change for f in followers]),
        published=published,
        top=tuple(top),
        bottom=tuple(bottom),
        best_slots=tuple(grid.best(3)),
        min_count=min_count,
        pillars=_mix(pillar_targets(conn), published, medians),
    )


def _mix(
    targets: dict[str, float | None],
    published: tuple[Published, ...],
    medians: dict[str, float | None],
) -> tuple[PillarShare, ...]:
    counts: dict[str, int] = {}
    for p in published:
        counts[p.pillar] = counts.get(p.pillar, 0) + 1
    total = sum(counts.values())
    names = list(dict.fromkeys([*targets, *counts]))
    return tuple(
        PillarShare(
            name,
            counts.get(name, 0),
            counts.get(name, 0) / total if total else 0.0,
            targets.get(name),
            medians.get(name),
        )
        for name in names
        if counts.get(name) or targets.get(name)
    )


@dataclass(frozen=True)
class PostReport:
    """Everything one post's report says."""

    post_id: int
    title: str
    pillar: str
    hook: str
    zone: str
    publications: tuple[PublicationFigures, ...]
    urls: dict[int, str | None]
    curves: tuple[CurveComparison, ...]
    days: tuple[DayPoint, ...]


class NoSuchPost(LookupError):
    """The post is not there; the message says how to find one."""


def post_report(ws: Workspace, post_id: int, now: datetime) -> PostReport:
    """The report of one post (see the module docstring)."""
    zone, conn = ws.config.zone, ws.store.conn
    head = post_head(conn, post_id)
    if head is None:
        raise NoSuchPost(f"there is no post {post_id}; `reelroom posts list` shows them")
    figs = tuple(P.figures(conn, post_id=post_id))
    today = now.astimezone(zone).date()
    first_out = min((f.published_at for f in figs), default=None)
    start = first_out.astimezone(zone).date() if first_out else today
    return PostReport(
        post_id=post_id,
        title=head.title,
        pillar=head.pillar or P.NONE,
        hook=P.hook_of(head.tags),
        zone=zone.key,
        publications=figs,
        urls=head.urls,
        curves=P.post_curves(conn, post_id),
        days=S.post_daily(conn, post_id, start, max(start, today), zone).points,
    )
