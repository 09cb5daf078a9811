"""The help modal: every key that is active where `?` was pressed."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from screens.modals.base import OwnKeysModal


@dataclass(frozen=True)
class KeyHelp:
    """One key (as displayed) and what it does."""

    key: str
    description: str


def keys_content(keys: list[KeyHelp]) -> Content:
    """One key a line, descriptions aligned by terminal cells."""
    width = max((cell_len(k.key) for k in keys), default=0) + 3
    parts: list[str | tuple[str, str]] = []
    for index, item in enumerate(keys):
        pad = " " * (width - cell_len(item.key))
        parts += [("\n" if index else ""), (item.key, "bold $text-accent"), pad, item.description]
    return Content.assemble(*parts)


class HelpScreen(OwnKeysModal[None]):
    """Lists the keys it is given; Escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close", tooltip="Close the help"),
        Binding(
            "question_mark",
            "dismiss",
            "Close",
            id="help.close_help",
            show=False,
            tooltip="Close the help",
        ),
        Binding("q", "dismiss", "Close", id="help.close_q", show=False, tooltip="Close the help"),
    ]

    def __init__(
        self,
        keys: list[KeyHelp],
        notes: tuple[tuple[str, str], ...] = (),
        notes_title: str = "What you see",
    ) -> None:
        super().__init__()
        self.keys = keys
        self.notes = notes  # (what is typed or shown, what it means): a syntax, a legend
        self.notes_title = notes_title

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box", classes="modal-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            with VerticalScroll(id="help-body"):
                yield Static(keys_content(self.keys), id="help-keys")
                if self.notes:
                    yield Static(Content.styled(self.notes_title, "bold"), id="help-notes-title")
                    yield Static(
                        keys_content([KeyHelp(k, text) for k, text in self.notes]),
                        id="help-notes",
                    )
