"""Today's queries: what needs attention now, and yesterday's numbers.

`TodayRepo` holds every read the Today tab makes, each bounded (an index
range plus a LIMIT, with the full count beside it) so Today stays fast on a
workspace with 10k posts and 1M metric snapshots. It returns the dataclasses
of storage.today_models (re-exported here).

"Due for its stage": a post in an unfinished stage must move on a number of
days before its planned time (`LEAD_DAYS`); a post ready to shoot is due at
its shoot time. Scheduled, published and archived posts are never due.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from storage import today_release
from storage.db import Store
from storage.deals.invoices import InvoiceRepo
from storage.deals.models import OverdueInvoice
from storage.deals.progress import LeadTimes, lead_flags, post_progress
from storage.deals.repo import DealRepo
from storage.dialect import Dialect
from storage.metrics.days import day_sums
from storage.timefmt import from_db, lenient, to_db
from storage.today_models import (
    Capped,
    DeliverableDetail,
    DueDeliverable,
    DuePost,
    FailedPublication,
    FailedRender,
    InboxBacklog,
    InboxDetail,
    InboxLine,
    LoginNeeded,
    MetricFigure,
    PostDetail,
    PostRenderLine,
    PublicationLine,
    RenderDetail,
    TodayItems,
    UpcomingPublication,
    YesterdayNumbers,
)

__all__ = [
    "Capped",
    "DeliverableDetail",
    "DueDeliverable",
    "DuePost",
    "FailedPublication",
    "FailedRender",
    "InboxBacklog",
    "InboxDetail",
    "InboxLine",
    "LoginNeeded",
    "MetricFigure",
    "OverdueInvoice",
    "PostDetail",
    "PostRenderLine",
    "PublicationLine",
    "RenderDetail",
    "TodayItems",
    "TodayRepo",
    "UpcomingPublication",
    "YesterdayNumbers",
]

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
METRICS = ("views", "likes", "comments", "shares", "followers_gained")
AVERAGE_DAYS = 7
SECTION_LIMIT = 100


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight of `day` in `zone`, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=zone)


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
_FIRST_POST = (
    "(SELECT posts.title FROM deliverable_posts JOIN posts ON posts.id = deliverable_posts.post_id"
    " WHERE deliverable_posts.deliverable_id = deliverables.id ORDER BY posts.id LIMIT 1)"
)
_DELIVERABLE_COLS = (
    "deliverables.id, deliverables.description, deals.title AS deal_title, "
    "partners.name AS partner, deliverables.status, deliverables.due_at, "
    f"{_FIRST_POST} AS post_title"
)

# Yesterday's numbers come from the quarter-hour roll-ups (storage/metrics):
# the gains of every snapshot summed per local day, never a scan of the raw
# snapshots. Followers: an account's change in follower count where its counts
# are kept, else what its videos say they brought (followers_gained).


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


def _due_post(r: Any) -> DuePost:
    """A due post row; a stored date that cannot be read leaves it shown, flagged."""
    planned, bad_planned = lenient(r["planned_at"])
    shoot, bad_shoot = lenient(r["shoot_at"])
    due, bad_due = lenient(r["due_at"])
    bad = bad_planned or bad_shoot or bad_due
    if due is None and bad is None:
        bad = "(none)"
    return DuePost(r["id"], r["title"], r["status"], r["pillar"], planned, shoot, due, bad)


class TodayRepo:
    """Every read of the Today tab."""

    def __init__(self, store: Store, *, leads: LeadTimes | None = None) -> None:
        self.store = store
        self.leads = leads or LeadTimes()

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    # --- items marked handled ------------------------------------------------

    def mark_handled(self, key: str, now: datetime) -> None:
        """Hide a Today item ("post:12", "render:40"…) for the rest of the local day.

        Kept as an event (entity 'today', kind 'handled'), so it is also a record
        of who cleared what and when."""
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO events (at, actor, kind, entity, entity_id, detail_json) "
                "VALUES (?, 'tui', 'handled', 'today', NULL, ?)",
                (to_db(now), json.dumps({"key": key}, ensure_ascii=False)),
            )

    def handled_keys(self, now: datetime, zone: ZoneInfo) -> frozenset[str]:
        """The items marked handled since local midnight (Today leaves them out)."""
        since = day_start(now.astimezone(zone).date(), zone)
        rows = self.store.conn.execute(
            "SELECT detail_json FROM events WHERE at >= ? AND at <= ? "
            "AND entity = 'today' AND kind = 'handled'",
            (to_db(since), to_db(now)),
        )
        keys = (json.loads(r["detail_json"] or "{}").get("key") for r in rows)
        return frozenset(k for k in keys if isinstance(k, str))

    # --- the triage list -----------------------------------------------------

    def items(self, now: datetime, zone: ZoneInfo, *, limit: int = SECTION_LIMIT) -> TodayItems:
        """Every section of Today as of `now`, days counted in `zone`."""
        return TodayItems(
            due_posts=self.due_posts(now, zone, limit=limit),
            going_out=self.going_out(now, limit=limit),
            failed_renders=self.failed_renders(limit=limit),
            inbox=self.inbox(limit=limit),
            deliverables=self.deliverables(now, limit=limit),
            failed_publications=self.failed_publications(now, limit=limit),
            logins=self.logins_needed(limit=limit),
            invoices=self.overdue_invoices(now, limit=limit),
        )

    def overdue_invoices(
        self, now: datetime, *, limit: int = SECTION_LIMIT
    ) -> Capped[OverdueInvoice]:
        """Unpaid invoices past their due time, the longest overdue first."""
        return InvoiceRepo(self.store).overdue(now, limit=limit)

    def failed_publications(
        self, now: datetime, *, limit: int = SECTION_LIMIT
    ) -> Capped[FailedPublication]:
        """Publications that failed in the last days, latest first."""
        return today_release.failed_publications(self.store.conn, now, limit)

    def logins_needed(self, *, limit: int = SECTION_LIMIT) -> Capped[LoginNeeded]:
        """Accounts whose login the platform refused."""
        return today_release.logins_needed(self.store.conn, limit)

    def failed_publication(self, publication_id: int) -> FailedPublication | None:
        """One publication if it is failed (for its detail), else None."""
        return today_release.failed_publication(self.store.conn, publication_id)

    def due_posts(
        self, now: datetime, zone: ZoneInfo, *, limit: int = SECTION_LIMIT
    ) -> Capped[DuePost]:
        """Posts whose stage is due by the end of today (local), most overdue first."""
        today = now.astimezone(zone).date()
        end_of_today = day_start(today + timedelta(days=1), zone)
        args: dict[str, object] = {
            f"cut_{days}": to_db(end_of_today + timedelta(days=days))
            for days in set(LEAD_DAYS.values()) | {0}
        }
        conn = self.store.conn
        due_posts = _due_posts_sql(self.store.dialect)
        total = conn.execute(f"SELECT count(*) FROM ({due_posts}) AS due", args).fetchone()[0]
        rows = conn.execute(
            f"SELECT * FROM ({due_posts}) AS due ORDER BY due_at, id LIMIT :limit",
            {**args, "limit": limit},
        )
        items = tuple(_due_post(r) for r in rows)
        return Capped(items, total)

    def going_out(
        self, now: datetime, *, limit: int = SECTION_LIMIT
    ) -> Capped[UpcomingPublication]:
        """Publications scheduled before now + 24 h that have not gone out yet."""
        args = {"until": to_db(now + PUBLICATION_HORIZON)}
        conn = self.store.conn
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

    def failed_renders(self, *, limit: int = SECTION_LIMIT) -> Capped[FailedRender]:
        """Render jobs that failed or died, latest first."""
        conn = self.store.conn
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

    def inbox(self, *, limit: int = SECTION_LIMIT) -> Capped[InboxBacklog]:
        """Per account: unanswered items and the oldest one's time."""
        rows = self.store.conn.execute(_INBOX).fetchall()
        items = tuple(
            InboxBacklog(
                r["account_id"], r["platform"], r["handle"], r["unanswered"], *_must(r["oldest_at"])
            )
            for r in rows[:limit]
        )
        return Capped(items, len(rows))

    def deliverables(self, now: datetime, *, limit: int = SECTION_LIMIT) -> Capped[DueDeliverable]:
        """Deliverables not live yet, of deals not lost, due within 7 days (or overdue), each
        with what it lacks for its lead times (storage.deals.progress)."""
        args = {"until": to_db(now + timedelta(days=DELIVERABLE_HORIZON_DAYS))}
        conn = self.store.conn
        total = conn.execute(_DELIVERABLES.format(cols="count(*)"), args).fetchone()[0]
        rows = conn.execute(
            _DELIVERABLES.format(cols=_DELIVERABLE_COLS)
            + " ORDER BY deliverables.due_at, deliverables.id LIMIT :limit",
            {**args, "limit": limit},
        )
        deals = DealRepo(self.store)
        items = []
        for r in rows.fetchall():
            due, bad = _must(r["due_at"])
            try:
                item = deals.deliverable(r["id"])
                flags = (
                    ()
                    if item is None or bad is not None
                    else tuple(
                        lead_flags(item, post_progress(self.store, item.post_ids), now, self.leads)
                    )
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

    # --- yesterday's numbers -------------------------------------------------

    def numbers(self, now: datetime, zone: ZoneInfo) -> YesterdayNumbers:
        """Yesterday's daily gains (local day) against the average of the 7 days before."""
        yesterday, by_day = self._by_day(now, zone)
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

    def numbers_key(self, now: datetime, zone: ZoneInfo) -> tuple[object, ...]:
        """Changes when `numbers(now, zone)` may change: another day, or other sums
        in its days (read from the roll-ups: a few hundred rows at most)."""
        yesterday, by_day = self._by_day(now, zone)
        return (yesterday, tuple(sorted((d, tuple(sorted(f.items()))) for d, f in by_day.items())))

    def _by_day(self, now: datetime, zone: ZoneInfo) -> tuple[date, dict[date, dict[str, int]]]:
        yesterday, first = _number_range(now, zone)
        sums = day_sums(self.store.conn, first, yesterday, zone, per_account=True)
        return yesterday, _day_figures(sums)

    # --- details -------------------------------------------------------------

    def post_detail(self, post_id: int) -> PostDetail | None:
        """A post with its publications, or None when it is gone."""
        conn = self.store.conn
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

        covered, total = ShotRepo(self.store).coverage(post_id)
        renders = tuple(
            PostRenderLine(r.id, r.job.state, r.output_path)
            for r in RenderRepo(self.store).for_post(post_id, limit=10)
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

    def render_detail(self, job_id: int) -> RenderDetail | None:
        """A render job with its log tail, or None when it is gone."""
        row = self.store.conn.execute(
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

    def inbox_detail(self, account_id: int, *, latest: int = 8) -> InboxDetail | None:
        """An account's unanswered count and its latest unanswered items."""
        conn = self.store.conn
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

    def deliverable_detail(self, deliverable_id: int) -> DeliverableDetail | None:
        """A deliverable with its deal and partner, or None when it is gone."""
        row = self.store.conn.execute(
            "SELECT deliverables.id, deliverables.description, deliverables.status, "
            "deliverables.due_at, deals.title AS deal_title, deals.status AS deal_status, "
            "partners.name AS partner, deals.fee_minor, deals.currency, deals.disclosure, "
            f"{_FIRST_POST} AS post_title FROM deliverables "
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
