"""The Deals tab's small modals: a deliverable state picker, the new-deliverable form and
the new-invoice form. Each returns plain parsed values (or None when cancelled); the
screen that opened it writes them. Fields are read by storage/deals/inputs.py, the
same reader as the command line, and a wrong one is named under the form.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, Static
from textual.widgets.option_list import Option

from screens.modals.base import OwnKeysModal
from storage.deals.inputs import (
    DealInputError,
    parse_disclosure,
    parse_hashtags,
    parse_links,
    parse_mentions,
    parse_platforms,
    parse_time,
)
from storage.deals.money import MoneyError, parse_amount, plain_amount
from storage.deals.repo import NewDeliverable
from storage.vocab import DeliverableState
from widgets.lists import KeyedOptionList
from widgets.safe_text import visible

CLOSE = Binding(
    "escape", "cancel", "Cancel", id="deals_form.cancel", tooltip="Close, change nothing"
)
SAVE = Binding("ctrl+s", "save", "Save", id="deals_form.save", tooltip="Save")


class StatePickerScreen(OwnKeysModal["str | None"]):
    """Pick a deliverable's state (the brand's approval, live): Enter picks, Esc cancels."""

    BINDINGS = [CLOSE]

    def __init__(self, description: str, current: str) -> None:
        super().__init__()
        self.description = description
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="deal-state-box", classes="modal-box") as box:
            box.border_title = visible(f"State · {self.description}")
            box.border_subtitle = "Enter picks · Esc cancels"
            yield KeyedOptionList(
                *(
                    Option(("● " if s == self.current else "  ") + s.label, id=s.value)
                    for s in DeliverableState
                ),
                id="deal-state-list",
            )

    def on_mount(self) -> None:
        options = self.query_one(KeyedOptionList)
        options.highlighted = [s.value for s in DeliverableState].index(self.current)
        options.focus()

    @on(KeyedOptionList.OptionSelected)
    def _picked(self, event: KeyedOptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def field_row(label: str, hint: str, field_id: str, value: str = "") -> Horizontal:
    """One line of a form: the field's name, then a one-line input. A label's words in
    parentheses ("Due (date, workspace zone)") go before the input's example instead,
    so a form of nine fields fits 24 rows."""
    name, _, aside = label.partition(" (")
    aside = aside.rstrip(")")
    placeholder = f"{aside}: {hint}" if aside and hint else aside or hint
    return Horizontal(
        Label(name, classes="form-label"),
        Input(value, placeholder=placeholder, id=field_id, compact=True),
        classes="form-row",
    )


class DealForm(OwnKeysModal[object]):
    """A form whose Enter in any field saves."""

    BINDINGS = [CLOSE, SAVE]

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:  # pragma: no cover - each form has its own
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    def value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def refuse(self, exc: Exception, field_id: str) -> None:
        self.query_one(".form-error", Static).update(Content(visible(str(exc), lines=True)))
        self.query_one(f"#{field_id}", Input).focus()


DELIVERABLE_FIELDS = (
    ("dl-description", "Description", "What the brand gets"),
    ("dl-posts", "Posts (ids)", "12 14"),
    ("dl-platforms", "Platforms", "tiktok instagram"),
    ("dl-due", "Due (workspace zone)", "2026-12-01 or 2026-12-01T17:00"),
    ("dl-disclosure", "Disclosure (flag hashtag label)", "hashtag"),
    ("dl-hashtags", "Required hashtags", "#brand"),
    ("dl-mentions", "Required mentions", "@brand"),
    ("dl-links", "Required links", "https://…"),
)


class AddDeliverableScreen(DealForm):
    """A new deliverable of one deal; returns a NewDeliverable."""

    def __init__(self, deal_id: int, deal_title: str, zone: ZoneInfo) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.deal_title = deal_title
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical(id="deal-form-box", classes="modal-box") as box:
            box.border_title = visible(f"New deliverable · {self.deal_title}")
            box.border_subtitle = "Enter saves · Esc cancels"
            for field_id, label, hint in DELIVERABLE_FIELDS:
                yield field_row(label, hint, field_id)
            yield Checkbox("The brand approves a draft first", id="dl-approval", compact=True)
            yield Static("", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#dl-description", Input).focus()

    def action_save(self) -> None:
        """Read every field; say the first wrong one, or return the deliverable."""
        try:
            description = self.value("dl-description").strip()
            if not description:
                raise DealInputError("Description", "say what the brand gets")
            posts = []
            for word in self.value("dl-posts").replace(",", " ").split():
                if not word.isdigit():
                    raise DealInputError("Posts", f"{word!r} is not a post id")
                posts.append(int(word))
            due = parse_time(self.value("dl-due"), self.zone, "Due", end_of_day=True)
            if due is None:
                raise DealInputError("Due", "a deliverable needs its deadline")
            new = NewDeliverable(
                deal_id=self.deal_id,
                description=description,
                due_at=due,
                post_ids=tuple(dict.fromkeys(posts)),
                platforms=parse_platforms(self.value("dl-platforms"), "Platforms"),
                hashtags=parse_hashtags(self.value("dl-hashtags"), "Required hashtags"),
                mentions=parse_mentions(self.value("dl-mentions"), "Required mentions"),
                links=parse_links(self.value("dl-links"), "Required links"),
                disclosure=parse_disclosure(self.value("dl-disclosure") or None, "Disclosure"),
                approval=self.query_one("#dl-approval", Checkbox).value,
            )
        except DealInputError as exc:
            ids = {label.split(" (")[0]: fid for fid, label, _ in DELIVERABLE_FIELDS}
            self.refuse(exc, ids.get(exc.field, "dl-description"))
            return
        self.dismiss(new)


class InvoiceScreen(DealForm):
    """A new invoice of one deal; returns (number, amount in minor units, due)."""

    def __init__(
        self, deal_id: int, deal_title: str, fee_minor: int, currency: str, zone: ZoneInfo
    ) -> None:
        super().__init__()
        self.deal_id = deal_id
        self.deal_title = deal_title
        self.fee_minor = fee_minor
        self.currency = currency
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical(id="deal-form-box", classes="modal-box") as box:
            box.border_title = visible(f"New invoice · {self.deal_title}")
            box.border_subtitle = "Enter saves · Esc cancels"
            yield field_row("Number", "INV-2026-001", "inv-number")
            yield field_row(
                f"Amount ({self.currency})",
                "",
                "inv-amount",
                plain_amount(self.fee_minor, self.currency),
            )
            yield field_row("Due (date, workspace zone)", "2026-12-31", "inv-due")
            yield Static("", classes="form-error")

    def on_mount(self) -> None:
        self.query_one("#inv-number", Input).focus()

    def action_save(self) -> None:
        number = self.value("inv-number").strip()
        if not number:
            self.refuse(DealInputError("Number", "an invoice needs its number"), "inv-number")
            return
        try:
            amount = parse_amount(self.value("inv-amount"), self.currency)
        except MoneyError as exc:
            self.refuse(DealInputError("Amount", str(exc)), "inv-amount")
            return
        try:
            due = parse_time(self.value("inv-due"), self.zone, "Due", end_of_day=True)
            if due is None:
                raise DealInputError("Due", "an invoice needs its due date")
        except DealInputError as exc:
            self.refuse(exc, "inv-due")
            return
        self.dismiss((number, amount, due))


InvoiceAsk = tuple[str, int, datetime]
