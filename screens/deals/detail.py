"""A deal's detail: its fields, its deliverables (state, posts' progress, the disclosure gate),
the highlighted deliverable's posts and publications, the sponsor report, invoices and
warnings; and the keys that act on it.

Keys: j/k move over the deliverables; s sets the highlighted one's state (to do, draft
sent, changes asked, approved, live); a adds a deliverable; > and < move the deal along
the pipeline and x marks it lost (each after a confirmation naming the deal); i records
an invoice; p records the oldest unpaid invoice as paid (after a confirmation naming
it); Esc closes. Reads and writes run in thread workers of this screen, each closing
its connection; the pane reads again when the screen closes after a change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Static

from screens.deals import rows as dr
from screens.deals.forms import AddDeliverableScreen, InvoiceAsk, InvoiceScreen, StatePickerScreen
from screens.deals.messages import DealChanged, DetailRead
from screens.deals.services import DealsServices
from screens.modals.base import OwnKeysModal
from screens.modals.confirm import ConfirmScreen
from screens.modals.item_detail import fields_content
from storage.deals.detail import DealDetail, ItemDetail
from storage.deals.money import format_money
from storage.deals.repo import DealError, NewDeliverable, next_stage
from storage.vocab import DealStage
from widgets.lists import KeyedDataTable


def _b(
    key: str,
    action: str,
    text: str,
    name: str,
    tip: str,
    show: bool = True,
    display: str | None = None,
) -> Binding:
    return Binding(
        key, action, text, id=f"deal.{name}", tooltip=tip, show=show, key_display=display
    )


DETAIL_KEYS: list[BindingType] = [
    _b("escape", "close", "Close", "close", "Close the deal"),
    _b("s", "set_state", "State", "state", "Set the highlighted deliverable's state"),
    _b("a", "add_deliverable", "Deliverable", "add", "Add a deliverable to this deal"),
    _b(
        "greater_than_sign",
        "stage(1)",
        "Stage →",
        "stage_on",
        "Move the deal to the next stage (asks first)",
        display=">",
    ),
    _b(
        "less_than_sign",
        "stage(-1)",
        "← Stage",
        "stage_back",
        "Move the deal back a stage (asks first)",
        display="<",
    ),
    _b("x", "lost", "Lost", "lost", "Mark the deal lost (asks first)", show=False),
    _b("i", "invoice", "Invoice", "invoice", "Record an invoice for this deal"),
    _b("p", "paid", "Paid", "paid", "Record the oldest unpaid invoice as paid (asks first)"),
]


def confirm_stage_text(
    detail_title: str, partner: str, deal_id: int, old: str, new: DealStage
) -> str:
    return (
        f"Move deal {deal_id} “{dr.safe(detail_title)}” ({dr.safe(partner)}) from "
        f"{old.replace('_', ' ')} to {new.label}?"
    )


class DealDetailScreen(OwnKeysModal[bool]):
    """One deal whole; dismissed with True when something was changed."""

    BINDINGS = DETAIL_KEYS

    def __init__(
        self, services: DealsServices, deal_id: int, clock: Callable[[], datetime]
    ) -> None:
        super().__init__()
        self.services = services
        self.deal_id = deal_id
        self.clock = clock
        self.detail: DealDetail | None = None
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="deal-box", classes="modal-box") as box:
            box.border_title = f"Deal {self.deal_id}"
            box.border_subtitle = "s state · a add · > < stage · i invoice · p paid · Esc"
            with VerticalScroll(id="deal-body"):
                yield Static("", id="deal-fields")
                yield Static(Content.styled("Deliverables", "bold"), classes="deal-heading")
                table: KeyedDataTable[str] = KeyedDataTable(id="deal-items", cursor_type="row")
                yield table
                yield Static("", id="deal-item")
                yield Static(Content.styled("Report", "bold"), classes="deal-heading")
                yield Static("", id="deal-report")
                yield Static(Content.styled("Invoices", "bold"), classes="deal-heading")
                yield Static("", id="deal-invoices")
                yield Static("", id="deal-notes")

    def on_mount(self) -> None:
        table = self.query_one("#deal-items", KeyedDataTable)
        table.add_columns("Due", "Deliverable", "State", "Progress", "Gate")
        table.focus()
        self.read()

    # --- reading -------------------------------------------------------------------

    def _work(self, job: Callable[[], object], name: str) -> None:
        def run() -> None:
            try:
                message = job()
            finally:
                self.services.close_connection()
            if message is not None:
                self.post_message(message)  # type: ignore[arg-type]

        self.run_worker(run, thread=True, group=name, exit_on_error=False, description=name)

    def read(self) -> None:
        """Read the deal whole again."""

        def job() -> DetailRead:
            try:
                return DetailRead(self.deal_id, self.services.detail(self.deal_id, self.clock()))
            except DealError:
                return DetailRead(self.deal_id, None)

        self._work(job, "Reading the deal")

    @on(DetailRead)
    def _show(self, message: DetailRead) -> None:
        message.stop()
        if message.detail is None:
            self.notify(f"Deal {self.deal_id} is gone.", severity="warning")
            self.dismiss(True)
            return
        self.detail = d = message.detail
        zone, locale = self.services.zone, self.services.locale
        box = self.query_one("#deal-box")
        box.border_title = dr.safe(f"Deal {d.deal.id} · {d.deal.title}")
        self.query_one("#deal-fields", Static).update(
            fields_content(dr.deal_fields(d.deal, zone, locale))
        )
        table = self.query_one("#deal-items", KeyedDataTable)
        keep = table.cursor_row
        table.clear()
        for item in d.items:
            table.add_row(*dr.item_row(item, zone), key=str(item.item.id))
        if d.items:
            table.move_cursor(row=min(keep, len(d.items) - 1))
        self._show_item()
        self.query_one("#deal-report", Static).update(Content(dr.report_block(d, zone, locale)))
        self.query_one("#deal-invoices", Static).update(
            Content(dr.invoice_block(d, zone, locale, self.clock()))
        )
        self.query_one("#deal-notes", Static).update(Content(dr.notes_block(d, zone)))

    def highlighted(self) -> ItemDetail | None:
        if self.detail is None or not self.detail.items:
            return None
        row = self.query_one("#deal-items", KeyedDataTable).cursor_row
        return self.detail.items[min(max(row, 0), len(self.detail.items) - 1)]

    @on(DataTable.RowHighlighted, "#deal-items")
    def _moved(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_item()

    def _show_item(self) -> None:
        item = self.highlighted()
        text = (
            "No deliverables yet: a adds one."
            if item is None
            else dr.item_block(item, self.services.zone)
        )
        self.query_one("#deal-item", Static).update(Content(text))

    # --- writing -------------------------------------------------------------------

    def _write(self, job: Callable[[], str]) -> None:
        def run() -> DealChanged:
            try:
                return DealChanged(job())
            except (DealError, ValueError) as exc:
                return DealChanged(f"{exc}.", error=True)

        self._work(run, "Changing the deal")

    @on(DealChanged)
    def _changed(self, message: DealChanged) -> None:
        message.stop()
        self.notify(
            message.text, severity="error" if message.error else "information", markup=False
        )
        if not message.error:
            self.changed = True
        self.read()

    def action_close(self) -> None:
        self.dismiss(self.changed)

    def action_set_state(self) -> None:
        """Pick the highlighted deliverable's state."""
        item = self.highlighted()
        if item is None:
            self.notify("This deal has no deliverable yet.", severity="warning")
            return
        target = item.item

        def picked(state: str | None) -> None:
            if state and state != target.state:
                self._write(lambda: self._set_state(target.id, state))

        self.app.push_screen(StatePickerScreen(dr.safe(target.description), target.state), picked)

    def _set_state(self, item_id: int, state: str) -> str:
        item, old = self.services.deals.set_deliverable_state(item_id, state, actor="tui")
        return f"{item.description}: {old.replace('_', ' ')} → {item.state_label}."

    def action_add_deliverable(self) -> None:
        """Open the new-deliverable form."""
        if self.detail is None:
            return
        deal = self.detail.deal

        def done(new: object) -> None:
            if isinstance(new, NewDeliverable):
                self._write(lambda: self._add(new))

        self.app.push_screen(
            AddDeliverableScreen(deal.id, dr.safe(deal.title), self.services.zone), done
        )

    def _add(self, new: NewDeliverable) -> str:
        item = self.services.deals.add_deliverable(new, actor="tui")
        return f"Deliverable {item.id} added: {item.description}."

    def action_stage(self, step: int) -> None:
        """Ask, then move the deal one stage on (1) or back (-1)."""
        if self.detail is not None:
            self.ask_stage(
                self.detail.deal.id,
                self.detail.deal.title,
                self.detail.deal.partner,
                self.detail.deal.stage,
                next_stage(self.detail.deal.stage, step),
            )

    def action_lost(self) -> None:
        """Ask, then mark the deal lost."""
        if self.detail is not None:
            deal = self.detail.deal
            target = None if deal.stage == DealStage.LOST else DealStage.LOST
            self.ask_stage(deal.id, deal.title, deal.partner, deal.stage, target)

    def ask_stage(
        self, deal_id: int, title: str, partner: str, old: str, new: DealStage | None
    ) -> None:
        if new is None:
            self.notify(
                f"Deal {deal_id} is {old.replace('_', ' ')}: no stage that way.", severity="warning"
            )
            return
        question = confirm_stage_text(title, partner, deal_id, old, new)
        self.app.push_screen(
            ConfirmScreen(question),
            lambda yes: self._write(lambda: self._move(deal_id, new)) if yes else None,
        )

    def _move(self, deal_id: int, stage: DealStage) -> str:
        deal, old = self.services.deals.set_stage(deal_id, stage.value, actor="tui")
        return f"Deal {deal.id}: {old.replace('_', ' ')} → {deal.stage_label}."

    def action_invoice(self) -> None:
        """Open the new-invoice form."""
        if self.detail is None:
            return
        deal = self.detail.deal

        def done(ask: object) -> None:
            if isinstance(ask, tuple):
                number, amount, due = ask
                self._write(lambda: self._invoice(deal.id, (number, amount, due)))

        self.app.push_screen(
            InvoiceScreen(
                deal.id, dr.safe(deal.title), deal.fee_minor, deal.currency, self.services.zone
            ),
            done,
        )

    def _invoice(self, deal_id: int, ask: InvoiceAsk) -> str:
        number, amount, due = ask
        inv = self.services.invoices.add(
            deal_id, number, amount, due, issued_at=self.clock(), actor="tui"
        )
        return f"Invoice {inv.number} recorded."

    def action_paid(self) -> None:
        """Ask, then record the oldest unpaid invoice as paid."""
        if self.detail is None:
            return
        unpaid = [i for i in self.detail.invoices if i.paid_at is None]
        if not unpaid:
            self.notify("No unpaid invoice on this deal.", severity="warning")
            return
        inv, deal = unpaid[0], self.detail.deal
        amount = format_money(inv.amount_minor, inv.currency, self.services.locale)
        question = f"Record invoice {dr.safe(inv.number)} ({amount}) of deal {deal.id} as paid?"

        def paid() -> str:
            done = self.services.invoices.mark_paid(
                deal.id, inv.number, at=self.clock(), actor="tui"
            )
            return f"Invoice {done.number} paid."

        self.app.push_screen(
            ConfirmScreen(question), lambda yes: self._write(paid) if yes else None
        )
