"""Snapshot tests of the Renders tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai without real clips (conftest's
demo_workspace); one job is
made to run (claimed by a named worker, 40 % done at 1.8x with 75 s left) so
the pictures show a live row. No absolute path appears in the list (outputs
by file name only). The data_version timer is off, every worker is awaited,
and the App gets only the Renders tab (DEMO_TABS). Regenerate after an intended change
with `pytest tests/test_snapshots_renders.py --snapshot-update` and review.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import settle

from app.tui import ReelRoomApp
from app.workspace import Workspace
from storage.jobs import JobQueue
from storage.renders import RenderRepo

DEMO_TABS = ("renders",)


@pytest.fixture(autouse=True)
def running_job(demo_workspace: Workspace) -> None:
    """One demo job claimed by a named worker: 40 % done at 1.8x, 75 s left."""
    ws = demo_workspace
    queue = JobQueue(ws.store)
    queued = [r.id for r in RenderRepo(ws.store).list(states=("queued",))]
    queue.set_priority(min(queued), 5)  # the claim takes the highest priority first
    job = queue.claim("edit-box:1", ["render"], 600.0)[0]
    RenderRepo(ws.store).set_progress(job.id, "edit-box:1", 0.4, 1.8, 75.0)


async def _failed_filter(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("f", "f")
    await settle(pilot)


def test_renders_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Renders at 80x24: running first, then queued, then finished; narrow columns."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle)


def test_renders_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Renders at 160x48: clips, post, tries and the output/error column."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=settle)


def test_renders_failed_filter_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """f f: only failed and dead jobs, the header naming the filter."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_failed_filter)


async def _detail(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("f", "f", "j", "enter")  # failed filter, the first dead job
    await settle(pilot)


async def _form(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)


def test_renders_detail_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter on a dead job: state, error, attempts, then preflight/argv/log blocks."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_detail)


def test_renders_new_form_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """n: the new-render form on a workspace without clips says how to get some."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_form)
