"""Snapshot tests of the Scripts tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai with no clips (conftest's
demo_workspace); the data_version timer is off and every worker is awaited
before the picture is taken. The App gets only the Scripts tab (DEMO_TABS), so tabs added later do not change these pictures. The
CJK script is the demo's "老街螺蛳粉，排队两小时" (ready to shoot, 45 s target).
Regenerate after an intended change with `pytest tests/test_snapshots_scripts.py
--snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from typing import Any

from conftest import settle
from textual.widgets import Input

from app.tui import ReelRoomApp
from screens.scripts.pane import ScriptsPane

CJK_TITLE = "老街螺蛳粉，排队两小时"
DEMO_TABS = ("scripts",)


async def _cjk_script(pilot: Any) -> None:
    await settle(pilot)
    pilot.app.query_one("#scripts-filter", Input).value = CJK_TITLE
    await pilot.pause()
    await pilot.press("slash", "enter", "enter")  # into the filter, back to the list, open
    await settle(pilot)
    assert pilot.app.query_one(ScriptsPane).post.title == CJK_TITLE


async def _revisions(pilot: Any) -> None:
    await _cjk_script(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)


def test_scripts_picker_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The post picker: writing-stage posts first, CJK titles aligned."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=settle)


def test_scripts_cjk_editor_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """A Chinese script in the editor; estimate and shots under it."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_cjk_script)


def test_scripts_cjk_editor_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """The same script at 160x48: estimate per section and shots in a side panel."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_cjk_script)


def test_scripts_revisions_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """ctrl+r: the revision list and the diff of the newest against the text."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_revisions)
