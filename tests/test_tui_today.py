"""Pilot tests of the App shell and the Today tab on a real workspace file."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, Messages, make_app, make_workspace, settle
from rich.cells import cell_len
from rows import (
    add_account,
    add_deal,
    add_deliverable,
    add_inbox,
    add_post,
    add_publication,
    add_render,
    add_snapshot,
)
from textual import events
from textual.app import App, ComposeResult
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import ContentSwitcher, Static
from textual.widgets._toast import Toast, ToastRack

from app.commands import commands_for
from app.tab_host import MODALS_STYLESHEET, TabHost
from app.tui import TabContext, TabSpec
from app.workspace import Workspace
from screens.messages import NumbersLoaded, TodayLoaded, TodayPainted, WorkerFailed
from screens.modals.help import HelpScreen
from screens.modals.item_detail import ItemDetailScreen
from screens.today import pane as today_pane
from storage import Store
from storage.today import TodayRepo
from widgets.numbers_strip import NumbersStrip
from widgets.tab_bar import TabBar
from widgets.tab_page import TabPage
from widgets.triage_list import TriageList, row_content
from widgets.values import Figure, TriageRow


def seeded(root: Path, url: str = "") -> tuple[Workspace, dict[str, str]]:
    """A workspace with one row in each section; returns the row keys by name."""
    ws = make_workspace(root, zone="Asia/Shanghai", url=url)
    store = ws.store
    post = add_post(store, "饺子 dumplings", "idea", planned=FROZEN + timedelta(days=5))
    render = add_render(store, "failed", FROZEN - timedelta(hours=2), error="exit 1")
    keys = {"post": f"post:{post}", "render": f"render:{render}"}
    acc = add_account(store, "tiktok", "reelroom")
    add_inbox(store, acc, 2, FROZEN - timedelta(hours=4))
    keys["inbox"] = f"inbox:{acc}"
    deal = add_deal(store, "Acme")
    deliverable = add_deliverable(store, deal, "story", FROZEN + timedelta(days=2))
    keys["deliverable"] = f"deliverable:{deliverable}"
    return ws, keys


async def test_keys_move_across_sections_skipping_headers(tmp_path: Path) -> None:
    """j/k and the arrows walk the rows in order; headers and empty lines are skipped."""
    ws, keys = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        triage = app.query_one(TriageList)
        assert app.focused is triage
        order = [keys["post"], keys["render"], keys["inbox"], keys["deliverable"]]
        assert triage.row_keys == order
        seen = [triage.highlighted_key]
        for key in ("j", "down", "j", "j"):
            await pilot.press(key)
            seen.append(triage.highlighted_key)
        assert seen == [*order, order[-1]]  # stops at the last row
        await pilot.press("k", "up")
        assert triage.highlighted_key == order[1]
        await pilot.press("k", "k")
        assert triage.highlighted_key == order[0]


async def test_g_and_shift_g_go_to_the_ends_of_the_list(tmp_path: Path) -> None:
    """G (and End) highlight the last row, g (and Home) the first with its header in view."""
    ws, keys = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        triage = app.query_one(TriageList)
        await pilot.press("G")
        assert triage.highlighted_key == keys["deliverable"] and triage.scroll_y > 0
        await pilot.press("g")
        assert triage.highlighted_key == keys["post"] and triage.scroll_y == 0
        await pilot.press("end")
        assert triage.highlighted_key == keys["deliverable"]
        await pilot.press("home")
        assert triage.highlighted_key == keys["post"]


async def test_enter_opens_detail_and_escape_closes(tmp_path: Path) -> None:
    """Enter on a row opens that item's detail; Escape returns to the list."""
    ws, keys = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen)
        assert app.screen.view.title == "饺子 dumplings"
        assert ("Status", "idea") in app.screen.view.fields
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ItemDetailScreen)
        await pilot.press("j", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen)
        assert app.screen.view.kind == "Render"
        assert ("Error", "exit 1") in app.screen.view.blocks


async def test_the_modals_rules_are_read_when_the_first_modal_opens(tmp_path: Path) -> None:
    """modals.tcss is not parsed before the first paint; the first modal pushed brings
    it, and its box is drawn by those rules (a round border, its width)."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.stylesheet.has_source(str(MODALS_STYLESHEET), "")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen)
        assert app.stylesheet.has_source(str(MODALS_STYLESHEET), "")
        box = app.screen.query_one("#detail-box")
        assert box.styles.border_top[0] == "round" and box.outer_size.width == 72  # 90% of 80


async def test_question_mark_lists_every_active_key(tmp_path: Path) -> None:
    """? shows the keys in force (list keys, app keys, tab digits by name)."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {key: k.description for k in app.screen.keys for key in k.key.split()}
        assert listed["j"] == listed["↓"] == "Down" and listed["k"] == listed["↑"] == "Up"
        assert listed["⏎"] == "Open" and listed["^p"] == "palette"
        assert listed["q"] == "Quit" and listed["r"] == "Refresh" and listed["?"] == "Keys"
        assert listed["1"] == "Go to Today"
        assert "2" not in listed  # no second tab, so no key for it
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


def _notes(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    return TabPage(title, Static("notes pane"), id=pane_id)


async def test_digits_switch_tabs(tmp_path: Path) -> None:
    """Digit n shows the n-th registered tab; a digit with no tab does nothing.
    Tabs after the first are built once Today has painted, in registry order."""
    ws, _ = seeded(tmp_path / "home")
    notes, more = TabSpec("notes", "Notes", _notes), TabSpec("more", "More", _notes)
    app = make_app(ws, "today", notes, more)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = app.query_one(TabHost)
        assert tabs.pending == ()
        assert [pane.id for pane in tabs.query_one(ContentSwitcher).children] == [
            "today",
            "notes",
            "more",
        ]
        assert app.query_one(TabBar).titles == ("Today", "Notes", "More")
        assert tabs.active == "today"
        await pilot.press("3")
        await pilot.pause()
        assert tabs.active == "more" and app.query_one(TabBar).active == 2
        await pilot.press("2")
        await pilot.pause()
        assert tabs.active == "notes"
        await pilot.press("7")
        await pilot.pause()
        assert tabs.active == "notes"
        await pilot.press("1")
        await pilot.pause()
        assert tabs.active == "today"
        assert app.focused is app.query_one(TriageList)


async def test_q_quits(tmp_path: Path) -> None:
    """q leaves the app."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_palette_offers_go_to_and_refresh(tmp_path: Path, messages: Messages) -> None:
    """The palette provider lists Go to <tab>, Refresh and Keys; Refresh reads again."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        names = [c.name for c in commands_for(app)]
        assert names[:3] == ["Go to Today", "Refresh", "Keys"]
        assert "Today: Publish" in names  # each tab's own actions follow
        before = len(messages.of(TodayPainted))
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"refresh")
        await settle(pilot)  # the palette's search is a worker
        await pilot.press("enter")
        assert await messages.until(lambda: len(messages.of(TodayPainted)) > before)


@pytest.mark.parametrize("engine", ["sqlite", "postgres"])
async def test_other_connection_write_shows_within_seconds(
    tmp_path: Path, messages: Messages, engine: str, request: pytest.FixtureRequest
) -> None:
    """A failed render written by another connection appears via data_version polling
    (PRAGMA data_version on SQLite, LISTEN/NOTIFY on PostgreSQL)."""
    url = request.getfixturevalue("pg_url") if engine == "postgres" else ""
    ws, _ = seeded(tmp_path / "home", url)
    app = make_app(ws, "today", poll_interval=0.5)
    new_job: list[int] = []

    def other_process() -> None:
        other = Store(ws.store.target)
        new_job.append(
            add_render(
                other, "dead", FROZEN - timedelta(minutes=5), recipe="watermark", error="disk full"
            )
        )
        other.close()

    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        triage = app.query_one(TriageList)
        writer = threading.Thread(target=other_process)
        writer.start()
        writer.join()
        key = f"render:{new_job[0]}"
        assert await messages.until(lambda: key in triage.row_keys)


async def test_numbers_are_read_again_only_when_their_snapshots_change(
    tmp_path: Path, messages: Messages
) -> None:
    """Other writes refresh the list but keep the numbers; a late snapshot of
    yesterday re-reads them."""
    ws, _ = seeded(tmp_path / "home")
    acc = add_account(ws.store, "youtube", "numbers")
    post = add_post(ws.store, "counted", "published")
    pub = add_publication(ws.store, post, acc, "published", published=FROZEN - timedelta(days=20))
    add_snapshot(ws.store, pub, FROZEN - timedelta(days=3), 1000)
    add_snapshot(ws.store, pub, FROZEN - timedelta(days=2), 1500)
    app = make_app(ws, "today", poll_interval=0.1)

    def write(*rows: tuple[str, datetime, int]) -> None:
        other = Store(ws.home.db_path)
        for kind, at, views in rows:
            if kind == "render":
                add_render(other, "failed", at)
            else:
                add_snapshot(other, pub, at, views)
        other.close()

    def count(kind: type) -> int:
        return len(messages.of(kind))

    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        # The first read is shown as the pane mounts, without messages (TodayPane._first_read).
        assert (count(TodayLoaded), count(NumbersLoaded)) == (0, 0)
        assert "no numbers yet" in strip_text(app)  # no snapshot yesterday yet
        await asyncio.to_thread(write, ("render", FROZEN, 0))
        assert await messages.until(lambda: count(TodayLoaded) >= 1)
        await settle(pilot)
        assert count(NumbersLoaded) == 0
        await asyncio.to_thread(write, ("snapshot", FROZEN - timedelta(hours=20), 2100))
        assert await messages.until(lambda: count(NumbersLoaded) >= 1)
        latest = messages.of(NumbersLoaded)[-1]
        assert latest.numbers.figures[0].yesterday == 600


def strip_text(app: App[Any]) -> str:
    strip = app.query_one(NumbersStrip)
    return " ".join(strip.render_line(y).text for y in range(strip.size.height))


async def test_the_first_frame_holds_todays_rows(tmp_path: Path, messages: Messages) -> None:
    """The first read is waited for as the pane mounts: when Today first reports
    itself painted, its rows and numbers are there, and no read message was needed."""
    ws, keys = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    seen: list[tuple[str, list[str]]] = []

    def hook(message: Message) -> None:
        fresh = not any(message is m for m in messages.seen)
        messages(message)
        if fresh and isinstance(message, TodayPainted) and message.first:
            seen.append((message.part, app.query_one(TriageList).row_keys))

    async with app.run_test(size=(80, 24), message_hook=hook) as pilot:
        await settle(pilot)
        assert messages.of(TodayLoaded) == [] and messages.of(NumbersLoaded) == []
        assert [part for part, _ in seen] == ["items", "numbers"]
        assert all(rows == list(keys.values()) for _, rows in seen)
        assert app.focused is app.query_one(TriageList)


async def test_a_slow_first_read_arrives_by_message(
    tmp_path: Path, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first read slower than the wait goes on in a worker; its rows come once, by message."""
    ws, keys = seeded(tmp_path / "home")
    release = threading.Event()
    original = TodayRepo.items

    def slow(self: TodayRepo, *args: Any) -> Any:
        release.wait(10)
        return original(self, *args)

    monkeypatch.setattr(TodayRepo, "items", slow)
    monkeypatch.setattr(today_pane, "FIRST_READ_WAIT_S", 0.01)
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await pilot.pause()
        assert app.query_one(TriageList).row_keys == []  # the App did not wait for it
        release.set()
        await settle(pilot)
        assert len(messages.of(TodayLoaded)) == 1
        assert app.query_one(TriageList).row_keys == list(keys.values())


async def test_a_failing_first_read_is_reported(tmp_path: Path, messages: Messages) -> None:
    """A first read that fails (table gone) is shown as a worker's error; the app runs on."""
    ws, _ = seeded(tmp_path / "home")
    with ws.store.write() as conn:
        conn.execute("ALTER TABLE deliverables RENAME TO deliverables_gone")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24), message_hook=messages):
        assert await messages.until(lambda: bool(messages.of(WorkerFailed)))
        assert "deliverables" in messages.of(WorkerFailed)[0].error
        assert await messages.until(
            lambda: any(
                n.severity == "error" and "deliverables" in n.message
                for n in (m.notification for m in messages.of(Notify))
            )
        )
        assert app.is_running


async def test_worker_errors_are_shown(tmp_path: Path, messages: Messages) -> None:
    """A read that fails (table gone) becomes an error notification, not a crash."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        other = Store(ws.home.db_path)
        with other.write() as conn:
            conn.execute("ALTER TABLE deliverables RENAME TO deliverables_gone")
        other.close()
        await pilot.press("r")
        await settle(pilot)
        failed = messages.of(WorkerFailed)
        assert failed and "deliverables" in failed[0].error
        notes = [m.notification for m in messages.of(Notify)]
        assert any(n.severity == "error" and "deliverables" in n.message for n in notes)
        assert app.is_running


def _broken(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    raise RuntimeError("the Broken tab's service is missing")


async def test_a_tab_that_cannot_be_built_is_reported(tmp_path: Path, messages: Messages) -> None:
    """A failing pane factory becomes an error notification; Today keeps working."""
    ws, keys = seeded(tmp_path / "home")
    app = make_app(ws, "today", TabSpec("broken", "Broken", _broken))
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)

        def reported() -> bool:  # the build starts after Today's first paint: wait for it
            notes = [m.notification for m in messages.of(Notify)]
            return any(n.severity == "error" and "service is missing" in n.message for n in notes)

        assert await messages.until(reported)
        await pilot.press("j")
        assert app.is_running and app.query_one(TriageList).highlighted_key == keys["render"]


async def test_wide_terminal_moves_numbers_to_a_side_panel(tmp_path: Path) -> None:
    """Below 120 columns the numbers are a strip; from 120 a side panel."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        strip = app.query_one(NumbersStrip)
        assert strip.compact and not app.query_one("#today").has_class("-wide")
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        assert not strip.compact and app.query_one("#today").has_class("-wide")
        assert strip.region.x > app.query_one(TriageList).region.x


def test_cjk_rows_align_by_cells() -> None:
    """A CJK title takes the same cells as an ASCII one, so the detail column lines up."""
    rows = [
        TriageRow(
            "post:1",
            "overdue 3d",
            "今天拍摄饺子视频 的 B-roll 素材整理，还有很多很多字",
            "脚本 · Mon",
        ),
        TriageRow("post:2", "due today", "Dumplings", "idea · Tue 01 Dec"),
        TriageRow("post:3", "due today", "短标题", "editing · Wed"),
    ]
    starts = set()
    for row in rows:
        plain = row_content(row, 78).plain
        assert cell_len(plain) == 78
        starts.add(cell_len(plain[: plain.index(row.detail)]))
    assert len(starts) == 1


async def test_the_list_has_the_keys_from_the_start_and_toasts_still_show(
    tmp_path: Path, messages: Messages
) -> None:
    """app/main_screen.py: the screen gives the keys to the shown tab's list, not
    the tab bar, before its first frame; the toast rack it hides inline at mount
    still shows a notification."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today")
    async with app.run_test(size=(80, 24), message_hook=messages, notifications=True) as pilot:
        await settle(pilot)
        # One widget got the keys, once: nothing took them first and lost them.
        assert len(messages.of(events.Focus)) == 1 and messages.of(events.Blur) == []
        assert app.focused is app.query_one(TriageList)
        app.notify("hello from a test")
        await pilot.pause()
        rack = app.screen.query_one(ToastRack)
        assert rack.display and "hello from a test" in str(rack.query_one(Toast).render())


async def test_the_strip_is_laid_out_again_only_when_a_line_holds_other_figures() -> None:
    """NumbersStrip keeps its text on a resize that leaves as many figures a line
    (a new text lays the whole screen out again), and lays out a narrower one."""
    figures = [Figure(label, 1000 * n, 900.0, 0.1) for n, label in enumerate("ABCDEF")]

    class StripApp(App[None]):
        def compose(self) -> ComposeResult:
            yield NumbersStrip(id="strip")

    app = StripApp()
    async with app.run_test(size=(80, 10)) as pilot:
        strip = app.query_one(NumbersStrip)
        strip.show_figures("Fri 27 Nov", figures)
        await pilot.pause()
        shown = strip.visual
        await pilot.resize_terminal(82, 12)  # three figures a line, as at 80
        await pilot.pause()
        assert strip.visual is shown
        await pilot.resize_terminal(50, 12)  # one a line
        await pilot.pause()
        assert strip.visual is not shown and strip.size.height == len(figures)


async def test_a_screen_left_without_focus_gives_it_to_the_shown_tab(tmp_path: Path) -> None:
    """Back from a modal with nothing focused, the keys go to the shown tab's widgets,
    not to a hidden tab's (which would bring that tab to the front)."""
    ws, _ = seeded(tmp_path / "home")
    app = make_app(ws, "today", "calendar")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        tabs = app.query_one(TabHost)
        assert tabs.active == "calendar"
        app.screen.set_focus(None)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert tabs.active == "calendar"
        assert app.focused is not None and tabs.get_pane("calendar") in app.focused.ancestors
