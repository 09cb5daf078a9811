"""`reelroom render …` and render jobs run by real worker processes with real ffmpeg.

Clips are 1 s at 320x180 (the long-running ones, which are cancelled or
killed, a few seconds); finished renders use the recipe's ultrafast override.
Waits are bounded polls.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import reelroom, wait_for
from media import make_video

from app.cli import main
from app.workspace import Workspace
from media_watch.ingest import ingest_paths
from storage.footage import FootageRepo
from storage.jobs import JobQueue
from storage.renders import RenderRepo

FAST = "encode.x264_preset=ultrafast"


def add_clips(ws: Workspace, tmp_path: Path, *specs: tuple[str, float]) -> list[int]:
    """Make and import clips (name, seconds); their asset ids in the order given."""
    paths = []
    for n, (name, seconds) in enumerate(specs):
        paths.append(make_video(tmp_path / "clips" / name, seconds=seconds, seed=n))
    ingest_paths(ws.store, paths, thumbs_dir=None, workers=1)
    repo = FootageRepo(ws.store)
    by_name = {a.name: a.id for a in repo.list()}
    return [by_name[name] for name, _ in specs]


def cli(ws: Workspace, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--home", str(ws.home.root), *args])
    out, err = capsys.readouterr()
    return code, out, err


def ffmpeg_pids(home: Path) -> list[int]:
    """ffmpeg processes whose command line mentions this workspace."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        parts = raw.split(b"\0")
        if state != "Z" and parts and parts[0].endswith(b"ffmpeg") and str(home).encode() in raw:
            found.append(int(entry.name))
    return found


def partials(ws: Workspace) -> list[Path]:
    return sorted(ws.home.renders.glob("*.partial*"))


# --- render add / list / show -------------------------------------------------------


def test_bad_recipe_or_clip_is_refused_before_it_is_queued(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [clip] = add_clips(workspace, tmp_path, ("a.mp4", 1.0))
    bad = tmp_path / "bad.toml"
    bad.write_text('[encode]\npreset = "myspace"\n', encoding="utf-8")
    cases = [
        (["--recipe", "nope"], "recipe 'nope' is neither a built-in"),
        (["--recipe", str(bad)], "encode.preset = 'myspace' is not allowed; allowed:"),
        (
            ["--recipe", "tiktok", "--set", "encode.crf=99"],
            "a whole number at least 1 and at most 51",
        ),
        (["--recipe", "tiktok", "--set", "encode.colour=red"], "unknown field encode.colour"),
        (["--recipe", "tiktok", "--clip", "999"], "clip 999 does not exist"),
        (["--recipe", "tiktok", "--post", "42"], "there is no post 42"),
    ]
    for extra, message in cases:
        code, out, err = cli(workspace, capsys, "render", "add", "--clip", str(clip), *extra)
        assert code == 1 and message in err and "nothing was queued" in err, (extra, err)
        assert out == ""
    assert sum(JobQueue(workspace.store).counts().values()) == 0
    code, out, err = cli(
        workspace,
        capsys,
        "render",
        "add",
        "--clip",
        str(clip),
        "--recipe",
        "tiktok",
        "--set",
        "no-equals-sign",
    )
    assert code == 2 and "KEY=VALUE" in err


def test_rejected_clip_is_refused(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "clips" / "junk.mp4"
    junk.parent.mkdir(parents=True)
    junk.write_bytes(b"not a video at all" * 100)
    ingest_paths(workspace.store, [junk], thumbs_dir=None, workers=1)
    [asset] = FootageRepo(workspace.store).list()
    code, _, err = cli(
        workspace, capsys, "render", "add", "--clip", str(asset.id), "--recipe", "vertical"
    )
    assert code == 1 and f"clip {asset.id} (junk.mp4) is rejected" in err


def test_add_list_show_json_and_the_same_render_is_queued_once(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = add_clips(workspace, tmp_path, ("a.mp4", 1.0), ("b.mp4", 1.0))
    code, out, _ = cli(
        workspace,
        capsys,
        "render",
        "add",
        "--clip",
        str(a),
        "--clip",
        str(b),
        "--recipe",
        "shorts",
        "--set",
        FAST,
        "--priority",
        "3",
        "--json",
    )
    assert code == 0
    added = json.loads(out)
    assert added["created"] is True and added["state"] == "queued"
    assert added["clips"] == [a, b] and added["priority"] == 3 and added["recipe"] == "shorts"
    assert added["params"] == {"encode.x264_preset": "ultrafast"}
    assert added["output"] == str(workspace.home.renders / f"job-{added['id']}-shorts.mp4")
    assert added["argv"][0].endswith("ffmpeg") and "loudnorm" in " ".join(added["argv"])

    code, out, err = cli(
        workspace,
        capsys,
        "render",
        "add",
        "--clip",
        str(a),
        "--clip",
        str(b),
        "--recipe",
        "shorts",
        "--set",
        FAST,
    )
    assert code == 0 and out.strip() == str(added["id"]) and "already job" in err
    code, out, _ = cli(
        workspace,
        capsys,
        "render",
        "add",
        "--clip",
        str(b),
        "--clip",
        str(a),
        "--recipe",
        "shorts",
        "--set",
        FAST,
    )
    other = int(out)
    assert other != added["id"]  # another clip order is another render

    code, out, _ = cli(workspace, capsys, "render", "list", "--json")
    rows = json.loads(out)
    assert [r["id"] for r in rows] == [other, added["id"]]
    for key in (
        "id",
        "state",
        "priority",
        "attempts",
        "progress",
        "recipe",
        "clips",
        "output",
        "error",
    ):
        assert key in rows[0]
    assert "argv" not in rows[0]
    code, out, _ = cli(workspace, capsys, "render", "show", str(added["id"]), "--json")
    shown = json.loads(out)
    assert shown["argv"] == added["argv"] and "log_tail" in shown

    code, out, _ = cli(workspace, capsys, "render", "list")
    assert code == 0 and "shorts" in out and "queued" in out
    code, out, _ = cli(workspace, capsys, "render", "show", str(added["id"]))
    assert code == 0 and "argv:" in out and "loudnorm" in out
    code, _, err = cli(workspace, capsys, "render", "show", "777")
    assert code == 1 and "there is no render job 777" in err


def test_cancel_retry_and_priority_of_queued_jobs(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [clip] = add_clips(workspace, tmp_path, ("a.mp4", 1.0))
    _, out, _ = cli(workspace, capsys, "render", "add", "--clip", str(clip), "--recipe", "vertical")
    job_id = int(out)
    assert cli(workspace, capsys, "render", "retry", str(job_id))[0] == 1
    code, _, err = cli(workspace, capsys, "render", "cancel", str(job_id))
    assert code == 0 and "cancelled" in err
    code, _, err = cli(workspace, capsys, "render", "cancel", str(job_id))
    assert code == 1 and "already cancelled" in err
    code, _, err = cli(workspace, capsys, "render", "retry", str(job_id))
    assert code == 0 and "queued" in err
    assert cli(workspace, capsys, "render", "priority", str(job_id), "7")[0] == 0
    job = JobQueue(workspace.store).get(job_id)
    assert job.state == "queued" and job.priority == 7 and not job.cancel_requested


# --- rendering through the worker ------------------------------------------------------


def test_worker_renders_verifies_and_renames_into_place(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [clip] = add_clips(workspace, tmp_path, ("a.mp4", 1.0))
    _, out, _ = cli(
        workspace, capsys, "render", "add", "--clip", str(clip), "--recipe", "tiktok", "--set", FAST
    )
    job_id = int(out)
    proc = reelroom(workspace.home.root, "worker", "--once")
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    render = RenderRepo(workspace.store).get(job_id)
    assert render.job.state == "done" and render.job.progress == 1.0, render.job.last_error
    output = Path(render.output_path)
    assert output.is_file() and Path(render.poster_path).is_file() and partials(workspace) == []
    assert render.argv[0].endswith("ffmpeg") and "-progress" in render.argv
    assert "loudnorm" in " ".join(render.argv) and "measured_I" in " ".join(render.argv)
    assert render.preflight["checked"]["width"] == 1080
    assert render.preflight["checked"]["height"] == 1920
    assert render.preflight["checked"]["duration_s"] == pytest.approx(1.0, abs=0.1)
    assert (workspace.home.logs / "worker.log").read_text().count(f"job {job_id} done") == 1


def test_a_failed_render_leaves_no_partial_and_keeps_the_log(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [clip] = add_clips(workspace, tmp_path, ("a.mp4", 1.0))
    _, out, _ = cli(
        workspace,
        capsys,
        "render",
        "add",
        "--clip",
        str(clip),
        "--recipe",
        "vertical",
        "--set",
        FAST,
    )
    job_id = int(out)
    source = tmp_path / "clips" / "a.mp4"
    source.write_bytes(b"\0" * source.stat().st_size)  # damaged after it was queued
    proc = reelroom(workspace.home.root, "worker", "--once")
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    render = RenderRepo(workspace.store).get(job_id)
    assert render.job.state == "failed" and render.job.attempts == 1
    assert "ffmpeg exited with status" in render.job.last_error
    assert render.log_tail and "a.mp4" in render.log_tail
    assert partials(workspace) == [] and not Path(render.output_path).exists()
    code, out, _ = cli(workspace, capsys, "render", "list")
    assert "ffmpeg exited" in out


def test_cancel_of_a_running_render_stops_ffmpeg_quickly(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [clip] = add_clips(workspace, tmp_path, ("long.mp4", 6.0))
    _, out, _ = cli(
        workspace,
        capsys,
        "render",
        "add",
        "--clip",
        str(clip),
        "--recipe",
        "vertical",
        "--set",
        "encode.x264_preset=medium",
    )
    job_id = int(out)
    home = workspace.home.root
    proc = reelroom(home, "worker", "--lease-seconds", "5")
    try:
        assert wait_for(lambda: bool(ffmpeg_pids(home)) and bool(partials(workspace)), timeout=30)
        repo = RenderRepo(workspace.store)
        assert wait_for(lambda: (repo.get(job_id).job.progress or 0) > 0, timeout=30)
        running = repo.get(job_id)
        assert 0 < running.job.progress < 1 and running.speed and running.eta_s is not None
        code, _, err = cli(workspace, capsys, "render", "cancel", str(job_id))
        assert code == 0 and "cancel requested" in err
        assert wait_for(lambda: not ffmpeg_pids(home), timeout=3.0)
        assert wait_for(
            lambda: JobQueue(workspace.store).get(job_id).state == "cancelled", timeout=5
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert partials(workspace) == []
    assert not Path(RenderRepo(workspace.store).get(job_id).output_path).exists()


def test_a_sigkilled_worker_mid_render_is_finished_by_another(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [clip] = add_clips(workspace, tmp_path, ("a.mp4", 3.0))
    _, out, _ = cli(
        workspace,
        capsys,
        "render",
        "add",
        "--clip",
        str(clip),
        "--recipe",
        "vertical",
        "--set",
        FAST,
    )
    job_id = int(out)
    home = workspace.home.root
    first = reelroom(home, "worker", "--lease-seconds", "1")
    try:
        assert wait_for(lambda: bool(partials(workspace)), timeout=60, step=0.02)
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
    killed = JobQueue(workspace.store).get(job_id)
    assert killed.state == "running" and killed.attempts == 1
    # its ffmpeg died with it (an orphan would run on for the seconds the render needs)
    assert wait_for(lambda: not ffmpeg_pids(home), timeout=1.5)
    second = reelroom(home, "worker", "--lease-seconds", "5")
    try:
        assert wait_for(lambda: JobQueue(workspace.store).get(job_id).state == "done", timeout=120)
    finally:
        second.send_signal(signal.SIGTERM)
        second.communicate(timeout=30)
    done = RenderRepo(workspace.store).get(job_id)
    assert done.job.attempts == 2 and done.job.lease_owner != killed.lease_owner
    assert Path(done.output_path).is_file() and partials(workspace) == []


def test_headless_worker_and_render_never_import_textual(workspace: Workspace) -> None:
    probe = (
        "import sys, app.cli, app.worker, app.cli.render, media_watch.render_job; "
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
        check=True,
    )
    assert done.stdout.strip() == "False"
