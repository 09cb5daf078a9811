"""Snapshot tests of the Publish tab on the demo workspace, with a frozen clock.

The demo is seeded at FROZEN (Sat 28 Nov 2026 09:00 UTC, 17:00 in
Asia/Shanghai) without real clips (conftest's demo_workspace). One scheduled
TikTok publication is made live here — its publish job claimed by a named
worker, 40 % uploaded — so the pictures show a progress bar. The file a
detail shows is renamed to a fixed path (the demo's renders live in the
test's temporary folder), and the form's render is a real 3 s clip, so its
preflight passes and shows the clip's facts. The data_version timer is off,
every worker is awaited, and the App gets only the Publish tab (DEMO_TABS).
Regenerate after an intended change with
`pytest tests/test_snapshots_publish.py --snapshot-update` and review.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, settle
from publishing import make_clip
from rows import make_publishing

from app.tui import ReelRoomApp
from app.workspace import Workspace
from storage.publications import PublicationRepo
from storage.renders import RenderRepo
from widgets.queue_table import QueueTable

DEMO_TABS = ("publish",)


def _latest(ws: Workspace, state: str, platform: str) -> int:
    return max(
        p.id
        for p in PublicationRepo(ws.store).listing()
        if p.state == state and p.platform == platform
    )


@pytest.fixture(autouse=True)
def live_upload(demo_workspace: Workspace) -> None:
    """The first scheduled TikTok publication is being sent: 40 % uploaded."""
    ws = demo_workspace
    pub_id = next(
        p.id
        for p in PublicationRepo(ws.store).listing(states=["scheduled"])
        if p.platform == "tiktok"
    )
    make_publishing(ws.store, pub_id, 0.4, FROZEN - timedelta(minutes=2))
    for state, platform in (("failed", "instagram"), ("published", "tiktok")):
        shown = _latest(ws, state, platform)
        name = Path(PublicationRepo(ws.store).must(shown).file_path or "demo.mp4").name
        ws.store.db.table("publications").update(
            shown, {"file_path": f"/srv/reelroom/renders/{name}"}
        )


async def _shown(pilot: Any) -> None:
    """Read, drawn, and scrolled to around now: the pane scrolls its cursor near the top
    a refresh after the rows are shown, which on a busy machine can come several
    refreshes later, so this waits for that scroll (a key pressed before it lands would
    be overtaken by it)."""
    await settle(pilot)
    await pilot.wait_for_scheduled_animations()
    table = pilot.app.query_one(QueueTable)
    for _ in range(50):
        await pilot.pause()
        if table.scroll_y == min(max(0, table.cursor_row - 2), table.max_scroll_y):
            break


async def _at(pilot: Any, state: str, platform: str, keys: tuple[str, ...]) -> None:
    await _shown(pilot)
    app = pilot.app
    pub_id = _latest(app.workspace, state, platform)
    table = app.query_one(QueueTable)
    table.move_cursor(row=table.keys.index(str(pub_id)))
    await pilot.pause()
    await pilot.press(*keys)
    await _shown(pilot)


async def _failed_detail(pilot: Any) -> None:
    await _at(pilot, "failed", "instagram", ("enter",))


async def _published_detail(pilot: Any) -> None:
    await _at(pilot, "published", "tiktok", ("enter",))


def test_publish_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """80x24: the queue around now (cursor on the first row of the past hour), the live
    upload's bar, the Kuaishou login to renew, glyph counts; no column cut that matters."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_shown)


def test_publish_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """160x48: full account names, tries and the URL / error / note column."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_shown)


def test_publish_failed_detail_80x24(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter on Instagram's refused container: state, what went wrong, caption, file."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_failed_detail)


def test_publish_detail_160x48(snap_compare: Any, demo_app: ReelRoomApp) -> None:
    """Enter on the latest TikTok publication: URL, file facts, preflight, the step log."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_published_detail)


@pytest.fixture
def form_title(demo_workspace: Workspace) -> str:
    """The post of the demo's cancelled publication (going out tomorrow): a real clip where
    its render's file should be. Its title, as typed into the post picker."""
    ws = demo_workspace
    pub = next(p for p in PublicationRepo(ws.store).listing(states=["cancelled"]))
    render = next(r for r in RenderRepo(ws.store).for_post(pub.post_id) if r.job.state == "done")
    assert render.output_path
    make_clip(Path(render.output_path))
    return pub.post_title


def _form(title: str) -> Any:
    async def run(pilot: Any) -> None:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*title)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    return run


def test_publish_form_80x24(snap_compare: Any, demo_app: ReelRoomApp, form_title: str) -> None:
    """a, the post's title, Enter: its form — the first free account, the post's render,
    the planned time in Shanghai, the caption measured, the preflight passed."""
    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=_form(form_title))


def test_publish_form_160x48(snap_compare: Any, demo_app: ReelRoomApp, form_title: str) -> None:
    """The same form at 160x48."""
    assert snap_compare(demo_app, terminal_size=(160, 48), run_before=_form(form_title))
