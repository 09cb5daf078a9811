"""Snapshot tests of Today on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai with no clips (conftest's
demo_workspace); the data_version timer is off and every worker is awaited
before the picture is taken. The App gets only the Today tab (DEMO_TABS), so
tabs added later do not change these pictures.
Regenerate after an intended change with `pytest tests/test_snapshots.py
--snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from typing import Any

from conftest import settle

from app.tui import ReelRoomApp

DEMO_TABS = ("today",)


async def _detail(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def _help(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


def test_today_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Today at 80x24: numbers strip above the triage list."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle)


def test_today_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Today at 160x48: numbers in a side panel, every section visible."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=settle)


def test_today_moved_down(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The highlight after j j j."""
    assert snap_compare(demo_app, terminal_size=(80, 24), press=["j", "j", "j"], run_before=settle)


def test_post_detail_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter on the first row: the post detail modal."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_detail)


def test_help_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """? lists every active key."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_help)
