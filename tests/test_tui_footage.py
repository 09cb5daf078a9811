"""Pilot tests of the Footage tab on a real workspace file with 2,000 synthetic clips.

The clips come from the demo's large-footage generator (rows only, no files),
written with the seeding functions. Pages are kept small (50 rows, a window of
at most 150) so paging happens after a few key presses; the expected order
is computed here in Python from every row, independently of the SQL.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN, Messages, make_app, make_workspace, settle
from rich.cells import cell_len
from textual.widgets import Input, Static

from app.demo import footage as demo_footage
from app.demo.scale import DemoTime
from app.tabs import TabContext, TabSpec
from app.tui import ReelRoomApp
from app.workspace import Workspace
from screens.footage.pane import DETAIL_CELLS, FootagePane
from screens.footage.window import FootageServices
from screens.modals.help import HelpScreen
from screens.modals.item_detail import ItemDetailScreen
from screens.modals.link_post import LinkPostScreen
from screens.modals.tag_clip import TagClipScreen, parse_tags
from storage import Store, seeding
from storage.footage import FootageRepo
from storage.footage_models import Asset
from storage.footage_query import AssetQuery
from storage.posts import PostRepo
from storage.processes import ProcessRepo
from storage.timefmt import to_db
from widgets.footage_table import FootageTable, TableColumn, TableRow, fit
from widgets.tab_page import TabPage

CLIPS = 2000
ROOT = Path("/srv/footage")


def seed_clips(store: Store, count: int = CLIPS) -> None:
    """`count` synthetic assets (and their paths) from the demo generator."""
    rows = list(
        demo_footage.footage_rows(DemoTime(FROZEN), count, ROOT, 1, 1, [], "/srv/thumbs/poster.jpg")
    )
    with seeding.bulk_session(store) as conn:
        seeding.insert_rows(
            conn, "assets", demo_footage.ASSET_COLS, [r for table, r in rows if table == "assets"]
        )
        seeding.insert_rows(
            conn,
            "asset_paths",
            demo_footage.PATH_COLS,
            [r for table, r in rows if table == "asset_paths"],
        )


@pytest.fixture
def library(tmp_path: Path) -> Workspace:
    """A workspace in UTC holding 2,000 clips."""
    ws = make_workspace(tmp_path / "home")
    seed_clips(ws.store)
    return ws


def every_asset(ws: Workspace) -> list[Asset]:
    return FootageRepo(ws.store).list()


def by_imported_desc(assets: list[Asset]) -> list[str]:
    return [str(a.id) for a in sorted(assets, key=lambda a: (a.imported_at, a.id), reverse=True)]


def footage_app(
    ws: Workspace, *, poll_interval: float | None = None, page_size: int = 50, max_window: int = 150
) -> ReelRoomApp:
    """The App with only the Footage tab, small pages, a frozen clock."""

    def factory(ctx: TabContext, title: str, pane_id: str) -> TabPage:
        store = ctx.workspace.store
        services = FootageServices(FootageRepo(store), PostRepo(store), ProcessRepo(store))
        return FootagePane(
            services,
            clock=ctx.clock,
            zone=ctx.workspace.config.zone,
            title=title,
            id=pane_id,
            page_size=page_size,
            max_window=max_window,
        )

    return make_app(ws, TabSpec("footage", "Footage", factory), poll_interval=poll_interval)


def pane_of(app: ReelRoomApp) -> FootagePane:
    return app.query_one(FootagePane)


def is_window_of(keys: list[str], expected: list[str]) -> bool:
    """The window is a contiguous run of the expected order."""
    if not keys:
        return False
    start = expected.index(keys[0])
    return expected[start : start + len(keys)] == keys


async def test_pages_load_as_the_cursor_moves_and_the_window_stays_small(
    library: Workspace,
) -> None:
    """Paging down appends keyset pages in order; the window never exceeds its cap;
    G shows the last rows, paging up reads backwards, g returns to the first."""
    expected = by_imported_desc(every_asset(library))
    app = footage_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane, table = pane_of(app), app.query_one(FootageTable)
        assert app.focused is table
        assert table.keys == expected[:50] and pane.total == CLIPS
        assert str(app.query_one("#footage-header", Static).render()).startswith("2,000 clips")
        deepest = 0
        for _ in range(25):
            await pilot.press("pagedown")
            await settle(pilot)
            assert len(table.keys) <= 150 and is_window_of(table.keys, expected)
            deepest = max(deepest, expected.index(table.highlighted_key or ""))
        assert deepest > 150 and not pane.at_start  # scrolled past what one window holds
        await pilot.press("G")
        await settle(pilot)
        assert table.highlighted_key == expected[-1] and table.keys == expected[-len(table.keys) :]
        for _ in range(12):
            await pilot.press("pageup")
            await settle(pilot)
            assert len(table.keys) <= 150 and is_window_of(table.keys, expected)
        assert expected.index(table.keys[0]) < CLIPS - 150
        await pilot.press("g")
        await settle(pilot)
        assert table.highlighted_key == expected[0] and table.keys == expected[:50]


async def test_refresh_keeps_the_window_and_the_cursor(library: Workspace) -> None:
    """r (what a data_version change does) reads the same rows again around the cursor,
    however deep the window was paged, and the cursor stays on its clip."""
    expected = by_imported_desc(every_asset(library))
    app = footage_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = pane_of(app).table
        for _ in range(9):
            await pilot.press("pagedown")
            await settle(pilot)
        keys, held = list(table.keys), table.highlighted_key
        assert len(keys) > 50 and is_window_of(keys, expected)
        await pilot.press("r")
        await settle(pilot)
        assert table.highlighted_key == held and is_window_of(table.keys, expected)
        again = list(table.keys)
        assert again[again.index(keys[0]) : again.index(keys[0]) + len(keys)] == keys
        await pilot.press("r")  # nothing changed since: the very same window
        await settle(pilot)
        assert table.keys == again and table.highlighted_key == held


async def test_filter_by_orientation_codec_and_clear(library: Workspace) -> None:
    """/ portrait Enter keeps portrait clips only (count and rows); Escape shows all again."""
    assets = every_asset(library)
    portrait = [
        a
        for a in assets
        if a.display_width and a.display_height and a.display_height > a.display_width
    ]
    hevc_portrait = [a for a in portrait if a.video_codec == "hevc"]
    app = footage_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        await pilot.press("slash")
        assert app.focused is app.query_one("#footage-filter", Input)
        await pilot.press(*"portrait hevc", "enter")
        await settle(pilot)
        assert pane.total == len(hevc_portrait) > 0
        assert pane_of(app).table.keys == by_imported_desc(hevc_portrait)[:50]
        assert "filter “portrait hevc”" in str(app.query_one("#footage-header", Static).render())
        assert app.focused is pane.table
        await pilot.press("escape")
        await settle(pilot)
        assert pane.total == CLIPS and pane.query_state.text == ""
        await pilot.press("slash", "x", "escape")  # typed but not applied: nothing changes
        await settle(pilot)
        assert not pane.has_class("-filtering") and pane.total == CLIPS
        assert app.focused is pane.table


async def test_sort_keys_and_header_click(library: Workspace) -> None:
    """s cycles to the next column, S flips it, a header click sorts by that column."""
    assets = every_asset(library)
    by_name = [str(a.id) for a in sorted(assets, key=lambda a: (a.name, a.id))]
    by_duration = [
        str(a.id)
        for a in sorted(
            assets,
            key=lambda a: (-1.0 if a.duration_s is None else a.duration_s, a.id),
            reverse=True,
        )
    ]
    app = footage_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane, table = pane_of(app), pane_of(app).table
        await pilot.press("s")  # imported -> linked post
        await settle(pilot)
        assert pane.query_state.sort == "post"
        await pilot.press("s")  # -> name, A to Z
        await settle(pilot)
        assert table.keys == by_name[:50]
        assert "sorted by name ↑" in str(app.query_one("#footage-header", Static).render())
        await pilot.press("S")
        await settle(pilot)
        assert table.keys == by_name[::-1][:50]
        name_width = table.layout_columns[0].width
        await pilot.click(FootageTable, offset=(name_width + 4, 0))  # the Dur header
        await settle(pilot)
        assert pane.query_state.sort == "duration" and pane.query_state.descending
        assert table.keys == by_duration[:50]


async def test_link_a_clip_to_a_post_and_unlink(library: Workspace) -> None:
    """l opens a post search; Enter links the highlighted result; the unlink choice clears it."""
    posts = PostRepo(library.store)
    posts.add("Dumpling night 饺子")
    beach = posts.add("Beach day vlog", status="scripting")
    app = footage_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        first = int(pane_of(app).table.highlighted_key or 0)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LinkPostScreen)
        await pilot.press(*"beach")
        await settle(pilot)
        assert [p.title for p in app.screen.found] == ["Beach day vlog"]
        await pilot.press("enter")
        await settle(pilot)
        assert FootageRepo(library.store).get(first).post_id == beach.id
        assert pane_of(app).rows[0].post_title == "Beach day vlog"
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")  # empty search: the unlink choice comes first
        await settle(pilot)
        assert FootageRepo(library.store).get(first).post_id is None


async def test_tag_a_clip_then_filter_by_the_tag(library: Workspace) -> None:
    """t edits comma-separated tags (CJK too); #tag then finds exactly that clip."""
    app = footage_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        target = int(pane_of(app).table.highlighted_key or 0)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TagClipScreen)
        app.screen.query_one(Input).value = " beach, 饺子 ,beach,"
        await pilot.press("enter")
        await settle(pilot)
        assert FootageRepo(library.store).get(target).tags == ["beach", "饺子"]
        await pilot.press("slash")
        app.query_one("#footage-filter", Input).value = "#饺子"
        await pilot.press("enter")
        await settle(pilot)
        assert pane_of(app).total == 1 and pane_of(app).table.keys == [str(target)]


async def test_detail_shows_every_path_and_copy_takes_the_folder(library: Workspace) -> None:
    """Enter shows all metadata and every known path; c copies the clip's folder."""
    backed_up = next(
        a for a in FootageRepo(library.store).list() if len(a.paths) == 2 and a.kind == "video"
    )
    app = footage_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        pane.set_query(AssetQuery(text=backed_up.name))
        await settle(pilot)
        assert pane.table.keys == [str(backed_up.id)]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen)
        fields = dict(app.screen.view.fields)
        assert fields["Thumbnail"] == "/srv/thumbs/poster.jpg"
        assert fields["Full hash"] == backed_up.full_hash
        assert fields["Kind"] == backed_up.kind
        shown = dict(app.screen.view.blocks)["Paths"]
        assert all(p.path in shown for p in backed_up.paths) and len(backed_up.paths) == 2
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == backed_up.paths[0].path.rsplit("/", 1)[0]


async def test_wide_terminal_shows_detail_beside_the_table(library: Workspace) -> None:
    """At 160 columns the highlighted clip's detail sits beside the table and follows j."""
    app = footage_app(library)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        detail = app.query_one("#footage-detail-body", Static)
        assert pane.has_class("-wide") and detail.region.x > pane.table.region.x
        assert app.query_one("#footage-detail").region.width == DETAIL_CELLS  # footage.tcss
        assert pane.rows[0].name in str(detail.render())
        await pilot.press("j")
        await settle(pilot)
        assert pane.rows[1].name in str(detail.render())
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not pane.has_class("-wide") and detail.region.width == 0


async def test_clip_from_another_process_appears_and_the_cursor_stays(
    library: Workspace, messages: Messages
) -> None:
    """A clip imported by another connection shows after the data_version poll, and the
    highlighted clip stays highlighted; the watcher's row shows in the status line."""
    app = footage_app(library, poll_interval=0.1)
    added: list[int] = []

    def other_process() -> None:
        other = Store(library.home.db_path)
        ProcessRepo(other).announce(
            "watch",
            {"folders": ["/srv/cards"], "last_import_at": to_db(FROZEN - timedelta(minutes=3))},
        )
        repo = FootageRepo(other)
        with repo.batch():
            asset = repo.insert_asset(
                kind="video",
                name="新しい clip.mp4",
                content_key="k-new",
                size_bytes=1234,
                media={"duration_s": 2.0},
                imported_at=to_db(FROZEN - timedelta(minutes=3)),
            )
            repo.add_path(asset, "/srv/cards/新しい clip.mp4", 1234, 1, to_db(FROZEN))
        added.append(asset)
        other.close()

    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        table = pane_of(app).table
        await pilot.press("j", "j")
        held = table.highlighted_key
        writer = threading.Thread(target=other_process)
        writer.start()
        writer.join()
        assert await messages.until(lambda: str(added[0]) in table.keys)
        assert table.keys[0] == str(added[0]) and table.highlighted_key == held
        assert pane_of(app).total == CLIPS + 1
        status = str(app.query_one("#footage-status", Static).render())
        assert "watcher running on" in status and "/srv/cards" in status
        assert "last import 3 min ago" in status


async def test_empty_library_says_how_to_start(tmp_path: Path) -> None:
    """With no clips and no watcher the tab says so and keys do nothing harmful."""
    ws = make_workspace(tmp_path / "home")
    app = footage_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "0 clips" in str(app.query_one("#footage-header", Static).render())
        status = str(app.query_one("#footage-status", Static).render())
        assert "no watcher running" in status and "last import never" in status
        await pilot.press("G", "g", "t", "l", "c", "enter")
        await settle(pilot)
        assert pane_of(app).table.keys == [] and not isinstance(app.screen, TagClipScreen)


def test_cjk_names_are_cut_by_cells() -> None:
    """A CJK name takes exactly the column's cells, cut with an ellipsis when too long."""
    for name in ("今天拍摄饺子视频的素材整理还有很多很多字.mp4", "C0001.MP4", "饺子.mov"):
        cell = fit(name, 20)
        assert cell_len(cell) == 20
    assert fit("今天拍摄饺子视频的素材整理.mp4", 10).endswith("…")
    assert fit("12 MB", 8, right=True) == "   12 MB"
    row = TableRow("1", {"name": "饺子"})
    assert TableColumn("name", "Name", 10).width == 10 and row.cells["name"] == "饺子"


def test_tags_are_parsed_from_one_line() -> None:
    """Commas split, blanks and repeats drop, a leading # is not part of the tag."""
    assert parse_tags(" beach, #饺子 ,, beach ,B-roll") == ["beach", "饺子", "B-roll"]
    assert parse_tags("  ") == []


async def test_question_mark_lists_the_footage_keys(library: Workspace) -> None:
    """? shows the tab's keys: filter, sort, flip, link, tag, copy (c and y), first/last."""
    app = footage_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {key: k.description for k in app.screen.keys for key in k.key.split()}
        assert listed["/"] == "Filter" and listed["s"] == "Sort" and listed["S"] == "Flip"
        assert listed["l"] == "Link" and listed["t"] == "Tag"
        assert listed["c"] == listed["y"] == "Copy path"
        assert listed["g"] == "First" and listed["G"] == "Last"
