"""Snapshot tests of the Footage tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai without real clips (conftest's
demo_workspace); 300 clip
rows from the demo's own large-footage generator are added under a fixed
root (/srv/footage) so every path in the pictures is the same on every
machine. The data_version timer is off, every worker is awaited, and the App
gets only the Footage tab (DEMO_TABS). Regenerate after an intended change with
`pytest tests/test_snapshots_footage.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, settle

from app.demo import footage as demo_footage
from app.demo.scale import DemoTime
from app.tui import ReelRoomApp
from app.workspace import Workspace
from storage import seeding
from storage.posts import PostRepo

CLIPS = 300
DEMO_TABS = ("footage",)


@pytest.fixture(autouse=True)
def clip_rows(demo_workspace: Workspace) -> None:
    """300 clip rows (no files) in the demo, under /srv/footage."""
    ws = demo_workspace
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


async def _moved(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("j", "j", "j")
    await settle(pilot)


async def _detail(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def _link(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("l")
    await settle(pilot)


async def _filtered(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("slash", *"portrait", "enter")
    await settle(pilot)
    await pilot.press("s", "s")
    await settle(pilot)


def test_footage_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Footage at 80x24: count, watcher status, the narrow columns."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle)


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
