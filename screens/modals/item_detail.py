"""The detail modal of one item: labelled fields, then text blocks, then what can be done.

It shows a plain `DetailView`; the pane that opens it builds the view from
storage rows (times already in the workspace zone). A view may offer actions
(`DETAIL_ACTIONS`: open the script, retry the render, reschedule, mark
handled): their keys show in the modal's own footer, and pressing one closes
the modal with that action's name for the opener to carry out. Escape or `q`
closes it with None. Every value is shown with
its control characters made visible (widgets/safe_text).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from screens.modals.base import Modal
from widgets.safe_text import visible

# What a detail can offer, by name: (key, footer label, tooltip).
DETAIL_ACTIONS: dict[str, tuple[str, str, str]] = {
    "open_script": ("o", "Open script", "Open this post's script in the Scripts tab"),
    "retry_render": ("R", "Retry render", "Queue this failed render again"),
    "reschedule": ("d", "Reschedule", "Move this post to another day and time"),
    "handled": ("x", "Handled", "Mark this item handled: Today stops listing it"),
}


@dataclass(frozen=True)
class DetailView:
    """What the detail modal shows."""

    title: str
    kind: str
    fields: tuple[tuple[str, str], ...]
    blocks: tuple[tuple[str, str], ...] = ()
    actions: tuple[str, ...] = ()  # names in DETAIL_ACTIONS this item offers


def fields_content(fields: tuple[tuple[str, str], ...]) -> Content:
    """Label/value lines with the values aligned by terminal cells."""
    width = max((cell_len(label) for label, _ in fields), default=0) + 2
    parts: list[str | tuple[str, str]] = []
    for index, (label, value) in enumerate(fields):
        pad = " " * (width - cell_len(label))
        parts += [("\n" if index else ""), (label + pad, "$text-muted"), visible(value)]
    return Content.assemble(*parts)


class ItemDetailScreen(Modal["str | None"]):
    """One item's detail over the current screen; closes with the action chosen, if any."""

    BINDINGS = [
        Binding(key, f"act('{name}')", label, id=f"detail.{name}", tooltip=tooltip)
        for name, (key, label, tooltip) in DETAIL_ACTIONS.items()
    ]

    def __init__(self, view: DetailView) -> None:
        super().__init__()
        self.view = view

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the actions this item offers are keys here."""
        if action == "act":
            return bool(parameters) and parameters[0] in self.view.actions
        return True

    def action_act(self, name: str) -> None:
        """Close with the action's name; the opener carries it out."""
        if name in self.view.actions:
            self.dismiss(name)

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-box", classes="modal-box") as box:
            box.border_title = visible(f"{self.view.kind} · {self.view.title}")
            box.border_subtitle = " · ".join(
                [
                    *(
                        f"{DETAIL_ACTIONS[a][0]} {DETAIL_ACTIONS[a][1].lower()}"
                        for a in self.view.actions
                    ),
                    "Esc closes",
                ]
            )
            with VerticalScroll(id="detail-body"):
                yield Static(fields_content(self.view.fields), id="detail-fields")
                for heading, text in self.view.blocks:
                    yield Static(Content.styled(heading, "bold"), classes="detail-heading")
                    yield Static(Content(visible(text, lines=True) or "—"), classes="detail-block")
