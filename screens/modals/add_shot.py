"""The add-shot form: description, framing and location of a new shot."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label

from screens.modals.base import Modal


class AddShotScreen(Modal[tuple[str, str, str] | None]):
    """A small form: description, framing, location. Enter adds, Escape cancels."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="addshot.cancel",
            tooltip="Close without adding a shot",
        )
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="addshot-box", classes="modal-box") as box:
            box.border_title = "Add a shot"
            box.border_subtitle = "Enter adds · Esc cancels"
            yield Label("Description")
            yield Input(placeholder="What the camera sees", id="addshot-description")
            yield Label("Framing")
            yield Input(placeholder="CU, MS, WS, overhead…", id="addshot-framing")
            yield Label("Location")
            yield Input(placeholder="kitchen, street…", id="addshot-location")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any field adds the shot (a description is required)."""
        description = self.query_one("#addshot-description", Input).value.strip()
        if not description:
            self.notify("A shot needs a description.", severity="warning")
            self.query_one("#addshot-description", Input).focus()
            return
        self.dismiss(
            (
                description,
                self.query_one("#addshot-framing", Input).value,
                self.query_one("#addshot-location", Input).value,
            )
        )
