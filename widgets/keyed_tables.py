"""The house list keys on a SelectionList and a DataTable (see widgets/lists.py).

Kept apart from KeyedOptionList so the first tab (Today, an option list) does
not import Textual's DataTable and SelectionList before its first paint;
`from widgets.lists import KeyedDataTable` still works.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.widgets import DataTable, SelectionList
from textual.widgets.data_table import CellType
from textual.widgets.selection_list import SelectionType

from widgets.lists import LIST_KEYS


class KeyedSelectionList(SelectionList[SelectionType]):
    """A SelectionList with the house list keys (space still ticks)."""

    BINDINGS: ClassVar[list[BindingType]] = LIST_KEYS


class KeyedDataTable(DataTable[CellType]):
    """A DataTable with the house list keys; g/G go to the first and last row."""

    BINDINGS: ClassVar[list[BindingType]] = LIST_KEYS

    def _on_resize(self, event: events.Resize) -> None:
        """Keep the rendered cells when the table is shown again or resized.

        DataTable drops every rendered cell on each Resize, and a table gets one
        each time its tab is shown: every return to Footage, Renders, Publish or
        Inbox drew all its visible cells again. Nothing a cell renders depends on
        the table's size (a column is as wide as its content or its set width;
        the line cache is keyed by width and scroll), so a resize keeps them; a
        change of rows, columns or style clears them as before. Textual 8.2's
        handler (the only one for Resize below this class) only bumps the cache
        generation; it is skipped. tests/test_keyed_tables.py checks both.
        """
        event.prevent_default()

    def action_first(self) -> None:
        """Put the cursor on the first row."""
        self.action_scroll_top()

    def action_last(self) -> None:
        """Put the cursor on the last row."""
        self.action_scroll_bottom()
