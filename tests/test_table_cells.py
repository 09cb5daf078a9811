"""KeyedDataTable's quick one-line cells are the very lines DataTable draws.

widgets/table_cells.py draws a one-line text cell without Rich's padding and
wrapping machinery. These tests render every cell of real tables both ways —
KeyedDataTable's `_render_cell` and DataTable's own — in every cursor and
hover state, and require the same segments, styles included. The cells cover
what the tabs show (markup, styled and spanned Text, CJK, empty cells, a
header) and what the quick path must hand back (text wider than its column,
tabs, two-line rows, right-justified text, fixed rows and columns).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.geometry import Region
from textual.widgets import DataTable

from widgets import keyed_tables
from widgets.keyed_tables import KeyedDataTable
from widgets.table_cells import plain_cell_lines


def cells(n: int) -> list[object]:
    tone = Text(f"clip_{n:03}.mp4", style="bold red" if n % 2 else "")
    spanned = Text.assemble(("街头", "italic"), "小吃", (f" 第{n}集", "$success"))
    return [
        tone,
        spanned,
        f"[b]{n}[/b]:0{n % 6}" if n % 3 else "",
        "深夜的煎饼果子摊，一直开到凌晨三点" if n % 4 == 0 else "short",
        Text("right", justify="right") if n % 5 == 0 else Text("tab\there"),
        n * 1.5,
        None,
    ]


class Tables(App[None]):
    def __init__(self, cursor_type: str, fixed: int, two_line: bool) -> None:
        super().__init__()
        self.cursor_type = cursor_type
        self.fixed = fixed
        self.two_line = two_line

    def compose(self) -> ComposeResult:
        yield KeyedDataTable(
            id="table",
            cursor_type=self.cursor_type,  # type: ignore[arg-type]
            zebra_stripes=True,
            fixed_rows=self.fixed,
            fixed_columns=self.fixed,
        )

    def on_mount(self) -> None:
        table = self.query_one(KeyedDataTable)
        table.add_column(Text("文件", style="bold"), key="file")
        table.add_column("title", key="title", width=12)
        table.add_column("length", key="length")
        table.add_column("note", key="note", width=10)
        table.add_column("odd", key="odd", width=8)
        table.add_column("num", key="num")
        table.add_column("none", key="none")
        for n in range(12):
            table.add_row(*cells(n), key=str(n), height=2 if self.two_line and n == 3 else 1)
        table.focus()


# Tables of each cursor type, with fixed rows and columns, and a two-line row.
TABLE_SHAPES = pytest.mark.parametrize(
    ("cursor_type", "fixed", "two_line"),
    [("row", 0, False), ("cell", 1, False), ("column", 0, True), ("none", 2, False)],
)


def both_ways(table: KeyedDataTable[object]) -> Iterator[tuple[object, object]]:
    """Each cell rendered by KeyedDataTable and by DataTable, caches emptied before each."""
    style = table.rich_style
    for row in range(-1, table.row_count):
        for column, spec in enumerate(table.ordered_columns):
            width = spec.get_render_width(table)
            for cursor in (False, True):
                for hover in (False, True):
                    table._cell_render_cache.clear()
                    quick = table._render_cell(row, column, style, width, cursor, hover)
                    table._cell_render_cache.clear()
                    stock = DataTable._render_cell(table, row, column, style, width, cursor, hover)
                    yield (row, column, cursor, hover, quick), (row, column, cursor, hover, stock)


@TABLE_SHAPES
async def test_every_cell_is_drawn_as_datatable_draws_it(
    cursor_type: str, fixed: int, two_line: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken: list[bool] = []

    def counted(*args: Any) -> Any:
        lines = plain_cell_lines(*args)
        taken.append(lines is not None)
        return lines

    monkeypatch.setattr(keyed_tables, "plain_cell_lines", counted)
    app = Tables(cursor_type, fixed, two_line)
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedDataTable)
        table.hover_coordinate = table.cursor_coordinate
        await pilot.pause()
        pairs = list(both_ways(table))
    assert pairs
    for quick, stock in pairs:
        assert quick == stock
    # Most cells went the quick way, and some were handed back to DataTable.
    assert taken.count(True) > len(pairs) // 2 and taken.count(False) > 0


def test_the_quick_path_takes_one_line_text_that_fits_and_nothing_else() -> None:
    console = App().console
    plain = Style()
    fits = plain_cell_lines(console, Text("煎饼 ok"), 12, 1, plain, plain)
    assert fits is not None and len(fits) == 1
    assert "".join(s.text for s in fits[0]) == " 煎饼 ok    "
    assert cell_len("".join(s.text for s in fits[0])) == 12
    for refused in (
        Text("far too long for it"),
        Text("two\nlines"),
        Text("a\ttab"),
        Text("right", justify="right"),
        "a plain str",
    ):
        assert plain_cell_lines(console, refused, 8, 1, plain, plain) is None


def clear_drawn(table: KeyedDataTable[object]) -> None:
    """Empty every cache of drawn lines, rows and cells, so the next draw is a full one."""
    table._styles_cache.clear()
    table._line_cache.clear()
    table._row_render_cache.clear()
    table._cell_render_cache.clear()


@TABLE_SHAPES
async def test_whole_lines_are_drawn_as_datatable_draws_them(
    cursor_type: str, fixed: int, two_line: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """During a draw the table's style and its components' styles are worked out once
    each (KeyedDataTable.render_lines); the lines are DataTable's own, to the segment."""
    built: list[tuple[str, ...]] = []
    stock_styles = DOMNode.get_component_styles

    def counted(self: DOMNode, *names: str) -> Any:
        built.append(names)
        return stock_styles(self, *names)

    app = Tables(cursor_type, fixed, two_line)
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(KeyedDataTable)
        table.hover_coordinate = table.cursor_coordinate
        await pilot.pause()
        crop = Region(0, 0, table.size.width, table.size.height)
        clear_drawn(table)
        monkeypatch.setattr(DOMNode, "get_component_styles", counted)
        quick = [list(strip) for strip in table.render_lines(crop)]
        once = list(built)
        clear_drawn(table)
        built.clear()
        stock = [list(strip) for strip in DataTable.render_lines(table, crop)]
    assert quick == stock and len(quick) == crop.height > 0
    assert len(once) == len(set(once))  # each component's styles built once per draw
    assert len(built) > len(once)  # where DataTable builds them line after line
