"""Snapshot tests of the Calendar tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai with no clips (conftest's
demo_workspace) and the App gets Today and Calendar (DEMO_TABS: `2` opens the
Calendar as a person would, and tabs added later do not change these pictures); polling is off
and every worker is awaited before the picture is taken. Each view (month,
week, agenda, board) at 80x24 and 160x48, plus the new-post modal.
Regenerate after an intended change with `pytest tests/test_snapshots_calendar.py
--snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

import pytest
from conftest import settle

from app.tui import ReelRoomApp
from screens.calendar.pane import CalendarPane

DEMO_TABS = ("today", "calendar")


def _calendar(*keys: str) -> Callable[[Any], Awaitable[None]]:
    """Open the Calendar tab (built on demand), then press `keys`, settling after each."""

    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        pane = pilot.app.query_one(CalendarPane)
        assert pane.cells and pilot.app.focused is not None
        assert pilot.app.focused.parent is pane
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

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
