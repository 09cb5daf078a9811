"""The Scripts tab's shot list: the shot table, the add-shot form, and shot lines in text.

The script stays the source of the shot list: a shot added from the table is
written into the script's Shots section as a `!!` line (`add_shot_line`) and
saved, which syncs the table. Status lives in the table only (s cycles it).
"""

from __future__ import annotations

import re
from typing import Sequence

from textual.binding import Binding
from textual.message import Message

from storage.script_text import Shot, parse
from storage.shots import SHOT_STATUSES, ShotRow
from widgets.lists import KeyedDataTable
from widgets.triage_list import fit_cells

_SHOTS_HEADING = re.compile(r"^##\s+(shots|shot list)\s*$", re.IGNORECASE)
_ANY_HEADING = re.compile(r"^##\s+\S")
COLUMNS = (
    ("#", "number", 3),
    ("Shot", "description", 0),
    ("Framing", "framing", 9),
    ("Location", "location", 10),
    ("Status", "status", 8),
    ("Clips", "clips", 5),
)


def next_status(status: str) -> str:
    """to shoot → shot → in edit → to shoot."""
    index = SHOT_STATUSES.index(status) if status in SHOT_STATUSES else -1
    return SHOT_STATUSES[(index + 1) % len(SHOT_STATUSES)]


def add_shot_line(
    text: str, description: str, framing: str = "", location: str = ""
) -> tuple[str, int]:
    """The script with a new `!!` line at the end of its Shots section, and its number."""
    number = max((s.number for s in parse(text).shots()), default=0) + 1
    line = Shot(number, " ".join(description.split()), framing.strip(), location.strip()).line()
    lines = text.splitlines()
    start = next((i for i, raw in enumerate(lines) if _SHOTS_HEADING.match(raw.strip())), None)
    if start is None:
        body = text.rstrip("\n")
        return (f"{body}\n\n## Shots\n{line}\n" if body else f"## Shots\n{line}\n"), number
    end = next(
        (i for i in range(start + 1, len(lines)) if _ANY_HEADING.match(lines[i])), len(lines)
    )
    at = start + 1
    for i in range(start + 1, end):
        if lines[i].strip():
            at = i + 1
    lines.insert(at, line)
    return "\n".join(lines) + "\n", number


class ShotTable(KeyedDataTable[str]):
    """A post's shots, one row each; s cycles the status, a adds a shot, l links clips."""

    BINDINGS = [
        Binding(
            "s",
            "cycle_status",
            "Status",
            id="shots.status",
            tooltip="Cycle the shot's status: to shoot, shot, in edit",
        ),
        Binding(
            "a",
            "add_shot",
            "Add shot",
            id="shots.add",
            tooltip="Add a shot (written into the script's Shots section)",
        ),
        Binding(
            "l", "link_clips", "Clips", id="shots.clips", tooltip="Link clips (footage) to the shot"
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.shots: tuple[ShotRow, ...] = ()

    def on_mount(self) -> None:
        for label, key, _width in COLUMNS:
            self.add_column(label, key=key)

    def show_shots(self, shots: Sequence[ShotRow], description_cells: int = 24) -> None:
        """Replace the rows, keeping the cursor on the same shot when it remains."""
        keep = self.highlighted_shot
        self.shots = tuple(shots)
        self.clear()
        for shot in self.shots:
            self.add_row(
                str(shot.number),
                fit_cells(shot.description, description_cells),
                fit_cells(shot.framing, 9).rstrip(),
                fit_cells(shot.location, 10).rstrip(),
                shot.status_label,
                str(shot.clips) if shot.clips else "—",
                key=str(shot.id),
            )
        if keep is not None and any(s.id == keep.id for s in self.shots):
            self.move_cursor(row=self.get_row_index(str(keep.id)))

    @property
    def highlighted_shot(self) -> ShotRow | None:
        """The shot under the cursor, if any."""
        if not self.shots or self.cursor_row < 0 or self.cursor_row >= len(self.shots):
            return None
        return self.shots[self.cursor_row]

    def action_cycle_status(self) -> None:
        """Ask the pane to move the highlighted shot to its next status."""
        shot = self.highlighted_shot
        if shot is not None:
            self.post_message(self.StatusCycled(shot))

    def action_add_shot(self) -> None:
        """Ask the pane to add a shot."""
        self.post_message(self.AddRequested())

    class StatusCycled(Message):
        """s was pressed on a shot: move it to its next status."""

        def __init__(self, shot: ShotRow) -> None:
            super().__init__()
            self.shot = shot

    class AddRequested(Message):
        """a was pressed: the user wants to add a shot."""

    class LinkRequested(Message):
        """l was pressed on a shot: the user wants to link clips to it."""

        def __init__(self, shot: ShotRow) -> None:
            super().__init__()
            self.shot = shot

    def action_link_clips(self) -> None:
        """Ask the pane to pick clips for the highlighted shot."""
        shot = self.highlighted_shot
        if shot is not None:
            self.post_message(self.LinkRequested(shot))


def description_cells(table_width: int) -> int:
    """Cells left for the description column at a table width."""
    fixed = sum(width + 2 for _, _, width in COLUMNS if width)
    return max(12, table_width - fixed - 4)
