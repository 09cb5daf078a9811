"""FootageTable: a DataTable that holds one window of a long, paged list.

It takes plain values — `TableColumn`s and `TableRow`s of ready-made cell
text — and never knows where they come from. The pane that owns it keeps
the window small (a few hundred rows) and feeds pages in: `show_rows`
replaces the window, `append_rows` adds below, `drop_front` trims the top.
When the cursor comes within `near` rows of either end the table
posts `NearEdge`, and g/G (home/end) post `JumpRequested`, so the owner can
read the next page, the previous one, the first or the last. A click on a
column header posts `SortClicked` with that column's key. Cells are cut
and padded by terminal cells, so CJK names line up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from rich.text import Text
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from widgets import cells
from widgets.lists import KeyedDataTable
from widgets.tones import rich_tone

NEAR = 25


@dataclass(frozen=True)
class TableColumn:
    """One column: its key (the sort name), header label, width in cells, alignment."""

    key: str
    label: str
    width: int
    right: bool = False


@dataclass(frozen=True)
class TableRow:
    """One row: a key (the asset id as text), cell text by column key, a tone."""

    key: str
    cells: Mapping[str, str]
    tone: str = ""


def fit(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded or cut to exactly `width` cells (a cut ends in an ellipsis)."""
    return cells.fit(" ".join(text.split()), width, right=right)


class FootageTable(KeyedDataTable[Text]):
    """A window of rows with keyset paging hooks (see the module docstring)."""

    @dataclass
    class NearEdge(Message):
        """The cursor is within `near` rows of the window's `edge` ("start" or "end")."""

        table: FootageTable
        edge: str

    @dataclass
    class JumpRequested(Message):
        """g/G: the owner should show the first or the last rows of the whole list."""

        table: FootageTable
        where: str

    @dataclass
    class SortClicked(Message):
        """A column header was clicked: sort by the column with this key."""

        table: FootageTable
        column: str

    def __init__(
        self, *, near: int = NEAR, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, id=id, classes=classes)
        self.near = near
        self._columns: tuple[TableColumn, ...] = ()
        self._rows: list[TableRow] = []
        self._quiet = False

    # --- reading ---------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """Row keys of the window, top to bottom."""
        return [row.key for row in self._rows]

    @property
    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor."""
        index = self.cursor_row
        return self._rows[index].key if 0 <= index < len(self._rows) else None

    @property
    def layout_columns(self) -> tuple[TableColumn, ...]:
        """The columns shown now."""
        return self._columns

    # --- writing ---------------------------------------------------------------

    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        """Lay out these columns (the rows are drawn again when they change)."""
        columns = tuple(columns)
        if columns == self._columns:
            return
        keep = self.highlighted_key
        self._columns = columns
        super().clear(columns=True)
        for column in columns:
            label = Text(fit(column.label, column.width, right=column.right), style="bold")
            self.add_column(label, key=column.key, width=column.width)
        self._add(self._rows)
        self._move_to(keep, 0)

    def set_header(self, column: str, label: str) -> None:
        """Change one header label (e.g. to show the sort direction)."""
        spec = next((c for c in self._columns if c.key == column), None)
        if spec is not None and column in self.columns:
            self.columns[ColumnKey(column)].label = Text(
                fit(label, spec.width, right=spec.right), style="bold"
            )
            self._require_update_dimensions = True
            self.refresh()

    def show_rows(
        self, rows: Sequence[TableRow], *, cursor_key: str | None = None, cursor_index: int = 0
    ) -> None:
        """Replace the window; the cursor goes to `cursor_key` if present, else the index."""
        self._rows = list(rows)
        self._quiet = True
        try:
            super().clear(columns=False)
            self._add(self._rows)
            self._move_to(cursor_key, cursor_index)
        finally:
            self._quiet = False

    def append_rows(self, rows: Sequence[TableRow]) -> None:
        """Add rows below the window."""
        fresh = [row for row in rows if row.key not in self.rows]
        self._rows.extend(fresh)
        self._add(fresh)

    def drop_front(self, count: int) -> None:
        """Remove the first `count` rows, keeping the cursor on the same row."""
        doomed = self._rows[:count]
        if not doomed:
            return
        keep, index = self.highlighted_key, self.cursor_row
        del self._rows[:count]  # before the cursor is put back: it is found by key in _rows
        self._quiet = True
        try:
            for row in doomed:
                self.remove_row(row.key)
            self._move_to(keep, min(index, max(0, self.row_count - 1)))
        finally:
            self._quiet = False

    def _add(self, rows: Sequence[TableRow]) -> None:
        for row in rows:
            style = rich_tone(row.tone)
            cells = [
                Text(
                    fit(row.cells.get(c.key, ""), c.width, right=c.right),
                    style=style if i == 0 else "",
                )
                for i, c in enumerate(self._columns)
            ]
            self.add_row(*cells, key=row.key)

    def _move_to(self, key: str | None, fallback: int) -> None:
        if not self._rows:
            return
        keys = self.keys
        index = keys.index(key) if key in keys else max(0, min(fallback, len(keys) - 1))
        self.move_cursor(row=index, column=0, animate=False, scroll=True)

    # --- events ----------------------------------------------------------------

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        """Tell the owner when the cursor nears either end of the window."""
        super().watch_cursor_coordinate(old, new)
        if not self._quiet and old.row != new.row:
            self.check_edges()

    def check_edges(self) -> None:
        """Post NearEdge for each end the cursor is close to."""
        if not self._rows:
            return
        row = self.cursor_row
        if row >= len(self._rows) - 1 - self.near:
            self.post_message(self.NearEdge(self, "end"))
        if row <= self.near:
            self.post_message(self.NearEdge(self, "start"))

    def action_first(self) -> None:
        """g/Home: ask for the first rows of the whole list (not of the window)."""
        self.post_message(self.JumpRequested(self, "first"))

    def action_last(self) -> None:
        """G/End: ask for the last rows of the whole list (not of the window)."""
        self.post_message(self.JumpRequested(self, "last"))

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """A header click asks the owner to sort by that column."""
        event.stop()
        self.post_message(self.SortClicked(self, str(event.column_key.value)))
