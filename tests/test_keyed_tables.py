"""KeyedDataTable keeps its rendered cells across a resize, and still draws right.

widgets/keyed_tables.py skips DataTable's Resize handler (it only threw every
rendered cell away, so each return to a tab drew its table again). These
tests hold a KeyedDataTable's lines, after resizes and after being hidden and
shown, equal to a stock DataTable's at the same size; and check that Textual
still has no other Resize handler below it that skipping would also skip.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import DataTable

from widgets.keyed_tables import KeyedDataTable

ROWS = [
    (
        f"clip_{n:03}.mp4",
        f"街头小吃 第{n}集 深夜的煎饼果子摊",
        f"{n % 7}:0{n % 6}",
        "1080x1920",
    )
    for n in range(60)
]


class Tables(App[None]):
    def __init__(self, table: type[DataTable[str]]) -> None:
        super().__init__()
        self.table_type = table

    def compose(self) -> ComposeResult:
        table = self.table_type(id="table", cursor_type="row")
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("file", "title", "length", "size")
        table.add_rows(ROWS)
        table.focus()


def lines(app: Tables) -> list[str]:
    table = app.query_one(DataTable)
    region = Region(0, 0, table.size.width, table.size.height)
    return [strip.text for strip in table.render_lines(region)]


async def shown_at(table: type[DataTable[str]], steps: list[tuple[int, int]]) -> list[list[str]]:
    app = Tables(table)
    seen: list[list[str]] = []
    async with app.run_test(size=steps[0]) as pilot:
        await pilot.pause()
        seen.append(lines(app))
        await pilot.press("down", "down", "down")
        for size in steps[1:]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            seen.append(lines(app))
        widget = app.query_one(DataTable)
        widget.display = False
        await pilot.pause()
        widget.display = True
        await pilot.pause()
        seen.append(lines(app))
    return seen


async def test_resized_and_shown_again_it_draws_as_a_stock_table() -> None:
    steps = [(80, 24), (41, 12), (120, 30), (60, 24)]
    keyed = await shown_at(KeyedDataTable, steps)
    stock = await shown_at(DataTable, steps)
    assert keyed == stock
    assert any("煎饼" in line for line in keyed[-1])


def test_no_other_resize_handler_is_skipped() -> None:
    below = KeyedDataTable.__mro__[KeyedDataTable.__mro__.index(KeyedDataTable) + 1 :]
    handlers = [
        cls.__name__ for cls in below if "_on_resize" in vars(cls) or "on_resize" in vars(cls)
    ]
    assert handlers == ["DataTable"]
