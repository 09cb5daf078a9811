"""Issue 16 across the tabs: focus after a digit at any size, a post added in one tab
shows in another without `r`, and modals that behave as modals (own footer, `?`,
`q`/Escape close them, digits do not switch the tab underneath).
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import Messages, make_app, settle

from app.tab_host import TabHost
from app.workspace import Workspace
from screens.modals.help import HelpScreen
from screens.modals.new_post import NewPostScreen
from screens.pane import Pane
from screens.scripts.pane import ScriptsPane
from widgets.footer import KeyBar

MAIN = {
    "today": "today-list",
    "calendar": "cal-month",
    "scripts": "scripts-posts",
    "footage": "footage-table",
    "renders": "renders-table",
}


def focus_state(app: Any) -> tuple[str, str | None, bool]:
    tabbed = app.query_one(TabHost)
    pane = tabbed.active_pane
    focused = app.focused
    inside = isinstance(pane, Pane) and focused is not None and pane in focused.ancestors
    return tabbed.active, focused.id if focused else None, inside


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_digit_puts_the_keyboard_on_the_tabs_main_widget(
    demo_workspace: Workspace, size: tuple[int, int]
) -> None:
    """Each tab reached by its digit, before and after the tabs are built, at 80x24 and
    160x48, has its main list or grid focused, so its keys work without a click."""
    app = make_app(demo_workspace)
    async with app.run_test(size=size) as pilot:
        await pilot.press("2")  # Calendar still a stand-in: built, shown, focused
        await settle(pilot)
        assert focus_state(app) == ("calendar", "cal-month", True)
        for digit, tab in (("3", "scripts"), ("4", "footage"), ("5", "renders"), ("1", "today")):
            await pilot.press(digit)
            await settle(pilot)
            assert focus_state(app) == (tab, MAIN[tab], True), digit
        await pilot.press("2")
        await settle(pilot)
        assert focus_state(app) == ("calendar", "cal-month", True)
        await pilot.press("v")  # Calendar's keys work at once: v goes to the week view
        await settle(pilot)
        assert focus_state(app) == ("calendar", "cal-week", True)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_switching_quickly_leaves_focus_on_the_last_tab(
    demo_workspace: Workspace, size: tuple[int, int]
) -> None:
    """Digits pressed one after another while tabs are still being built end on the
    last tab pressed, focused (a late focus of an earlier tab does not pull it back)."""
    app = make_app(demo_workspace)
    async with app.run_test(size=size) as pilot:
        for keys in (("2", "3"), ("4", "2", "5"), ("3", "1")):
            await pilot.press(*keys)
            await settle(pilot)
            tab = {"1": "today", "2": "calendar", "3": "scripts", "4": "footage", "5": "renders"}[
                keys[-1]
            ]
            assert focus_state(app) == (tab, MAIN[tab], True), keys


async def test_a_post_added_in_calendar_is_in_scripts_without_r(
    demo_workspace: Workspace, messages: Messages
) -> None:
    """Calendar writes on the UI thread's own connection; Scripts (stale) reads again
    when shown, because the App's change counter sees this process's writes too."""
    app = make_app(demo_workspace, "calendar", "scripts", poll_interval=0.05)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        await pilot.press("2")  # Scripts read its list once
        await settle(pilot)
        await pilot.press("1", "n")
        await settle(pilot)
        assert isinstance(app.screen, NewPostScreen)
        await pilot.press(*"Dumpling lab", "enter")
        await settle(pilot)
        await pilot.pause(0.2)  # at least one poll of the change counter
        await pilot.press("2")
        scripts = app.query_one(ScriptsPane)
        assert await messages.until(lambda: any(p.title == "Dumpling lab" for p in scripts._posts))


async def test_modals_have_their_own_footer_help_and_close_keys(
    demo_workspace: Workspace,
) -> None:
    """A modal shows its own keys in its own footer; ? lists its keys; digits do not
    switch the tab underneath; q closes it (and does not quit the App)."""
    app = make_app(demo_workspace, "calendar", "scripts")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewPostScreen) and modal.query(KeyBar)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")  # the selected day's detail (a read-only modal)
        await settle(pilot)
        if app.screen is not modal and not isinstance(app.screen, HelpScreen):
            detail = app.screen
            assert detail.query(KeyBar)
            await pilot.press("2")
            await settle(pilot)
            assert app.query_one(TabHost).active == "calendar"
            await pilot.press("question_mark")
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            assert app.screen.keys[0].description == "Close"
            assert not any(k.description.startswith("Go to") for k in app.screen.keys)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("q")
            await settle(pilot)
            assert app.is_running and app.screen is app.screen_stack[0]


async def test_palette_holds_every_tabs_actions(demo_workspace: Workspace) -> None:
    """ctrl+p finds "Calendar: New post" from Today; Enter shows Calendar and opens the
    new-post form there, as n would."""
    from app.commands import commands_for

    app = make_app(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        names = {c.name for c in commands_for(app)}
        assert {
            "Calendar: New post",
            "Calendar: Edit",
            "Scripts: Save",
            "Footage: Filter",
            "Footage: Render",
            "Renders: Cancel",
            "Renders: Retry",
        } <= names
        assert not any(n.endswith(("Day back", "Down", "Up")) for n in names)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"calendar: new post")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.query_one(TabHost).active == "calendar"
        assert isinstance(app.screen, NewPostScreen)
