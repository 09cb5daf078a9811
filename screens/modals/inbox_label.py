"""The label and assign modals of the Inbox tab.

`LabelScreen` ticks the item's labels (space toggles, Enter saves, Escape
cancels) and returns the chosen labels or None. `AssignScreen` takes a
teammate's OS user name (suggested as it is typed; empty: nobody) and
returns it ("" for nobody) or None when cancelled.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static
from textual.widgets.selection_list import Selection

from screens.modals.base import OwnKeysModal
from widgets.lists import KeyedSelectionList

LABEL_HINTS = {
    "question": "asks something",
    "praise": "likes it",
    "complaint": "something went wrong",
    "lead": "a brand or business enquiry",
    "spam": "spam, scams, link drops",
}


class LabelScreen(OwnKeysModal["list[str] | None"]):
    """Tick the labels of one item."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="label.cancel", tooltip="Close without saving"),
        Binding("enter", "save", "Save", id="label.save", tooltip="Save the labels", priority=True),
    ]

    def __init__(self, labels: tuple[str, ...], current: tuple[str, ...]) -> None:
        super().__init__()
        self.labels = labels
        self.current = set(current)

    def compose(self) -> ComposeResult:
        with Vertical(id="label-box", classes="modal-box") as box:
            box.border_title = "Labels"
            box.border_subtitle = "space ticks · Enter saves · Esc cancels"
            yield KeyedSelectionList[str](
                *(
                    Selection(
                        Content.assemble(
                            (name, "bold"), "  ", (LABEL_HINTS.get(name, ""), "$text-muted")
                        ),
                        name,
                        name in self.current,
                    )
                    for name in self.labels
                ),
                id="label-list",
            )

    def on_mount(self) -> None:
        listing = self.query_one(KeyedSelectionList)
        listing.focus()
        listing.highlighted = 0

    def action_save(self) -> None:
        """Save the ticked labels."""
        chosen = set(self.query_one(KeyedSelectionList).selected)
        self.dismiss([name for name in self.labels if name in chosen])

    def action_cancel(self) -> None:
        self.dismiss(None)


class AssignScreen(OwnKeysModal["str | None"]):
    """Give the item to a teammate by OS user name."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="assign.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, current: str | None, teammates: list[str], me: str) -> None:
        super().__init__()
        self.current = current or ""
        self.teammates = teammates
        self.me = me

    def compose(self) -> ComposeResult:
        with Vertical(id="assign-box", classes="modal-box") as box:
            box.border_title = "Assign to"
            box.border_subtitle = "Enter saves · empty: nobody · Esc cancels"
            yield Input(
                self.current or self.me,
                placeholder="an OS user name",
                suggester=SuggestFromList(self.teammates, case_sensitive=True),
                id="assign-input",
            )
            names = ", ".join(self.teammates[:8]) or "—"
            yield Static(Content.styled(f"Teammates: {names}", "$text-muted"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#assign-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
