"""Today's triage sections: the bounded reads behind each list of the Today tab.

Posts due for their stage, publications going out in the next 24 hours,
render jobs that failed, the inbox backlog per account and deliverables due
within a week: each an index range plus a LIMIT, with the full count beside
it (a `Capped`). `TodayRepo` (storage/today.py) calls these; the SQL and the
lead times live here.

"Due for its stage": a post in an unfinished stage must move on a number of
days before its planned time (`LEAD_DAYS`); a post ready to shoot is due at
its shoot time. Scheduled, published and archived posts are never due.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from storage.db import Store
from storage.deals.progress import LeadTimes, lead_flags, post_progress
from storage.deals.repo import DealRepo
from storage.dialect import Dialect
from storage.timefmt import from_db, lenient, to_db
from storage.today import day_start
from storage.today_models import (
    Capped,
    DueDeliverable,
    DuePost,
    FailedRender,
    InboxBacklog,
    UpcomingPublication,
)

# Days before planned_at by which a post in this stage must have moved on.
LEAD_DAYS: dict[str, int] = {
    "idea": 7,
    "scripting": 3,
    "ready_to_shoot": 2,  # used only when the post has no shoot_at
    "shot": 1,
    "editing": 1,
    "ready": 0,
}
NEVER_DUE = ("scheduled", "published", "archived")
DELIVERABLE_HORIZON_DAYS = 7
PUBLICATION_HORIZON = timedelta(hours=24)


def _must(text: str | None) -> tuple[datetime | None, str | None]:
    """A required stored time, or (None, the raw text) when it cannot be read."""
    moment, bad = lenient(text)
    if moment is None and bad is None:
        return None, "(none)"
    return moment, bad


_STAGE_BRANCH = """
SELECT posts.id, posts.title, posts.status, pillars.name AS pillar, posts.planned_at,
       posts.shoot_at, {due} AS due_at
FROM posts LEFT JOIN pillars ON pillars.id = posts.pillar_id
WHERE posts.status = '{status}' AND {cond}
"""


@lru_cache(maxsize=2)
def _due_posts_sql(dialect: Dialect) -> str:
    """One UNION ALL branch per stage, each an index range on (status, planned_at)."""
    branches = []
    for status, days in LEAD_DAYS.items():
        shifted = dialect.shift_days("posts.planned_at", -days)
        if status == "ready_to_shoot":
            due = f"COALESCE(posts.shoot_at, {shifted})"
            cond = (
                f"(posts.shoot_at < :cut_0 OR (posts.shoot_at IS NULL "
                f"AND posts.planned_at < :cut_{days}))"
            )
        else:
            due, cond = shifted, f"posts.planned_at < :cut_{days}"
        branches.append(_STAGE_BRANCH.format(due=due, status=status, cond=cond))
    return " UNION ALL ".join(branches)


_GOING_OUT = """
SELECT {cols}
FROM publications
JOIN posts ON posts.id = publications.post_id
JOIN accounts ON accounts.id = publications.account_id
WHERE publications.state IN ('scheduled', 'publishing') AND publications.scheduled_at < :until
"""
_GOING_OUT_COLS = (
    "publications.id, publications.post_id, posts.title AS post_title, "
    "accounts.platform, accounts.handle, publications.state, "
    "publications.scheduled_at"
)

_FAILED_RENDERS = """
SELECT {cols}
FROM jobs JOIN renders ON renders.job_id = jobs.id
LEFT JOIN posts ON posts.id = renders.post_id
WHERE jobs.kind = 'render' AND jobs.state IN ('failed', 'dead')
"""
_FAILED_COLS = (
    "jobs.id AS job_id, renders.recipe, jobs.state, posts.title AS post_title, "
    "jobs.attempts, jobs.last_error, COALESCE(jobs.finished_at, jobs.created_at) "
    "AS failed_at"
)

# Per account, from the index on (account_id, status, own, deleted, received_at): a count
# and a min per account instead of grouping every unanswered item.
_INBOX = """
SELECT backlog.* FROM (
    SELECT accounts.id AS account_id, accounts.platform, accounts.handle,
           (SELECT count(*) FROM inbox_items i WHERE i.account_id = accounts.id
            AND i.status = 'new' AND i.own = 0 AND i.deleted = 0) AS unanswered,
           (SELECT min(i.received_at) FROM inbox_items i WHERE i.account_id = accounts.id
            AND i.status = 'new' AND i.own = 0 AND i.deleted = 0) AS oldest_at
    FROM accounts
) AS backlog
WHERE backlog.unanswered > 0
ORDER BY backlog.oldest_at, backlog.account_id
"""

_DELIVERABLES = """
SELECT {cols}
FROM deliverables
JOIN deals ON deals.id = deliverables.deal_id
JOIN partners ON partners.id = deals.partner_id
WHERE deliverables.status IN ('to_do', 'draft_sent', 'changes_asked', 'approved')
  AND deals.status != 'lost' AND deliverables.due_at < :until
"""
# The first post of a deliverable (deliverable_posts), for the row and the detail.
FIRST_POST = (
    "(SELECT posts.title FROM deliverable_posts JOIN posts ON posts.id = deliverable_posts.post_id"
    " WHERE deliverable_posts.deliverable_id = deliverables.id ORDER BY posts.id LIMIT 1)"
)
_DELIVERABLE_COLS = (
    "deliverables.id, deliverables.description, deals.title AS deal_title, "
    "partners.name AS partner, deliverables.status, deliverables.due_at, "
    f"{FIRST_POST} AS post_title"
)


def _due_post(r: Any) -> DuePost:
    """A due post row; a stored date that cannot be read leaves it shown, flagged."""
    planned, bad_planned = lenient(r["planned_at"])
    shoot, bad_shoot = lenient(r["shoot_at"])
    due, bad_due = lenient(r["due_at"])
    bad = bad_planned or bad_shoot or bad_due
    if due is None and bad is None:
        bad = "(none)"
    return DuePost(r["id"], r["title"], r["status"], r["pillar"], planned, shoot, due, bad)


def due_posts(store: Store, now: datetime, zone: ZoneInfo, limit: int) -> Capped[DuePost]:
    """Posts whose stage is due by the end of today (local), most overdue first."""
    today = now.astimezone(zone).date()
    end_of_today = day_start(today + timedelta(days=1), zone)
    args: dict[str, object] = {
        f"cut_{days}": to_db(end_of_today + timedelta(days=days))
        for days in set(LEAD_DAYS.values()) | {0}
    }
    conn = store.conn
    sql = _due_posts_sql(store.dialect)
    total = conn.execute(f"SELECT count(*) FROM ({sql}) AS due", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT * FROM ({sql}) AS due ORDER BY due_at, id LIMIT :limit",
        {**args, "limit": limit},
    )
    items = tuple(_due_post(r) for r in rows)
    return Capped(items, total)


def going_out(conn: sqlite3.Connection, now: datetime, limit: int) -> Capped[UpcomingPublication]:
    """Publications scheduled before now + 24 h that have not gone out yet."""
    args = {"until": to_db(now + PUBLICATION_HORIZON)}
    total = conn.execute(_GOING_OUT.format(cols="count(*)"), args).fetchone()[0]
    rows = conn.execute(
        _GOING_OUT.format(cols=_GOING_OUT_COLS)
        + " ORDER BY publications.scheduled_at, publications.id LIMIT :limit",
        {**args, "limit": limit},
    )
    items = tuple(
        UpcomingPublication(
            r["id"],
            r["post_id"],
            r["post_title"],
            r["platform"],
            r["handle"],
            r["state"],
            *_must(r["scheduled_at"]),
        )
        for r in rows
    )
    return Capped(items, total)


def failed_renders(conn: sqlite3.Connection, limit: int) -> Capped[FailedRender]:
    """Render jobs that failed or died, latest first."""
    total = conn.execute(_FAILED_RENDERS.format(cols="count(*)")).fetchone()[0]
    rows = conn.execute(
        _FAILED_RENDERS.format(cols=_FAILED_COLS) + " ORDER BY failed_at DESC, jobs.id DESC"
        " LIMIT ?",
        (limit,),
    )
    items = tuple(
        FailedRender(
            r["job_id"],
            r["recipe"],
            r["state"],
            r["post_title"],
            r["attempts"],
            r["last_error"],
            from_db(r["failed_at"]),
        )
        for r in rows
    )
    return Capped(items, total)


def inbox(conn: sqlite3.Connection, limit: int) -> Capped[InboxBacklog]:
    """Per account: unanswered items and the oldest one's time."""
    rows = conn.execute(_INBOX).fetchall()
    items = tuple(
        InboxBacklog(
            r["account_id"], r["platform"], r["handle"], r["unanswered"], *_must(r["oldest_at"])
        )
        for r in rows[:limit]
    )
    return Capped(items, len(rows))


def deliverables(
    store: Store, now: datetime, leads: LeadTimes, limit: int
) -> Capped[DueDeliverable]:
    """Deliverables not live yet, of deals not lost, due within 7 days (or overdue), each
    with what it lacks for its lead times (storage.deals.progress)."""
    args = {"until": to_db(now + timedelta(days=DELIVERABLE_HORIZON_DAYS))}
    conn = store.conn
    total = conn.execute(_DELIVERABLES.format(cols="count(*)"), args).fetchone()[0]
    rows = conn.execute(
        _DELIVERABLES.format(cols=_DELIVERABLE_COLS)
        + " ORDER BY deliverables.due_at, deliverables.id LIMIT :limit",
        {**args, "limit": limit},
    )
    deals = DealRepo(store)
    items = []
    for r in rows.fetchall():
        due, bad = _must(r["due_at"])
        try:
            item = deals.deliverable(r["id"])
            flags = (
                ()
                if item is None or bad is not None
                else tuple(lead_flags(item, post_progress(store, item.post_ids), now, leads))
            )
        except (ValueError, OverflowError):  # a stored date that cannot be read
            flags = ()
        items.append(
            DueDeliverable(
                r["id"],
                r["description"],
                r["deal_title"],
                r["partner"],
                r["status"],
                due,
                r["post_title"],
                flags,
                bad,
            )
        )
    return Capped(tuple(items), total)
