"""Snapshot tests of the Inbox tab on the demo workspace with a frozen clock.

The demo is seeded at FROZEN in Asia/Shanghai (no clips) with Instagram's reply window
set to 7 days, so countdowns show, and five comments newest of all: Arabic, Hebrew,
emoji (a ZWJ sequence too), Chinese and one of about 5,000 characters. The pictures
show the columns staying straight, the accounts line naming Kuaishou's missing comment
API, and at 160x48 the thread beside the list. Regenerate after an intended change with
`pytest tests/test_snapshots_inbox.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import make_app, settle
from inboxing import showcase_workspace

from app.workspace import Workspace


@pytest.fixture
def showcase(tmp_path: Path) -> Workspace:
    return showcase_workspace(tmp_path / "home")


def test_inbox_80x24(snap_compare: Any, showcase: Workspace) -> None:
    """80x24: narrow columns, the first label in the state column, counts on one line."""
    assert snap_compare(make_app(showcase, "inbox"), terminal_size=(80, 24), run_before=settle)


def test_inbox_160x48(snap_compare: Any, showcase: Workspace) -> None:
    """160x48: labels and assignee columns, countdowns, the thread beside the list."""
    assert snap_compare(make_app(showcase, "inbox"), terminal_size=(160, 48), run_before=settle)


async def _open_thread(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("j", "j", "enter")
    await settle(pilot)


def test_inbox_thread_80x24(snap_compare: Any, showcase: Workspace) -> None:
    """Enter: the thread (emoji author) beside the video's title, hook and script."""
    assert snap_compare(
        make_app(showcase, "inbox"), terminal_size=(80, 24), run_before=_open_thread
    )
