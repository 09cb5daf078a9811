"""Pilot tests of the Renders tab on the demo workspace (real SQLite file, real queue).

The App gets only the Renders tab, a frozen clock and (unless a test is about
the data_version poll) no polling; every worker is awaited before looking.
The new-render test imports a real 1 s clip made with ffmpeg.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
from conftest import Messages, make_app, make_workspace, settle
from media import make_video
from textual.notifications import Notify
from textual.widgets import Input, Select, SelectionList, Static

from app.tab_host import TabHost
from app.tui import ReelRoomApp
from app.workspace import Workspace
from media_watch.ingest import ingest_paths
from screens.footage.pane import FootagePane
from screens.modals.confirm import ConfirmScreen
from screens.modals.new_render import NewRenderScreen
from screens.modals.render_detail import RenderDetailScreen
from screens.renders.messages import RenderClips
from screens.renders.pane import RendersPane
from storage.footage import FootageRepo
from storage.jobs import JobQueue
from storage.renders import RenderRepo
from widgets.job_row import JobTable


def pane(app: ReelRoomApp) -> RendersPane:
    return app.query_one(RendersPane)


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


def first(ws: Workspace, state: str) -> int:
    return next(r.id for r in RenderRepo(ws.store).list() if r.job.state == state)


async def test_list_shows_demo_jobs_by_state(demo_workspace: Workspace) -> None:
    renders = RenderRepo(demo_workspace.store).list(limit=1000)
    async with make_app(demo_workspace, "renders").run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rows = shown(pilot.app)
        assert set(rows) == {r.id for r in renders}
        for r in renders:
            assert rows[r.id]["state"].endswith(r.job.state)
        order = [int(k) for k in pilot.app.query_one(JobTable).keys]
        states = [next(r.job.state for r in renders if r.id == i) for i in order]
        rank = {"running": 0, "queued": 1, "failed": 2}
        ranks = [rank.get(s, 3) for s in states]
        assert ranks == sorted(ranks), states
        header = str(pilot.app.query_one("#renders-header", Static).render())
        counts = JobQueue(demo_workspace.store).counts("render")
        assert f"{counts['done']} done" in header and f"{counts['queued']} queued" in header


async def test_filter_cycles_states(demo_workspace: Workspace) -> None:
    repo = RenderRepo(demo_workspace.store)
    async with make_app(demo_workspace, "renders").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f")  # active
        await settle(pilot)
        active = {r.id for r in repo.list(states=("running", "queued", "failed"))}
        assert set(shown(pilot.app)) == active and active
        await pilot.press("f")  # failed
        await settle(pilot)
        failed = {r.id for r in repo.list(states=("failed", "dead"))}
        assert set(shown(pilot.app)) == failed and failed
        await pilot.press("f", "f")  # done, cancelled
        await settle(pilot)
        assert set(shown(pilot.app)) == {r.id for r in repo.list(states=("cancelled",))}
        assert "cancelled" in str(pilot.app.query_one("#renders-header", Static).render())


async def test_cancel_queued_job_after_confirm(demo_workspace: Workspace) -> None:
    job_id = first(demo_workspace, "queued")
    async with make_app(demo_workspace, "renders").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, job_id)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing changes
        await settle(pilot)
        assert JobQueue(demo_workspace.store).get(job_id).state == "queued"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert JobQueue(demo_workspace.store).get(job_id).state == "cancelled"
        assert shown(pilot.app)[job_id]["state"].endswith("cancelled")
        assert pilot.app.query_one(JobTable).highlighted_key == str(job_id)


async def test_retry_failed_and_priority(demo_workspace: Workspace) -> None:
    dead = first(demo_workspace, "dead")
    queued = first(demo_workspace, "queued")
    queue = JobQueue(demo_workspace.store)
    before = queue.get(queued).priority
    async with make_app(demo_workspace, "renders").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await go_to(pilot, dead)
        await pilot.press("R")
        await settle(pilot)
        assert queue.get(dead).state == "queued"
        await go_to(pilot, queued)
        await pilot.press("plus")
        await settle(pilot)
        await pilot.press("plus")
        await settle(pilot)
        assert queue.get(queued).priority == before + 2
        await pilot.press("minus")
        await settle(pilot)
        assert queue.get(queued).priority == before + 1
        assert pilot.app.query_one(JobTable).highlighted_key == str(queued)
        done = first(demo_workspace, "done")
        await go_to(pilot, done)
        await pilot.press("R")  # a done job cannot be retried: said, nothing changes
        await settle(pilot)
        assert queue.get(done).state == "done"
        assert any("only failed, dead or cancelled" in n.message for n in pilot.app._notifications)


async def test_detail_shows_argv_and_log_tail(demo_workspace: Workspace) -> None:
    render = next(
        r for r in RenderRepo(demo_workspace.store).list() if r.job.state == "dead" and r.log_tail
    )
    async with make_app(demo_workspace, "renders").run_test(size=(120, 48)) as pilot:
        await settle(pilot)
        await go_to(pilot, render.id)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, RenderDetailScreen)
        text = "\n".join(str(s.render()) for s in screen.query(Static))
        assert shlex.join(render.argv or []) in text  # one line a person can paste
        assert render.log_tail.strip().splitlines()[-1] in text
        assert render.job.last_error in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, RenderDetailScreen)


async def test_progress_written_elsewhere_shows_after_poll(
    demo_workspace: Workspace, messages: Messages
) -> None:
    job_id = first(demo_workspace, "queued")
    async with make_app(demo_workspace, "renders", poll_interval=0.05).run_test(
        size=(100, 30), message_hook=messages
    ) as pilot:
        await settle(pilot)
        await go_to(pilot, job_id)
        other = make_workspace(demo_workspace.home.root)  # a second connection, as a worker has
        claimed = JobQueue(other.store).claim("w1", ["render"], 60.0, limit=20)
        assert job_id in {j.id for j in claimed}
        assert RenderRepo(other.store).set_progress(job_id, "w1", 0.5, 1.8, 42.0)
        assert await messages.until(
            lambda: shown(pilot.app).get(job_id, {}).get("progress", "").endswith("50%")
        )
        row = shown(pilot.app)[job_id]
        assert row["progress"].endswith("50%") and row["speed"] == "1.8x" and row["eta"] == "42s"
        assert row["state"].endswith("running")
        assert pilot.app.query_one(JobTable).highlighted_key == str(job_id)
        other.store.close()


@pytest.fixture
def clip(demo_workspace: Workspace, tmp_path: Path) -> int:
    """One real 1 s 320x180 clip imported into the demo workspace."""
    path = make_video(tmp_path / "clips" / "form-clip.mp4", seconds=1.0, seed=3)
    ingest_paths(demo_workspace.store, [path], thumbs_dir=None, workers=1)
    return next(a.id for a in FootageRepo(demo_workspace.store).list() if a.name == "form-clip.mp4")


async def test_new_render_form_refuses_bad_override_then_queues(
    demo_workspace: Workspace, clip: int
) -> None:
    before = {r.id for r in RenderRepo(demo_workspace.store).list(limit=1000)}
    async with make_app(demo_workspace, "renders").run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, NewRenderScreen)
        clips = form.query_one(SelectionList)
        assert clip in [clips.get_option_at_index(i).value for i in range(clips.option_count)]
        form.query_one("#new-render-recipe", Select).value = "tiktok"
        form.query_one("#new-render-overrides", Input).value = "encode.crf=999"
        clips.focus()
        clips.highlighted = [
            clips.get_option_at_index(i).value for i in range(clips.option_count)
        ].index(clip)
        await pilot.press("space")
        await pilot.pause()
        assert form.selected == [clip]
        await pilot.press("ctrl+s")
        await settle(pilot)
        problem = str(form.query_one("#new-render-overrides-problem", Static).render())
        assert "overrides" in problem and "encode.crf" in problem
        assert {r.id for r in RenderRepo(demo_workspace.store).list(limit=1000)} == before
        form.query_one("#new-render-overrides", Input).value = "encode.x264_preset=ultrafast"
        await pilot.pause()
        assert str(form.query_one("#new-render-overrides-problem", Static).render()).strip() == ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, NewRenderScreen)
        new = [r for r in RenderRepo(demo_workspace.store).list(limit=1000) if r.id not in before]
        assert len(new) == 1 and new[0].clip_ids == [clip] and new[0].recipe == "tiktok"
        assert new[0].params == {"encode.x264_preset": "ultrafast"} and new[0].job.state == "queued"
        assert new[0].id in shown(pilot.app)
        assert any(f"Render job {new[0].id} queued" in n.message for n in pilot.app._notifications)


async def test_form_prefilled_from_clip_ids_and_post(demo_workspace: Workspace, clip: int) -> None:
    post_id = next(
        r.post_id for r in RenderRepo(demo_workspace.store).list() if r.post_id is not None
    )
    async with make_app(demo_workspace, "renders").run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        pane(pilot.app).open_new_render([clip])
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, NewRenderScreen) and form.selected == [clip]
        form.query_one("#new-render-post", Select).value = post_id
        await pilot.press("ctrl+s")
        await settle(pilot)
        queued = [
            r for r in RenderRepo(demo_workspace.store).list(limit=1000) if r.clip_ids == [clip]
        ]
        assert len(queued) == 1 and queued[0].post_id == post_id and queued[0].recipe == "vertical"
        assert queued[0].id in shown(pilot.app)


async def test_footage_r_opens_form_on_renders_with_the_clip(
    demo_workspace: Workspace, clip: int, messages: Messages
) -> None:
    """R on a clip posts a RenderClips request; the App builds Renders (still a stand-in),
    shows it and hands the request over, so the form opens on the clip: no timer. A
    second R, with Renders built, opens it at once."""
    app = make_app(demo_workspace, "footage", "renders")
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        await settle(pilot)
        footage = app.query_one(FootagePane)
        while footage.highlighted() is not None and footage.highlighted().id != clip:
            await pilot.press("j")
            await settle(pilot)
        assert footage.highlighted().id == clip
        assert "renders" in app.query_one(TabHost).pending and not app.query(RendersPane)
        await pilot.press("R")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewRenderScreen) and form.selected == [clip]
        assert app.query_one(TabHost).active == "renders"
        assert [m.clip_ids for m in messages.of(RenderClips)] == [[clip]]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.query_one("#renders"), RendersPane)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        assert isinstance(app.screen, NewRenderScreen) and app.screen.selected == [clip]
        assert app.query_one(TabHost).active == "renders"


async def test_render_request_without_a_renders_tab_says_so(
    demo_workspace: Workspace, clip: int, messages: Messages
) -> None:
    """With no Renders tab registered, R warns instead of opening anything."""
    app = make_app(demo_workspace, "footage")
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        notes = [m.notification.message for m in messages.of(Notify)]
        assert "There is no Renders tab here." in notes
        assert not isinstance(app.screen, NewRenderScreen)


def test_post_detail_lists_its_renders(demo_workspace: Workspace) -> None:
    from screens.today.details import post_view
    from storage.today import TodayRepo

    done = next(
        r for r in RenderRepo(demo_workspace.store).list() if r.job.state == "done" and r.post_id
    )
    detail = TodayRepo(demo_workspace.store).post_detail(done.post_id)
    assert detail is not None and done.id in [line.job_id for line in detail.renders]
    blocks = dict(post_view(detail, demo_workspace.config.zone).blocks)
    name = Path(done.output_path).name
    assert f"#{done.id} done → …/renders/{name}" in blocks["Renders"]
    assert str(demo_workspace.home.root) not in blocks["Renders"]


async def test_cancel_running_job_flags_it_for_its_worker(demo_workspace: Workspace) -> None:
    job_id = first(demo_workspace, "queued")
    queue = JobQueue(demo_workspace.store)
    queue.set_priority(job_id, 9)
    assert queue.claim("w1", ["render"], 600.0)[0].id == job_id
    async with make_app(demo_workspace, "renders").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert pilot.app.query_one(JobTable).keys[0] == str(job_id)  # running comes first
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        job = queue.get(job_id)
        assert job.state == "running" and job.cancel_requested
        assert shown(pilot.app)[job_id]["state"].endswith("cancelling")
