"""Snapshot tests of the Calendar tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai with no clips; polling is off
and every worker is awaited before the picture is taken. Each view (month,
week, agenda, board) at 80x24 and 160x48, plus the new-post modal.
Regenerate after an intended change with `pytest tests/test_snapshots_calendar.py
--snapshot-update` and review the SVGs.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest
from conftest import FROZEN, make_workspace
from textual.worker import WorkerCancelled

from app.demo.seed import seed_demo
from app.tui import ReelRoomApp
from screens.calendar.pane import CalendarPane


@pytest.fixture
def demo_app(tmp_path: Path) -> ReelRoomApp:
    """The App on a freshly seeded demo workspace, clock frozen, no polling."""
    ws = make_workspace(tmp_path / "home", zone="Asia/Shanghai")
    seed_demo(ws.store, ws.home, now=FROZEN, make_clips=False, zone=ws.config.zone)
    return ReelRoomApp(ws, clock=lambda: FROZEN, poll_interval=None)


async def _settle(pilot: Any) -> None:
    """Wait for every worker (a read replaced by a newer one ends cancelled) and a refresh."""
    for _ in range(50):
        try:
            await pilot.app.workers.wait_for_complete()
            break
        except WorkerCancelled:
            continue
    await pilot.pause()


def _calendar(*keys: str) -> Callable[[Any], Awaitable[None]]:
    """Open the Calendar tab, then press `keys`, settling after each."""

    async def run_before(pilot: Any) -> None:
        await _settle(pilot)
        await pilot.press("2")
        for _ in range(200):  # the tab is built lazily: wait until it is read and focused
            await _settle(pilot)
            panes = pilot.app.query(CalendarPane)
            if (
                panes
                and panes.first().cells
                and pilot.app.focused is not None
                and pilot.app.focused.parent is panes.first()
            ):
                break
            await asyncio.sleep(0.05)
        for key in keys:
            await pilot.press(key)
            await _settle(pilot)

    return run_before


VIEW_KEYS = {"month": (), "week": ("v",), "agenda": ("v", "v"), "board": ("v", "v", "v")}


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("view", list(VIEW_KEYS))
def test_calendar_views(
    snap_compare: Any, demo_app: ReelRoomApp, view: str, size: tuple[int, int]
) -> None:
    """Each calendar view at both sizes: glyphs, free slots, pillar mix, board counts."""
    assert snap_compare(demo_app, terminal_size=size, run_before=_calendar(*VIEW_KEYS[view]))


def test_month_moving_a_post(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """m then → → on the day's last post: the header says where it will drop."""
    assert snap_compare(
        demo_app, terminal_size=(80, 24), run_before=_calendar("j", "j", "j", "m", "right", "right")
    )


def test_new_post_modal(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """n: the new-post form, its time from the next free slot."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_calendar("n"))
