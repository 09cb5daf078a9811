"""The rows of the deals room: partners, deals, deliverables, invoices, overrides."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.timefmt import from_db
from storage.vocab import DealStage, DeliverableState

# What a deal may promise the brand (deals.promised_json), as the reports name them.
PROMISE_KEYS: tuple[str, ...] = (
    "views",
    "reach",
    "engagements",
    "engagement_rate",
    "completion_rate",
    "link_clicks",
)


def json_list(text: str | None) -> tuple[str, ...]:
    """A JSON list column as a tuple of strings (empty for NULL or '')."""
    return tuple(str(v) for v in json.loads(text)) if text else ()


@dataclass(frozen=True)
class Partner:
    """A brand: contacts, notes, and what it competes with (exclusivity)."""

    id: int
    name: str
    contact: str
    email: str
    notes: str
    category: str
    competitors: tuple[str, ...]

    @classmethod
    def from_row(cls, row: Any) -> Partner:
        return cls(
            row["id"],
            row["name"],
            row["contact"],
            row["email"],
            row["notes"],
            row["category"],
            json_list(row["competitors"]),
        )


@dataclass(frozen=True)
class Deal:
    """A brand deal and where it stands in the pipeline."""

    id: int
    partner_id: int
    partner: str
    title: str
    fee_minor: int
    currency: str
    stage: str
    disclosure: str  # the wording the caption carries: "#ad", "#werbung", "广告"
    usage_rights: str
    exclusive_from: datetime | None
    exclusive_until: datetime | None
    contact: str
    promised: dict[str, float]
    signed_at: datetime | None
    starts_at: datetime | None
    ends_at: datetime | None
    notes: str
    created_at: datetime
    next_deadline: datetime | None = None  # the earliest due time of a deliverable not live

    @property
    def stage_label(self) -> str:
        return DealStage(self.stage).label

    @property
    def has_window(self) -> bool:
        return self.exclusive_from is not None or self.exclusive_until is not None

    @classmethod
    def from_row(cls, row: Any) -> Deal:
        keys = row.keys()
        created = from_db(row["created_at"])
        assert created is not None
        return cls(
            id=row["id"],
            partner_id=row["partner_id"],
            partner=row["partner"],
            title=row["title"],
            fee_minor=row["fee_minor"],
            currency=row["currency"],
            stage=row["status"],
            disclosure=row["disclosure"],
            usage_rights=row["usage_rights"],
            exclusive_from=from_db(row["exclusive_from"]),
            exclusive_until=from_db(row["exclusive_until"]),
            contact=row["contact"],
            promised={k: float(v) for k, v in json.loads(row["promised_json"] or "{}").items()},
            signed_at=from_db(row["signed_at"]),
            starts_at=from_db(row["starts_at"]),
            ends_at=from_db(row["ends_at"]),
            notes=row["notes"],
            created_at=created,
            next_deadline=from_db(row["next_deadline"]) if "next_deadline" in keys else None,
        )


@dataclass(frozen=True)
class Deliverable:
    """What a deal asks for: posts, platforms, a deadline, what the caption must carry."""

    id: int
    deal_id: int
    description: str
    due_at: datetime
    state: str
    platforms: tuple[str, ...]
    hashtags: tuple[str, ...]
    mentions: tuple[str, ...]
    links: tuple[str, ...]
    disclosure: tuple[str, ...]  # DisclosureMethod words
    approval: bool  # the brand approves a draft first
    live_at: datetime | None
    post_ids: tuple[int, ...] = ()

    @property
    def state_label(self) -> str:
        return DeliverableState(self.state).label

    @classmethod
    def from_row(cls, row: Any, post_ids: tuple[int, ...] = ()) -> Deliverable:
        due = from_db(row["due_at"])
        assert due is not None
        return cls(
            id=row["id"],
            deal_id=row["deal_id"],
            description=row["description"],
            due_at=due,
            state=row["status"],
            platforms=json_list(row["platforms"]),
            hashtags=json_list(row["hashtags"]),
            mentions=json_list(row["mentions"]),
            links=json_list(row["links"]),
            disclosure=json_list(row["disclosure"]),
            approval=bool(row["approval"]),
            live_at=from_db(row["live_at"]),
            post_ids=post_ids,
        )


@dataclass(frozen=True)
class Invoice:
    """An invoice sent for a deal (no payment processing: a record)."""

    id: int
    deal_id: int
    number: str
    amount_minor: int
    currency: str
    issued_at: datetime
    due_at: datetime
    paid_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        return self.paid_at is None and self.due_at < now

    @classmethod
    def from_row(cls, row: Any) -> Invoice:
        issued, due = from_db(row["issued_at"]), from_db(row["due_at"])
        assert issued is not None and due is not None
        return cls(
            row["id"],
            row["deal_id"],
            row["number"],
            row["amount_minor"],
            row["currency"],
            issued,
            due,
            from_db(row["paid_at"]),
        )


@dataclass(frozen=True)
class OverdueInvoice:
    """An unpaid invoice past its due time, with its deal (Today)."""

    id: int
    deal_id: int
    number: str
    amount_minor: int
    currency: str
    due_at: datetime
    deal_title: str
    partner: str


@dataclass(frozen=True)
class DisclosureOverride:
    """A person let a publication past the disclosure gate, and why."""

    reason: str
    missing: tuple[str, ...]
    deal_ids: tuple[int, ...]


@dataclass(frozen=True)
class DealEvent:
    """One logged change of a deal (stage moves, overrides, invoices)."""

    at: datetime
    actor: str
    kind: str
    detail: dict[str, Any] = field(default_factory=dict)
