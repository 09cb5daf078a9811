"""The tag modal: one line of comma-separated tags for a clip.

It is prefilled with the clip's tags and returns the new list (trimmed,
empty entries and repeats dropped, order kept), or None when cancelled.
An empty line clears the tags. Enter saves, Escape cancels.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from screens.modals.base import Modal
from storage.text_input import clean_line
from widgets.safe_text import visible


def parse_tags(line: str) -> list[str]:
    """Comma-separated tags, trimmed, a leading '#' dropped, repeats removed."""
    tags = (part.strip().lstrip("#").strip() for part in line.split(","))
    return list(dict.fromkeys(t for t in tags if t))


class TagClipScreen(Modal["list[str] | None"]):
    """Edit one clip's tags."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="tag_clip.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, clip_name: str, tags: list[str]) -> None:
        super().__init__()
        self.clip_name = clip_name
        self.tags = list(tags)

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-clip-box", classes="modal-box") as box:
            box.border_title = visible(f"Tags · {self.clip_name}")
            box.border_subtitle = "Enter saves · Esc cancels"
            yield Input(
                clean_line(", ".join(self.tags)),
                placeholder="beach, b-roll, 饺子",
                id="tag-clip-input",
            )
            yield Static(
                Content.styled("Comma separated; an empty line removes every tag.", "$text-muted")
            )

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#tag-clip-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(parse_tags(event.value))

    def action_cancel(self) -> None:
        """Close without changing the tags."""
        self.dismiss(None)
