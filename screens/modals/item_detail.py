"""The detail modal of one Today item: labelled fields, then text blocks.

It shows a plain `DetailView`; the pane that opens it builds the view from
storage rows (times already in the workspace zone). Escape closes it. Every
value is shown with its control characters made visible (widgets/safe_text).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from widgets.safe_text import visible


@dataclass(frozen=True)
class DetailView:
    """What the detail modal shows."""

    title: str
    kind: str
    fields: tuple[tuple[str, str], ...]
    blocks: tuple[tuple[str, str], ...] = ()


def fields_content(fields: tuple[tuple[str, str], ...]) -> Content:
    """Label/value lines with the values aligned by terminal cells."""
    width = max((cell_len(label) for label, _ in fields), default=0) + 2
    parts: list[str | tuple[str, str]] = []
    for index, (label, value) in enumerate(fields):
        pad = " " * (width - cell_len(label))
        parts += [("\n" if index else ""), (label + pad, "$text-muted"), visible(value)]
    return Content.assemble(*parts)


class ItemDetailScreen(ModalScreen[None]):
    """One item's detail over the current screen."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="detail.close", tooltip="Close the detail"),
        Binding(
            "q", "dismiss", "Close", id="detail.close_q", show=False, tooltip="Close the detail"
        ),
    ]

    def __init__(self, view: DetailView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box", classes="modal-box") as box:
            box.border_title = visible(f"{self.view.kind} · {self.view.title}")
            box.border_subtitle = "Esc closes"
            with VerticalScroll(id="detail-body"):
                yield Static(fields_content(self.view.fields), id="detail-fields")
                for heading, text in self.view.blocks:
                    yield Static(Content.styled(heading, "bold"), classes="detail-heading")
                    yield Static(Content(visible(text, lines=True) or "—"), classes="detail-block")
