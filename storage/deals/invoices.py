"""`InvoiceRepo`: the invoices of a deal (a record: ReelRoom processes no payments).

An invoice has a number (unique in the workspace), an amount in the deal's
currency as minor units, when it was issued, when it is due and when it was
paid. Recording one moves a deal that was contracted, in production or
delivered to invoiced; the last one paid moves an invoiced deal to paid.
Both moves and the invoices themselves are logged on the deal. Unpaid
invoices past their due time are *overdue* (Today lists them).
"""

from __future__ import annotations

from datetime import datetime

from storage.db import Store
from storage.deals.models import Invoice, OverdueInvoice
from storage.deals.repo import DealError, deal_event
from storage.timefmt import from_db, to_db, utcnow
from storage.today_models import Capped

INVOICING = ("contracted", "in_production", "delivered")

_OVERDUE = """
SELECT {cols}
FROM invoices
JOIN deals ON deals.id = invoices.deal_id
JOIN partners ON partners.id = deals.partner_id
WHERE invoices.paid_at IS NULL AND invoices.due_at < :now
"""
_OVERDUE_COLS = (
    "invoices.id, invoices.deal_id, invoices.number, invoices.amount_minor, invoices.currency, "
    "invoices.due_at, deals.title AS deal_title, partners.name AS partner"
)


class InvoiceRepo:
    """Record invoices, mark them paid, find the overdue ones."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def close_connection(self) -> None:
        self.store.close()

    def for_deal(self, deal_id: int) -> list[Invoice]:
        rows = self.store.conn.execute(
            "SELECT * FROM invoices WHERE deal_id = ? ORDER BY issued_at, id", (deal_id,)
        )
        return [Invoice.from_row(r) for r in rows]

    def by_number(self, number: str) -> Invoice | None:
        row = self.store.conn.execute(
            "SELECT * FROM invoices WHERE number = ?", (number.strip(),)
        ).fetchone()
        return Invoice.from_row(row) if row else None

    def add(
        self,
        deal_id: int,
        number: str,
        amount_minor: int,
        due_at: datetime,
        *,
        issued_at: datetime | None = None,
        actor: str = "cli",
    ) -> Invoice:
        """Record an invoice in the deal's currency; the deal moves to invoiced when it may."""
        if not number.strip():
            raise DealError("an invoice needs a number")
        issued = issued_at or utcnow()
        if due_at < issued:
            raise DealError("the invoice is due before it was issued")
        now = to_db(utcnow())
        with self.store.write() as conn:
            deal = conn.execute(
                "SELECT status, currency FROM deals WHERE id = ?", (deal_id,)
            ).fetchone()
            if deal is None:
                raise DealError(f"there is no deal {deal_id}; `reelroom deals list` shows them")
            taken = conn.execute(
                "SELECT deal_id FROM invoices WHERE number = ?", (number.strip(),)
            ).fetchone()
            if taken is not None:
                raise DealError(
                    f"invoice {number.strip()} is already recorded (deal {taken['deal_id']})"
                )
            row = conn.execute(
                "INSERT INTO invoices (deal_id, number, amount_minor, currency, issued_at, "
                "due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    deal_id,
                    number.strip(),
                    amount_minor,
                    deal["currency"],
                    to_db(issued),
                    to_db(due_at),
                    now,
                ),
            ).fetchone()
            deal_event(
                conn,
                actor,
                "deal.invoice",
                deal_id,
                {"number": number.strip(), "amount_minor": amount_minor, "due_at": to_db(due_at)},
            )
            if deal["status"] in INVOICING:
                conn.execute(
                    "UPDATE deals SET status = 'invoiced', updated_at = ? WHERE id = ?",
                    (now, deal_id),
                )
                deal_event(
                    conn, actor, "deal.stage", deal_id, {"from": deal["status"], "to": "invoiced"}
                )
        found = self.store.conn.execute(
            "SELECT * FROM invoices WHERE id = ?", (int(row["id"]),)
        ).fetchone()
        return Invoice.from_row(found)

    def mark_paid(
        self, deal_id: int, number: str, *, at: datetime | None = None, actor: str = "cli"
    ) -> Invoice:
        """Record that an invoice was paid; an invoiced deal with nothing left open is paid."""
        paid = to_db(at or utcnow())
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT id, paid_at FROM invoices WHERE deal_id = ? AND number = ?",
                (deal_id, number.strip()),
            ).fetchone()
            if row is None:
                raise DealError(
                    f"deal {deal_id} has no invoice {number.strip()}; "
                    f"`reelroom deals show {deal_id}` lists its invoices"
                )
            if row["paid_at"] is not None:
                raise DealError(f"invoice {number.strip()} was already paid on {row['paid_at']}")
            conn.execute("UPDATE invoices SET paid_at = ? WHERE id = ?", (paid, row["id"]))
            deal_event(conn, actor, "deal.invoice_paid", deal_id, {"number": number.strip()})
            still_open = conn.execute(
                "SELECT count(*) FROM invoices WHERE deal_id = ? AND paid_at IS NULL", (deal_id,)
            ).fetchone()[0]
            moved = conn.execute(
                "UPDATE deals SET status = 'paid', updated_at = ? WHERE id = ? "
                "AND status = 'invoiced' AND ? = 0",
                (paid, deal_id, still_open),
            ).rowcount
            if moved:
                deal_event(conn, actor, "deal.stage", deal_id, {"from": "invoiced", "to": "paid"})
        found = self.store.conn.execute(
            "SELECT * FROM invoices WHERE id = ?", (row["id"],)
        ).fetchone()
        return Invoice.from_row(found)

    def overdue(self, now: datetime, *, limit: int = 100) -> Capped[OverdueInvoice]:
        """Unpaid invoices past their due time, the longest overdue first."""
        args = {"now": to_db(now)}
        conn = self.store.conn
        total = conn.execute(_OVERDUE.format(cols="count(*)"), args).fetchone()[0]
        rows = conn.execute(
            _OVERDUE.format(cols=_OVERDUE_COLS)
            + " ORDER BY invoices.due_at, invoices.id LIMIT :limit",
            {**args, "limit": limit},
        )
        items = []
        for r in rows:
            due = from_db(r["due_at"])
            assert due is not None
            items.append(
                OverdueInvoice(
                    r["id"],
                    r["deal_id"],
                    r["number"],
                    r["amount_minor"],
                    r["currency"],
                    due,
                    r["deal_title"],
                    r["partner"],
                )
            )
        return Capped(tuple(items), total)
