"""The edit-post modal: a post's title, pillar, status, day, time and target length.

It is opened on a post's current values and returns a plain `PostEdit` (or
None when closed); the pane that opened it writes it. Ctrl+S or Enter in a
text field saves. A bad day, time or length, or an empty title, is said
under the fields and nothing is returned. `focus="day"` starts on the day
(Today's "reschedule").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from screens.modals.base import Modal
from storage.slots import is_hhmm


@dataclass(frozen=True)
class PostEdit:
    """What the modal collected (day None: unplanned)."""

    title: str
    pillar_id: int | None
    status: str
    day: date | None
    time: str  # local "HH:MM"
    target_seconds: int | None


class EditPostScreen(Modal["PostEdit | None"]):
    """Edit one post; every field starts at its current value."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="edit_post.save", tooltip="Save the changes"),
    ]

    def __init__(
        self,
        current: PostEdit,
        *,
        pillars: list[tuple[str, int]],
        statuses: list[tuple[str, str]],
        focus: str = "title",
    ) -> None:
        super().__init__()
        self.current = current
        self.pillars = pillars
        self.statuses = statuses
        self.first_focus = focus

    def compose(self) -> ComposeResult:
        cur = self.current
        with Vertical(id="edit-post-box", classes="modal-box") as box:
            box.border_title = f"Edit post · {cur.title}"
            box.border_subtitle = "Ctrl+S or Enter saves · Esc closes"
            yield Label("Title")
            yield Input(cur.title, id="edit-post-title", compact=True)
            yield Label("Pillar · status")
            with Horizontal(classes="edit-post-row"):
                yield Select(
                    self.pillars,
                    prompt="No pillar",
                    value=cur.pillar_id if cur.pillar_id is not None else Select.NULL,
                    id="edit-post-pillar",
                    compact=True,
                )
                yield Select(
                    self.statuses,
                    value=cur.status,
                    allow_blank=False,
                    id="edit-post-status",
                    compact=True,
                )
            yield Label("Day (YYYY-MM-DD, empty: unplanned) · time (HH:MM) · target seconds")
            with Horizontal(classes="edit-post-row"):
                yield Input(
                    cur.day.isoformat() if cur.day else "",
                    placeholder="2026-12-05",
                    id="edit-post-day",
                    compact=True,
                )
                yield Input(cur.time, placeholder="18:00", id="edit-post-time", compact=True)
                yield Input(
                    str(cur.target_seconds) if cur.target_seconds else "",
                    placeholder="45",
                    id="edit-post-target",
                    compact=True,
                )
            yield Static("", id="edit-post-error")

    def on_mount(self) -> None:
        self.query_one(f"#edit-post-{self.first_focus}", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _fail(self, field: str, text: str) -> None:
        self.query_one("#edit-post-error", Static).update(text)
        self.query_one(f"#edit-post-{field}", Input).focus()

    def action_save(self) -> None:
        """Check the fields and return them, or say what is wrong."""
        title = self.query_one("#edit-post-title", Input).value.strip()
        day_text = self.query_one("#edit-post-day", Input).value.strip()
        time = self.query_one("#edit-post-time", Input).value.strip()
        target_text = self.query_one("#edit-post-target", Input).value.strip()
        if not title:
            self._fail("title", "The title is empty: type what the video is.")
            return
        day: date | None = None
        if day_text:
            try:
                day = date.fromisoformat(day_text)
            except ValueError:
                self._fail("day", f"Day {day_text!r} is not a date like 2026-12-05.")
                return
        if day is not None and not is_hhmm(time):
            self._fail("time", f"Time {time!r} is not a 24-hour time like 18:00.")
            return
        target: int | None = None
        if target_text:
            if not target_text.isdigit() or not 1 <= int(target_text) <= 3600:
                self._fail("target", f"Target {target_text!r}: whole seconds from 1 to 3600.")
                return
            target = int(target_text)
        pillar = self.query_one("#edit-post-pillar", Select).value
        status = self.query_one("#edit-post-status", Select).value
        self.dismiss(
            PostEdit(
                title,
                pillar if isinstance(pillar, int) else None,
                str(status),
                day,
                time,
                target,
            )
        )
