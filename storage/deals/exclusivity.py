"""Exclusivity: no competing brand's deal may have a deliverable inside a deal's window.

Two partners compete when they share a category (`partners.category`, e.g.
"cookware"; case does not matter) or when either names the other in its
competitor list (`partners.competitors`). A deal with an exclusivity window
(`exclusive_from`..`exclusive_until`, either end may be open) conflicts with
every deliverable of a competing partner's deal (not lost) that is due — or
went live — inside that window. Conflicts are warnings: shown on the deal,
by `deals show`, and when a deliverable or deal is added; nothing is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Store
from storage.deals.models import Deal, Partner
from storage.deals.repo import DEAL_SELECT
from storage.timefmt import from_db


@dataclass(frozen=True)
class Conflict:
    """A competing deal's deliverable inside a deal's exclusivity window."""

    deal_id: int  # the deal whose window it is
    deal_title: str
    partner: str
    window_from: datetime | None
    window_until: datetime | None
    other_deal_id: int
    other_title: str
    other_partner: str
    deliverable_id: int
    deliverable: str
    at: datetime  # due (or live) time of that deliverable

    def text(self) -> str:
        """One line naming both deals and the deliverable."""
        return (
            f"{self.other_partner} competes with {self.partner}: “{self.deliverable}” "
            f"(deal {self.other_deal_id}) falls inside deal {self.deal_id}'s exclusivity window"
        )


def competes(a: Partner, b: Partner) -> bool:
    """Whether two different partners compete (shared category, or named as competitor)."""
    if a.id == b.id:
        return False
    if a.category.strip() and a.category.strip().casefold() == b.category.strip().casefold():
        return True
    names_a = {n.strip().casefold() for n in a.competitors}
    names_b = {n.strip().casefold() for n in b.competitors}
    return b.name.casefold() in names_a or a.name.casefold() in names_b


def _inside(deal: Deal, at: datetime) -> bool:
    return (deal.exclusive_from is None or deal.exclusive_from <= at) and (
        deal.exclusive_until is None or at <= deal.exclusive_until
    )


def conflicts(store: Store, deal_id: int | None = None) -> list[Conflict]:
    """Every conflict of the workspace, or those that involve `deal_id` (either side)."""
    conn = store.conn
    deals = [
        Deal.from_row(r)
        for r in conn.execute(DEAL_SELECT + " WHERE deals.status != 'lost' ORDER BY deals.id")
    ]
    partners = {r["id"]: Partner.from_row(r) for r in conn.execute("SELECT * FROM partners")}
    windows = [d for d in deals if d.has_window]
    if not windows:
        return []
    found: list[Conflict] = []
    rows = conn.execute(
        "SELECT id, deal_id, description, COALESCE(live_at, due_at) AS at FROM deliverables "
        "ORDER BY at, id"
    ).fetchall()
    by_id = {d.id: d for d in deals}
    for owner in windows:
        for row in rows:
            other = by_id.get(row["deal_id"])
            if other is None or other.id == owner.id:
                continue
            if deal_id is not None and deal_id not in (owner.id, other.id):
                continue
            if not competes(partners[owner.partner_id], partners[other.partner_id]):
                continue
            at = from_db(row["at"])
            assert at is not None
            if _inside(owner, at):
                found.append(
                    Conflict(
                        owner.id,
                        owner.title,
                        owner.partner,
                        owner.exclusive_from,
                        owner.exclusive_until,
                        other.id,
                        other.title,
                        other.partner,
                        row["id"],
                        row["description"],
                        at,
                    )
                )
    return found
