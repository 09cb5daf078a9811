"""Pilot tests of the Calendar tab and the pipeline board on a real workspace file."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from conftest import make_app, make_workspace, settle
from rows import add_account, add_pillar, add_post
from textual.widgets import Input

from app.tab_host import TabHost
from app.workspace import Workspace
from screens.calendar.pane import CalendarPane
from screens.modals.help import HelpScreen
from screens.modals.item_detail import ItemDetailScreen
from screens.modals.new_post import NewPostScreen
from screens.modals.slots import SlotsScreen
from storage.calendar import CalendarRepo
from storage.posts import PostRepo
from widgets.board_columns import BoardColumns
from widgets.month_grid import MonthGrid

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 28)  # FROZEN is 17:00 on Saturday 28 Nov in Shanghai


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def seeded(root: Path) -> tuple[Workspace, dict[str, int]]:
    """Two pillars, a TikTok account with Saturday slots 18:00 and 19:00, a few posts."""
    ws = make_workspace(root, zone="Asia/Shanghai")
    store = ws.store
    ids = {
        "recipes": add_pillar(store, "Recipes", "green", 0.6),
        "street": add_pillar(store, "街头小吃", "yellow", 0.4),
    }
    acc = add_account(store, "tiktok", "lab")
    repo = CalendarRepo(store)
    repo.add_slot(acc, 5, "18:00")
    repo.add_slot(acc, 5, "19:00")
    ids["taken"] = add_post(
        store, "Tacos at six", "scripting", planned=local(TODAY, 18), pillar_id=ids["recipes"]
    )
    ids["street_post"] = add_post(
        store, "夜市煎饼果子", "editing", planned=local(TODAY, 20), pillar_id=ids["street"]
    )
    ids["december"] = add_post(
        store,
        "December plan",
        "idea",
        planned=local(date(2026, 12, 15), 12),
        pillar_id=ids["recipes"],
    )
    return ws, ids


async def open_calendar(pilot: Any) -> CalendarPane:
    """Press 2 and wait until the (lazily built) Calendar is read, shown and focused."""
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    pane = pilot.app.query_one(CalendarPane)
    assert pilot.app.query_one(TabHost).active == "calendar" and pane.cells
    grid = pane.query_one(MonthGrid)
    for _ in range(100):  # focus is given after a refresh (and again after the other
        if pilot.app.focused is grid:  # tabs are built in the background)
            break
        await pilot.pause(0.05)
    assert pilot.app.focused is grid
    return pane


async def test_create_then_move_two_days_keyboard_only(tmp_path: Path) -> None:
    """n on today fills the next free slot (19:00); m → → Enter moves it two days, time kept."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        assert pane.selected == TODAY
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewPostScreen)
        assert app.screen.query_one("#new-post-time", Input).value == "19:00"
        await pilot.press(*"Dumplings 饺子", "enter")
        await settle(pilot)
        created = [p for p in PostRepo(ws.store).list() if p.title == "Dumplings 饺子"]
        assert len(created) == 1 and created[0].planned_at == local(TODAY, 19)
        assert created[0].status == "idea"
        key = f"post:{created[0].id}"
        assert pane.current_key() == key
        await pilot.press("m", "right", "right", "enter")
        await settle(pilot)
        moved = PostRepo(ws.store).get(created[0].id)
        assert moved is not None and moved.planned_at == local(TODAY + timedelta(days=2), 19)
        assert pane.moving is None and pane.selected == TODAY + timedelta(days=2)
        assert pane.current_key() == key


async def test_new_post_refuses_a_bad_time_and_escape_saves_nothing(tmp_path: Path) -> None:
    """A time like 25:00 is named in the form; Escape leaves without a post."""
    ws, _ = seeded(tmp_path / "home")
    before = PostRepo(ws.store).count()
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Late one")
        app.screen.query_one("#new-post-time", Input).value = "25:00"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NewPostScreen)
        assert "25:00" in str(app.screen.query_one("#new-post-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, NewPostScreen)
    assert PostRepo(ws.store).count() == before


async def test_days_months_and_today_keys(tmp_path: Path) -> None:
    """Arrows move by day and week, ] [ by month, t back to today; the month is read."""
    ws, ids = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        await pilot.press("right", "down")
        assert pane.selected == TODAY + timedelta(days=8)
        await pilot.press("t", "right_square_bracket")
        await settle(pilot)
        assert pane.selected == date(2026, 12, 28)
        assert f"post:{ids['december']}" in [e.key for e in pane.cells[date(2026, 12, 15)].entries]
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert pane.selected == date(2026, 10, 28)
        await pilot.press("t")
        await settle(pilot)
        assert pane.selected == TODAY


async def test_enter_opens_the_post_and_j_walks_the_day(tmp_path: Path) -> None:
    """j picks the day's second entry; Enter shows its detail with pillar and status."""
    ws, ids = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        assert pane.current_key() == f"post:{ids['taken']}"
        await pilot.press("j")
        assert pane.current_key() == f"post:{ids['street_post']}"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen)
        assert app.screen.view.title == "夜市煎饼果子"
        assert ("Pillar", "街头小吃") in app.screen.view.fields
        assert ("Status", "editing") in app.screen.view.fields
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ItemDetailScreen)


async def test_slash_filters_by_pillar_and_clears(tmp_path: Path) -> None:
    """/ 街头 keeps that pillar's posts; an unknown word changes nothing; empty clears."""
    ws, ids = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)

        async def apply(text: str) -> None:
            await pilot.press("slash")
            await pilot.pause()
            field = app.screen.query_one("#filter-input", Input)
            field.value = text
            await pilot.press("enter")
            await settle(pilot)

        await apply("街头")
        assert [e.key for e in pane.cells[TODAY].entries] == [f"post:{ids['street_post']}"]
        await apply("nonsense")
        assert [e.key for e in pane.cells[TODAY].entries] == [f"post:{ids['street_post']}"]
        await apply("")
        assert len(pane.cells[TODAY].entries) == 2


async def test_board_moves_a_post_forward_and_back(tmp_path: Path) -> None:
    """On the board > moves the highlighted post a stage on, < back; counts follow."""
    ws, ids = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        await pilot.press("v", "v", "v")
        await settle(pilot)
        assert pane.view == "board" and app.focused is app.query_one(BoardColumns)
        counts = {c.key: c.count for c in pane.board}
        assert counts["idea"] == 1 and counts["scripting"] == 1
        await pilot.press("right")
        assert pane.current_key() == f"post:{ids['taken']}"
        await pilot.press("greater_than_sign")
        await settle(pilot)
        counts = {c.key: c.count for c in pane.board}
        assert counts["scripting"] == 0 and counts["ready_to_shoot"] == 1
        assert pane.current_key() == f"post:{ids['taken']}" and pane.board_cursor[0] == 2
        await pilot.press("less_than_sign", "less_than_sign")
        await settle(pilot)
        assert PostRepo(ws.store).get(ids["taken"]).status == "idea"  # type: ignore[union-attr]


async def test_week_and_agenda_show_free_slots(tmp_path: Path) -> None:
    """The taken 18:00 slot is not a gap; 19:00 is, in the week and the agenda."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(160, 48)) as pilot:
        pane = await open_calendar(pilot)
        assert pane.cells[TODAY].free == ("19:00",)
        await pilot.press("v")
        await settle(pilot)
        assert pane.view == "week"
        await pilot.press("v")
        await settle(pilot)
        lines = [line.plain for line in app.query_one("#cal-agenda").lines(100)]
        assert lines[0].startswith("Sat 28 Nov")
        lines = lines[: next(i for i, line in enumerate(lines) if line.startswith("Sun 29 Nov"))]
        assert any("19:00 ◌ free slot" in line for line in lines)
        assert not any("18:00 ◌ free slot" in line for line in lines)


async def test_click_selects_a_day(tmp_path: Path) -> None:
    """A click on a day cell of the month grid selects that day."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        grid = app.query_one(MonthGrid)
        width = grid.size.width // 7
        await pilot.click(MonthGrid, offset=(width * 2 + 2, 1 + 2 * 2))  # week 3, Wednesday
        await pilot.pause()
        assert pane.selected == date(2026, 11, 11)


async def test_help_lists_calendar_keys(tmp_path: Path) -> None:
    """? on the Calendar names its keys."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {k.key: k.description for k in app.screen.keys}
        assert listed["n"] == "New post" and listed["m"] == "Move" and listed["/"] == "Filter"
        assert listed["["] == "Earlier" and listed["]"] == "Later"
        assert {key.split()[0]: text for key, text in listed.items()}[">"] == "Stage on"
        assert "esc" not in {k.lower() for k in listed}  # cancel-move only while moving


async def test_slots_edited_in_the_app_show_as_gaps(tmp_path: Path) -> None:
    """s lists Saturday's slots; a typed slot is added, x removes one; the grid shows the gaps."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SlotsScreen)
        await pilot.press(*"@lab 6pm", "enter")
        assert "not a 24-hour time" in str(app.screen.query_one("#slots-message").render())
        app.screen.query_one("#slots-add", Input).value = "tiktok:lab 21:30"
        await pilot.press("enter")
        await pilot.pause()
        times = {s.local_time for s in CalendarRepo(ws.store).slots() if s.weekday == 5}
        assert times == {"18:00", "19:00", "21:30"}
        await pilot.press("tab", "x")  # the list's first row: 18:00
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SlotsScreen)
        times = {s.local_time for s in CalendarRepo(ws.store).slots() if s.weekday == 5}
        assert times == {"19:00", "21:30"}
        assert pane.cells[TODAY].free == ("19:00", "21:30")
