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

from conftest import make_app, make_workspace, settle
from rows import add_pillar, add_post
from textual.widgets import Input, Static

from app.workspace import Workspace
from screens.calendar.pane import CalendarPane
from screens.modals.edit_post import EditPostScreen
from screens.modals.help import HelpScreen
from storage.posts import PostRepo

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


async def test_move_banner_names_the_post_and_u_takes_the_move_back(tmp_path: Path) -> None:
    ws, ids = seeded(tmp_path / "home")
    posts = PostRepo(ws.store)
    async with make_app(ws).run_test(size=(80, 24)) as pilot:
        pane = await open_calendar(pilot)
        assert pane.current_key() == f"post:{ids['tacos']}"
        await pilot.press("m", "right")
        assert "moving “Tacos at six” → Sun 29 Nov" in header(pilot)
        await pilot.press("right", "enter")
        await settle(pilot)
        assert posts.get(ids["tacos"]).planned_at == local(TODAY + timedelta(days=2), 18)
        await pilot.press("u")
        await settle(pilot)
        assert posts.get(ids["tacos"]).planned_at == local(TODAY, 18)
        assert any(
            "Undone: the move of “Tacos at six”" in n.message for n in pilot.app._notifications
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
