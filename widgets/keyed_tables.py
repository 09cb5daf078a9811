"""The house list keys on a SelectionList and a DataTable (see widgets/lists.py).

Kept apart from KeyedOptionList so the first tab (Today, an option list) does
not import Textual's DataTable and SelectionList before its first paint;
`from widgets.lists import KeyedDataTable` still works.
"""

from __future__ import annotations

from typing import ClassVar

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

    def action_first(self) -> None:
        """Put the cursor on the first row."""
        self.action_scroll_top()

    def action_last(self) -> None:
        """Put the cursor on the last row."""
        self.action_scroll_bottom()
