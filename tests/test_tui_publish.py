"""Pilot tests of the Publish tab: the keys a person presses, against a real SQLite file.

The App gets a frozen clock (FROZEN, 2026-11-28 09:00 UTC) and, unless a
test is about another process writing, no data_version polling. Scheduling
from a post imports nothing: the post's finished render points at a real
3 s clip made with ffmpeg, and the form's check is `publish add`'s own
(ffprobe included).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import FROZEN, Messages, make_app, make_workspace, settle
from publishing import make_clip
from rows import add_post, add_publication, add_render
from textual.widgets import Input, Static, TextArea

from app.publish_form import publish_services
from app.tabs import TabContext, TabSpec
from app.tui import ReelRoomApp
from app.workspace import Workspace
from screens.modals.confirm import ConfirmScreen
from screens.modals.edit_publication import EditPublicationScreen
from screens.modals.new_publication import NewPublicationScreen
from screens.modals.publication_detail import PublicationDetailScreen
from screens.publish.messages import PublishPainted
from screens.publish.pane import PublishPane
from storage import Store
from storage.accounts import AccountRepo
from storage.posts import PostRepo
from storage.publications import PublicationRepo
from widgets.queue_table import QueueTable


def pane(app: ReelRoomApp) -> PublishPane:
    return app.query_one(PublishPane)


def shown(app: ReelRoomApp) -> dict[int, dict[str, str]]:
    """Publication id → {column key: cell text} of the table as drawn."""
    table = app.query_one(QueueTable)
    keys = [c.key for c in table.ordered_columns]
    out = {}
    for row_key in table.rows:
        cells = table.get_row(row_key)
        out[int(str(row_key.value))] = {
            str(k.value): str(c).strip() for k, c in zip(keys, cells, strict=False)
        }
    return out


async def go_to(pilot: Any, pub_id: int) -> None:
    table = pilot.app.query_one(QueueTable)
    table.move_cursor(row=table.keys.index(str(pub_id)))
    await pilot.pause()


def first(ws: Workspace, state: str, platform: str | None = None) -> int:
    return next(
        p.id
        for p in PublicationRepo(ws.store).listing()
        if p.state == state and (platform is None or p.platform == platform)
    )


def latest(ws: Workspace, state: str, platform: str | None = None) -> int:
    return max(
        p.id
        for p in PublicationRepo(ws.store).listing()
        if p.state == state and (platform is None or p.platform == platform)
    )


def notices(app: ReelRoomApp) -> list[str]:
    return [n.message for n in app._notifications]


# --- scheduling from a post ---------------------------------------------------------


@pytest.fixture
def berlin(tmp_path: Path) -> tuple[Workspace, int, int]:
    """A Berlin workspace: one TikTok account, a post planned Sun 29 Nov 18:00 local
    with a finished render (a real clip)."""
    ws = make_workspace(tmp_path / "home", zone="Europe/Berlin")
    post = PostRepo(ws.store).add(
        "Crispy tofu 脆皮豆腐", status="ready", planned_at=FROZEN + timedelta(days=1, hours=8)
    )
    AccountRepo(ws.store).upsert("tiktok", "maker", external_id="u1", token_expires_at=None)
    clip = make_clip(tmp_path / "clips" / "tofu.mp4")
    render = add_render(
        ws.store, "done", FROZEN - timedelta(hours=2), "tiktok", post.id, output=str(clip)
    )
    return ws, post.id, render


async def test_schedule_a_post_from_the_calendar(berlin: tuple[Workspace, int, int]) -> None:
    ws, post_id, render = berlin
    app = make_app(ws, "calendar", "publish")
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("right", "p")  # Sun 29 Nov: the post; p opens the form
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewPublicationScreen)
        assert form.verdict is not None and form.verdict.ok, form.verdict
        assert any("passes the TikTok limits" in line for line in form.verdict.lines)
        made = form.form()
        assert made is not None and made.render_job_id == render and made.account == "tiktok:@maker"
        assert made.at == "2026-11-29 18:00"  # the post's planned time, in Berlin
        await pilot.press("tab", "tab")  # account → file → time
        assert app.focused is not None and app.focused.id == "new-pub-time"
        await pilot.press(*"2026-11-30 19:15")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, NewPublicationScreen)
        [pub] = PublicationRepo(ws.store).listing()
        assert pub.state == "scheduled" and pub.scheduled_at == "2026-11-30T18:15:00Z"
        assert pub.render_job_id == render and pub.preflight and pub.preflight["ok"]
        assert pub.job_id is not None and pub.job_state == "queued"
        assert pane(app).id == app.query_one("#tabs").active
        row = shown(app)[pub.id]
        assert row["when"] == "30 Nov 19:15" and row["state"] == "◷ scheduled"
        assert row["post"].startswith("Crispy tofu 脆皮豆腐")
        assert app.query_one(QueueTable).highlighted_key == str(pub.id)
        assert any(f"Publication {pub.id} queued" in n for n in notices(app))


async def test_form_shows_refusals_before_and_on_submit(
    berlin: tuple[Workspace, int, int], tmp_path: Path
) -> None:
    ws, post_id, _ = berlin
    landscape = make_clip(tmp_path / "clips" / "wide.mp4", size="640x360", seconds=1.0)
    app = make_app(ws, "publish")
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        pane(app).open_new_publication(post_id)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewPublicationScreen)
        await pilot.press("tab")  # the file: pick "another file" and type a path
        form.query_one("#new-pub-file").value = "path"  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "new-pub-path"
        await pilot.press(*str(landscape))
        await pilot.press("tab")
        await pilot.press(*"tomorrow")  # not a time
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewPublicationScreen)
        text = str(form.query_one("#new-pub-check", Static).render())
        assert "Nothing was queued" in text and "time:" in text and "is not a time" in text
        time_field = form.query_one("#new-pub-time", Input)
        time_field.value = "2026-12-01 18:00"
        await pilot.pause(0.6)  # the check runs a moment after the change
        await settle(pilot)
        text = str(form.query_one("#new-pub-check", Static).render())
        assert "duration 1s is outside 3-600 s" in text.replace("1 s", "1s")
        assert "recipe" in text  # the file's fix: the built-in recipe
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewPublicationScreen)
        assert PublicationRepo(ws.store).listing() == []  # nothing stored


# --- the demo queue: cancel, retry, now, edit, copy ---------------------------------


async def test_cancel_asks_naming_the_publication(demo_workspace: Workspace) -> None:
    pub_id = first(demo_workspace, "scheduled")
    pub = PublicationRepo(demo_workspace.store).must(pub_id)
    async with make_app(demo_workspace, "publish").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, pub_id)
        await pilot.press("c")
        await pilot.pause()
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert pub.post_title in confirm.question
        assert f"{pub.platform}:@{pub.handle}" in confirm.question
        assert (
            "(Asia/Shanghai)" in confirm.question
            and "y cancels it · n keeps it" in confirm.question
        )
        await pilot.press("n")
        await settle(pilot)
        assert PublicationRepo(demo_workspace.store).must(pub_id).state == "scheduled"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert PublicationRepo(demo_workspace.store).must(pub_id).state == "cancelled"
        assert shown(pilot.app)[pub_id]["state"] == "⊘ cancelled"
        assert pilot.app.query_one(QueueTable).highlighted_key == str(pub_id)
        await pilot.press("c")  # already cancelled: said, nothing asked
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ConfirmScreen)
        assert any("already cancelled" in n for n in notices(pilot.app))


async def test_retry_a_failed_publication(demo_workspace: Workspace) -> None:
    pub_id = latest(demo_workspace, "failed", "instagram")  # the demo's with a step log
    async with make_app(demo_workspace, "publish").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, pub_id)
        assert shown(pilot.app)[pub_id]["state"] == "✗ failed"
        await pilot.press("R")
        await settle(pilot)
        pub = PublicationRepo(demo_workspace.store).must(pub_id)
        assert pub.state == "scheduled" and pub.error is None and pub.job_state == "queued"
        assert shown(pilot.app)[pub_id]["state"] == "◷ scheduled"
        published = latest(demo_workspace, "published")
        await go_to(pilot, published)
        await pilot.press("R")  # a published one is not retried: said, nothing changes
        await settle(pilot)
        assert PublicationRepo(demo_workspace.store).must(published).state == "published"
        assert any("only failed or cancelled" in n for n in notices(pilot.app))


async def test_send_now_asks_first(demo_workspace: Workspace) -> None:
    pub_id = first(demo_workspace, "scheduled")
    async with make_app(demo_workspace, "publish").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, pub_id)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert "goes public at once" in pilot.app.screen.question
        await pilot.press("y")
        await settle(pilot)
        pub = PublicationRepo(demo_workspace.store).must(pub_id)
        assert pub.state == "scheduled" and pub.job_state == "queued"
        assert pub.job_run_at is not None and pub.job_run_at <= pub.scheduled_at  # type: ignore[operator]


async def test_edit_caption_and_time_refused_once_published(demo_workspace: Workspace) -> None:
    pub_id = first(demo_workspace, "scheduled", "tiktok")
    async with make_app(demo_workspace, "publish").run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await go_to(pilot, pub_id)
        await pilot.press("e")
        await settle(pilot)
        edit = pilot.app.screen
        assert isinstance(edit, EditPublicationScreen)
        assert pilot.app.focused is not None and pilot.app.focused.id == "edit-pub-caption"
        edit.query_one("#edit-pub-caption", TextArea).text = ""
        await pilot.press(*"Tofu 豆腐 in 60 s #tofu")
        usage = str(edit.query_one("#edit-pub-usage", Static).render())
        assert "21 of 2200 UTF-16 units" in usage and "1 hashtag" in usage
        edit.query_one("#edit-pub-time", Input).value = "2026-11-30 20:05"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, EditPublicationScreen)
        pub = PublicationRepo(demo_workspace.store).must(pub_id)
        assert pub.caption == "Tofu 豆腐 in 60 s #tofu"
        assert pub.scheduled_at == "2026-11-30T12:05:00Z"  # 20:05 in Shanghai
        assert pub.job_run_at == "2026-11-30T12:05:00Z"
        assert shown(pilot.app)[pub_id]["when"] == "30 Nov 20:05"

        # a caption the platform would refuse is said under it; nothing is stored
        await pilot.press("e")
        await settle(pilot)
        edit = pilot.app.screen
        assert isinstance(edit, EditPublicationScreen)
        edit.query_one("#edit-pub-caption", TextArea).text = "🎬" * 1101  # 2202 UTF-16 units
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EditPublicationScreen)
        problem = str(edit.query_one("#edit-pub-caption-problem", Static).render())
        assert "2202" in problem and "2200" in problem
        await pilot.press("escape")
        assert (
            PublicationRepo(demo_workspace.store).must(pub_id).caption == "Tofu 豆腐 in 60 s #tofu"
        )

        published = latest(demo_workspace, "published", "tiktok")
        await go_to(pilot, published)
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, EditPublicationScreen)
        assert any(
            f"Publication {published} is published on TikTok; change it there" in n
            for n in notices(pilot.app)
        )


async def test_detail_and_copy_url(demo_workspace: Workspace) -> None:
    failed = latest(demo_workspace, "failed", "instagram")
    steps = PublicationRepo(demo_workspace.store).steps(failed)
    published = PublicationRepo(demo_workspace.store).must(latest(demo_workspace, "published"))
    async with make_app(demo_workspace, "publish").run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await go_to(pilot, failed)
        await pilot.press("enter")
        await settle(pilot)
        detail = pilot.app.screen
        assert isinstance(detail, PublicationDetailScreen)
        headings = [h for h, _ in detail.view.blocks]
        assert "What went wrong" in headings and f"Step log ({len(steps)})" in headings
        assert any(h.startswith("Caption on Instagram (") for h in headings)
        assert steps and steps[-1].note in dict(detail.view.blocks)[f"Step log ({len(steps)})"]
        await pilot.press("escape")
        await go_to(pilot, published.id)
        await pilot.press("y")
        await pilot.pause()
        assert pilot.app.clipboard == published.remote_url


# --- another process writes -----------------------------------------------------------


async def test_a_row_follows_a_worker_in_another_process(
    demo_workspace: Workspace, messages: Messages
) -> None:
    pub_id = first(demo_workspace, "scheduled", "tiktok")
    app = make_app(demo_workspace, "publish", poll_interval=0.05)
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await settle(pilot)
        assert shown(app)[pub_id]["state"] == "◷ scheduled"
        other = Store(demo_workspace.store.path)  # its own connection, as a worker has
        repo = PublicationRepo(other)
        repo.send_now(pub_id, actor="worker")
        repo.begin_send(pub_id)
        repo.set_progress(pub_id, 0.4)

        def live() -> bool:
            row = shown(app).get(pub_id, {})
            return row.get("state") == "▶ publishing" and row.get("progress", "").endswith("40%")

        assert await messages.until(live), shown(app).get(pub_id)
        repo.mark_published(pub_id, "7300000000000000001", "https://www.tiktok.com/@x/video/1")
        assert await messages.until(lambda: shown(app)[pub_id]["state"] == "✓ published")
        other.close()


# --- empty states, filters, safe text, paging ------------------------------------------


async def test_empty_states_say_what_to_do(workspace: Workspace) -> None:
    async with make_app(workspace, "publish").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(pilot.app.query_one("#publish-empty", Static).render())
        assert "reelroom accounts add tiktok" in text
        assert not pilot.app.query_one(QueueTable).display
    AccountRepo(workspace.store).upsert("youtube", "chan", external_id="c", token_expires_at=None)
    async with make_app(workspace, "publish").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = str(pilot.app.query_one("#publish-empty", Static).render())
        assert "reelroom publish add" in text and "press p on a post" in text


def _queue(tmp_path: Path, n: int) -> tuple[Workspace, list[int]]:
    ws = make_workspace(tmp_path / "home", zone="Asia/Shanghai")
    accounts = AccountRepo(ws.store)
    tiktok = accounts.upsert("tiktok", "maker", external_id="t", token_expires_at=None)[0]
    youtube = accounts.upsert("youtube", "chan", external_id="y", token_expires_at=None)[0]
    ids = []
    for i in range(n):
        post = add_post(ws.store, f"Post {i}", "ready")
        when = FROZEN + timedelta(hours=i - n // 2)
        ids.append(add_publication(ws.store, post, tiktok if i % 3 else youtube, "scheduled", when))
    return ws, ids


async def test_filters_by_account_and_state(tmp_path: Path) -> None:
    ws, ids = _queue(tmp_path, 30)
    PublicationRepo(ws.store).cancel(ids[3])
    async with make_app(ws, "publish").run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert set(shown(pilot.app)) == set(ids)
        await pilot.press("at")  # the first account (tiktok, by platform)
        await settle(pilot)
        tiktok = {p.id for p in PublicationRepo(ws.store).listing() if p.platform == "tiktok"}
        assert set(shown(pilot.app)) == tiktok
        await pilot.press("f", "f", "f", "f")  # all → to go → failed → published → cancelled
        await settle(pilot)
        assert set(shown(pilot.app)) == ({ids[3]} & tiktok)
        await pilot.press("at", "at")  # youtube, then every account
        await settle(pilot)
        assert set(shown(pilot.app)) == {ids[3]}
        assert "cancelled · every account: 1 of" in str(
            pilot.app.query_one("#publish-header", Static).render()
        )


async def test_hostile_titles_are_shown_not_obeyed(tmp_path: Path) -> None:
    ws, ids = _queue(tmp_path, 2)
    ws.store.db.table("posts").update(
        PublicationRepo(ws.store).must(ids[0]).post_id, {"title": "Bad\x1b]0;owned\x07 新品\u202e"}
    )
    async with make_app(ws, "publish").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cell = shown(pilot.app)[ids[0]]["post"]
        assert "\x1b" not in cell and "\x07" not in cell and "\u202e" not in cell
        assert cell.startswith("Bad␛]0;owned␇ 新品")


def small_pages(page: int, window: int) -> TabSpec:
    """The Publish tab with small pages, so a short queue pages like a long one."""

    def build(ctx: TabContext, title: str, pane_id: str) -> PublishPane:
        return PublishPane(
            publish_services(ctx.workspace, ctx.clock),
            clock=ctx.clock,
            zone=ctx.workspace.config.zone,
            title=title,
            id=pane_id,
            page_size=page,
            max_window=window,
        )

    return TabSpec("publish", "Publish", build)


async def test_opens_at_now_and_pages_a_long_queue(tmp_path: Path, messages: Messages) -> None:
    ws, ids = _queue(tmp_path, 120)  # one an hour: FROZEN is the 61st
    app = make_app(ws, small_pages(10, 30))
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await settle(pilot)
        table = app.query_one(QueueTable)
        assert len(table.keys) <= 30
        now_row = PublicationRepo(ws.store).must(ids[59])  # FROZEN - 1 h: the past hour
        assert table.highlighted_key == str(now_row.id)
        await pilot.press("G")
        await settle(pilot)
        assert table.keys[-1] == str(ids[-1]) and table.highlighted_key == str(ids[-1])
        await pilot.press("g")
        await settle(pilot)
        assert table.keys[0] == str(ids[0])
        for _ in range(40):  # past the first pages: more is read below, the top dropped
            await pilot.press("j")
            await settle(pilot)
        assert messages.of(PublishPainted)[-1].kind == "page"
        assert table.highlighted_key == str(ids[40])
        assert len(table.keys) <= 30 and table.keys[0] != str(ids[0])
        for _ in range(40):  # and back up: the top is read again
            await pilot.press("k")
            await settle(pilot)
        assert table.keys[0] == str(ids[0]) and table.highlighted_key == str(ids[0])
        await pilot.press("t")
        await settle(pilot)
        assert table.highlighted_key == str(now_row.id)


async def test_showing_the_tab_again_does_not_rebuild_its_rows(
    demo_workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each show of the tab brings a Resize at the same width: the queue keeps its rows
    (no rebuild, no redraw from scratch); a new width lays them out again."""
    app = make_app(demo_workspace, "today", "publish")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        rebuilt: list[int] = []
        show_rows = QueueTable.show_rows

        def counted(self: QueueTable, *args: Any, **kwargs: Any) -> None:
            rebuilt.append(len(args[0]))
            show_rows(self, *args, **kwargs)

        monkeypatch.setattr(QueueTable, "show_rows", counted)
        before = shown(app)
        for key in ("1", "2", "1", "2"):
            await pilot.press(key)
            await settle(pilot)
        assert rebuilt == [] and shown(app) == before
        await pilot.resize_terminal(130, 30)
        await settle(pilot)
        assert rebuilt  # laid out again for the new width: the URL / error / note column
        assert any("URL" in label for label in column_labels(app))


def column_labels(app: ReelRoomApp) -> list[str]:
    return [str(column.label) for column in pane(app).table.columns.values()]
