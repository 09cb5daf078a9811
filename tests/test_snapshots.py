"""Snapshot tests of Today on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai with no clips; the data_version
timer is off and every worker is awaited before the picture is taken. The App
gets only the Today tab, so tabs added later do not change these pictures.
Regenerate after an intended change with `pytest tests/test_snapshots.py
--snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, make_workspace

from app.demo.seed import seed_demo
from app.tui import TABS, ReelRoomApp


@pytest.fixture
def demo_app(tmp_path: Path) -> ReelRoomApp:
    """The App on a freshly seeded demo workspace, clock frozen, no polling."""
    ws = make_workspace(tmp_path / "home", zone="Asia/Shanghai")
    seed_demo(ws.store, ws.home, now=FROZEN, make_clips=False, zone=ws.config.zone)
    today_only = tuple(spec for spec in TABS if spec.id == "today")
    return ReelRoomApp(ws, clock=lambda: FROZEN, poll_interval=None, tabs=today_only)


async def _loaded(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _detail(pilot: Any) -> None:
    await _loaded(pilot)
    await pilot.press("enter")
    await _loaded(pilot)
    await pilot.pause()


async def _help(pilot: Any) -> None:
    await _loaded(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


def test_today_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Today at 80x24: numbers strip above the triage list."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_loaded)


def test_today_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Today at 160x48: numbers in a side panel, every section visible."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_loaded)


def test_today_moved_down(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The highlight after j j j."""
    assert snap_compare(demo_app, terminal_size=(80, 24), press=["j", "j", "j"], run_before=_loaded)


def test_post_detail_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter on the first row: the post detail modal."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_detail)


def test_help_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """? lists every active key."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_help)
