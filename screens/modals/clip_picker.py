"""The clip picker: link clips to a shot from a searchable selection list."""

from __future__ import annotations

from typing import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static
from textual.widgets.selection_list import Selection

from screens.modals.base import Modal
from storage.shots import LinkedClip, ShotRow
from widgets.lists import KeyedSelectionList
from widgets.safe_text import visible


def clip_label(clip: LinkedClip) -> str:
    """'A001.mov  12.3 s'."""
    length = f"  {clip.duration_s:.1f} s" if clip.duration_s is not None else ""
    return visible(f"{clip.name}{length}")


class ClipList(KeyedSelectionList[int]):
    """A SelectionList where Enter means done (space toggles, j/k move)."""

    BINDINGS = [
        Binding(
            "enter", "done", "Link", id="clips.done", tooltip="Link the ticked clips to the shot"
        )
    ]

    class Done(Message):
        """Enter was pressed."""

    def action_done(self) -> None:
        """Say the choice is made."""
        self.post_message(self.Done())


class ClipPickerScreen(Modal[set[int] | None]):
    """Tick the clips that show a shot; returns the ticked ids (None: cancelled)."""

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="clips.cancel",
            tooltip="Close without changing the links",
        )
    ]

    def __init__(self, shot: ShotRow, clips: Sequence[LinkedClip], linked: set[int]) -> None:
        super().__init__()
        self.shot = shot
        self.clips = tuple(clips)
        self.linked = linked

    def compose(self) -> ComposeResult:
        with Vertical(id="clips-box", classes="modal-box") as box:
            box.border_title = visible(
                f"Clips for shot {self.shot.number} · {self.shot.description}"
            )
            box.border_subtitle = "Space ticks · Enter links · Esc cancels"
            if not self.clips:
                yield Static("No clips yet: footage shows here once it is ingested.")
            yield ClipList(
                *(
                    Selection(clip_label(c), c.asset_id, c.asset_id in self.linked)
                    for c in self.clips
                ),
                id="clips-list",
            )

    def on_mount(self) -> None:
        self.query_one(ClipList).focus()

    def on_clip_list_done(self, message: ClipList.Done) -> None:
        """Return the ticked clips."""
        self.dismiss(set(self.query_one(ClipList).selected))
