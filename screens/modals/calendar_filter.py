"""The `/` filter modal of the Calendar tab: one line of comma-separated terms.

A term is a pillar name (or part of one), a status (`scripting`, `ready`…)
or an account (`tiktok:handle`, `@handle`). The field suggests completions
of known words; Enter returns the text (empty clears), Escape cancels.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from screens.modals.base import Modal


class FilterScreen(Modal["str | None"]):
    """Asks for filter terms."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="filter.cancel", tooltip="Keep the current filter"
        ),
    ]

    def __init__(self, current: str, choices: list[str]) -> None:
        super().__init__()
        self.current = current
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(id="filter-box", classes="modal-box") as box:
            box.border_title = "Filter"
            box.border_subtitle = "Enter applies · empty clears · Esc cancels"
            yield Input(
                self.current,
                placeholder="pillar, status or account (comma-separated)",
                suggester=SuggestFromList(self.choices, case_sensitive=False),
                id="filter-input",
            )
            yield Static("e.g. " + ", ".join(self.choices[:3]), id="filter-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _apply(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        """Close, keeping the filter as it was."""
        self.dismiss(None)
