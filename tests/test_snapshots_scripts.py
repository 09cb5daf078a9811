"""Snapshot tests of the Scripts tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai with no clips; the data_version
timer is off and every worker is awaited before the picture is taken. The App
gets only the Scripts tab, so tabs added later do not change these pictures. The
CJK script is the demo's "老街螺蛳粉，排队两小时" (ready to shoot, 45 s target).
Regenerate after an intended change with `pytest tests/test_snapshots_scripts.py
--snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, make_workspace
from textual.widgets import Input

from app.demo.seed import seed_demo
from app.tui import TABS, ReelRoomApp
from screens.scripts.pane import ScriptsPane

CJK_TITLE = "老街螺蛳粉，排队两小时"


@pytest.fixture
def demo_app(tmp_path: Path) -> ReelRoomApp:
    """The App on a freshly seeded demo workspace, clock frozen, no polling."""
    ws = make_workspace(tmp_path / "home", zone="Asia/Shanghai")
    seed_demo(ws.store, ws.home, now=FROZEN, make_clips=False, zone=ws.config.zone)
    scripts_only = tuple(spec for spec in TABS if spec.id == "scripts")
    return ReelRoomApp(ws, clock=lambda: FROZEN, poll_interval=None, tabs=scripts_only)


async def _loaded(pilot: Any) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def _scripts_tab(pilot: Any) -> None:
    await _loaded(pilot)


async def _cjk_script(pilot: Any) -> None:
    await _scripts_tab(pilot)
    pilot.app.query_one("#scripts-filter", Input).value = CJK_TITLE
    await pilot.pause()
    await pilot.press("slash", "enter", "enter")  # into the filter, back to the list, open
    await _loaded(pilot)
    assert pilot.app.query_one(ScriptsPane).post.title == CJK_TITLE


async def _revisions(pilot: Any) -> None:
    await _cjk_script(pilot)
    await pilot.press("ctrl+r")
    await _loaded(pilot)


def test_scripts_picker_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The post picker: writing-stage posts first, CJK titles aligned."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_scripts_tab)


def test_scripts_cjk_editor_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """A Chinese script in the editor; estimate and shots under it."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_cjk_script)


def test_scripts_cjk_editor_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The same script at 160x48: estimate per section and shots in a side panel."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_cjk_script)


def test_scripts_revisions_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """ctrl+r: the revision list and the diff of the newest against the text."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_revisions)
