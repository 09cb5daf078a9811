"""The new-post modal: title, pillar, status and local time of one day.

It returns a plain `NewPost` (or None when cancelled); the pane that opened
it saves it. Enter in the title or time field saves, Escape cancels. A bad
time or an empty title is said under the fields and nothing is returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from screens.modals.base import Modal
from storage.slots import is_hhmm


@dataclass(frozen=True)
class NewPost:
    """What the modal collected."""

    title: str
    pillar_id: int | None
    status: str
    time: str  # local "HH:MM"


class NewPostScreen(Modal["NewPost | None"]):
    """A small form for a post on `day`, its time prefilled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="new_post.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="new_post.save", tooltip="Save the new post"),
    ]

    def __init__(
        self,
        day: date,
        *,
        time: str,
        time_hint: str,
        pillars: list[tuple[str, int]],
        statuses: list[tuple[str, str]],
    ) -> None:
        super().__init__()
        self.day = day
        self.time = time
        self.time_hint = time_hint
        self.pillars = pillars
        self.statuses = statuses

    def compose(self) -> ComposeResult:
        with Vertical(id="new-post-box", classes="modal-box") as box:
            box.border_title = f"New post · {self.day:%a %d %b %Y}"
            box.border_subtitle = "Enter saves · Esc cancels"
            yield Label("Title")
            yield Input(placeholder="What is the video?", id="new-post-title")
            yield Label("Pillar")
            yield Select(self.pillars, prompt="No pillar", id="new-post-pillar")
            yield Label("Status")
            yield Select(
                self.statuses, value=self.statuses[0][1], allow_blank=False, id="new-post-status"
            )
            yield Label(f"Time ({self.time_hint})")
            yield Input(self.time, placeholder="HH:MM", id="new-post-time")
            yield Static("", id="new-post-error")

    def on_mount(self) -> None:
        self.query_one("#new-post-title", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        """Check the fields and return them, or say what is wrong."""
        title = self.query_one("#new-post-title", Input).value.strip()
        time = self.query_one("#new-post-time", Input).value.strip()
        error = self.query_one("#new-post-error", Static)
        if not title:
            error.update("The title is empty: type what the video is.")
            self.query_one("#new-post-title", Input).focus()
            return
        if not is_hhmm(time):
            error.update(f"Time {time!r} is not a 24-hour time like 18:00.")
            self.query_one("#new-post-time", Input).focus()
            return
        pillar = self.query_one("#new-post-pillar", Select).value
        status = self.query_one("#new-post-status", Select).value
        pillar_id = pillar if isinstance(pillar, int) else None
        self.dismiss(NewPost(title, pillar_id, str(status), time))

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
