"""The house list keys, declared once: j/k move, g/G (and Home/End) go to the ends.

Every list, table and option list a pane or modal shows is one of these
three bases (or a subclass), so the keys are the same everywhere:

- `KeyedOptionList` — an OptionList (the triage list, pickers in modals);
- `KeyedSelectionList` — a SelectionList (space ticks; multi-pick modals);
- `KeyedDataTable` — a DataTable in row-cursor mode (jobs, clips, shots).

The bindings name the OptionList actions (`cursor_down`, `cursor_up`,
`first`, `last`); `KeyedDataTable` maps `first`/`last` to its first and
last row. A subclass changes what an end means by overriding `action_first`
/ `action_last` (the footage table reads the first or last page instead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import OptionList

if TYPE_CHECKING:
    from widgets.keyed_tables import KeyedDataTable, KeyedSelectionList

__all__ = ["LIST_KEYS", "KeyedDataTable", "KeyedOptionList", "KeyedSelectionList"]

LIST_KEYS: list[BindingType] = [
    Binding("j", "cursor_down", "Down", id="list.down", show=False, tooltip="Move to the next row"),
    Binding("k", "cursor_up", "Up", id="list.up", show=False, tooltip="Move to the previous row"),
    Binding("g,home", "first", "First", id="list.first", show=False, tooltip="Go to the first row"),
    Binding("G,end", "last", "Last", id="list.last", show=False, tooltip="Go to the last row"),
]


class KeyedOptionList(OptionList):
    """An OptionList with the house list keys."""

    BINDINGS: ClassVar[list[BindingType]] = LIST_KEYS


def __getattr__(name: str) -> Any:
    """KeyedSelectionList and KeyedDataTable live in widgets/keyed_tables.py: Textual's
    DataTable and SelectionList are imported when a screen first needs one, not
    before the first paint of a tab that shows neither (Today)."""
    if name in ("KeyedDataTable", "KeyedSelectionList"):
        from widgets import keyed_tables

        return getattr(keyed_tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
