"""Issue 16 on the Today tab: details a person can act from (open the script, retry a
failed render, reschedule, mark handled), each with its own footer, and rows that
say which stage deadline was missed.

A workspace in Asia/Shanghai (rows written directly); FROZEN is Saturday
28 Nov 17:00 there.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from conftest import FROZEN, make_app, make_workspace, settle
from rows import add_post, add_render
from textual.widgets import Input

from app.tab_host import TabHost
from app.workspace import Workspace
from screens.modals.edit_post import EditPostScreen
from screens.modals.item_detail import ItemDetailScreen
from screens.modals.template_picker import TemplatePickerScreen
from screens.scripts.pane import ScriptsPane
from storage.jobs import JobQueue
from storage.posts import PostRepo
from widgets.footer import KeyBar
from widgets.triage_list import TriageList

ZONE = ZoneInfo("Asia/Shanghai")


def seeded(root: Path) -> tuple[Workspace, dict[str, int]]:
    """An idea planned for Fri 04 Dec (its script was due to start Fri 27 Nov) and a
    failed render of it."""
    ws = make_workspace(root, zone="Asia/Shanghai")
    planned = datetime(2026, 12, 4, 18, 0, tzinfo=ZONE)
    post = add_post(ws.store, "第一次吃章鱼小丸子", "idea", planned=planned)
    render = add_render(
        ws.store, "failed", FROZEN - timedelta(hours=2), post_id=post, error="exit 1"
    )
    return ws, {"post": post, "render": render}


def footer_keys(screen: ItemDetailScreen) -> set[str]:
    return {
        b.binding.description
        for b in screen.active_bindings.values()
        if b.enabled and b.binding.show
    }


async def test_rows_and_detail_name_the_missed_stage_deadline(tmp_path: Path) -> None:
    ws, ids = seeded(tmp_path / "home")
    async with make_app(ws, "today").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        triage = pilot.app.query_one(TriageList)
        row = next(r for s in triage._sections for r in s.rows if r.key == f"post:{ids['post']}")
        assert row.when == "overdue 1d" and row.detail == "start the script by Fri 27"
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ItemDetailScreen)
        assert dict(detail.view.fields)["Deadline"] == (
            "start the script by Fri 27 Nov (planned Fri 04 Dec)"
        )


async def test_post_detail_opens_the_script_in_scripts(tmp_path: Path) -> None:
    """o in a post's detail shows the Scripts tab on that post (a post without a script
    asks for a template first); the detail has its own footer with its actions."""
    ws, ids = seeded(tmp_path / "home")
    async with make_app(ws, "today", "scripts").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ItemDetailScreen) and detail.query(KeyBar)
        assert {"Open script", "Reschedule", "Handled"} <= footer_keys(detail)
        assert "Retry render" not in footer_keys(detail)
        await pilot.press("o")
        await settle(pilot)
        assert pilot.app.query_one(TabHost).active == "scripts"
        assert isinstance(pilot.app.screen, TemplatePickerScreen)
        assert pilot.app.screen.post_title == "第一次吃章鱼小丸子"
        await pilot.press("enter")  # the first template
        await settle(pilot)
        scripts = pilot.app.query_one(ScriptsPane)
        assert scripts.post is not None and scripts.post.id == ids["post"]


async def test_failed_render_detail_retries_the_job(tmp_path: Path) -> None:
    ws, ids = seeded(tmp_path / "home")
    async with make_app(ws, "today").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, ItemDetailScreen) and detail.view.kind == "Render"
        assert {"Retry render", "Open script", "Handled"} <= footer_keys(detail)
        await pilot.press("R")
        await settle(pilot)
        assert JobQueue(ws.store).get(ids["render"]).state == "queued"
        keys = pilot.app.query_one(TriageList).row_keys
        assert f"render:{ids['render']}" not in keys  # no longer failed


async def test_reschedule_from_the_detail_moves_the_post(tmp_path: Path) -> None:
    ws, ids = seeded(tmp_path / "home")
    async with make_app(ws, "today").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, EditPostScreen)
        day = form.query_one("#edit-post-day", Input)
        assert form.focused is day and day.value == "2026-12-04"
        day.value = "2026-12-12"
        await pilot.press("enter")
        await settle(pilot)
        post = PostRepo(ws.store).get(ids["post"])
        assert post is not None and post.planned_at == datetime(2026, 12, 12, 18, tzinfo=ZONE)
        keys = pilot.app.query_one(TriageList).row_keys
        assert f"post:{ids['post']}" not in keys  # not due any more


async def test_mark_handled_hides_the_item_for_the_day(tmp_path: Path) -> None:
    """x in a detail hides the item; q closes a detail without quitting the App."""
    ws, ids = seeded(tmp_path / "home")
    async with make_app(ws, "today").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "enter")
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert pilot.app.is_running and not isinstance(pilot.app.screen, ItemDetailScreen)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        keys = pilot.app.query_one(TriageList).row_keys
        assert f"render:{ids['render']}" not in keys and f"post:{ids['post']}" in keys
        assert JobQueue(ws.store).get(ids["render"]).state == "failed"  # only hidden
    assert date(2026, 11, 28) == FROZEN.astimezone(ZONE).date()
