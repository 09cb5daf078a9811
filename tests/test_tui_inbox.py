"""Pilot tests of the Inbox tab: a whole triage session by keyboard (open, reply with a
saved reply, label, done, undo), paging a long list without repeats, the reply-window
countdown on a frozen clock, CJK / emoji / right-to-left text and a 5,000-character
comment in fixed columns, and accounts without a comment API said plainly."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN, make_app, make_workspace, settle
from inboxing import showcase_workspace
from rich.cells import cell_len
from textual.widgets import Static

from app.inbox.tab_services import inbox_services
from app.tabs import TabContext, TabSpec
from app.workspace import Workspace
from screens.inbox import rows as ir
from screens.inbox.pane import InboxPane
from screens.modals.inbox_label import LabelScreen
from screens.modals.inbox_reply import ReplyScreen
from screens.modals.inbox_thread import ThreadScreen
from storage.inbox import InboxQuery, InboxRepo
from storage.inbox_models import InboxItem
from storage.timefmt import to_db
from widgets.footage_table import FootageTable
from widgets.tab_page import TabPage


@pytest.fixture
def showcase(tmp_path: Path) -> Workspace:
    return showcase_workspace(tmp_path / "home")


def pane_of(app) -> InboxPane:  # type: ignore[no-untyped-def]
    return app.query_one(InboxPane)


async def test_a_whole_triage_session_by_keyboard(showcase: Workspace) -> None:
    ws = showcase
    app = make_app(ws, "inbox")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = pane_of(app)
        first = pane.highlighted()
        assert first is not None and first.author == "رنا"
        await pilot.press("j")  # the Hebrew comment
        item = pane.highlighted()
        assert item is not None and item.author == "נועה"
        await pilot.press("enter")  # open the thread beside the video
        await settle(pilot)
        assert isinstance(app.screen, ThreadScreen)
        video = str(app.screen.query_one("#thread-video-text", Static).render())
        assert "Hook" in video and "Script" in video
        await pilot.press("escape", "r")  # reply, with a saved reply
        await settle(pilot)
        assert isinstance(app.screen, ReplyScreen)
        await pilot.press("ctrl+o", "j", "enter")  # the second saved reply: "pan"
        await settle(pilot)  # the pick reaches the screen (it bubbles) before ctrl+s
        assert app.screen.text.startswith("It's a 28 cm carbon steel")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [reply] = InboxRepo(ws.store).thread(item.id).replies  # type: ignore[union-attr]
        assert reply.saved_reply == "pan" and reply.body.startswith("It's a 28 cm carbon steel")
        assert reply.state == "pending" and reply.job_id is not None
        assert InboxRepo(ws.store).must(item.id).status == "done"
        assert pane.highlighted() is not None and pane.highlighted().id != item.id  # type: ignore[union-attr]
        target = pane.highlighted()
        assert target is not None
        await pilot.press("t")  # label it
        await settle(pilot)
        assert isinstance(app.screen, LabelScreen)
        await pilot.press("j", "j", "j", "space", "enter")  # tick "lead"
        await settle(pilot)
        assert "lead" in InboxRepo(ws.store).must(target.id).labels
        await pilot.press("d")  # done: it leaves the new list
        await settle(pilot)
        assert InboxRepo(ws.store).must(target.id).status == "done"
        assert all(i.id != target.id for i in pane.rows)
        await pilot.press("u")  # undo: back to new, in the list again
        await settle(pilot)
        assert InboxRepo(ws.store).must(target.id).status == "new"
        assert any(i.id == target.id for i in pane.rows)
        await pilot.press("u")  # undo the label
        await settle(pilot)
        assert "lead" not in InboxRepo(ws.store).must(target.id).labels
        await pilot.press("u")  # undo the reply: withdrawn before the worker took it
        await settle(pilot)
        assert InboxRepo(ws.store).thread(item.id).replies == ()  # type: ignore[union-attr]
        assert InboxRepo(ws.store).must(item.id).status == "new"


async def test_the_list_pages_without_repeats_and_orders_both_ways(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "home")
    conn = ws.store.conn
    with ws.store.write() as w:
        account = w.execute(
            "INSERT INTO accounts (platform, handle, created_at) VALUES ('youtube', 'big', ?) "
            "RETURNING id",
            (to_db(FROZEN),),
        ).fetchone()[0]
        for n in range(1000):
            w.execute(
                "INSERT INTO inbox_items (account_id, kind, remote_id, author, body, received_at, "
                "status) VALUES (?, 'comment', ?, ?, ?, ?, ?)",
                (account, f"c{n}", f"fan{n}", f"comment {n}", to_db(FROZEN - timedelta(minutes=n)),
                 "new" if n % 10 else "done"),
            )  # fmt: skip
    assert conn

    def small_pages(ctx: TabContext, title: str, pane_id: str) -> TabPage:
        services = inbox_services(ctx.workspace, ctx.clock)
        return InboxPane(
            services, clock=ctx.clock, zone=ctx.workspace.config.zone, title=title, id=pane_id,
            page_size=30, max_window=60,
        )  # fmt: skip

    spec_app = make_app(ws, TabSpec("inbox", "Inbox", small_pages))
    async with spec_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane = pane_of(spec_app)
        seen: list[str] = []
        table = spec_app.query_one(FootageTable)
        for _ in range(150):
            seen.append(table.highlighted_key or "")
            await pilot.press("j")
            await settle(pilot)
        expected = [str(i.id) for i in InboxRepo(ws.store).listing(InboxQuery())][:150]
        assert seen == expected and len(set(seen)) == 150 and len(pane.rows) <= 60
        await pilot.press("o")  # oldest first: the longest-waiting unanswered on top
        await settle(pilot)
        oldest = pane.highlighted()
        assert oldest is not None and oldest.body == "comment 999"
        await pilot.press("G")
        await settle(pilot)
        assert pane.highlighted() is not None and pane.highlighted().body == "comment 1"  # type: ignore[union-attr]


def _item(**kw: object) -> InboxItem:
    base: dict[str, object] = dict(
        id=1, account_id=1, platform="instagram", handle="h", publication_id=None,
        parent_id=None, kind="comment", remote_id="r", parent_remote_id=None,
        video_remote_id=None, author="a", body="b", received_at=to_db(FROZEN),
        status="new", labels=(), own=False, can_reply=True, hidden=False, deleted=False,
        deleted_at=None, edited_at=None, like_count=None, assignee=None, reply_state=None,
        source="sync", replied_at=None,
    )  # fmt: skip
    base.update(kw)
    return InboxItem(**base)  # type: ignore[arg-type]


def test_the_reply_window_counts_down_on_a_frozen_clock() -> None:
    item = _item(received_at=to_db(FROZEN - timedelta(hours=20)))
    assert ir.countdown(item, 0, FROZEN) is None  # no window known: nothing shown
    assert ir.countdown(item, 168, FROZEN) == "6d left"
    assert ir.countdown(item, 24, FROZEN) == "4h 00m left"
    assert ir.countdown(item, 24, FROZEN + timedelta(hours=3, minutes=55)) == "5m left"
    assert ir.countdown(item, 24, FROZEN + timedelta(hours=4)) == "closed"
    assert ir.state_text(item, 24, FROZEN + timedelta(hours=3)) == ("1h 00m left", "warning")
    assert ir.state_text(item, 24, FROZEN) == ("4h 00m left", "")
    assert ir.state_text(_item(reply_state="failed"), 24, FROZEN) == ("reply failed", "error")
    assert ir.state_text(_item(deleted=True), 24, FROZEN) == ("deleted", "muted")


async def test_cjk_emoji_rtl_and_a_long_comment_keep_their_columns(showcase: Workspace) -> None:
    app = make_app(showcase, "inbox")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.query_one(FootageTable)
        widths = [c.width for c in table.layout_columns]
        for index in range(6):
            cells = [str(c) for c in table.get_row_at(index)]
            assert [cell_len(c) for c in cells] == widths  # every cell exactly its width
        long_row = next(i for i in pane_of(app).rows if i.author == "long_writer")
        assert len(long_row.body) <= 400  # the list reads a preview, never the whole text
        assert len(InboxRepo(showcase.store).must(long_row.id).body) > 4000
        accounts = str(app.query_one("#inbox-accounts", Static).render())
        assert "Kuaishou's open platform has no comment API" in accounts


def test_terminal_escapes_in_comments_are_shown_not_obeyed() -> None:
    item = _item(author="\x1b]0;pwned\x07", body="hi \x1b[2J there \u202eevil")
    row = ir.row(item, FROZEN, 0)
    assert "\x1b" not in row.cells["author"] and "\x1b" not in row.cells["body"]
    assert "\u202e" not in row.cells["body"] and "␛" in row.cells["body"]
