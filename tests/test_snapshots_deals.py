"""Snapshot tests of the Deals tab on the demo workspace (seeded at FROZEN in
Asia/Shanghai, the clock frozen): the board, the list and a deal's detail, at 80x24
and 160x48. The App gets only the Deals tab (DEMO_TABS). Regenerate after an intended
change with `pytest tests/test_snapshots_deals.py --snapshot-update` and review."""

from __future__ import annotations

from typing import Any

from conftest import settle

from app.tui import ReelRoomApp

DEMO_TABS = ("deals",)


async def _list(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)


async def _detail(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("v", "j", "j", "j", "enter")  # the skillet series (in production)
    await settle(pilot)


def test_deals_board_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The board: four stages fit, the cursor on the first deal."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle)


def test_deals_board_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The board: every stage side by side."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=settle)


def test_deals_list_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """v: the list in pipeline order."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_list)


def test_deals_list_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """v: the list with the fee column (from 120)."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_list)


def test_deals_detail_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter: the skillet deal's fields, deliverables, progress and gate."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_detail)


def test_deals_detail_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter: the whole detail with the report and invoices."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_detail)
