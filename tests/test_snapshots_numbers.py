"""Snapshot tests of the Numbers tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai without clips (conftest's
demo_workspace); polling is off, every worker is awaited, and the App gets
only the Numbers tab (DEMO_TABS). Each chart and its table (t) at 80x24 and
160x48; the plotext figures are deterministic for fixed data and size.
Regenerate after an intended change with `pytest tests/test_snapshots_numbers.py
--snapshot-update` and look at each SVG (`python /work/tools/svgtext.py FILE`).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable

import pytest
from conftest import settle

from app.tui import ReelRoomApp

DEMO_TABS = ("numbers",)

CHARTS = {
    "time": ("v",),
    "best": ("d", "b"),  # 90 days: enough posts in some slots
    "compare": ("c",),
    "post": ("p",),
}
SIZES = [(80, 24), (160, 48)]


def _keys(*keys: str) -> Callable[[Any], Awaitable[None]]:
    async def run_before(pilot: Any) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("chart", list(CHARTS))
def test_numbers_chart(
    snap_compare: Any, demo_app: ReelRoomApp, chart: str, size: tuple[int, int]
) -> None:
    """Each chart at 80x24 and 160x48."""
    assert snap_compare(demo_app, terminal_size=size, run_before=_keys(*CHARTS[chart]))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("chart", list(CHARTS))
def test_numbers_table(
    snap_compare: Any, demo_app: ReelRoomApp, chart: str, size: tuple[int, int]
) -> None:
    """Each chart's numbers as a table (t) at 80x24 and 160x48."""
    assert snap_compare(demo_app, terminal_size=size, run_before=_keys(*CHARTS[chart], "t"))
