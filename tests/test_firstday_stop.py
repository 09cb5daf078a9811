"""Issue 16: `reelroom worker` and `reelroom watch` say, when stopped with Ctrl-C, what
was handed back, what still waits and what was left unimported."""

from __future__ import annotations

import signal
from pathlib import Path

from conftest import reelroom, wait_for

from app.workspace import Workspace
from storage.jobs import JobQueue


def test_ctrl_c_on_the_worker_names_the_job_handed_back_and_what_waits(
    workspace: Workspace,
) -> None:
    queue = JobQueue(workspace.store)
    running = queue.enqueue("noop", {"sleep_s": 60}).job
    waiting = queue.enqueue("noop", {"sleep_s": 1}, delay_s=3600).job
    proc = reelroom(workspace.home.root, "worker", "--grace", "0.2")
    assert wait_for(lambda: queue.get(running.id).state == "running")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("reelroom: worker stopped (0 done, 0 failed).")
    assert f"Handed back to the queue, unfinished: job {running.id}." in last
    assert "2 job(s) wait in the queue for the next `reelroom worker`." in last  # both
    assert queue.get(running.id).state == "queued" and queue.get(waiting.id).state == "queued"


def test_ctrl_c_on_an_idle_worker_says_nothing_was_running(workspace: Workspace) -> None:
    proc = reelroom(workspace.home.root, "worker")
    assert wait_for(lambda: (workspace.home.logs / "worker.log").exists())
    assert wait_for(lambda: "started" in (workspace.home.logs / "worker.log").read_text())
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert err.strip().splitlines()[-1] == (
        "reelroom: worker stopped (0 done, 0 failed). Nothing was left running."
    )


def test_ctrl_c_on_the_watcher_says_what_was_not_imported(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "cards"
    folder.mkdir()
    proc = reelroom(workspace.home.root, "watch", str(folder), "--settle", "60")
    from storage.processes import ProcessRepo

    assert wait_for(lambda: bool(ProcessRepo(workspace.store).live("watch")))
    (folder / "C0001.MP4").write_bytes(b"\0" * 1000)  # never settles within the test
    procs = ProcessRepo(workspace.store)
    assert wait_for(  # the watcher's heartbeat says it holds the file, waiting for it to settle
        lambda: any(p.info.get("pending") for p in procs.live("watch")), timeout=30
    )
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("reelroom: watcher stopped.")
    assert "1 file(s) were still settling" in last and "C0001.MP4" in last
