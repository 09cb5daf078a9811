"""Issue 16 on the Renders tab: the cancel question, acting on the highlighted job,
post titles in the list, and a detail a person can use (command line, log, preflight).

The App gets only the Renders tab on the demo workspace (frozen clock, no
polling unless a test is about another process's writes).
"""

from __future__ import annotations

import shlex
import sqlite3
from typing import Any

from conftest import Messages, make_app, make_workspace, settle
from rich.cells import cell_len
from textual.notifications import Notify
from textual.widgets import Button, Static

from app.tui import ReelRoomApp
from app.workspace import Workspace
from screens.modals.confirm import ConfirmScreen
from screens.modals.render_detail import RenderDetailScreen
from screens.renders import rows
from storage.jobs import JobQueue
from storage.renders import RenderRepo
from widgets.footer import KeyBar
from widgets.job_row import JobTable


def shown(app: ReelRoomApp) -> dict[int, dict[str, str]]:
    """Job id → {column key: cell text} of the table as drawn."""
    table = app.query_one(JobTable)
    keys = [c.key for c in table.ordered_columns]
    out = {}
    for row_key in table.rows:
        cells = table.get_row(row_key)
        out[int(str(row_key.value))] = {
            str(k.value): str(c).strip() for k, c in zip(keys, cells, strict=False)
        }
    return out


async def go_to(pilot: Any, job_id: int) -> None:
    table = pilot.app.query_one(JobTable)
    table.move_cursor(row=table.keys.index(str(job_id)))
    await pilot.pause()


def with_post(ws: Workspace, state: str) -> Any:
    return next(
        r for r in RenderRepo(ws.store).list(limit=1000) if r.job.state == state and r.post_id
    )


async def test_cancel_question_names_the_job_and_arrows_move_between_answers(
    demo_workspace: Workspace,
) -> None:
    """c asks a question that can be read (job, recipe, post title), with two buttons and
    the modal's own footer; the arrows move between Yes and No, Enter presses the focused
    one; q and Escape answer no."""
    render = with_post(demo_workspace, "queued")
    queue = JobQueue(demo_workspace.store)
    async with make_app(demo_workspace, "renders").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, render.id)
        await pilot.press("c")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ConfirmScreen)
        question = str(screen.query_one("#confirm-question", Static).render())
        assert f"Cancel render job {render.id}" in question
        assert render.post_title in question and render.recipe in question
        box = screen.query_one("#confirm-box")
        assert box.region.width > 30 and box.region.height >= 6  # not an empty 4x2 box
        assert screen.query(KeyBar) and "confirm.yes" in {
            b.binding.id for b in screen.active_bindings.values()
        }
        assert screen.focused is screen.query_one("#confirm-yes", Button)
        await pilot.press("right")
        assert screen.focused is screen.query_one("#confirm-no", Button)
        await pilot.press("left")
        assert screen.focused is screen.query_one("#confirm-yes", Button)
        await pilot.press("down", "enter")  # No is focused: Enter answers no
        await settle(pilot)
        assert not isinstance(pilot.app.screen, ConfirmScreen)
        assert queue.get(render.id).state == "queued"
        for key in ("q", "escape"):
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmScreen)
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(pilot.app.screen, ConfirmScreen)  # q did not quit the App
            assert queue.get(render.id).state == "queued"


async def test_yes_marks_the_row_at_once_even_while_the_database_is_busy(
    demo_workspace: Workspace, messages: Messages
) -> None:
    """y shows "cancelling" on the row straight away, while the write still waits for
    another connection's lock (a worker writing progress); the job is cancelled after."""
    render = with_post(demo_workspace, "queued")
    app = make_app(demo_workspace, "renders")
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        await go_to(pilot, render.id)
        blocker = sqlite3.connect(demo_workspace.home.db_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # the write has to wait for this lock
        try:
            await pilot.press("c")
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            assert shown(pilot.app)[render.id]["state"] == "… cancelling"
            assert JobQueue(demo_workspace.store).get(render.id).state == "queued"
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        await settle(pilot)
        assert JobQueue(demo_workspace.store).get(render.id).state == "cancelled"
        assert shown(pilot.app)[render.id]["state"].endswith("cancelled")
        assert await messages.until(
            lambda: any(
                f"Job {render.id} (" in m.notification.message
                and "cancelled" in m.notification.message
                for m in messages.of(Notify)
            )
        )


async def test_retry_takes_the_highlighted_job_while_rows_resort(
    demo_workspace: Workspace, messages: Messages
) -> None:
    """Rows re-sort live (another process claims jobs, which jump to the top); R still
    retries the job the cursor is on, by its id, and no other job changes."""
    dead = next(r for r in RenderRepo(demo_workspace.store).list() if r.job.state == "dead")
    async with make_app(demo_workspace, "renders", poll_interval=0.05).run_test(
        size=(80, 24), message_hook=messages
    ) as pilot:
        await settle(pilot)
        await go_to(pilot, dead.id)
        table = pilot.app.query_one(JobTable)
        other = make_workspace(demo_workspace.home.root)  # a worker's own connection
        claimed = JobQueue(other.store).claim("w1", ["render"], 600.0, limit=5)
        assert claimed
        assert await messages.until(
            lambda: all(shown(pilot.app)[j.id]["state"].endswith("running") for j in claimed)
        )
        assert table.highlighted_key == str(dead.id)
        states = {r.id: r.job.state for r in RenderRepo(demo_workspace.store).list(limit=1000)}
        await pilot.press("R")
        await settle(pilot)
        after = {r.id: r.job.state for r in RenderRepo(demo_workspace.store).list(limit=1000)}
        assert after[dead.id] == "queued"
        assert {k: v for k, v in after.items() if k != dead.id} == {
            k: v for k, v in states.items() if k != dead.id
        }
        other.store.close()


async def test_post_titles_show_at_80_and_160_columns(demo_workspace: Workspace) -> None:
    """The POST column holds the post's title (cut to fit), never a bare number."""
    render = with_post(demo_workspace, "done")
    for size in ((80, 24), (160, 48)):
        async with make_app(demo_workspace, "renders").run_test(size=size) as pilot:
            await settle(pilot)
            cell = shown(pilot.app)[render.id]["post"]
            assert cell.rstrip("…") and render.post_title.startswith(cell.rstrip("…"))
            width = next(c.width for c in rows.columns(size[0]) if c.key == "post")
            assert width >= (12 if size[0] == 80 else 30)
            assert cell == render.post_title or cell_len(cell) == width


async def test_detail_has_one_command_line_a_log_sentence_and_the_platform_checked(
    demo_workspace: Workspace,
) -> None:
    """A finished vertical job: the ffmpeg command is one shell-quoted line (a copies
    it), an empty log says what it means, the preflight names the platform it was
    checked against and says vertical is not a platform cut."""
    repo = RenderRepo(demo_workspace.store)
    done = next(r for r in repo.list(limit=1000) if r.job.state == "done" and r.argv)
    with demo_workspace.store.write() as conn:
        conn.execute(
            "UPDATE renders SET recipe = 'vertical', log_tail = '' WHERE job_id = ?", (done.id,)
        )
    repo.set_preflight(done.id, {"preset": "tiktok", "ok": True, "problems": []})
    async with make_app(demo_workspace, "renders").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await go_to(pilot, done.id)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RenderDetailScreen)
        blocks = dict(screen.view.blocks)
        command = blocks["ffmpeg command (a copies it)"]
        assert command == shlex.join(done.argv) and "\n" not in command
        assert blocks["Log tail"].startswith("ffmpeg printed no warnings or errors")
        assert "nothing logged" not in blocks["Log tail"]
        preflight = blocks["Preflight"]
        assert "TikTok" in preflight and "vertical recipe" in preflight
        assert "ok (tiktok)" not in preflight
        await pilot.press("a")
        await pilot.pause()
        assert pilot.app.clipboard == shlex.join(done.argv)
        assert screen.query(KeyBar)
