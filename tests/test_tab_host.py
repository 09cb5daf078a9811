"""The tab host (app/tab_host.py) keeps what the App relied on in TabbedContent.

`TabActivated` once for the first pane as it mounts and once per change of
the shown pane (none for showing the pane already shown, none for removing a
hidden one); a pane added after another keeps the order, in the bar too;
removing the shown pane shows its neighbour at once; focus landing in a
hidden pane does not show it but posts `StrayFocus`; a pending tab (a title,
no pane) is in the bar, is shown empty, and takes its pane in its place. Run
on a small App with plain panes.
"""

from __future__ import annotations

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.widgets import Button, ContentSwitcher

from app.tab_host import TabHost
from widgets.tab_bar import TabBar
from widgets.tab_page import TabPage


class Host(App[None]):
    AUTO_FOCUS = None  # the focus in these tests is given by them

    def __init__(self, built: str = "abc", pending: str = "") -> None:
        super().__init__()
        self.built, self.pending = built, pending
        self.shown: list[str] = []
        self.strays = 0

    def compose(self) -> ComposeResult:
        tabs = [(name, name.upper()) for name in sorted(self.built + self.pending)]
        with TabHost(initial="b", tabs=tabs, id="tabs"):
            for name in self.built:
                yield page(name)

    @on(TabHost.TabActivated)
    def _shown(self, event: TabHost.TabActivated) -> None:
        assert event.pane is None or event.pane.id == event.tab_id
        self.shown.append(event.tab_id + ("" if event.pane else " (pending)"))

    @on(TabHost.StrayFocus)
    def _stray(self) -> None:
        self.strays += 1


def page(name: str) -> TabPage:
    return TabPage(name.upper(), Button(name, id=f"button-{name}"), id=name)


def order(tabs: TabHost) -> list[str | None]:
    return [pane.id for pane in tabs.query_one(ContentSwitcher).children]


async def test_activated_once_at_mount_and_once_per_change() -> None:
    app = Host()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        tabs = app.query_one(TabHost)
        assert app.shown == ["b"] and tabs.active == "b"
        assert tabs.active_pane is tabs.get_pane("b") and tabs.get_pane("b").display
        assert not tabs.get_pane("a").display and app.query_one(TabBar).active == 1
        tabs.active = "b"  # already shown: nothing
        tabs.active = "c"
        await pilot.pause()
        assert app.shown == ["b", "c"] and app.query_one(TabBar).active == 2
        assert tabs.get_pane("c").display and not tabs.get_pane("b").display
        with pytest.raises(ValueError):
            tabs.active = "nowhere"
        assert tabs.active == "c"


async def test_added_after_keeps_the_order_and_removal_of_a_hidden_pane_is_quiet() -> None:
    app = Host()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        tabs = app.query_one(TabHost)
        await tabs.add_pane(TabPage("A2", id="a2"), after="a")
        assert order(tabs) == ["a", "a2", "b", "c"]
        assert app.query_one(TabBar).titles == ("A", "A2", "B", "C")
        assert not tabs.get_pane("a2").display and tabs.active == "b"
        tabs.active = "a2"
        await tabs.remove_pane("a")
        await pilot.pause()
        assert order(tabs) == ["a2", "b", "c"] and tabs.active == "a2"
        assert app.query_one(TabBar).titles == ("A2", "B", "C")
        assert app.query_one(TabBar).active == 0
        assert app.shown == ["b", "a2"]


async def test_removing_the_shown_pane_shows_its_neighbour_at_once() -> None:
    app = Host()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        tabs = app.query_one(TabHost)
        removing = tabs.remove_pane("b")
        assert tabs.active == "c"  # before the removal completes
        await removing
        tabs.remove_pane("c")
        assert tabs.active == "a"  # the last one: the one before it
        await pilot.pause()
        assert app.shown == ["b", "c", "a"] and order(tabs) == ["a"]


async def test_focus_in_a_hidden_pane_does_not_show_it() -> None:
    app = Host()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        tabs = app.query_one(TabHost)
        app.query_one("#button-b", Button).focus()
        await pilot.pause()
        assert app.strays == 0
        tabs.get_pane("a").display = True  # as if a focus was asked for before a switch
        app.query_one("#button-a", Button).focus()
        await pilot.pause()
        assert tabs.active == "b" and app.shown == ["b"] and app.strays == 1


async def test_a_click_on_a_title_shows_its_pane() -> None:
    app = Host()
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        bar = app.query_one(TabBar)
        start, _end = bar.layout_now.spans[2]
        await pilot.click(TabBar, offset=(start + 1, 0))
        await pilot.pause()
        assert app.query_one(TabHost).active == "c" and app.shown == ["b", "c"]


async def test_a_pending_tab_is_in_the_bar_shown_empty_and_takes_its_pane_in_place() -> None:
    app = Host(built="b", pending="acd")
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        tabs, bar = app.query_one(TabHost), app.query_one(TabBar)
        assert bar.titles == ("A", "B", "C", "D") and bar.active == 1
        assert tabs.pending == ("a", "c", "d") and order(tabs) == ["b"]
        tabs.active = "d"
        await pilot.pause()
        assert app.shown == ["b", "d (pending)"] and tabs.active_pane is None
        assert bar.active == 3 and not tabs.get_pane("b").display  # nothing is shown
        await tabs.add_pane(page("c"))  # a hidden tab's pane: in its place, not shown
        await tabs.add_pane(page("a"))
        assert order(tabs) == ["a", "b", "c"] and tabs.pending == ("d",)
        assert tabs.active == "d" and not tabs.get_pane("c").display
        assert bar.titles == ("A", "B", "C", "D")
        await tabs.add_pane(page("d"))  # the shown tab's pane: shown as it comes
        await pilot.pause()
        assert tabs.active_pane is tabs.get_pane("d") and tabs.get_pane("d").display
        assert app.shown == ["b", "d (pending)", "d"] and tabs.pending == ()
        assert order(tabs) == ["a", "b", "c", "d"]
        start, _end = bar.layout_now.spans[0]
        await pilot.click(TabBar, offset=(start + 1, 0))
        await pilot.pause()
        assert tabs.active == "a" and tabs.get_pane("a").display


async def test_a_pending_tab_shown_at_start_is_announced_without_a_pane() -> None:
    app = Host(built="a", pending="b")  # initial "b"
    async with app.run_test(size=(40, 8)) as pilot:
        await pilot.pause()
        tabs = app.query_one(TabHost)
        assert app.shown == ["b (pending)"] and not tabs.get_pane("a").display
        assert app.query_one(TabBar).active == 1
        await tabs.add_pane(page("b"))
        await pilot.pause()
        assert app.shown == ["b (pending)", "b"] and tabs.get_pane("b").display
