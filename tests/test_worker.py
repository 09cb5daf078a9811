"""The worker loop and the ffmpeg runner, with real threads, processes and ffmpeg.

No-op jobs exercise claiming, cancel, shutdown and crash recovery; the runner
is checked on hand-written argv lists (testsrc) for progress, cancel and the
stderr tail. Waits are bounded polls, never assertions on speed.
"""

from __future__ import annotations

import os
import re
import signal
import threading
from collections import Counter
from pathlib import Path

import pytest
from conftest import reelroom, wait_for
from media import FFMPEG

from app.worker import JobRun, Worker, noop_handler
from app.workspace import Workspace
from media_watch.ffmpeg_run import (
    Progress,
    ProgressParser,
    run_ffmpeg,
    with_progress_flags,
)
from storage.jobs import JobQueue, PermanentJobError

ROOT = Path(__file__).resolve().parents[1]


def run_worker(
    workspace: Workspace, handlers: dict, **kw: object
) -> tuple[Worker, threading.Thread, threading.Event]:
    stop = threading.Event()
    worker = Worker(workspace.store, handlers, **kw)  # type: ignore[arg-type]
    thread = threading.Thread(target=worker.run, args=(stop,))
    thread.start()
    return worker, thread, stop


# --- in-process worker ------------------------------------------------------------


def test_once_drains_the_queue_with_several_slots(workspace: Workspace) -> None:
    queue = JobQueue(workspace.store)
    ids = queue.enqueue_many("noop", [{} for _ in range(40)])
    queue.enqueue("render")  # no handler given for renders: left alone
    worker, thread, _ = run_worker(workspace, {"noop": noop_handler}, concurrency=3, once=True)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert worker.stats.done == len(ids)
    counts = queue.counts()
    assert counts["done"] == 40 and counts["queued"] == 1


def test_handler_errors_are_recorded_and_bad_input_is_dead_at_once(workspace: Workspace) -> None:
    queue = JobQueue(workspace.store)
    flaky = queue.enqueue("noop", {"fail": "network down"}, max_attempts=3).job.id

    def handler(run: JobRun) -> None:
        if run.job.payload.get("bad"):
            raise PermanentJobError("clip 7 does not exist")
        noop_handler(run)

    bad = queue.enqueue("noop", {"bad": True}, max_attempts=3).job.id
    worker, thread, _ = run_worker(workspace, {"noop": handler}, once=True)
    thread.join(timeout=30)
    retried = queue.get(flaky)
    assert retried.state == "failed" and retried.last_error == "network down"
    assert retried.attempts == 1  # backoff: not due again during this drain
    dead = queue.get(bad)
    assert dead.state == "dead" and dead.last_error == "clip 7 does not exist"
    assert worker.stats.failed == 2


def test_cancel_of_a_running_job_reaches_its_handler(workspace: Workspace) -> None:
    queue = JobQueue(workspace.store)
    job = queue.enqueue("noop", {"sleep_s": 60}).job
    worker, thread, stop = run_worker(workspace, {"noop": noop_handler}, lease_s=30)
    assert wait_for(lambda: queue.get(job.id).state == "running")
    queue.cancel(job.id)
    assert wait_for(lambda: queue.get(job.id).state == "cancelled", timeout=5)
    stop.set()
    thread.join(timeout=10)
    assert worker.stats.cancelled == 1


def test_stop_gives_a_grace_period_then_hands_running_jobs_back(workspace: Workspace) -> None:
    queue = JobQueue(workspace.store)
    long = queue.enqueue("noop", {"sleep_s": 60}).job
    worker, thread, stop = run_worker(workspace, {"noop": noop_handler}, lease_s=30, grace_s=0.3)
    assert wait_for(lambda: queue.get(long.id).state == "running")
    queue.enqueue("noop")  # queued after the stop: must not be claimed
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    back = queue.get(long.id)
    assert back.state == "queued" and back.attempts == 0 and back.lease_owner is None
    assert queue.counts()["queued"] == 2 and worker.stats.released == 1


def test_short_jobs_finish_within_the_grace_period(workspace: Workspace) -> None:
    queue = JobQueue(workspace.store)
    job = queue.enqueue("noop", {"sleep_s": 0.4}).job
    worker, thread, stop = run_worker(workspace, {"noop": noop_handler}, grace_s=10)
    assert wait_for(lambda: queue.get(job.id).state == "running")
    stop.set()
    thread.join(timeout=10)
    assert queue.get(job.id).state == "done" and worker.stats.released == 0


def test_worker_announces_itself_while_running(workspace: Workspace) -> None:
    from storage.processes import ProcessRepo

    worker, thread, stop = run_worker(workspace, {"noop": noop_handler})
    assert wait_for(lambda: len(ProcessRepo(workspace.store).live("worker")) == 1)
    stop.set()
    thread.join(timeout=10)
    assert ProcessRepo(workspace.store).live("worker") == []


# --- worker processes ------------------------------------------------------------


def test_four_worker_processes_do_each_of_200_jobs_exactly_once(workspace: Workspace) -> None:
    queue = JobQueue(workspace.store)
    ids = queue.enqueue_many("noop", [{} for _ in range(200)])
    procs = [
        reelroom(
            workspace.home.root, "worker", "--once", "--concurrency", "2", "--lease-seconds", "30"
        )
        for _ in range(4)
    ]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    counts = queue.counts()
    assert counts["done"] == 200 and counts["running"] == 0
    assert all(queue.get(i).attempts == 1 for i in ids)
    log = (workspace.home.logs / "worker.log").read_text(encoding="utf-8")
    done = Counter(int(m) for m in re.findall(r"job (\d+) done", log))
    assert set(done) == set(ids) and set(done.values()) == {1}
    owners = re.findall(r"worker (\S+) stopped: (\d+) done", log)
    assert len(owners) == 4 and sum(int(n) for _, n in owners) == 200


def test_a_sigkilled_worker_loses_its_job_to_another_when_the_lease_ends(
    workspace: Workspace,
) -> None:
    queue = JobQueue(workspace.store)
    job = queue.enqueue("noop", {"sleep_s": 3}).job
    first = reelroom(workspace.home.root, "worker", "--lease-seconds", "1")
    try:
        assert wait_for(lambda: queue.get(job.id).state == "running")
        owner = queue.get(job.id).lease_owner
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
    second = reelroom(workspace.home.root, "worker", "--lease-seconds", "5")
    try:
        assert wait_for(lambda: queue.get(job.id).state == "done", timeout=20)
    finally:
        second.send_signal(signal.SIGTERM)
        out, err = second.communicate(timeout=20)
    assert second.returncode == 0
    finished = queue.get(job.id)
    assert finished.attempts == 2 and finished.lease_owner != owner


def test_sigterm_hands_the_running_job_back(workspace: Workspace) -> None:
    queue = JobQueue(workspace.store)
    job = queue.enqueue("noop", {"sleep_s": 60}).job
    proc = reelroom(workspace.home.root, "worker", "--grace", "0.2")
    assert wait_for(lambda: queue.get(job.id).state == "running")
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "handed back to the queue" in err
    back = queue.get(job.id)
    assert back.state == "queued" and back.attempts == 0


def test_worker_with_watch_imports_footage_while_it_runs(
    workspace: Workspace, tmp_path: Path
) -> None:
    from media import make_video

    from storage.footage import FootageRepo

    config = workspace.home.config_path
    config.write_text(config.read_text() + "\n[watch]\nsettle_seconds = 0.3\n")
    folder = tmp_path / "drop"
    folder.mkdir()
    proc = reelroom(workspace.home.root, "worker", "--watch", str(folder))
    try:
        make_video(tmp_path / "staging" / "clip.mp4")
        (tmp_path / "staging" / "clip.mp4").rename(folder / "clip.mp4")
        assert wait_for(
            lambda: [a.name for a in FootageRepo(workspace.store).list()] == ["clip.mp4"],
            timeout=20,
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "footage imported" in err


def test_worker_refuses_bad_numbers(workspace: Workspace) -> None:
    proc = reelroom(workspace.home.root, "worker", "--concurrency", "0")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2 and "--concurrency: must be at least 1 and at most 64, not 0" in err


# --- the ffmpeg runner --------------------------------------------------------------


def source_argv(out: Path, seconds: float, *, realtime: bool = False) -> list[str]:
    head = [FFMPEG, "-hide_banner", "-y", "-loglevel", "error"]
    if realtime:
        head.append("-re")
    return head + [
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=s=320x180:r=30:d={seconds}",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "file:" + str(out),
    ]


def test_progress_flags_are_added_once() -> None:
    argv = with_progress_flags(["ffmpeg", "-i", "a.mp4", "b.mp4"])
    assert argv[:5] == ["ffmpeg", "-nostdin", "-nostats", "-progress", "pipe:1"]
    assert with_progress_flags(argv) == argv


def test_progress_parser_reads_microseconds_speed_and_eta() -> None:
    parser = ProgressParser(expected_duration_s=4.0)
    report = None
    for line in (
        "frame=30",
        "out_time_us=1000000",
        "out_time_ms=1000000",
        "speed=2.00x",
        "progress=continue",
    ):
        report = parser.feed(line) or report
    assert report == Progress(out_time_s=1.0, percent=0.25, speed=2.0, eta_s=1.5, frame=30)
    for line in ("out_time_ms=4000000", "speed=N/A", "progress=end"):
        report = parser.feed(line) or report
    assert report.done and report.percent == 1.0 and report.eta_s == 0.0


def test_runner_reports_progress_to_the_end(tmp_path: Path) -> None:
    reports: list[Progress] = []
    result = run_ffmpeg(
        source_argv(tmp_path / "out.mp4", 2), expected_duration_s=2.0, on_progress=reports.append
    )
    assert result.ok and (tmp_path / "out.mp4").stat().st_size > 0
    assert reports and reports[-1].done and reports[-1].percent == 1.0
    assert reports[-1].out_time_s == pytest.approx(2.0, abs=0.1)
    assert result.argv[1:5] == ["-nostdin", "-nostats", "-progress", "pipe:1"]


def test_runner_keeps_the_stderr_tail_of_a_failure(tmp_path: Path) -> None:
    result = run_ffmpeg(
        [
            FFMPEG,
            "-hide_banner",
            "-loglevel",
            "error",
            "-i",
            "file:" + str(tmp_path / "missing.mp4"),
            "-f",
            "null",
            "-",
        ]
    )
    assert result.returncode != 0 and not result.ok
    assert "missing.mp4" in result.stderr_tail and "No such file" in result.stderr_tail


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().split()[2] != "Z"


def test_runner_stop_ends_ffmpeg_and_its_group(tmp_path: Path) -> None:
    pids: list[int] = []
    stop = threading.Event()
    box: dict[str, object] = {}

    def go() -> None:
        box["result"] = run_ffmpeg(
            source_argv(tmp_path / "long.mp4", 60, realtime=True),
            expected_duration_s=60,
            should_stop=stop.is_set,
            on_start=pids.append,
        )

    thread = threading.Thread(target=go)
    thread.start()
    assert wait_for(lambda: bool(pids))
    assert os.getpgid(pids[0]) == pids[0]  # its own process group
    assert os.getpgid(pids[0]) != os.getpgrp()
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()
    result = box["result"]
    assert result.stopped and not result.ok  # type: ignore[union-attr]
    assert wait_for(lambda: not _alive(pids[0]), timeout=3)
