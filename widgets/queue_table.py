"""QueueTable: a paged window of rows (FootageTable's paging) that updates in place.

It is the footage table's window — keyset pages fed in by the owner,
`NearEdge` and `JumpRequested` to ask for more — plus what a live queue
needs: when a fresh read has the same row keys as the window, only the
cells that changed are written (an upload's progress ticks without the
table being rebuilt or the cursor moving), and the tone of a row styles the
columns named in `toned` (by default the first column and "state").
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text

from widgets.footage_table import FootageTable, TableRow, fit
from widgets.tones import rich_tone


class QueueTable(FootageTable):
    """A window of rows with keyset paging hooks and in-place updates."""

    toned: tuple[str, ...] = ("state",)

    def show_rows(
        self, rows: Sequence[TableRow], *, cursor_key: str | None = None, cursor_index: int = 0
    ) -> None:
        """Replace the window; when its keys are the same, only changed cells are written."""
        rows = list(rows)
        if rows and [r.key for r in rows] == self.keys:
            for old, new in zip(self._rows, rows, strict=True):
                if old != new:
                    for column, cell in zip(self._columns, self._texts(new), strict=False):
                        self.update_cell(new.key, column.key, cell)
            self._rows = rows
            if cursor_key is not None and cursor_key != self.highlighted_key:
                self._move_to(cursor_key, cursor_index)
            return
        super().show_rows(rows, cursor_key=cursor_key, cursor_index=cursor_index)

    def _texts(self, row: TableRow) -> list[Text]:
        style = rich_tone(row.tone)
        return [
            Text(
                fit(row.cells.get(c.key, ""), c.width, right=c.right),
                style=style if i == 0 or c.key in self.toned else "",
            )
            for i, c in enumerate(self._columns)
        ]

    def _add(self, rows: Sequence[TableRow]) -> None:
        for row in rows:
            self.add_row(*self._texts(row), key=row.key)

    def scroll_cursor_near_top(self, above: int = 2) -> None:
        """Scroll so the cursor's row shows `above` rows below the top (when it can)."""
        self.scroll_to(y=max(0, self.cursor_row - above), animate=False, immediate=True)
