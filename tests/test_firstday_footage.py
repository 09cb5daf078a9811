"""Issue 16 on the Footage tab: g/G/Home/End on a short library, a header that never
claims a filter the rows do not show yet, and a tags/note column (reject reason,
copies, tags).

Clips are rows written with the footage repository (no files); the App gets
only the Footage tab, a frozen clock and no polling.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, make_app, make_workspace, settle
from textual.widgets import Static

from app.tabs import TabContext, TabSpec
from app.tui import ReelRoomApp
from app.workspace import Workspace
from screens.footage.pane import FootagePane
from screens.footage.window import FootageServices
from storage.footage import FootageRepo
from storage.footage_query import AssetQuery
from storage.posts import PostRepo
from storage.processes import ProcessRepo
from storage.timefmt import to_db
from widgets.footage_table import FootageTable
from widgets.tab_page import TabPage


def add_clip(
    repo: FootageRepo, name: str, width: int, height: int, minutes_ago: int, **kw: Any
) -> int:
    when = to_db(FROZEN - timedelta(minutes=minutes_ago))
    asset = repo.insert_asset(
        kind="video",
        name=name,
        content_key=f"k-{name}",
        size_bytes=1000,
        media={"duration_s": 2.0, "display_width": width, "display_height": height},
        imported_at=when,
        **kw,
    )
    repo.add_path(asset, f"/srv/cards/{name}", 1000, 1, when)
    return asset


@pytest.fixture
def library(tmp_path: Path) -> Workspace:
    """Six clips: three portrait, three landscape, newest first by import time."""
    ws = make_workspace(tmp_path / "home")
    repo = FootageRepo(ws.store)
    for i in range(6):
        portrait = i % 2 == 0
        add_clip(repo, f"clip-{i}.mp4", 1080 if portrait else 1920, 1920 if portrait else 1080, i)
    return ws


class GatedFootage(FootageRepo):
    """Reads under a filter wait for `gate` (a slow disk, a busy machine)."""

    gate = threading.Event()

    def page(self, query: AssetQuery, **kw: Any) -> Any:
        if query.text:
            assert self.gate.wait(20)
        return super().page(query, **kw)


def gated_app(ws: Workspace) -> ReelRoomApp:
    def factory(ctx: TabContext, title: str, pane_id: str) -> TabPage:
        store = ctx.workspace.store
        services = FootageServices(GatedFootage(store), PostRepo(store), ProcessRepo(store))
        return FootagePane(
            services, clock=ctx.clock, zone=ctx.workspace.config.zone, title=title, id=pane_id
        )

    return make_app(ws, TabSpec("footage", "Footage", factory))


def header(app: ReelRoomApp) -> str:
    return str(app.query_one("#footage-header", Static).render())


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_ends_keys_move_the_cursor_on_a_short_library(
    library: Workspace, size: tuple[int, int]
) -> None:
    """G, End go to the last clip and g, Home to the first, when the whole library
    is one window (no page to read)."""
    async with make_app(library, "footage").run_test(size=size) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(FootageTable)
        assert table.row_count == 6 and table.cursor_row == 0
        for key, row in (("G", 5), ("g", 0), ("end", 5), ("home", 0), ("j", 1), ("G", 5)):
            await pilot.press(key)
            await settle(pilot)
            assert table.cursor_row == row, key


async def test_header_names_a_filter_only_once_the_rows_show_it(library: Workspace) -> None:
    """While the filtered rows are being read the header says so (and still describes
    the rows on screen); once they arrive it names the filter and only portrait clips
    are listed."""
    GatedFootage.gate.clear()
    app = gated_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"portrait", "enter")
        await pilot.pause()
        pane = app.query_one(FootagePane)
        assert len(pane.table.keys) == 6  # still the unfiltered rows
        text = header(app)
        assert text.startswith("6 clips · sorted by imported ↓ · reading filter “portrait”")
        GatedFootage.gate.set()
        await settle(pilot)
        assert header(app) == "3 clips · sorted by imported ↓ · filter “portrait”"
        names = [a.name for a in pane.rows]
        assert names == ["clip-0.mp4", "clip-2.mp4", "clip-4.mp4"]


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_note_column_shows_reject_reason_copies_and_tags(
    library: Workspace, size: tuple[int, int]
) -> None:
    """A rejected file says why in its row, a clip that came in twice says so, tags show."""
    repo = FootageRepo(library.store)
    bad = add_clip(
        repo,
        "broken.mp4",
        0,
        0,
        0,
        status="rejected",
        reason="moov atom not found",
    )
    twice = next(a.id for a in repo.list() if a.name == "clip-1.mp4")
    repo.add_path(twice, "/srv/backup/clip-1.mp4", 1000, 1, to_db(FROZEN))
    repo.set_tags(twice, ["beach", "饺子"])
    async with make_app(library, "footage").run_test(size=size) as pilot:
        await settle(pilot)
        table = pilot.app.query_one(FootageTable)
        column = [c.key for c in table.ordered_columns].index("note")
        cells = {str(key.value): str(table.get_row(key)[column]).strip() for key in table.rows}
        assert cells[str(bad)].startswith("✗ moov")
        assert cells[str(twice)].startswith("2 copies")
        if size[0] >= 160:
            assert cells[str(twice)] == "2 copies #beach #饺子"
