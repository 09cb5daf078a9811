"""The template picker: choose a template for a new script, with a preview of each hook."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.modals.base import Modal
from storage.script_templates import Template, TemplateSet
from storage.script_text import parse, spoken_lines
from widgets.lists import KeyedOptionList
from widgets.safe_text import visible

BLANK = Template(
    "blank",
    "Blank script",
    "## Hook\n\n## Body\n\n## CTA\n\n## On-screen text\n\n## Caption\n\n## Shots\n",
)


def template_preview(template: Template) -> str:
    """The first spoken or guidance line of a template's hook, for the picker."""
    hook = parse(template.body).text("hook")
    spoken = spoken_lines(hook)
    first = (
        spoken[0] if spoken else next((ln.strip() for ln in hook.splitlines() if ln.strip()), "")
    )
    return first.strip("[]").strip()


class TemplatePickerScreen(Modal[Template | None]):
    """Pick a template for a new script; Escape goes back to the posts."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Back",
            id="templates.back",
            tooltip="Back to the posts without creating a script",
        ),
    ]

    def __init__(self, templates: TemplateSet, *, title: str) -> None:
        super().__init__()
        self.choices = (*templates.templates, BLANK)
        self.problems = templates.problems
        self.post_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="templates-box", classes="modal-box") as box:
            box.border_title = visible(f"New script · {self.post_title}")
            box.border_subtitle = "Enter picks · Esc goes back"
            options = [
                Option(
                    Content.assemble(
                        (visible(t.title), "bold"),
                        "\n",
                        (
                            visible(template_preview(t), lines=True) or "Empty sections",
                            "$text-muted",
                        ),
                    ),
                    id=t.name,
                )
                for t in self.choices
            ]
            yield KeyedOptionList(*options, id="templates-list")
            if self.problems:
                yield Static(
                    Content.styled("\n".join(self.problems), "$text-warning"),
                    id="templates-problems",
                )

    def on_mount(self) -> None:
        listing = self.query_one("#templates-list", OptionList)
        listing.highlighted = 0
        listing.focus()

    @on(OptionList.OptionSelected, "#templates-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index])
