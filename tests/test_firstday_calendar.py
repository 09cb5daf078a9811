"""Issue 16 on the Calendar tab: the move banner names the post, u undoes moves, stage
steps and edits, e edits a post after creation, and the board's ? lists board keys.

A workspace in Asia/Shanghai with two pillars and three posts (rows written
directly); the App gets every tab and a frozen clock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import Messages, make_app, make_workspace, settle
from rich.cells import cell_len
from rows import add_account, add_pillar, add_post
from textual.notifications import Notify
from textual.widgets import Input, Static

from app.workspace import Workspace
from screens.calendar.pane import CalendarPane
from screens.modals.edit_post import EditPostScreen
from screens.modals.help import HelpScreen
from storage.calendar import CalendarRepo
from storage.posts import PostRepo
from widgets.week_view import WeekView

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 28)  # FROZEN is 17:00 on Saturday 28 Nov in Shanghai


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZONE)


def seeded(root: Path) -> tuple[Workspace, dict[str, int]]:
    ws = make_workspace(root, zone="Asia/Shanghai")
    store = ws.store
    ids = {
        "recipes": add_pillar(store, "Recipes", "green", 0.6),
        "street": add_pillar(store, "街头小吃", "yellow", 0.4),
    }
    ids["tacos"] = add_post(
        store, "Tacos at six", "scripting", planned=local(TODAY, 18), pillar_id=ids["recipes"]
    )
    ids["jianbing"] = add_post(
        store, "夜市煎饼果子", "editing", planned=local(TODAY, 20), pillar_id=ids["street"]
    )
    return ws, ids


async def open_calendar(pilot: Any) -> CalendarPane:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    return pilot.app.query_one(CalendarPane)


def header(pilot: Any) -> str:
    return str(pilot.app.query_one("#cal-header", Static).render())


async def test_move_banner_names_the_post_and_u_takes_the_move_back(
    tmp_path: Path, messages: Messages
) -> None:
    ws, ids = seeded(tmp_path / "home")
    posts = PostRepo(ws.store)
    async with make_app(ws).run_test(size=(80, 24), message_hook=messages) as pilot:
        pane = await open_calendar(pilot)
        assert pane.current_key() == f"post:{ids['tacos']}"
        await pilot.press("m", "right")
        assert header(pilot) == "Moving “Tacos at six” → Sun 29 Nov · Enter drops · Esc cancels"
        await pilot.press("right", "enter")
        await settle(pilot)
        assert posts.get(ids["tacos"]).planned_at == local(TODAY + timedelta(days=2), 18)
        await pilot.press("u")
        await settle(pilot)
        assert posts.get(ids["tacos"]).planned_at == local(TODAY, 18)
        assert await messages.until(
            lambda: any(
                "Undone: the move of “Tacos at six”" in m.notification.message
                for m in messages.of(Notify)
            )
        )
        await pilot.press("u")  # nothing left: said, nothing changes
        await settle(pilot)
        assert posts.get(ids["tacos"]).planned_at == local(TODAY, 18)


async def test_u_takes_back_stage_steps_in_order(tmp_path: Path) -> None:
    ws, ids = seeded(tmp_path / "home")
    posts = PostRepo(ws.store)
    async with make_app(ws).run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert posts.get(ids["tacos"]).status == "shot"
        await pilot.press("u")
        await settle(pilot)
        assert posts.get(ids["tacos"]).status == "ready_to_shoot"
        await pilot.press("u")
        await settle(pilot)
        assert posts.get(ids["tacos"]).status == "scripting"


async def test_e_edits_title_pillar_day_and_length_and_u_restores(tmp_path: Path) -> None:
    ws, ids = seeded(tmp_path / "home")
    posts = PostRepo(ws.store)
    async with make_app(ws).run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, EditPostScreen)
        assert form.query_one("#edit-post-title", Input).value == "Tacos at six"
        assert form.query_one("#edit-post-day", Input).value == "2026-11-28"
        form.query_one("#edit-post-title", Input).value = "Tacos at seven"
        form.query_one("#edit-post-day", Input).value = "2026-12-03"
        form.query_one("#edit-post-time", Input).value = "19:00"
        form.query_one("#edit-post-target", Input).value = "soon"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EditPostScreen)  # refused, said, nothing stored
        assert "whole seconds" in str(form.query_one("#edit-post-error", Static).render())
        assert posts.get(ids["tacos"]).title == "Tacos at six"
        form.query_one("#edit-post-target", Input).value = "45"
        await pilot.press("ctrl+s")
        await settle(pilot)
        post = posts.get(ids["tacos"])
        assert post.title == "Tacos at seven" and post.target_seconds == 45
        assert post.planned_at == local(date(2026, 12, 3), 19)
        assert post.pillar_id == ids["recipes"] and post.status == "scripting"
        await pilot.press("u")
        await settle(pilot)
        post = posts.get(ids["tacos"])
        assert post.title == "Tacos at six" and post.target_seconds is None
        assert post.planned_at == local(TODAY, 18)


async def test_board_help_lists_board_keys_not_day_keys(tmp_path: Path) -> None:
    ws, _ = seeded(tmp_path / "home")
    async with make_app(ws).run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        await pilot.press("v", "v", "v")
        await settle(pilot)
        assert pane.view == "board"
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        described = {k.description for k in pilot.app.screen.keys}
        assert {"Column left", "Column right", "Card up", "Card down"} <= described
        assert not described & {"Day back", "Day on", "Week back", "Week on", "Today", "Move"}


async def test_month_has_a_legend_and_a_labelled_mix_that_fit_80_columns(tmp_path: Path) -> None:
    ws, _ = seeded(tmp_path / "home")
    async with make_app(ws).run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot)
        legend = pilot.app.query_one("#cal-legend", Static)
        mix = pilot.app.query_one("#cal-mix", Static)
        assert legend.region.height == 1 and mix.region.height == 1
        legend_text, mix_text = str(legend.render()), str(mix.render())
        assert legend_text.startswith("Key ◌N free slots  ◎ shoot  ! deliverable")
        assert mix_text.startswith("Mix %, planned/target: ■Recipes 50/60")
        assert cell_len(mix_text.rstrip()) <= 78 and cell_len(legend_text.rstrip()) <= 78
        await pilot.press("question_mark")
        await settle(pilot)
        notes = dict(pilot.app.screen.notes)
        assert notes["✎"] == "scripting" and notes["◎"] == "a shoot"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_week_titles_can_be_read(tmp_path: Path, size: tuple[int, int]) -> None:
    """A title in the week view wraps over lines of its column instead of being cut to
    two letters."""
    ws, _ = seeded(tmp_path / "home")
    add_post(ws.store, "Why this video took 3 days", "scripting", planned=local(TODAY, 21))
    async with make_app(ws).run_test(size=size) as pilot:
        pane = await open_calendar(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert pane.view == "week"
        shown = str(pilot.app.query_one(WeekView).render())
        assert "this video" in shown  # more than the first word of the title
        assert "Tacos at six" in shown or "Tacos at" in shown


async def test_slots_list_by_time(tmp_path: Path) -> None:
    ws, _ = seeded(tmp_path / "home")
    repo = CalendarRepo(ws.store)
    lab = add_account(ws.store, "tiktok", "lab")
    zoo = add_account(ws.store, "instagram", "zoo")
    for account, hhmm in ((lab, "19:00"), (zoo, "09:00"), (lab, "08:00"), (zoo, "21:00")):
        repo.add_slot(account, TODAY.weekday(), hhmm)
    async with make_app(ws).run_test(size=(80, 24)) as pilot:
        await open_calendar(pilot)
        await pilot.press("s")
        await settle(pilot)
        listing = pilot.app.screen.query_one("#slots-list")
        times = [
            str(listing.get_option_at_index(i).prompt)[:5] for i in range(listing.option_count)
        ]
        assert times == ["08:00", "09:00", "19:00", "21:00"]
