"""Team mode's worker on PostgreSQL: several real `reelroom worker` processes, one queue.

Each worker runs in its own home (its own config.toml, logs) pointed at the
same PostgreSQL database, as machines of a team would be. Crashes are real
signals (SIGKILL, SIGSTOP/SIGCONT); waits are bounded polls, never
assertions on speed. In-process tests run `TeamWorker` in a thread for the
paths that need no second process (retries, hand-back, stale deliveries).

The publish never-twice test across two workers on two boxes is in
tests/test_team_publish.py.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Iterator

import pytest
from conftest import wait_for

from app.team_worker import STALLED_AFTER_S, TeamWorker
from app.worker import WorkerStats, noop_handler
from app.workspace import Workspace
from storage import pg_jobs
from storage.jobs import JobQueue

ROOT = Path(__file__).resolve().parents[1]
RECOVERY_WAIT_S = STALLED_AFTER_S + 40  # generous: recovery is due after ~STALLED_AFTER_S


class Proc:
    """One `reelroom worker` process in its own home, logging to a file."""

    def __init__(self, root: Path, url: str, *args: str) -> None:
        self.home = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "config.toml").write_text(
            f'[workspace]\ntimezone = "UTC"\n\n[storage]\nurl = "{url}"\n', encoding="utf-8"
        )
        self.log_path = root / "stderr.log"
        self._log = self.log_path.open("w")
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "--home", str(root), "worker", *args],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            text=True,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 60) -> None:
        if self.popen.poll() is None:
            os.kill(self.pid, signal.SIGCONT)
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        self._log.close()


@pytest.fixture
def procs(tmp_path: Path, pg_workspace: Workspace) -> Iterator[list[Proc]]:
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.stop()


def start(
    procs: list[Proc], tmp_path: Path, ws: Workspace, *args: str, name: str | None = None
) -> Proc:
    root = tmp_path / (name or f"box{len(procs) + 1}")
    proc = Proc(root, ws.store.target, *args)
    procs.append(proc)
    return proc


def held_by(queue: JobQueue, job_id: int, proc: Proc) -> bool:
    job = queue.get(job_id)
    return job is not None and job.state == "running" and f"-{proc.pid}-" in (job.lease_owner or "")


def live_deliveries(ws: Workspace) -> int:
    row = ws.store.conn.execute(
        "SELECT count(*) FROM procrastinate_jobs WHERE task_name = ? "
        "AND status IN ('todo', 'doing')",
        (pg_jobs.RUN_TASK,),
    ).fetchone()
    return int(row[0])


# --- several processes ----------------------------------------------------------------


def test_four_workers_run_2000_noop_jobs_each_exactly_once(procs, tmp_path, pg_workspace):
    queue = JobQueue(pg_workspace.store)
    ids = queue.enqueue_many("noop", [{} for _ in range(2000)])
    workers = [start(procs, tmp_path, pg_workspace, "--concurrency", "2") for _ in range(4)]
    assert wait_for(lambda: queue.counts("noop")["done"] == 2000, timeout=600, step=0.5), (
        queue.counts("noop"),
        workers[0].text()[-2000:],
    )
    for proc in workers:
        proc.stop()
    done = Counter()
    for proc in workers:
        done.update(int(n) for n in re.findall(r"job (\d+) done", proc.text()))
    assert sorted(done) == sorted(ids)
    assert set(done.values()) == {1}
    assert {j.attempts for j in queue.list(kind="noop", limit=3000)} == {1}
    assert sum(1 for proc in workers if re.search(r"job \d+ done", proc.text())) >= 2
    assert wait_for(lambda: live_deliveries(pg_workspace) == 0)  # finished just after the row


def test_a_killed_worker_s_job_is_recovered_and_done_once_with_both_attempts_counted(
    procs, tmp_path, pg_workspace
):
    queue = JobQueue(pg_workspace.store)
    job = queue.enqueue("noop", {"sleep_s": 5}).job
    first = start(procs, tmp_path, pg_workspace, name="first")
    assert wait_for(lambda: held_by(queue, job.id, first), timeout=60)
    first.popen.kill()  # SIGKILL mid-job: no hand-back, no goodbye
    first.popen.wait()
    second = start(procs, tmp_path, pg_workspace, name="second")
    assert wait_for(lambda: queue.get(job.id).state == "done", timeout=RECOVERY_WAIT_S), (
        queue.get(job.id),
        second.text()[-3000:],
    )
    after = queue.get(job.id)
    assert after.attempts == 2
    assert f"-{second.pid}-" in (after.lease_owner or "")

    def done_lines() -> list[str]:
        return re.findall(rf"job {job.id} done", first.text() + second.text())

    # The row is done a moment before the worker writes its log line.
    assert wait_for(lambda: len(done_lines()) >= 1), second.text()[-3000:]
    assert len(done_lines()) == 1
    assert wait_for(lambda: live_deliveries(pg_workspace) == 0)  # finished just after the row


def test_a_frozen_worker_cannot_finish_or_write_over_the_job_it_lost(procs, tmp_path, pg_workspace):
    queue = JobQueue(pg_workspace.store)
    output = tmp_path / "out.txt"
    job = queue.enqueue("noop", {"sleep_s": 3, "write": str(output)}).job
    frozen = start(procs, tmp_path, pg_workspace, name="frozen")
    assert wait_for(lambda: held_by(queue, job.id, frozen), timeout=60)
    os.kill(frozen.pid, signal.SIGSTOP)  # a network partition looks the same
    other = start(procs, tmp_path, pg_workspace, name="other")
    assert wait_for(lambda: held_by(queue, job.id, other), timeout=RECOVERY_WAIT_S), (
        queue.get(job.id),
        other.text()[-3000:],
    )
    os.kill(frozen.pid, signal.SIGCONT)  # wakes while the other worker holds the job
    assert wait_for(lambda: queue.get(job.id).state == "done", timeout=60)
    assert wait_for(lambda: "passed to another worker" in frozen.text())
    frozen.stop()
    assert output.read_text(encoding="utf-8") == queue.get(job.id).lease_owner
    assert f"-{other.pid}-" in output.read_text(encoding="utf-8")
    assert f"job {job.id} done" not in frozen.text()
    assert "1 lost to other workers" in frozen.text()
    assert list(tmp_path.glob("out.txt.partial*")) == []
    assert queue.get(job.id).attempts == 2


def test_cancel_reaches_a_job_running_in_another_process(procs, tmp_path, pg_workspace):
    queue = JobQueue(pg_workspace.store)
    job = queue.enqueue("noop", {"sleep_s": 120}).job
    worker = start(procs, tmp_path, pg_workspace)
    assert wait_for(lambda: held_by(queue, job.id, worker), timeout=60)
    queue.cancel(job.id)
    assert wait_for(lambda: queue.get(job.id).state == "cancelled", timeout=30)
    assert wait_for(lambda: f"job {job.id} cancelled" in worker.text(), timeout=10)
    assert wait_for(lambda: live_deliveries(pg_workspace) == 0)  # finished just after the row


# --- one worker in this process -----------------------------------------------------


def run_team_worker(
    ws: Workspace, queue: JobQueue, **kw: object
) -> tuple[TeamWorker, threading.Thread, threading.Event, list[WorkerStats]]:
    stop = threading.Event()
    worker = TeamWorker(ws.store, {"noop": noop_handler}, queue=queue, **kw)
    stats: list[WorkerStats] = []
    thread = threading.Thread(target=lambda: stats.append(worker.run(stop)), daemon=True)
    thread.start()
    return worker, thread, stop, stats


def test_a_failing_job_is_retried_by_procrastinate_with_reelroom_s_backoff_then_dies(
    pg_workspace,
):
    queue = JobQueue(pg_workspace.store, backoff_base_s=0.2, backoff_cap_s=0.5)
    job = queue.enqueue("noop", {"fail": "disk full"}, max_attempts=3).job
    _, thread, stop, stats = run_team_worker(pg_workspace, queue, lease_s=30)
    try:
        assert wait_for(lambda: queue.get(job.id).state == "dead", timeout=60)
    finally:
        stop.set()
        thread.join(timeout=60)
    dead = queue.get(job.id)
    assert (dead.attempts, dead.last_error) == (3, "disk full")
    assert stats[0].failed == 3
    assert wait_for(lambda: live_deliveries(pg_workspace) == 0)  # finished just after the row


def test_shutdown_hands_a_running_job_back_with_its_attempt_uncounted(pg_workspace):
    queue = JobQueue(pg_workspace.store)
    job = queue.enqueue("noop", {"sleep_s": 60}).job
    _, thread, stop, stats = run_team_worker(pg_workspace, queue, grace_s=0.2)
    assert wait_for(lambda: queue.get(job.id).state == "running", timeout=60)
    stop.set()
    thread.join(timeout=60)
    back = queue.get(job.id)
    assert (back.state, back.attempts) == ("queued", 0)
    assert stats[0].released == 1
    assert live_deliveries(pg_workspace) == 1  # procrastinate retries the delivery


def test_stale_and_duplicate_deliveries_run_nothing_twice(pg_workspace):
    store = pg_workspace.store
    queue = JobQueue(store)
    job = queue.enqueue("noop", {}).job
    with store.write() as conn:  # two more deliveries of the same job
        pg_jobs.deliver(conn, job.id, 0, job.run_at)
        pg_jobs.deliver(conn, job.id, 0, job.run_at)
    _, thread, stop, stats = run_team_worker(pg_workspace, queue)
    try:
        assert wait_for(lambda: live_deliveries(pg_workspace) == 0, timeout=60)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert (queue.get(job.id).state, queue.get(job.id).attempts) == ("done", 1)
    assert stats[0].done == 1


def test_waiting_jobs_without_a_delivery_get_one_when_a_worker_starts(pg_workspace):
    store = pg_workspace.store
    row = {"kind": "noop", "run_at": "2020-01-01T00:00:00Z", "created_at": "2020-01-01T00:00:00Z"}
    job_id = store.db["jobs"].insert(row).last_pk  # as a bulk load or a copy leaves it
    assert not pg_jobs.has_delivery(store, job_id)
    queue = JobQueue(store)
    _, thread, stop, _ = run_team_worker(pg_workspace, queue)
    try:
        assert wait_for(lambda: queue.get(job_id).state == "done", timeout=60)
    finally:
        stop.set()
        thread.join(timeout=60)


# --- the two statements of a delivery ---------------------------------------------------


def fetch_and_claim_many(ws: Workspace, process: str, limit: int) -> list[dict[str, object]]:
    """Run FETCH_AND_CLAIM as procrastinate's connector does (psycopg, dict rows)."""
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(ws.store.target, autocommit=True, row_factory=dict_row) as conn:
        worker_id = conn.execute("SELECT procrastinate_register_worker_v1() AS id").fetchone()
        return conn.execute(
            pg_jobs.FETCH_AND_CLAIM,
            {
                "queues": [pg_jobs.JOB_QUEUE],
                "limit": limit,
                "worker_id": worker_id["id"],  # type: ignore[index]
                "process": process,
                "now": "2030-01-01T00:00:00Z",
                "lease_until": "2030-01-01T00:01:00Z",
                "run_task": pg_jobs.RUN_TASK,
            },
        ).fetchall()


def fetch_and_claim(ws: Workspace, process: str) -> dict[str, object] | None:
    rows = fetch_and_claim_many(ws, process, 1)
    return rows[0] if rows else None


def test_a_fetch_claims_the_row_for_its_delivery_and_a_stale_one_claims_nothing(pg_workspace):
    store = pg_workspace.store
    queue = JobQueue(store)
    job = queue.enqueue("noop", {}).job
    with store.write() as conn:  # a duplicate delivery of the same job
        pg_jobs.deliver(conn, job.id, 0, job.run_at)
    first = fetch_and_claim(pg_workspace, "box-1-")
    assert first is not None and first["claimed"] is not None
    claimed = queue.get(job.id)
    assert (claimed.state, claimed.attempts) == ("running", 1)
    assert claimed.lease_owner == f"box-1-/p{first['id']}.0"
    second = fetch_and_claim(pg_workspace, "box-2-")
    assert second is not None and second["claimed"] is None  # the row is not waiting
    assert queue.get(job.id).lease_owner == claimed.lease_owner
    assert fetch_and_claim(pg_workspace, "box-3-") is None  # nothing left to deliver


def test_done_and_delivery_closed_together_are_fenced_by_the_owner(pg_workspace):
    store = pg_workspace.store
    queue = JobQueue(store)
    job = queue.enqueue("noop", {}).job
    first = fetch_and_claim(pg_workspace, "old-")
    assert first is not None
    old_owner = str(queue.get(job.id).lease_owner)
    # the old holder froze: recovery released the row, which queued a new delivery
    assert queue.release(job.id, old_owner, "stalled") == "queued"
    second = fetch_and_claim(pg_workspace, "new-")
    assert second is not None and second["claimed"] is not None
    new_owner = str(queue.get(job.id).lease_owner)
    # the old holder wakes and finishes: nothing recorded, its own delivery closed
    assert not queue.complete(job.id, old_owner, delivery=int(str(first["id"])))
    assert (queue.get(job.id).state, queue.get(job.id).lease_owner) == ("running", new_owner)
    assert live_deliveries(pg_workspace) == 1
    assert queue.complete(job.id, new_owner, delivery=int(str(second["id"])))
    done = queue.get(job.id)
    assert (done.state, done.attempts) == ("done", 2)
    assert live_deliveries(pg_workspace) == 0


def test_enqueue_many_gives_each_job_its_payload_and_one_delivery_across_batches(pg_workspace):
    queue = JobQueue(pg_workspace.store)
    ids = queue.enqueue_many("noop", [{"i": i} for i in range(1234)], priority=3)
    assert len(ids) == len(set(ids)) == 1234 and ids == sorted(ids)
    assert [queue.get(i).payload for i in (ids[0], ids[500], ids[-1])] == [
        {"i": 0},
        {"i": 500},
        {"i": 1233},
    ]
    rows = pg_workspace.store.conn.execute(
        "SELECT (args->>'job_id')::bigint, priority FROM procrastinate_jobs "
        "WHERE task_name = ? AND status = 'todo'",
        (pg_jobs.RUN_TASK,),
    ).fetchall()
    assert sorted(int(r[0]) for r in rows) == ids
    assert {int(r[1]) for r in rows} == {3}
