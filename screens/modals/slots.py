"""The posting-slots modal: the slots of one weekday, added and removed in place.

It is handed the `CalendarRepo` (the database is the slots' source of
truth; config.toml's [[slots]] only seed it). Type "account HH:MM" (account
as `platform:handle`, `@handle` or `handle`) and Enter to add a slot; `x`
or Delete removes the highlighted one; Escape closes and the calendar is
read again.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from screens.modals.base import Modal
from storage.calendar import CalendarRepo
from storage.models import Account
from storage.slots import FULL_NAMES, is_hhmm
from widgets.lists import KeyedOptionList
from widgets.safe_text import visible


def find_account(text: str, accounts: list[Account]) -> Account | None:
    """The account `text` names ("tiktok:lab", "@lab", "lab"), if exactly one."""
    key = text.strip().lstrip("@").casefold()
    exact = [a for a in accounts if f"{a.platform}:{a.handle}".casefold() == key]
    by_handle = [a for a in accounts if a.handle.casefold() == key]
    found = exact or by_handle
    return found[0] if len(found) == 1 else None


class SlotsScreen(Modal[bool]):
    """Slots of one weekday; dismisses with True when anything changed."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="slots.close", tooltip="Close the slots"),
        Binding(
            "x,delete", "remove", "Remove", id="slots.remove", tooltip="Remove the highlighted slot"
        ),
    ]

    def __init__(self, repo: CalendarRepo, weekday: int) -> None:
        super().__init__()
        self.repo = repo
        self.weekday = weekday
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="slots-box", classes="modal-box") as box:
            box.border_title = f"Posting slots · {FULL_NAMES[self.weekday].title()}s"
            box.border_subtitle = "Tab to the list, x removes · Esc closes"
            yield KeyedOptionList(id="slots-list")
            yield Input(placeholder="add: account HH:MM, e.g. tiktok:handle 18:00", id="slots-add")
            yield Static("", id="slots-message")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(Input).focus()

    def _fill(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        slots = sorted(
            (s for s in self.repo.slots() if s.weekday == self.weekday),
            key=lambda s: (s.local_time, s.platform, s.handle),
        )
        listing.add_options(
            [
                Option(Content(visible(f"{s.local_time}  {s.platform}:{s.handle}")), id=str(s.id))
                for s in slots
            ]
        )
        if slots:
            listing.highlighted = 0
        else:
            listing.add_option(Option("no slots on this weekday yet", disabled=True))

    def _say(self, text: str) -> None:
        self.query_one("#slots-message", Static).update(Content(visible(text)))

    @on(Input.Submitted, "#slots-add")
    def _add(self, event: Input.Submitted) -> None:
        event.stop()
        account_text, _, hhmm = event.value.strip().rpartition(" ")
        if not is_hhmm(hhmm):
            self._say(
                f"{hhmm or 'The time'!r} is not a 24-hour time like 18:00; write: account HH:MM."
            )
            return
        account = find_account(account_text, self.repo.accounts())
        if account is None:
            known = (
                ", ".join(f"{a.platform}:{a.handle}" for a in self.repo.accounts()) or "none yet"
            )
            self._say(f"No single account is called {account_text!r}. Accounts: {known}.")
            return
        added = self.repo.add_slot(account.id, self.weekday, hhmm)
        self.changed = self.changed or added
        self._say(
            f"Added {hhmm} for {account.platform}:{account.handle}."
            if added
            else "That slot is already there."
        )
        event.input.value = ""
        self._fill()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """x and Delete remove only while the list has the focus (the field keeps its keys)."""
        if action == "remove":
            return self.focused is self.query_one(OptionList)
        return True

    def action_remove(self) -> None:
        """Remove the highlighted slot."""
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            self._say("Highlight a slot in the list first (Tab, then the arrows).")
            return
        option = listing.get_option_at_index(listing.highlighted)
        if option.id is None:
            return
        if self.repo.remove_slot(int(option.id)):
            self.changed = True
            self._say("Removed.")
        self._fill()

    def action_close(self) -> None:
        """Close; True when slots changed."""
        self.dismiss(self.changed)
