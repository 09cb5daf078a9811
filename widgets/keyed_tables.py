"""The house list keys on a SelectionList and a DataTable (see widgets/lists.py).

Kept apart from KeyedOptionList so the first tab (Today, an option list) does
not import Textual's DataTable and SelectionList before its first paint;
`from widgets.lists import KeyedDataTable` still works.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from rich.style import Style
from textual import events
from textual._types import SegmentLines
from textual.binding import BindingType
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import DataTable, SelectionList
from textual.widgets._data_table import CellCacheKey
from textual.widgets.data_table import CellType
from textual.widgets.selection_list import SelectionType

from widgets.lists import LIST_KEYS
from widgets.table_cells import plain_cell_lines


class _DrawnStyles:
    """A component's styles during one draw: its Rich style worked out once, every
    other attribute read from Textual's styles object."""

    def __init__(self, styles: RenderStyles) -> None:
        self._styles = styles
        self.rich_style = styles.rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


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

    _line_style: Style | None = None
    _line_components: dict[tuple[str, ...], _DrawnStyles] | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        """DataTable's lines, its style and its components' styles worked out once
        for all of them.

        DataTable asks for `rich_style` on every line it draws, and each ask walks
        the widget's ancestors' styles again (about a third of drawing a table
        whose cells are cached); it also builds the header's and each row's
        component styles afresh for every line and walks their ancestors too.
        Nothing changes those styles while lines are drawn.
        """
        self._line_style = self.rich_style
        self._line_components = {}
        try:
            return super().render_lines(crop)
        finally:
            self._line_style = None
            self._line_components = None

    @property
    def rich_style(self) -> Style:
        """The widget's Rich style (the one worked out for the lines being drawn)."""
        return self._line_style if self._line_style is not None else super().rich_style

    def get_component_styles(self, *names: str) -> RenderStyles:
        """Textual's component styles; while lines are drawn, the same ones (and their
        Rich style, worked out once) each time a line asks for them."""
        drawn = self._line_components
        if drawn is None:
            return super().get_component_styles(*names)
        found = drawn.get(names)
        if found is None:
            found = drawn[names] = _DrawnStyles(super().get_component_styles(*names))
        return cast(RenderStyles, found)

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        """DataTable's `_render_cell`, drawing one-line text cells the quick way.

        The cache key and the styles are DataTable's own (Textual 8.2); a cell
        `plain_cell_lines` cannot draw goes to DataTable as before.
        """
        header = row_index == -1
        label = column_index == -1
        row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
        key = cast(
            CellCacheKey,
            (
                row_key,
                self._column_locations.get_key(column_index),
                base_style,
                cursor,
                hover,
                self._show_hover_cursor,
                self._update_count,
                self._pseudo_class_state,
            ),
        )
        cached = self._cell_render_cache.get(key)
        if cached is not None:
            return cached
        # Rows of another height (0: an auto-height row not measured yet) go to DataTable.
        if label or row_key is None or self.get_row_height(row_key) != 1:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        fixed = not header and (row_index < self.fixed_rows or column_index < self.fixed_columns)
        component_style, post_style = self._get_styles_to_render_cell(
            header,
            False,
            fixed,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        lines = plain_cell_lines(
            self.app.console,
            self._get_row_renderables(row_index).cells[column_index],
            width,
            self.cell_padding,
            pre_style + component_style,
            post_style,
        )
        if lines is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        self._cell_render_cache[key] = lines
        return lines

    def action_first(self) -> None:
        """Put the cursor on the first row."""
        self.action_scroll_top()

    def action_last(self) -> None:
        """Put the cursor on the last row."""
        self.action_scroll_bottom()
