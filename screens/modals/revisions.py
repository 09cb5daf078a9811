"""The revisions modal: a script's saved versions, a diff against the text, restore.

The list shows each revision's time (workspace zone) and why it was kept
(save, autosave, import, restore) with its added/removed line counts against
the current text. The highlighted revision's unified diff shows below.
Enter or r restores it (the modal returns that revision); Escape closes.
"""

from __future__ import annotations

import difflib
from typing import Sequence
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from screens.modals.base import Modal
from storage.scripts import Revision
from widgets.lists import KeyedOptionList
from widgets.safe_text import visible

REASON_LABELS = {
    "save": "saved",
    "autosave": "autosaved",
    "import": "imported",
    "restore": "restored",
}


def diff_lines(old: str, new: str, *, old_name: str, new_name: str = "current text") -> list[str]:
    """A unified diff from `old` to `new` (no lines when they are equal)."""
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), fromfile=old_name, tofile=new_name, lineterm=""
        )
    )


def change_counts(lines: Sequence[str]) -> tuple[int, int]:
    """(lines added, lines removed) in a unified diff."""
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return added, removed


def diff_content(lines: Sequence[str]) -> Content:
    """The diff coloured by line kind."""
    if not lines:
        return Content.styled("Same as the current text.", "$text-muted")
    parts: list[str | tuple[str, str]] = []
    for index, line in enumerate(lines):
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "$text-accent"
        elif line.startswith("+"):
            style = "$text-success"
        elif line.startswith("-"):
            style = "$text-error"
        else:
            style = ""
        parts += ["\n" if index else "", (visible(line), style)]
    return Content.assemble(*parts)


def revision_label(
    revision: Revision, zone: ZoneInfo, current: str, reason: str | None = None
) -> Content:
    """'Sat 28 Nov 17:04  saved      +3 −1' (`reason` overrides the stored word)."""
    when = revision.created_at.astimezone(zone).strftime("%a %d %b %H:%M")
    reason = reason or REASON_LABELS.get(revision.reason, revision.reason)
    added, removed = change_counts(diff_lines(revision.body, current, old_name="r"))
    change = "same as now" if not (added or removed) else f"+{added} −{removed} vs now"
    return Content.assemble(
        (when, ""), "  ", (f"{reason:<10}", "$text-accent"), "  ", (change, "$text-muted")
    )


class RevisionsScreen(Modal[Revision | None]):
    """Pick a revision to restore; its diff against the current text shows below."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Close",
            id="revisions.close",
            tooltip="Close without restoring",
        ),
        Binding(
            "r",
            "restore",
            "Restore",
            id="revisions.restore",
            tooltip="Restore the highlighted revision (the current text stays a revision)",
        ),
    ]

    def __init__(
        self,
        revisions: Sequence[Revision],
        current: str,
        *,
        zone: ZoneInfo,
        title: str,
        template: str | None = None,
    ) -> None:
        super().__init__()
        self.revisions = tuple(revisions)
        self.template = template
        self.current = current
        self.zone = zone
        self.post_title = title

    def compose(self) -> ComposeResult:
        with Vertical(id="revisions-box", classes="modal-box") as box:
            box.border_title = visible(f"Revisions · {self.post_title}")
            box.border_subtitle = "Enter/r restores · Esc closes"
            options = [
                Option(revision_label(r, self.zone, self.current, self.made_by(r)), id=str(r.id))
                for r in self.revisions
            ]
            yield KeyedOptionList(*options, id="revisions-list")
            with VerticalScroll(id="revisions-diff-box"):
                yield Static("", id="revisions-diff")

    def made_by(self, revision: Revision) -> str | None:
        """ "template" for the first revision of a script started from a template."""
        first = self.revisions[-1] if self.revisions else None
        if self.template and revision is first and revision.reason == "save":
            return "template"
        return None

    def on_mount(self) -> None:
        listing = self.query_one("#revisions-list", OptionList)
        if self.revisions:
            listing.highlighted = 0
            self._show_diff(0)
        else:
            self.query_one("#revisions-diff", Static).update(
                Content.styled("No revisions yet: ctrl+s saves one.", "$text-muted")
            )
        listing.focus()

    @property
    def highlighted(self) -> Revision | None:
        """The revision under the cursor."""
        index = self.query_one("#revisions-list", OptionList).highlighted
        return None if index is None or not self.revisions else self.revisions[index]

    def _show_diff(self, index: int) -> None:
        revision = self.revisions[index]
        when = revision.created_at.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")
        lines = diff_lines(revision.body, self.current, old_name=f"revision {revision.id} ({when})")
        self.query_one("#revisions-diff", Static).update(diff_content(lines))

    @on(OptionList.OptionHighlighted, "#revisions-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_diff(event.option_index)

    @on(OptionList.OptionSelected, "#revisions-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.revisions[event.option_index])

    def action_restore(self) -> None:
        """Return the highlighted revision to restore it."""
        if self.highlighted is not None:
            self.dismiss(self.highlighted)
