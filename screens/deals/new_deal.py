"""The Deals tab's new-deal form (`n`): partner, title, fee and currency, stage, contact,
dates and notes — what a lead looks like when a brand first writes. It returns a parsed
`NewDeal` (None when cancelled); the pane writes it. Fields are read by the same
functions as `reelroom deals add` (storage/deals/inputs.py, money.py), and the first
wrong one is named under the form with its field focused; nothing is stored until every
field reads. Exclusivity, promises and disclosure wording stay with `deals add` and the
deal's detail.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from screens.deals.forms import DealForm, field_row
from storage.deals.inputs import DealInputError, parse_stage, parse_time
from storage.deals.money import MoneyError, check_currency, parse_amount
from storage.deals.repo import NewDeal
from storage.vocab import DealStage

# (id, label, placeholder); the label before " (" is the name an error uses.
DEAL_FIELDS = (
    ("nd-partner", "Partner (the brand)", "Oatly"),
    ("nd-title", "Title", "Winter oat latte series"),
    ("nd-fee", "Fee", "1500.00"),
    ("nd-currency", "Currency (ISO 4217)", "USD"),
    ("nd-stage", "Stage", "lead, negotiating, contracted, in production …"),
    ("nd-contact", "Contact", "name or email at the brand"),
    ("nd-starts", "Starts (date, workspace zone)", "2026-12-01"),
    ("nd-ends", "Ends (date, workspace zone)", "2026-12-31"),
    ("nd-notes", "Notes", ""),
)
_BY_NAME = {label.split(" (")[0]: field_id for field_id, label, _ in DEAL_FIELDS}


class NewDealScreen(DealForm):
    """A new deal; returns a NewDeal (or None)."""

    def __init__(self, zone: ZoneInfo, currency: str = "USD") -> None:
        super().__init__()
        self.zone = zone
        self.currency = currency

    def compose(self) -> ComposeResult:
        with Vertical(id="deal-form-box", classes="modal-box") as box:
            box.border_title = "New deal"
            box.border_subtitle = "Enter saves · Esc cancels"
            values = {"nd-currency": self.currency, "nd-stage": DealStage.LEAD.value}
            for field_id, label, hint in DEAL_FIELDS:
                yield field_row(label, hint, field_id, values.get(field_id, ""))
            yield Static("", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#nd-partner", Input).focus()

    def action_save(self) -> None:
        """Read every field; say the first wrong one, or return the deal."""
        try:
            new = self._read()
        except DealInputError as exc:
            self.refuse(exc, _BY_NAME.get(exc.field, "nd-partner"))
            return
        self.dismiss(new)

    def _read(self) -> NewDeal:
        partner = " ".join(self.value("nd-partner").split())
        if not partner:
            raise DealInputError("Partner", "name the brand")
        title = " ".join(self.value("nd-title").split())
        if not title:
            raise DealInputError("Title", "give the deal a title")
        try:
            currency = check_currency(self.value("nd-currency").strip())
        except MoneyError as exc:
            raise DealInputError("Currency", str(exc)) from None
        try:
            fee = parse_amount(self.value("nd-fee").strip() or "0", currency)
        except MoneyError as exc:
            raise DealInputError("Fee", str(exc)) from None
        starts = parse_time(self.value("nd-starts") or None, self.zone, "Starts")
        ends = parse_time(self.value("nd-ends") or None, self.zone, "Ends", end_of_day=True)
        if starts and ends and ends < starts:
            raise DealInputError("Ends", "the deal ends before it starts")
        return NewDeal(
            partner=partner,
            title=title,
            fee_minor=fee,
            currency=currency,
            stage=parse_stage(self.value("nd-stage") or "lead", "Stage").value,
            contact=self.value("nd-contact").strip(),
            starts_at=starts,
            ends_at=ends,
            notes=self.value("nd-notes").strip(),
        )
