"""TabBar draws every title on one line, the active one highlighted, and a click switches.

The bar (widgets/tab_bar.py) is given plain titles and the active index: it
shows the digit keys when they fit, keeps the active title in view when the
titles do not fit, counts CJK titles in cells, and posts `Clicked`, which the
App's tab host turns into a switch.
"""

from __future__ import annotations

from pathlib import Path

from conftest import make_app, make_workspace, settle
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import App, ComposeResult

from app.tab_host import TabHost
from widgets.tab_bar import MORE_LEFT, MORE_RIGHT, TabBar, lay_out

TITLES = (
    "Today",
    "Calendar",
    "Scripts",
    "Footage",
    "Renders",
    "Publish",
    "Inbox",
    "Numbers",
    "Deals",
)


class BarApp(App[None]):
    def __init__(self, titles: tuple[str, ...] = TITLES, active: int = 0) -> None:
        super().__init__()
        self.titles, self.first = titles, active
        self.clicked: list[int] = []

    def compose(self) -> ComposeResult:
        yield TabBar(self.titles, self.first)

    def on_tab_bar_clicked(self, event: TabBar.Clicked) -> None:
        self.clicked.append(event.index)


def line_of(bar: TabBar) -> list[Segment]:
    return list(bar.render_line(0))


def text_of(bar: TabBar) -> str:
    return "".join(segment.text for segment in line_of(bar))


def style_at(bar: TabBar, cell: int) -> Style:
    at = 0
    for segment in line_of(bar):
        at += segment.cell_length
        if cell < at:
            assert segment.style is not None
            return segment.style
    raise AssertionError(f"no cell {cell}")


def cell_of(bar: TabBar, title: str) -> int:
    text = text_of(bar)
    return cell_len(text[: text.index(title)])


async def test_one_line_with_every_title() -> None:
    app = BarApp()
    async with app.run_test(size=(100, 6)) as pilot:
        await pilot.pause()
        bar = app.query_one(TabBar)
        assert bar.size.height == 1 and not bar.children
        assert sum(s.cell_length for s in line_of(bar)) == 100
        text = text_of(bar)
        assert "\n" not in text
        assert [title for title in TITLES if title in text] == list(TITLES)
        assert bar.render_line(1).text.strip() == ""  # nothing below the line


async def test_the_active_title_is_highlighted_and_follows_active() -> None:
    app = BarApp()
    async with app.run_test(size=(100, 6)) as pilot:
        await pilot.pause()
        bar = app.query_one(TabBar)
        today, calendar = cell_of(bar, "Today"), cell_of(bar, "Calendar")
        assert style_at(bar, today) != style_at(bar, calendar)
        assert style_at(bar, today).bold and not style_at(bar, calendar).bold
        assert style_at(bar, calendar) == style_at(bar, cell_of(bar, "Scripts"))  # muted alike
        highlighted = style_at(bar, today)
        bar.active = 1
        await pilot.pause()
        assert style_at(bar, calendar) == highlighted
        assert style_at(bar, today) != highlighted


async def test_digits_show_when_they_fit() -> None:
    with_digits = sum(cell_len(f" {n} {t} ") for n, t in enumerate(TITLES, start=1))
    assert lay_out(TITLES, 0, with_digits).digits
    assert not lay_out(TITLES, 0, with_digits - 1).digits
    app = BarApp()
    async with app.run_test(size=(with_digits, 6)) as pilot:
        await pilot.pause()
        bar = app.query_one(TabBar)
        assert "1 Today" in text_of(bar) and "9 Deals" in text_of(bar)
        digit = cell_of(bar, "2 Calendar")
        assert style_at(bar, digit).dim and not style_at(bar, digit + 2).dim
        await pilot.resize_terminal(80, 6)
        await pilot.pause()
        text = text_of(bar)
        assert "Today" in text and "Deals" in text
        assert not any(str(n) in text for n in range(1, 10))


async def test_the_active_title_stays_in_view_when_narrow() -> None:
    app = BarApp(active=8)
    async with app.run_test(size=(20, 6)) as pilot:
        await pilot.pause()
        bar = app.query_one(TabBar)
        text = text_of(bar)
        assert cell_len(text) == 20
        assert "Deals" in text and text.startswith(MORE_LEFT)
        assert style_at(bar, cell_of(bar, "Deals")).bold
        for active in range(len(TITLES)):
            bar.active = active
            assert TITLES[active] in text_of(bar), active
            assert cell_len(text_of(bar)) == 20
        bar.active = 0
        assert text_of(bar).startswith(" Today") and text_of(bar).endswith(MORE_RIGHT)


def test_a_title_wider_than_the_bar_shows_its_start() -> None:
    layout = lay_out(("Today", "A very long title indeed", "Deals"), 1, 12)
    start, _end = layout.spans[1]
    assert layout.offset == start - 1 and layout.cut_left and layout.cut_right


async def test_cjk_titles_count_two_cells_each() -> None:
    titles = ("今日", "日历", "Scripts")
    layout = lay_out(titles, 0, 80)
    assert layout.digits
    assert layout.spans == ((0, 8), (8, 16), (16, 27))  # " 1 今日 " is 8 cells
    app = BarApp(titles, active=1)
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        bar = app.query_one(TabBar)
        assert text_of(bar).startswith(" 1 今日  2 日历  3 Scripts ")
        assert style_at(bar, 11).bold and not style_at(bar, 4).bold  # 日历 is active
        for width in range(4, 20):  # cut through a wide character: still exactly the width
            await pilot.resize_terminal(width, 6)
            await pilot.pause()
            assert sum(s.cell_length for s in line_of(bar)) == width, width


async def test_a_click_on_a_title_posts_its_index() -> None:
    app = BarApp()
    async with app.run_test(size=(80, 6)) as pilot:
        await pilot.pause()
        bar = app.query_one(TabBar)
        assert await pilot.click(TabBar, offset=(cell_of(bar, "Inbox") + 1, 0))
        assert await pilot.click(TabBar, offset=(79, 0))  # past the titles: nothing
        await pilot.pause()
        assert app.clicked == [6]
        bar.active = 8
        await pilot.resize_terminal(20, 6)  # scrolled: the cells under the pointer move
        await pilot.pause()
        await pilot.click(TabBar, offset=(cell_of(bar, "Deals"), 0))
        await pilot.click(TabBar, offset=(0, 0))  # the "more" marker: nothing
        await pilot.pause()
        assert app.clicked == [6, 8]


async def test_a_click_on_a_title_switches_the_apps_tab(tmp_path: Path) -> None:
    """In the App, a click shows that tab (built first when it is still a stand-in)."""
    app = make_app(make_workspace(tmp_path / "home"), "today", "calendar", "scripts")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = app.query_one(TabHost)
        bar = app.query_one(TabBar)
        assert tabs.active == "today" and bar.active == 0
        await pilot.click(TabBar, offset=(cell_of(bar, "Scripts") + 2, 0))
        await settle(pilot)
        assert tabs.active == "scripts" and bar.active == 2
        assert app.focused is not None and tabs.get_pane("scripts") in app.focused.ancestors
        await pilot.click(TabBar, offset=(cell_of(bar, "Today"), 0))
        await settle(pilot)
        assert tabs.active == "today" and bar.active == 0
