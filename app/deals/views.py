"""Deals as one JSON document or lines of text (the CLI's `deals list/show`).

Money goes through Babel (storage/deals/money.py) in the workspace's
`[deals] locale`; JSON carries the exact decimal text and the minor units.
Times are stored UTC and shown in the workspace zone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.deal_settings import lead_times
from app.workspace import Workspace
from storage.deals.detail import DealDetail, read_detail
from storage.deals.gate import GateVerdict
from storage.deals.models import Deal
from storage.deals.money import format_money, plain_amount
from storage.timefmt import to_db, utcnow


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else to_db(moment)


def local(moment: datetime | None, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "—" if moment is None else moment.astimezone(zone).strftime(fmt)


def deal_row_json(deal: Deal) -> dict[str, Any]:
    """The listing fields of a deal."""
    return {
        "id": deal.id,
        "partner": deal.partner,
        "title": deal.title,
        "stage": deal.stage,
        "fee": plain_amount(deal.fee_minor, deal.currency),
        "fee_minor": deal.fee_minor,
        "currency": deal.currency,
        "next_deadline": iso(deal.next_deadline),
    }


def deal_detail(ws: Workspace, deal_id: int, now: datetime | None = None) -> DealDetail:
    """Read a deal whole with the workspace's lead times and checkpoints."""
    return read_detail(
        ws.store,
        deal_id,
        now or utcnow(),
        leads=lead_times(ws.config),
        checkpoints=ws.config.deals.report_checkpoints_hours,
    )


def gate_json(verdict: GateVerdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {"ok": verdict.ok, "missing": list(verdict.problems), "override": verdict.override}


def detail_json(d: DealDetail) -> dict[str, Any]:
    """`deals show --json`."""
    deal = d.deal
    return {
        **deal_row_json(deal),
        "partner_id": deal.partner_id,
        "disclosure": deal.disclosure,
        "usage_rights": deal.usage_rights,
        "exclusive_from": iso(deal.exclusive_from),
        "exclusive_until": iso(deal.exclusive_until),
        "contact": deal.contact,
        "promised": deal.promised,
        "signed_at": iso(deal.signed_at),
        "starts_at": iso(deal.starts_at),
        "ends_at": iso(deal.ends_at),
        "notes": deal.notes,
        "deliverables": [
            {
                "id": i.item.id,
                "description": i.item.description,
                "due_at": iso(i.item.due_at),
                "state": i.item.state,
                "platforms": list(i.item.platforms),
                "hashtags": list(i.item.hashtags),
                "mentions": list(i.item.mentions),
                "links": list(i.item.links),
                "disclosure": list(i.item.disclosure),
                "approval": i.item.approval,
                "live_at": iso(i.item.live_at),
                "flags": i.flags,
                "posts": [
                    {
                        "id": p.post_id,
                        "title": p.title,
                        "status": p.status,
                        "script": p.has_script,
                        "clips": p.clips,
                        "render": p.render,
                        "publications": [
                            {
                                "id": pub.id,
                                "account": f"{pub.platform}:{pub.handle}",
                                "state": pub.state,
                                "gate": gate_json(i.gates.get(pub.id)),
                            }
                            for pub in p.publications
                        ],
                    }
                    for p in i.posts
                ],
            }
            for i in d.items
        ],
        "invoices": [
            {
                "number": inv.number,
                "amount": plain_amount(inv.amount_minor, inv.currency),
                "amount_minor": inv.amount_minor,
                "currency": inv.currency,
                "issued_at": iso(inv.issued_at),
                "due_at": iso(inv.due_at),
                "paid_at": iso(inv.paid_at),
            }
            for inv in d.invoices
        ],
        "reports": [
            {
                "checkpoint_hours": c.hours,
                "deliverables": [r.deliverable_id for r in c.rows],
                "views": c.total.views,
                "engagements": c.total.engagements,
            }
            for c in d.report.checkpoints
        ],
        "exclusivity_conflicts": [c.text() for c in d.conflicts],
        "disclosure_overrides": [
            {"at": iso(e.at), "actor": e.actor, **e.detail} for e in d.overrides
        ],
        "events": d.event_json(),
    }


def money(ws: Workspace, minor: int, currency: str) -> str:
    return format_money(minor, currency, ws.config.deals.locale)
