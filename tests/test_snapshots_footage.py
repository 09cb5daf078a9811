"""Snapshot tests of the Footage tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai without real clips; 300 clip
rows from the demo's own large-footage generator are added under a fixed
root (/srv/footage) so every path in the pictures is the same on every
machine. The data_version timer is off, every worker is awaited, and the App
gets only the Footage tab. Regenerate after an intended change with
`pytest tests/test_snapshots_footage.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, make_workspace
from textual.worker import WorkerCancelled

from app.demo import footage as demo_footage
from app.demo.scale import DemoTime
from app.demo.seed import seed_demo
from app.tui import TABS, ReelRoomApp
from storage import seeding
from storage.posts import PostRepo

CLIPS = 300


@pytest.fixture
def demo_app(tmp_path: Path) -> ReelRoomApp:
    """The App on the seeded demo plus clip rows, clock frozen, no polling."""
    ws = make_workspace(tmp_path / "home", zone="Asia/Shanghai")
    seed_demo(ws.store, ws.home, now=FROZEN, make_clips=False, zone=ws.config.zone)
    post_ids = [p.id for p in PostRepo(ws.store).list() if p.status != "idea"][:12]
    rows = list(
        demo_footage.footage_rows(
            DemoTime(FROZEN, ws.config.zone),
            CLIPS,
            Path("/srv/footage"),
            1,
            1,
            post_ids,
            "/srv/reelroom/thumbs/poster.jpg",
        )
    )
    with seeding.bulk_session(ws.store) as conn:
        seeding.insert_rows(
            conn, "assets", demo_footage.ASSET_COLS, [r for table, r in rows if table == "assets"]
        )
        seeding.insert_rows(
            conn,
            "asset_paths",
            demo_footage.PATH_COLS,
            [r for table, r in rows if table == "asset_paths"],
        )
    footage_only = tuple(spec for spec in TABS if spec.id == "footage")
    return ReelRoomApp(ws, clock=lambda: FROZEN, poll_interval=None, tabs=footage_only)


async def _loaded(pilot: Any) -> None:
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.pause()


async def _moved(pilot: Any) -> None:
    await _loaded(pilot)
    await pilot.press("j", "j", "j")
    await _loaded(pilot)


async def _detail(pilot: Any) -> None:
    await _loaded(pilot)
    await pilot.press("enter")
    await _loaded(pilot)


async def _link(pilot: Any) -> None:
    await _loaded(pilot)
    await pilot.press("l")
    await _loaded(pilot)


async def _filtered(pilot: Any) -> None:
    await _loaded(pilot)
    await pilot.press("slash", *"portrait", "enter")
    await _loaded(pilot)
    await pilot.press("s", "s")
    await _loaded(pilot)


def test_footage_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Footage at 80x24: count, watcher status, the narrow columns."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_loaded)


def test_footage_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Footage at 160x48: every column and the detail pane beside the table."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_moved)


def test_footage_detail_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter on a clip at 80x24: every field and path in the detail modal."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_detail)


def test_footage_link_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """l: the post picker over the library."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_link)


def test_footage_filtered_sorted_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """/ portrait, then sorted by name: the header says both."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_filtered)
