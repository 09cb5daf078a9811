"""A deal read whole: what `deals show` and the Deals tab's detail show.

Its deliverables with their posts' progress (script, footage, render,
publications), the lead-time flags and the disclosure gate's verdict on each
publication; its invoices; its sponsor report (checkpoints that have passed
are assembled and kept on the way); exclusivity conflicts; the overrides of
the gate and the rest of its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

from storage.db import Store
from storage.deals.exclusivity import Conflict, conflicts
from storage.deals.gate import DisclosureGate, GateVerdict
from storage.deals.invoices import InvoiceRepo
from storage.deals.models import Deal, DealEvent, Deliverable, Invoice
from storage.deals.progress import LeadTimes, PostProgress, lead_flags, post_progress
from storage.deals.repo import DealRepo
from storage.deals.reports import DEFAULT_CHECKPOINTS, DealReport, SponsorReports


@dataclass(frozen=True)
class ItemDetail:
    """A deliverable with its posts' progress, its flags and each publication's gate."""

    item: Deliverable
    posts: tuple[PostProgress, ...]
    flags: tuple[str, ...]
    gates: dict[int, GateVerdict]


@dataclass(frozen=True)
class DealDetail:
    """Everything shown of one deal."""

    deal: Deal
    items: tuple[ItemDetail, ...]
    invoices: tuple[Invoice, ...]
    report: DealReport
    conflicts: tuple[Conflict, ...]
    events: tuple[DealEvent, ...]

    @property
    def overrides(self) -> list[DealEvent]:
        """The times a person let one of its publications past the disclosure gate."""
        return [e for e in self.events if e.kind == "deal.disclosure_override"]

    def event_json(self) -> list[dict[str, Any]]:
        from storage.timefmt import to_db

        return [
            {"at": to_db(e.at), "actor": e.actor, "kind": e.kind, **e.detail} for e in self.events
        ]


def read_detail(
    store: Store,
    deal_id: int,
    now: datetime,
    *,
    leads: LeadTimes = LeadTimes(),
    checkpoints: Iterable[int] = DEFAULT_CHECKPOINTS,
) -> DealDetail:
    """Read a deal whole (DealError when it is gone)."""
    repo = DealRepo(store)
    deal = repo.must(deal_id)
    gate = DisclosureGate(store)
    items = []
    for item in repo.deliverables(deal_id):
        posts = tuple(post_progress(store, item.post_ids))
        pubs = [p.id for post in posts for p in post.publications]
        items.append(
            ItemDetail(
                item,
                posts,
                tuple(lead_flags(item, list(posts), now, leads)),
                gate.for_publications(pubs),
            )
        )
    report = SponsorReports(store, checkpoints).assemble(deal_id, now)
    return DealDetail(
        deal,
        tuple(items),
        tuple(InvoiceRepo(store).for_deal(deal_id)),
        report,
        tuple(conflicts(store, deal_id)),
        tuple(repo.events(deal_id)),
    )
