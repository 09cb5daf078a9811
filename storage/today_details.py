"""Today's details: what Today shows of an item when it is opened.

A post with its publications, shot coverage and latest renders; a render
job with its log tail; an account's unanswered inbox items; a deliverable
with its deal and partner. Each is None when its row is gone. `TodayRepo`
(storage/today.py) calls these when a row is opened; the renders and shots
repositories they use are imported only then, off Today's first paint.
"""

from __future__ import annotations

import sqlite3

from storage.db import Store
from storage.timefmt import from_db, lenient
from storage.today_detail_models import (
    DeliverableDetail,
    InboxDetail,
    InboxLine,
    PostDetail,
    PostRenderLine,
    PublicationLine,
    RenderDetail,
)
from storage.today_sections import FIRST_POST


def post_detail(store: Store, post_id: int) -> PostDetail | None:
    """A post with its publications, or None when it is gone."""
    conn = store.conn
    row = conn.execute(
        "SELECT posts.*, pillars.name AS pillar FROM posts "
        "LEFT JOIN pillars ON pillars.id = posts.pillar_id WHERE posts.id = ?",
        (post_id,),
    ).fetchone()
    if row is None:
        return None
    pubs = conn.execute(
        "SELECT accounts.platform, accounts.handle, publications.state, "
        "publications.scheduled_at, publications.published_at, publications.remote_url "
        "FROM publications JOIN accounts ON accounts.id = publications.account_id "
        "WHERE publications.post_id = ? ORDER BY accounts.platform, accounts.handle",
        (post_id,),
    )
    lines = tuple(
        PublicationLine(
            p["platform"],
            p["handle"],
            p["state"],
            lenient(p["scheduled_at"])[0],
            lenient(p["published_at"])[0],
            p["remote_url"],
        )
        for p in pubs
    )
    from storage.renders import RenderRepo  # a detail's reads: not on Today's first paint
    from storage.shots import ShotRepo

    covered, total = ShotRepo(store).coverage(post_id)
    renders = tuple(
        PostRenderLine(r.id, r.job.state, r.output_path)
        for r in RenderRepo(store).for_post(post_id, limit=10)
    )
    return PostDetail(
        row["id"],
        row["title"],
        row["pillar"],
        row["status"],
        lenient(row["planned_at"])[0],
        lenient(row["shoot_at"])[0],
        row["target_seconds"],
        row["notes"],
        lines,
        covered,
        total,
        renders,
    )


def render_detail(conn: sqlite3.Connection, job_id: int) -> RenderDetail | None:
    """A render job with its log tail, or None when it is gone."""
    row = conn.execute(
        "SELECT jobs.id, renders.recipe, jobs.state, jobs.attempts, jobs.max_attempts, "
        "renders.post_id, "
        "posts.title AS post_title, jobs.last_error, renders.log_tail, renders.output_path, "
        "COALESCE(jobs.finished_at, jobs.created_at) AS failed_at "
        "FROM jobs JOIN renders ON renders.job_id = jobs.id "
        "LEFT JOIN posts ON posts.id = renders.post_id WHERE jobs.id = ?",
        (job_id,),
    ).fetchone()
    if row is None:
        return None
    return RenderDetail(
        row["id"],
        row["recipe"],
        row["state"],
        row["attempts"],
        row["max_attempts"],
        row["post_title"],
        row["last_error"],
        row["log_tail"],
        row["output_path"],
        from_db(row["failed_at"]),
        row["post_id"],
    )


def inbox_detail(conn: sqlite3.Connection, account_id: int, latest: int) -> InboxDetail | None:
    """An account's unanswered count and its latest unanswered items."""
    acc = conn.execute(
        "SELECT id, platform, handle FROM accounts WHERE id = ?", (account_id,)
    ).fetchone()
    if acc is None:
        return None
    count = conn.execute(
        "SELECT count(*) FROM inbox_items WHERE account_id = ? AND status = 'new' "
        "AND own = 0 AND deleted = 0",
        (account_id,),
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT kind, author, body, received_at FROM inbox_items "
        "WHERE account_id = ? AND status = 'new' AND own = 0 AND deleted = 0 "
        "ORDER BY received_at DESC, id DESC LIMIT ?",
        (account_id, latest),
    )
    lines = tuple(
        InboxLine(r["kind"], r["author"], r["body"], lenient(r["received_at"])[0]) for r in rows
    )
    return InboxDetail(acc["id"], acc["platform"], acc["handle"], count, lines)


def deliverable_detail(conn: sqlite3.Connection, deliverable_id: int) -> DeliverableDetail | None:
    """A deliverable with its deal and partner, or None when it is gone."""
    row = conn.execute(
        "SELECT deliverables.id, deliverables.description, deliverables.status, "
        "deliverables.due_at, deals.title AS deal_title, deals.status AS deal_status, "
        "partners.name AS partner, deals.fee_minor, deals.currency, deals.disclosure, "
        f"{FIRST_POST} AS post_title FROM deliverables "
        "JOIN deals ON deals.id = deliverables.deal_id "
        "JOIN partners ON partners.id = deals.partner_id WHERE deliverables.id = ?",
        (deliverable_id,),
    ).fetchone()
    if row is None:
        return None
    return DeliverableDetail(
        row["id"],
        row["description"],
        row["status"],
        lenient(row["due_at"])[0],
        row["deal_title"],
        row["deal_status"],
        row["partner"],
        row["fee_minor"],
        row["currency"],
        row["disclosure"],
        row["post_title"],
    )
