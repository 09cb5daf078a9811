"""A yes/no confirmation that names what it is about.

The question is a sentence naming the object ("Cancel render job 20 —
tiktok, “Sheet-pan fajitas”, running?"); two buttons answer it. `y` answers
yes and `n` no from anywhere in the box; the arrows and Tab move between the
buttons and Enter presses the focused one (Yes is focused first); Escape and
`q` answer no.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from screens.modals.base import Modal
from widgets.safe_text import visible


class ConfirmScreen(Modal[bool]):
    """A yes/no question: y answers yes, n/Escape/q no; arrows move between the buttons."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes", tooltip="Yes, do it"),
        Binding("n", "answer(False)", "No", id="confirm.no", tooltip="No, leave it"),
        Binding(
            "left,up",
            "app.focus_previous",
            "Previous",
            id="confirm.previous",
            show=False,
            tooltip="Move to the other answer",
        ),
        Binding(
            "right,down",
            "app.focus_next",
            "Next",
            id="confirm.next",
            show=False,
            tooltip="Move to the other answer",
        ),
    ]

    def __init__(self, question: str, *, title: str = "Are you sure?", yes: str = "Yes") -> None:
        super().__init__()
        self.question = question
        self.box_title = title
        self.yes_label = yes

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="modal-box") as box:
            box.border_title = self.box_title
            box.border_subtitle = "y yes · n no · Esc no"
            yield Static(Content(visible(self.question, lines=True)), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes_label} (y)", variant="warning", id="confirm-yes")
                yield Button("No (n)", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def close_result(self) -> Any:
        """Closing answers no."""
        return False

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)
