"""The demo's brand deals as rows: partners, deals, deliverables linked to
posts (whose captions get what the deal asks for) and invoices.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.demo import content as C
from app.demo.posts import ContentPlan, PlanPost
from app.demo.scale import DemoTime


@dataclass
class DealRows:
    """The demo's deal rows per table, and the posts whose publications carry the
    platform's branded-content flag (their deal asks for it)."""

    rows: dict[str, list[tuple]]
    branded_posts: set[int]


def build_deals(t: DemoTime, plan: ContentPlan, ids: dict[str, int]) -> DealRows:
    """Partners, deals, deliverables, their posts and invoices; a linked post's caption gets
    what its deal asks for (the disclosure wording, required hashtags and mentions)."""
    rows: dict[str, list[tuple]] = {
        "partners": [],
        "deals": [],
        "deliverables": [],
        "deliverable_posts": [],
        "invoices": [],
    }
    for i, (name, contact, email, notes, category, rivals) in enumerate(C.PARTNERS):
        partner_created = t.db(t.ago(days=150 - 20 * i))
        rows["partners"].append(
            (
                ids["partners"] + i,
                name,
                contact,
                email,
                notes,
                category,
                json.dumps(list(rivals)),
                partner_created,
            )
        )
    linked: set[int] = set()
    branded: set[int] = set()
    deliverable_id = ids["deliverables"]
    for n, deal in enumerate(C.DEALS):
        deal_id = ids["deals"] + n
        first_due = min(item.day for item in deal.items)
        created = t.ago(days=max(20, 10 - first_due))
        signed = None if deal.stage in ("lead", "negotiating") else created + timedelta(days=4)
        window_end = (
            signed + timedelta(days=deal.exclusive_days)
            if signed is not None and deal.exclusive_days
            else None
        )
        rows["deals"].append(
            (
                deal_id,
                ids["partners"] + deal.partner,
                deal.title,
                deal.fee_minor,
                deal.currency,
                deal.stage,
                deal.disclosure,
                deal.usage_rights,
                t.db(signed) if window_end else None,
                t.db(window_end),
                C.PARTNERS[deal.partner][1],
                json.dumps(dict(deal.promised)),
                t.db(signed),
                "",
                t.db(created),
                t.db(created),
            )
        )
        words = " ".join((deal.disclosure, *deal.hashtags, *deal.mentions))
        for item in deal.items:
            due = t.local(item.day, "17:00")
            post = _deal_post(plan.posts, item.pillar, due, linked) if item.pillar else None
            if post is not None:
                linked.add(post.id)
                post.caption = f"{post.caption} {words}"
                if "flag" in deal.methods:
                    branded.add(post.id)
                rows["deliverable_posts"].append((deliverable_id, post.id))
            live = t.db(min(due, t.now)) if item.state == "live" else None
            rows["deliverables"].append(
                (
                    deliverable_id,
                    deal_id,
                    item.description,
                    t.db(due),
                    item.state,
                    json.dumps(list(deal.platforms)),
                    json.dumps(list(deal.hashtags)),
                    json.dumps(list(deal.mentions), ensure_ascii=False),
                    "[]",
                    json.dumps(list(deal.methods)),
                    1 if deal.approval else 0,
                    live,
                    t.db(created),
                    t.db(created),
                )
            )
            deliverable_id += 1
        if deal.invoice is not None:
            number, issued_days, due_days = deal.invoice
            rows["invoices"].append(
                (
                    ids["invoices"] + len(rows["invoices"]),
                    deal_id,
                    number,
                    deal.fee_minor,
                    deal.currency,
                    t.db(t.ago(days=issued_days)),
                    t.db(t.ago(days=due_days)),
                    None,
                    t.db(t.ago(days=issued_days)),
                )
            )
    return DealRows(rows, branded)


def _deal_post(
    posts: list[PlanPost], pillar_key: str, due: datetime, taken: set[int]
) -> PlanPost | None:
    """The post of that pillar planned closest to (and not after) the deliverable's due time."""
    fits = [
        p
        for p in posts
        if p.pillar.key == pillar_key
        and p.id not in taken
        and p.planned_at <= due
        and p.status != "idea"
    ]
    return max(fits, key=lambda p: (p.planned_at, p.id), default=None)
