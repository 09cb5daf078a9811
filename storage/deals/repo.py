"""`DealRepo`: partners, deals through the pipeline, deliverables and their states.

Every change is one short write transaction and leaves an event (`events`,
entity `deal`) so a deal's history — stage moves, deliverable states,
invoices, disclosure overrides — is visible on the deal. Reads return the
dataclasses of storage.deals.models.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from storage.db import Store
from storage.deals.models import Deal, DealEvent, Deliverable, Partner
from storage.timefmt import from_db, to_db, utcnow
from storage.vocab import DEAL_PIPELINE, DealStage, DeliverableState

DEAL_SELECT = (
    "SELECT deals.*, partners.name AS partner, "
    "(SELECT min(d.due_at) FROM deliverables AS d WHERE d.deal_id = deals.id "
    " AND d.status != 'live') AS next_deadline "
    "FROM deals JOIN partners ON partners.id = deals.partner_id"
)
STAGE_ORDER = (
    "CASE deals.status "
    + " ".join(f"WHEN '{s.value}' THEN {i}" for i, s in enumerate(DealStage))
    + " END"
)


class DealError(ValueError):
    """A deal or deliverable cannot be added or changed; the message says what to do."""


@dataclass(frozen=True)
class NewDeal:
    """What `deals add` (or the tab) asks for, already parsed."""

    partner: str
    title: str
    fee_minor: int = 0
    currency: str = "USD"
    stage: str = DealStage.LEAD.value
    disclosure: str = "#ad"
    usage_rights: str = ""
    exclusive_from: datetime | None = None
    exclusive_until: datetime | None = None
    contact: str = ""
    promised: dict[str, float] = field(default_factory=dict)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    notes: str = ""
    category: str | None = None  # the partner's; None keeps what it has
    competitors: tuple[str, ...] | None = None
    partner_contact: str | None = None
    partner_email: str | None = None


@dataclass(frozen=True)
class NewDeliverable:
    """What `deals deliverable add` (or the tab's form) asks for, already parsed."""

    deal_id: int
    description: str
    due_at: datetime
    post_ids: tuple[int, ...] = ()
    platforms: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    disclosure: tuple[str, ...] = ("hashtag",)
    approval: bool = False


def _db(moment: datetime | None) -> str | None:
    return None if moment is None else to_db(moment)


def deal_event(
    conn: sqlite3.Connection, actor: str, kind: str, deal_id: int, detail: dict[str, Any]
) -> None:
    """One row of `events` about a deal."""
    conn.execute(
        "INSERT INTO events (at, actor, kind, entity, entity_id, detail_json) "
        "VALUES (?, ?, ?, 'deal', ?, ?)",
        (to_db(utcnow()), actor, kind, deal_id, json.dumps(detail, ensure_ascii=False)),
    )


def next_stage(stage: str, step: int) -> DealStage | None:
    """The stage `step` places along the pipeline (lost goes back to lead); None past an end."""
    if stage == DealStage.LOST:
        return DealStage.LEAD if step < 0 else None
    index = DEAL_PIPELINE.index(DealStage(stage)) + step
    return DEAL_PIPELINE[index] if 0 <= index < len(DEAL_PIPELINE) else None


class DealRepo:
    """Add, list and change deals, partners and deliverables."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    # --- partners -------------------------------------------------------------------

    def partner(self, name: str) -> Partner | None:
        row = self.store.conn.execute(
            "SELECT * FROM partners WHERE lower(name) = lower(?)", (name.strip(),)
        ).fetchone()
        return Partner.from_row(row) if row else None

    def partner_by_id(self, partner_id: int) -> Partner | None:
        row = self.store.conn.execute(
            "SELECT * FROM partners WHERE id = ?", (partner_id,)
        ).fetchone()
        return Partner.from_row(row) if row else None

    def partners(self) -> list[Partner]:
        rows = self.store.conn.execute("SELECT * FROM partners ORDER BY name, id")
        return [Partner.from_row(r) for r in rows]

    def _ensure_partner(self, conn: sqlite3.Connection, new: NewDeal, now: str) -> int:
        row = conn.execute(
            "SELECT id FROM partners WHERE lower(name) = lower(?)", (new.partner.strip(),)
        ).fetchone()
        if row is None:
            row = conn.execute(
                "INSERT INTO partners (name, contact, email, category, competitors, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.partner.strip(),
                    new.partner_contact or "",
                    new.partner_email or "",
                    (new.category or "").strip(),
                    json.dumps(list(new.competitors or ()), ensure_ascii=False),
                    now,
                ),
            ).fetchone()
            return int(row["id"])
        pid = int(row["id"])
        sets = {
            "category": None if new.category is None else new.category.strip(),
            "competitors": None
            if new.competitors is None
            else json.dumps(list(new.competitors), ensure_ascii=False),
            "contact": new.partner_contact,
            "email": new.partner_email,
        }
        for column, value in sets.items():
            if value is not None:
                conn.execute(f"UPDATE partners SET {column} = ? WHERE id = ?", (value, pid))
        return pid

    # --- deals ----------------------------------------------------------------------

    def get(self, deal_id: int) -> Deal | None:
        row = self.store.conn.execute(DEAL_SELECT + " WHERE deals.id = ?", (deal_id,)).fetchone()
        return Deal.from_row(row) if row else None

    def must(self, deal_id: int) -> Deal:
        found = self.get(deal_id)
        if found is None:
            raise DealError(f"there is no deal {deal_id}; `reelroom deals list` shows them")
        return found

    def listing(self, stages: Iterable[str] | None = None) -> list[Deal]:
        """Deals in pipeline order, the nearest deadline first within a stage."""
        sql, args = DEAL_SELECT, list[Any]()
        chosen = list(stages or ())
        if chosen:
            sql += f" WHERE deals.status IN ({','.join('?' * len(chosen))})"
            args.extend(chosen)
        sql += (
            f" ORDER BY {STAGE_ORDER}, CASE WHEN next_deadline IS NULL THEN 1 ELSE 0 END, "
            "next_deadline, deals.id"
        )
        return [Deal.from_row(r) for r in self.store.conn.execute(sql, args)]

    def add(self, new: NewDeal, *, actor: str = "cli") -> Deal:
        """Store a deal (and its partner when new), all or nothing."""
        if not new.title.strip():
            raise DealError("a deal needs a title")
        if not new.partner.strip():
            raise DealError("a deal needs a partner")
        if (
            new.exclusive_from is not None
            and new.exclusive_until is not None
            and new.exclusive_from > new.exclusive_until
        ):
            raise DealError("the exclusivity window ends before it starts")
        now = to_db(utcnow())
        with self.store.write() as conn:
            pid = self._ensure_partner(conn, new, now)
            row = conn.execute(
                "INSERT INTO deals (partner_id, title, fee_minor, currency, status, disclosure, "
                "usage_rights, exclusive_from, exclusive_until, contact, promised_json, "
                "signed_at, starts_at, ends_at, notes, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    pid,
                    new.title.strip(),
                    new.fee_minor,
                    new.currency.upper(),
                    new.stage,
                    new.disclosure.strip() or "#ad",
                    new.usage_rights,
                    _db(new.exclusive_from),
                    _db(new.exclusive_until),
                    new.contact,
                    json.dumps(new.promised),
                    now if _signed(new.stage) else None,
                    _db(new.starts_at),
                    _db(new.ends_at),
                    new.notes,
                    now,
                    now,
                ),
            ).fetchone()
            deal_id = int(row["id"])
            deal_event(conn, actor, "deal.added", deal_id, {"stage": new.stage})
        return self.must(deal_id)

    def set_stage(self, deal_id: int, stage: str, *, actor: str = "cli") -> tuple[Deal, str]:
        """Move a deal to `stage`; returns the deal and the stage it left."""
        target = DealStage(stage)
        with self.store.write() as conn:
            row = conn.execute("SELECT status FROM deals WHERE id = ?", (deal_id,)).fetchone()
            if row is None:
                raise DealError(f"there is no deal {deal_id}; `reelroom deals list` shows them")
            old = row["status"]
            if old != target:
                now = to_db(utcnow())
                conn.execute(
                    "UPDATE deals SET status = ?, updated_at = ?, "
                    "signed_at = CASE WHEN signed_at IS NULL AND ? = 1 THEN ? ELSE signed_at END "
                    "WHERE id = ?",
                    (target.value, now, 1 if _signed(target) else 0, now, deal_id),
                )
                deal_event(conn, actor, "deal.stage", deal_id, {"from": old, "to": target.value})
        return self.must(deal_id), old

    def events(self, deal_id: int, limit: int = 200) -> list[DealEvent]:
        """The deal's logged changes, oldest first (the newest `limit`)."""
        rows = self.store.conn.execute(
            "SELECT * FROM (SELECT at, actor, kind, detail_json, id FROM events "
            "WHERE entity = 'deal' AND entity_id = ? ORDER BY id DESC LIMIT ?) AS recent "
            "ORDER BY id",
            (deal_id, limit),
        )
        out = []
        for r in rows:
            at = from_db(r["at"])
            assert at is not None
            out.append(DealEvent(at, r["actor"], r["kind"], json.loads(r["detail_json"] or "{}")))
        return out

    # --- deliverables ---------------------------------------------------------------

    def _posts_of(self, ids: list[int]) -> dict[int, tuple[int, ...]]:
        if not ids:
            return {}
        found: dict[int, list[int]] = {}
        rows = self.store.conn.execute(
            "SELECT deliverable_id, post_id FROM deliverable_posts "
            f"WHERE deliverable_id IN ({','.join('?' * len(ids))}) ORDER BY deliverable_id, post_id",
            ids,
        )
        for r in rows:
            found.setdefault(r["deliverable_id"], []).append(r["post_id"])
        return {k: tuple(v) for k, v in found.items()}

    def deliverables(self, deal_id: int) -> list[Deliverable]:
        """A deal's deliverables by due time."""
        rows = self.store.conn.execute(
            "SELECT * FROM deliverables WHERE deal_id = ? ORDER BY due_at, id", (deal_id,)
        ).fetchall()
        posts = self._posts_of([r["id"] for r in rows])
        return [Deliverable.from_row(r, posts.get(r["id"], ())) for r in rows]

    def deliverable(self, deliverable_id: int) -> Deliverable | None:
        row = self.store.conn.execute(
            "SELECT * FROM deliverables WHERE id = ?", (deliverable_id,)
        ).fetchone()
        if row is None:
            return None
        return Deliverable.from_row(row, self._posts_of([deliverable_id]).get(deliverable_id, ()))

    def add_deliverable(self, new: NewDeliverable, *, actor: str = "cli") -> Deliverable:
        """Store a deliverable and link its posts, all or nothing."""
        if not new.description.strip():
            raise DealError("a deliverable needs a description")
        now = to_db(utcnow())
        with self.store.write() as conn:
            if conn.execute("SELECT 1 FROM deals WHERE id = ?", (new.deal_id,)).fetchone() is None:
                raise DealError(f"there is no deal {new.deal_id}; `reelroom deals list` shows them")
            for post_id in new.post_ids:
                if conn.execute("SELECT 1 FROM posts WHERE id = ?", (post_id,)).fetchone() is None:
                    raise DealError(f"there is no post {post_id}; `reelroom posts list` shows them")
            row = conn.execute(
                "INSERT INTO deliverables (deal_id, description, due_at, status, platforms, "
                "hashtags, mentions, links, disclosure, approval, created_at, updated_at) "
                "VALUES (?, ?, ?, 'to_do', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.deal_id,
                    new.description.strip(),
                    to_db(new.due_at),
                    json.dumps(list(new.platforms)),
                    json.dumps(list(new.hashtags), ensure_ascii=False),
                    json.dumps(list(new.mentions), ensure_ascii=False),
                    json.dumps(list(new.links), ensure_ascii=False),
                    json.dumps(list(new.disclosure)),
                    1 if new.approval else 0,
                    now,
                    now,
                ),
            ).fetchone()
            item_id = int(row["id"])
            for post_id in new.post_ids:
                conn.execute(
                    "INSERT INTO deliverable_posts (deliverable_id, post_id) VALUES (?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (item_id, post_id),
                )
            deal_event(
                conn,
                actor,
                "deal.deliverable_added",
                new.deal_id,
                {"deliverable_id": item_id, "description": new.description.strip()},
            )
        found = self.deliverable(item_id)
        assert found is not None
        return found

    def set_deliverable_state(
        self, deliverable_id: int, state: str, *, actor: str = "cli", at: datetime | None = None
    ) -> tuple[Deliverable, str]:
        """Move a deliverable to `state` (live records when); returns it and the state it left."""
        target = DeliverableState(state)
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT deal_id, status FROM deliverables WHERE id = ?", (deliverable_id,)
            ).fetchone()
            if row is None:
                raise DealError(f"there is no deliverable {deliverable_id}")
            old = row["status"]
            if old != target:
                now = to_db(utcnow())
                live = to_db(at) if at is not None else now
                conn.execute(
                    "UPDATE deliverables SET status = ?, updated_at = ?, live_at = CASE "
                    "WHEN ? = 'live' THEN COALESCE(live_at, ?) ELSE live_at END WHERE id = ?",
                    (target.value, now, target.value, live, deliverable_id),
                )
                deal_event(
                    conn,
                    actor,
                    "deal.deliverable_state",
                    row["deal_id"],
                    {"deliverable_id": deliverable_id, "from": old, "to": target.value},
                )
        found = self.deliverable(deliverable_id)
        assert found is not None
        return found, old

    def mark_live_for_publication(self, publication_id: int) -> list[int]:
        """The worker published this: the deliverables of its post that were not live go live
        (at the publication's time). Returns their ids."""
        conn = self.store.conn
        row = conn.execute(
            "SELECT post_id, published_at FROM publications WHERE id = ?", (publication_id,)
        ).fetchone()
        if row is None or row["published_at"] is None:
            return []
        ids = [
            r["id"]
            for r in conn.execute(
                "SELECT deliverables.id FROM deliverables JOIN deliverable_posts "
                "ON deliverable_posts.deliverable_id = deliverables.id "
                "WHERE deliverable_posts.post_id = ? AND deliverables.status != 'live'",
                (row["post_id"],),
            )
        ]
        for item_id in ids:
            self.set_deliverable_state(
                item_id, "live", actor="worker", at=from_db(row["published_at"])
            )
        return ids


def _signed(stage: str) -> bool:
    """Whether a deal in this stage has been signed (contracted or later, not lost)."""
    return stage not in (DealStage.LEAD, DealStage.NEGOTIATING, DealStage.LOST)
