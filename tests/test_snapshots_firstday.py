"""Snapshots of the screens issue 16 changed or added, at 80x24 and 160x48, on the
demo workspace with the frozen clock (conftest's demo_workspace, no clips: the
render form's clip is a row written here).

The cancel question over Renders, the new-render form opened on a clip linked
to a post, Today's post detail with its actions, Calendar's edit-post form.
Regenerate after an intended change with
`pytest tests/test_snapshots_firstday.py --snapshot-update` and look at each SVG.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_app, settle
from rows import add_asset

from app.workspace import Workspace
from screens.modals.new_render import ClipChoice, PostOption
from screens.renders.pane import RendersPane
from storage.footage import FootageRepo
from storage.renders import RenderRepo
from widgets.job_row import JobTable
from widgets.numbers_strip import NumbersStrip

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def queued_with_post(ws: Workspace) -> int:
    return next(
        r.id
        for r in RenderRepo(ws.store).list(limit=1000)
        if r.job.state == "queued" and r.post_id is not None
    )


@pytest.mark.parametrize("size", SIZES)
def test_cancel_question(snap_compare: Any, demo_workspace: Workspace, size: Any) -> None:
    """c on a queued job: the question names it; Yes/No buttons; the modal's footer."""
    job = queued_with_post(demo_workspace)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        table = pilot.app.query_one(JobTable)
        table.move_cursor(row=table.keys.index(str(job)))
        await pilot.press("c")
        await settle(pilot)

    app = make_app(demo_workspace, "renders")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_render_form_on_a_linked_clip(
    snap_compare: Any, demo_workspace: Workspace, size: Any
) -> None:
    """The form as Footage's R opens it: the clip by name, its post chosen, the keyboard
    on the recipe, the recipe's line, the overrides on screen."""
    clip = add_asset(demo_workspace.store, "market-stall 街头.mp4")
    post = RenderRepo(demo_workspace.store).list(limit=1000)[0]
    assert post.post_id is not None
    FootageRepo(demo_workspace.store).link_post(clip, post.post_id)

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        pilot.app.query_one(RendersPane).open_new_render(
            [clip],
            picked=[ClipChoice(clip, "market-stall 街头.mp4", "")],
            post=PostOption(post.post_id, post.post_title or ""),
        )
        await settle(pilot)

    app = make_app(demo_workspace, "renders")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_today_post_detail_with_actions(
    snap_compare: Any, demo_workspace: Workspace, size: Any
) -> None:
    """Enter on the first due post: its stage deadline, and o/d/x in its own footer."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)  # Today's items and numbers drawn
        strip = pilot.app.query_one(NumbersStrip)
        for _ in range(100):  # and laid out (two lines), before the modal covers them
            if strip.size.height >= 2:
                break
            await pilot.pause(0.05)
        await pilot.press("enter")
        await settle(pilot)  # the detail's read shown

    app = make_app(demo_workspace, "today")
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_edit_post_form(snap_compare: Any, demo_workspace: Workspace, size: Any) -> None:
    """e on today's first post in Calendar: every field at its current value."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)

    app = make_app(demo_workspace, "calendar")
    assert snap_compare(app, terminal_size=size, run_before=run_before)
