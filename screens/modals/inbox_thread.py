"""The thread modal: a comment in its thread, beside the video's title, hook and script.

It takes plain Content (screens/inbox/rows.py makes it) and returns what the
person pressed: "reply" (r), or None (Escape). Both halves scroll.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from screens.modals.base import OwnKeysModal


class ThreadScreen(OwnKeysModal["str | None"]):
    """One item's thread and the video it hangs on."""

    BINDINGS = [
        Binding("escape,q", "close", "Close", id="thread.close", tooltip="Back to the list"),
        Binding("r", "reply", "Reply", id="thread.reply", tooltip="Write a reply to it"),
    ]

    def __init__(self, title: str, thread: Content, video: Content) -> None:
        super().__init__()
        self.title_text = title
        self.thread = thread
        self.video = video

    def compose(self) -> ComposeResult:
        with Vertical(id="thread-box", classes="modal-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = "r reply · Esc back"
            with Horizontal(id="thread-body"):
                with VerticalScroll(id="thread-messages"):
                    yield Static(self.thread, id="thread-text")
                with VerticalScroll(id="thread-video"):
                    yield Static(self.video, id="thread-video-text")

    def on_mount(self) -> None:
        self.query_one("#thread-messages").focus()

    def action_close(self) -> None:
        """Back to the list."""
        self.dismiss(None)

    def action_reply(self) -> None:
        """Close and open the reply form."""
        self.dismiss("reply")
