"""The reply modal: write a reply, or insert a saved reply with its variables filled.

The text area holds the reply exactly as it will go out. Below it the
saved replies are listed; ctrl+o moves there, and the highlighted one is
previewed with `{author}`, `{video_title}`, `{link}` and `{post_url}` filled
for this comment; Enter inserts it. The preview line gives the length
against the platform's limit and the reply window when there is one.
ctrl+s queues the reply (the worker sends it), Escape cancels. It returns a
`ReplyDraft` or None.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from screens.modals.base import OwnKeysModal
from widgets.lists import KeyedOptionList
from widgets.safe_text import visible


def one_line(text: str) -> str:
    return visible(" ".join(text.split()))


@dataclass(frozen=True)
class ReplyDraft:
    """What the person wants sent: the text, and the saved reply it came from."""

    text: str
    saved: str | None


@dataclass(frozen=True)
class SavedChoice:
    """A saved reply as the modal lists it."""

    name: str
    body: str


@dataclass(frozen=True)
class ReplyLimits:
    """What the preview line says about a text (from the app's check)."""

    length: int
    limit: int | None
    window: str | None  # "3h 20m left", "closed", or None
    problem: str | None


class ReplyScreen(OwnKeysModal["ReplyDraft | None"]):
    """Write or pick a reply to one comment."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="reply.cancel", tooltip="Close without sending"),
        Binding("ctrl+s", "send", "Send", id="reply.send", tooltip="Queue the reply"),
        Binding("ctrl+o", "saved", "Saved replies", id="reply.saved", tooltip="Pick a saved reply"),
    ]

    def __init__(
        self,
        heading: str,
        comment: str,
        saved: list[SavedChoice],
        fill: Callable[[str], str],
        limits: Callable[[str], ReplyLimits],
        now: datetime,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.comment = comment
        self.saved = saved
        self.fill = fill
        self.limits = limits
        self.now = now
        self.from_saved: str | None = None
        self._inserted = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="reply-box", classes="modal-box") as box:
            box.border_title = self.heading
            box.border_subtitle = "ctrl+s sends · ctrl+o saved replies · Esc cancels"
            yield Static(Content.styled(visible(self.comment)[:300], "$text-muted"), id="reply-to")
            yield TextArea(id="reply-text", soft_wrap=True)
            yield Static("", id="reply-preview")
            yield Static(Content.styled("Saved replies", "bold"), id="reply-saved-title")
            options = [
                Option(
                    Content.assemble((visible(s.name), "bold"), "  ", visible(s.body)), id=s.name
                )
                for s in self.saved
            ]
            yield KeyedOptionList(*options, id="reply-saved")
            yield Static("", id="reply-saved-preview")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._show_limits()
        if not self.saved:
            self.query_one("#reply-saved-preview", Static).update(
                Content.styled("No saved replies: `reelroom saved-replies add`.", "$text-muted")
            )

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    def _show_limits(self) -> None:
        info = self.limits(self.text)
        count = f"{info.length}" + (f"/{info.limit}" if info.limit else "") + " characters"
        window = f" · reply window {info.window}" if info.window else ""
        line: Content
        if info.problem and self.text.strip():
            line = Content.styled(f"{count}{window} — {info.problem}", "$text-error")
        else:
            line = Content.styled(f"{count}{window}", "$text-muted")
        self.query_one("#reply-preview", Static).update(line)

    @on(TextArea.Changed, "#reply-text")
    def _changed(self) -> None:
        if self.text != self._inserted:
            self.from_saved = None
        self._show_limits()

    @on(OptionList.OptionHighlighted, "#reply-saved")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        name = event.option.id or ""
        final = self.fill(name)
        info = self.limits(final)
        limit = f" ({info.length}/{info.limit})" if info.limit else f" ({info.length})"
        self.query_one("#reply-saved-preview", Static).update(
            Content.assemble(("Final text: ", "bold"), visible(final), (limit, "$text-muted"))
        )

    @on(OptionList.OptionSelected, "#reply-saved")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name = event.option.id or ""
        area = self.query_one(TextArea)
        final = self.fill(name)
        if area.text.strip():
            area.insert(final)
        else:
            area.load_text(final)
        self._inserted = area.text
        self.from_saved = name
        area.focus()
        self._show_limits()

    def action_saved(self) -> None:
        """Move to the saved replies (Enter inserts the highlighted one)."""
        if self.saved:
            listing = self.query_one("#reply-saved", KeyedOptionList)
            listing.focus()
            if listing.highlighted is None:
                listing.highlighted = 0

    def action_send(self) -> None:
        """Queue the reply unless the platform would refuse it."""
        text = self.text.strip()
        info = self.limits(text)
        if not text or info.problem:
            self._show_limits()
            self.notify(info.problem or "The reply is empty.", severity="warning")
            return
        self.dismiss(ReplyDraft(text, self.from_saved))

    def action_cancel(self) -> None:
        """Close without sending."""
        self.dismiss(None)
