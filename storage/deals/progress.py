"""A deliverable's posts and how far each has come, and the lead-time flags.

For each post of a deliverable: whether it has a script (a non-empty body),
how many clips are linked (to the post or to one of its shots), its best
render (done beats running beats queued beats failed) and its publications.
A deliverable that is not live yet is *flagged* when a post lacks a script,
footage or a finished render once its deadline is nearer than the lead time
set for that step (`[deals]` script_lead_days, footage_lead_days,
render_lead_days), or when it has no post at all by the script lead time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from storage.db import Store
from storage.deals.lead_times import LeadTimes
from storage.vocab import DeliverableState

if TYPE_CHECKING:  # an annotation: the deal values are not needed to build LeadTimes
    from storage.deals.models import Deliverable

__all__ = ["LeadTimes", "PostProgress", "PubLine", "lead_flags", "post_progress"]

RENDER_RANK = {"done": 4, "running": 3, "queued": 2, "failed": 1, "dead": 0, "cancelled": -1}


@dataclass(frozen=True)
class PubLine:
    """One publication of a deliverable's post."""

    id: int
    platform: str
    handle: str
    state: str
    scheduled_at: str | None
    published_at: str | None
    remote_url: str | None
    override: str | None


@dataclass(frozen=True)
class PostProgress:
    """How far one post of a deliverable has come."""

    post_id: int
    title: str
    status: str
    has_script: bool
    clips: int
    render: str | None  # the best render job state, None: no render
    publications: tuple[PubLine, ...]

    @property
    def rendered(self) -> bool:
        return self.render == "done"


def post_progress(store: Store, post_ids: tuple[int, ...]) -> list[PostProgress]:
    """Progress of each post (in the order given; a post that is gone is left out)."""
    conn = store.conn
    out: list[PostProgress] = []
    for post_id in post_ids:
        post = conn.execute(
            "SELECT id, title, status FROM posts WHERE id = ?", (post_id,)
        ).fetchone()
        if post is None:
            continue
        script = conn.execute(
            "SELECT count(*) FROM scripts WHERE post_id = ? AND length(trim(body)) > 0", (post_id,)
        ).fetchone()[0]
        # One IN over a UNION, not `post_id = ? OR id IN (...)`: with the OR, SQLite
        # walks every usable clip of the workspace (100k on a large one) per post.
        clips = conn.execute(
            "SELECT count(*) FROM assets WHERE status = 'ok' AND assets.id IN ("
            "SELECT linked.id FROM assets AS linked WHERE linked.post_id = ? "
            "UNION SELECT shot_assets.asset_id FROM shot_assets JOIN shots "
            "ON shots.id = shot_assets.shot_id WHERE shots.post_id = ?)",
            (post_id, post_id),
        ).fetchone()[0]
        states = [
            r["state"]
            for r in conn.execute(
                "SELECT jobs.state FROM renders JOIN jobs ON jobs.id = renders.job_id "
                "WHERE renders.post_id = ?",
                (post_id,),
            )
        ]
        best = max(states, key=lambda s: RENDER_RANK.get(s, -2), default=None)
        pubs = tuple(
            PubLine(
                r["id"],
                r["platform"],
                r["handle"],
                r["state"],
                r["scheduled_at"],
                r["published_at"],
                r["remote_url"],
                r["disclosure_override"],
            )
            for r in conn.execute(
                "SELECT publications.id, accounts.platform, accounts.handle, publications.state, "
                "publications.scheduled_at, publications.published_at, publications.remote_url, "
                "publications.disclosure_override FROM publications JOIN accounts "
                "ON accounts.id = publications.account_id WHERE publications.post_id = ? "
                "ORDER BY accounts.platform, accounts.handle, publications.id",
                (post_id,),
            )
        )
        out.append(
            PostProgress(post["id"], post["title"], post["status"], script > 0, clips, best, pubs)
        )
    return out


def _days(value: float) -> str:
    return f"{value:g} d"


def lead_flags(
    item: Deliverable, posts: list[PostProgress], now: datetime, leads: LeadTimes
) -> list[str]:
    """What a deliverable lacks for its lead times (empty: on track, or already live)."""
    if item.state == DeliverableState.LIVE:
        return []
    left = item.due_at - now
    flags: list[str] = []
    if not posts:
        if left <= timedelta(days=leads.script_days):
            flags.append(f"no post linked ({_days(leads.script_days)} before due)")
        return flags
    many = len(posts) > 1
    for post in posts:
        whose = f"post {post.post_id}: " if many else ""
        if not post.has_script and left <= timedelta(days=leads.script_days):
            flags.append(f"{whose}no script ({_days(leads.script_days)} before due)")
        if post.clips == 0 and left <= timedelta(days=leads.footage_days):
            flags.append(f"{whose}no footage ({_days(leads.footage_days)} before due)")
        if not post.rendered and left <= timedelta(days=leads.render_days):
            flags.append(f"{whose}no render ({_days(leads.render_days)} before due)")
    return flags
