"""Today's queries: what needs attention now, and yesterday's numbers.

`TodayRepo` holds every read the Today tab makes, each bounded (an index
range plus a LIMIT, with the full count beside it) so Today stays fast on a
workspace with 10k posts and 1M metric snapshots. It returns the dataclasses
of storage.today_models and, for an opened item, of
storage.today_detail_models. Those values and the reads below are imported
at the first read, not with this module: building the repo is all Today's
first paint needs when its rows were read in a child process
(app/first_read.py), and creating some twenty dataclasses there is a
measurable part of that paint.

The reads live beside it: the triage sections and the lead times of "due
for its stage" in storage/today_sections.py, release rows in
storage/today_release.py, yesterday's numbers in storage/today_numbers.py
and the detail panel's reads in storage/today_details.py (imported when an
item is first opened). Here: the repo those share, and the items marked
handled.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storage.deals.lead_times import LeadTimes
from storage.timefmt import to_db

if TYPE_CHECKING:  # the values and the reads load at the first read (see the docstring)
    from storage.db import Store
    from storage.deals.models import OverdueInvoice
    from storage.today_detail_models import (
        DeliverableDetail,
        InboxDetail,
        PostDetail,
        RenderDetail,
    )
    from storage.today_models import (
        Capped,
        DueDeliverable,
        DuePost,
        FailedPublication,
        FailedRender,
        InboxBacklog,
        LoginNeeded,
        TodayItems,
        UpcomingPublication,
    )
    from storage.today_numbers import YesterdayNumbers

SECTION_LIMIT = 100  # rows read for a section at most (its full count comes beside them)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """Local midnight of `day` in `zone`, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=zone)


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
        import json  # here, like the reads below: not before Today's first paint

        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO events (at, actor, kind, entity, entity_id, detail_json) "
                "VALUES (?, 'tui', 'handled', 'today', NULL, ?)",
                (to_db(now), json.dumps({"key": key}, ensure_ascii=False)),
            )

    def handled_keys(self, now: datetime, zone: ZoneInfo) -> frozenset[str]:
        """The items marked handled since local midnight (Today leaves them out)."""
        import json

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
        from storage.today_models import TodayItems

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
        from storage.deals.invoices import InvoiceRepo

        return InvoiceRepo(self.store).overdue(now, limit=limit)

    def failed_publications(
        self, now: datetime, *, limit: int = SECTION_LIMIT
    ) -> Capped[FailedPublication]:
        """Publications that failed in the last days, latest first."""
        from storage import today_release

        return today_release.failed_publications(self.store.conn, now, limit)

    def logins_needed(self, *, limit: int = SECTION_LIMIT) -> Capped[LoginNeeded]:
        """Accounts whose login the platform refused."""
        from storage import today_release

        return today_release.logins_needed(self.store.conn, limit)

    def failed_publication(self, publication_id: int) -> FailedPublication | None:
        """One publication if it is failed (for its detail), else None."""
        from storage import today_release

        return today_release.failed_publication(self.store.conn, publication_id)

    def due_posts(
        self, now: datetime, zone: ZoneInfo, *, limit: int = SECTION_LIMIT
    ) -> Capped[DuePost]:
        """Posts whose stage is due by the end of today (local), most overdue first."""
        from storage import today_sections

        return today_sections.due_posts(self.store, now, zone, limit)

    def going_out(
        self, now: datetime, *, limit: int = SECTION_LIMIT
    ) -> Capped[UpcomingPublication]:
        """Publications scheduled before now + 24 h that have not gone out yet."""
        from storage import today_sections

        return today_sections.going_out(self.store.conn, now, limit)

    def failed_renders(self, *, limit: int = SECTION_LIMIT) -> Capped[FailedRender]:
        """Render jobs that failed or died, latest first."""
        from storage import today_sections

        return today_sections.failed_renders(self.store.conn, limit)

    def inbox(self, *, limit: int = SECTION_LIMIT) -> Capped[InboxBacklog]:
        """Per account: unanswered items and the oldest one's time."""
        from storage import today_sections

        return today_sections.inbox(self.store.conn, limit)

    def deliverables(self, now: datetime, *, limit: int = SECTION_LIMIT) -> Capped[DueDeliverable]:
        """Deliverables not live yet, of deals not lost, due within 7 days (or overdue), each
        with what it lacks for its lead times (storage.deals.progress)."""
        from storage import today_sections

        return today_sections.deliverables(self.store, now, self.leads, limit)

    # --- yesterday's numbers -------------------------------------------------

    def numbers(self, now: datetime, zone: ZoneInfo) -> YesterdayNumbers:
        """Yesterday's daily gains (local day) against the average of the 7 days before."""
        from storage import today_numbers

        return today_numbers.numbers(self.store.conn, now, zone)

    def numbers_key(self, now: datetime, zone: ZoneInfo) -> tuple[object, ...]:
        """Changes when `numbers(now, zone)` may change: another day, or other sums
        in its days (read from the roll-ups: a few hundred rows at most)."""
        from storage import today_numbers

        return today_numbers.numbers_key(self.store.conn, now, zone)

    # --- details -------------------------------------------------------------

    def post_detail(self, post_id: int) -> PostDetail | None:
        """A post with its publications, or None when it is gone."""
        from storage import today_details

        return today_details.post_detail(self.store, post_id)

    def render_detail(self, job_id: int) -> RenderDetail | None:
        """A render job with its log tail, or None when it is gone."""
        from storage import today_details

        return today_details.render_detail(self.store.conn, job_id)

    def inbox_detail(self, account_id: int, *, latest: int = 8) -> InboxDetail | None:
        """An account's unanswered count and its latest unanswered items."""
        from storage import today_details

        return today_details.inbox_detail(self.store.conn, account_id, latest)

    def deliverable_detail(self, deliverable_id: int) -> DeliverableDetail | None:
        """A deliverable with its deal and partner, or None when it is gone."""
        from storage import today_details

        return today_details.deliverable_detail(self.store.conn, deliverable_id)
