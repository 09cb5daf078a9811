"""JobTable: a DataTable of job rows that updates in place as progress comes in.

It takes plain `TableColumn`s and `TableRow`s (cell text by column key, a
tone) from widgets.footage_table. `show_rows` keeps the cursor on the same
row key; when the keys are the same as before, only the cells that changed
are written (a running job's progress ticks without redrawing the table).
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text

from widgets import cells
from widgets.footage_table import TableColumn, TableRow
from widgets.lists import KeyedDataTable
from widgets.tones import rich_tone


def fit_cell(text: str, width: int, *, right: bool = False) -> str:
    """`text` on one line, padded or cut to exactly `width` cells (inner spaces kept)."""
    return cells.fit(" ".join(text.splitlines()), width, right=right)


class JobTable(KeyedDataTable[Text]):
    """Rows of jobs keyed by job id (as text); j/k move, g/G jump to the ends."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id, classes=classes)
        self._columns: tuple[TableColumn, ...] = ()
        self._rows: list[TableRow] = []

    @property
    def keys(self) -> list[str]:
        """Row keys top to bottom."""
        return [row.key for row in self._rows]

    @property
    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor."""
        index = self.cursor_row
        return self._rows[index].key if 0 <= index < len(self._rows) else None

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        """Lay out these columns (rows are drawn again when they change)."""
        columns = tuple(columns)
        if columns == self._columns:
            return
        keep = self.highlighted_key
        self._columns = columns
        self.clear(columns=True)
        for column in columns:
            label = Text(fit_cell(column.label, column.width, right=column.right), style="bold")
            self.add_column(label, key=column.key, width=column.width)
        for row in self._rows:
            self.add_row(*self._cells(row), key=row.key)
        self._move_to(keep, 0)

    def show_rows(self, rows: Sequence[TableRow]) -> None:
        """Show these rows; the cursor stays on its key (else on its index)."""
        rows = list(rows)
        if [r.key for r in rows] == self.keys:
            for old, new in zip(self._rows, rows, strict=False):
                if old != new:
                    self._update(new)
            self._rows = rows
            return
        keep, index = self.highlighted_key, self.cursor_row
        self._rows = rows
        self.clear(columns=False)
        for row in rows:
            self.add_row(*self._cells(row), key=row.key)
        self._move_to(keep, index)

    def _update(self, row: TableRow) -> None:
        for column, cell in zip(self._columns, self._cells(row), strict=False):
            self.update_cell(row.key, column.key, cell)

    def _cells(self, row: TableRow) -> list[Text]:
        style = rich_tone(row.tone)
        return [
            Text(
                fit_cell(row.cells.get(c.key, ""), c.width, right=c.right),
                style=style if c.key in ("id", "state") else "",
            )
            for c in self._columns
        ]

    def _move_to(self, key: str | None, fallback: int) -> None:
        if not self._rows:
            return
        keys = self.keys
        index = keys.index(key) if key in keys else max(0, min(fallback, len(keys) - 1))
        self.move_cursor(row=index, column=0, animate=False, scroll=True)
