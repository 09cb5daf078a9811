"""Team mode's batched fetch: deliveries a worker fetched and has not started yet.

While its runs are short, a team worker's fetch takes several deliveries and
claims their rows at once; the ones its slots cannot start yet wait in its
buffer (app/team_worker.py `TolerantJobManager`). Those claimed-but-unstarted
jobs must never be stranded or run twice: a killed worker's come back through
stalled-delivery recovery and run once on another worker; a frozen worker
that wakes runs none of them; a worker that stops, or holds them too long,
gives them back with their attempt uncounted. Waits are bounded polls, never
assertions on speed.
"""

from __future__ import annotations

import os
import re
import signal
from typing import Iterator

import psycopg
import pytest
from conftest import wait_for
from psycopg.rows import dict_row
from test_team_worker import (
    RECOVERY_WAIT_S,
    Proc,
    fetch_and_claim_many,
    held_by,
    live_deliveries,
    run_team_worker,
    start,
)

from app import team_worker
from app.workspace import Workspace
from storage import pg_jobs
from storage.jobs import JobQueue


@pytest.fixture
def procs(pg_workspace: Workspace) -> Iterator[list[Proc]]:
    """The worker processes a test starts, all stopped at its end."""
    started: list[Proc] = []
    yield started
    for proc in started:
        proc.stop()


def one_long_then_short(queue: JobQueue, shorts: int = 5) -> tuple[int, list[int]]:
    """Queue, in one transaction, a job that runs for minutes and `shorts` no-op jobs
    behind it: a worker with one slot fetching a batch runs the first and holds
    others, claimed and not started."""
    long_id, *short_ids = queue.enqueue_many("noop", [{"sleep_s": 600}] + [{}] * shorts)
    return long_id, short_ids


def warm_up(queue: JobQueue) -> None:
    """Short runs, after which the worker's next fetch takes a batch (its size
    follows the quickest recent run: at least 2 for a worker with one slot)."""
    ids = queue.enqueue_many("noop", [{}] * 5)
    assert wait_for(lambda: all(queue.get(i).state == "done" for i in ids), timeout=60)


def fetched_together(queue: JobQueue, long_id: int, short_ids: list[int], owner: str) -> list[int]:
    """Wait until the worker holding `owner` in its owners runs the long job; the short
    jobs its fetch claimed with it (all in one statement), held and not started."""
    assert wait_for(lambda: owner in (queue.get(long_id).lease_owner or ""), timeout=60)
    held = [i for i in short_ids if owner in (queue.get(i).lease_owner or "")]
    assert held and all(queue.get(i).state == "running" for i in held)
    return held


def done_lines(text: str, job_id: int) -> int:
    return len(re.findall(rf"job {job_id} done\b", text))


# --- processes ---------------------------------------------------------------------


def test_jobs_fetched_by_a_worker_killed_before_it_started_them_run_once_on_another(
    procs, tmp_path, pg_workspace
):
    queue = JobQueue(pg_workspace.store)
    first = start(procs, tmp_path, pg_workspace, "--concurrency", "1", name="first")
    warm_up(queue)
    long_id, short_ids = one_long_then_short(queue)
    held = fetched_together(queue, long_id, short_ids, f"-{first.pid}-")
    first.popen.kill()  # SIGKILL: claims in its buffer, one job running
    first.popen.wait()
    second = start(procs, tmp_path, pg_workspace, "--concurrency", "2", name="second")
    assert wait_for(
        lambda: all(queue.get(i).state == "done" for i in short_ids), timeout=RECOVERY_WAIT_S
    ), ([queue.get(i) for i in short_ids], second.text()[-3000:])
    assert wait_for(lambda: held_by(queue, long_id, second), timeout=RECOVERY_WAIT_S)
    for job_id in short_ids:
        job = queue.get(job_id)
        assert f"-{second.pid}-" in (job.lease_owner or "")
        # the dead worker's claim counts, as a running job's does
        assert job.attempts == (2 if job_id in held else 1)
        assert done_lines(first.text() + second.text(), job_id) == 1


def test_a_frozen_worker_that_wakes_runs_none_of_the_jobs_it_had_fetched(
    procs, tmp_path, pg_workspace
):
    queue = JobQueue(pg_workspace.store)
    frozen = start(procs, tmp_path, pg_workspace, "--concurrency", "1", name="frozen")
    warm_up(queue)
    long_id, short_ids = one_long_then_short(queue)
    held = fetched_together(queue, long_id, short_ids, f"-{frozen.pid}-")
    os.kill(frozen.pid, signal.SIGSTOP)
    other = start(procs, tmp_path, pg_workspace, "--concurrency", "2", name="other")
    assert wait_for(
        lambda: (
            all(queue.get(i).state == "done" for i in short_ids) and held_by(queue, long_id, other)
        ),
        timeout=RECOVERY_WAIT_S,
    ), ([queue.get(i) for i in short_ids], other.text()[-3000:])
    os.kill(frozen.pid, signal.SIGCONT)  # it learns it lost its running job, fetches again
    assert wait_for(lambda: "not started were given back (0 waiting again)" in frozen.text())
    for job_id in short_ids:
        job = queue.get(job_id)
        assert (job.state, job.attempts) == ("done", 2 if job_id in held else 1)
        assert f"-{other.pid}-" in (job.lease_owner or "")
        assert done_lines(frozen.text(), job_id) == 0
        assert done_lines(other.text(), job_id) == 1
    assert held_by(queue, long_id, other)


# --- one worker in this process -------------------------------------------------------


def test_a_stopping_worker_gives_back_the_jobs_it_fetched_with_attempts_uncounted(
    pg_workspace,
):
    queue = JobQueue(pg_workspace.store)
    worker, thread, stop, stats = run_team_worker(pg_workspace, queue, concurrency=1, grace_s=0.2)
    try:
        warm_up(queue)
        long_id, short_ids = one_long_then_short(queue)
        fetched_together(queue, long_id, short_ids, f"{worker.owner}/")
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    for job_id in (long_id, *short_ids):
        job = queue.get(job_id)
        assert (job.state, job.attempts, job.lease_owner) == ("queued", 0, None)
    assert stats[0].released == 1  # the running one; the fetched ones never started
    assert stats[0].done == 5  # the warm-up
    assert live_deliveries(pg_workspace) == 6  # each waits to be delivered again


def test_fetched_jobs_held_past_their_time_are_given_back_and_run_once(pg_workspace):
    queue = JobQueue(pg_workspace.store)
    worker, thread, stop, stats = run_team_worker(pg_workspace, queue, concurrency=1)
    try:
        warm_up(queue)
        # the first runs longer than a fetched job may wait: those fetched with it go back
        first, *rest = queue.enqueue_many(
            "noop", [{"sleep_s": team_worker.BUFFER_HOLD_S + 0.5}] + [{}] * 4
        )
        held = fetched_together(queue, first, rest, f"{worker.owner}/")
        assert wait_for(
            lambda: all(queue.get(i).state == "done" for i in (first, *rest)), timeout=60
        )
    finally:
        stop.set()
        thread.join(timeout=60)
    for job_id in (first, *rest):
        assert queue.get(job_id).attempts == 1  # the give-back did not count
    for job_id in held:  # run from a later go of its delivery (`<process>/p<delivery>.<n>`)
        assert not str(queue.get(job_id).lease_owner).endswith(".0")
    assert stats[0].done == 10
    assert wait_for(lambda: live_deliveries(pg_workspace) == 0)


# --- the statements ----------------------------------------------------------------------


def test_one_fetch_claims_several_rows_in_delivery_order_and_a_duplicate_claims_nothing(
    pg_workspace,
):
    store = pg_workspace.store
    queue = JobQueue(store)
    low = queue.enqueue("noop", {}, priority=0).job
    high = queue.enqueue("noop", {}, priority=5).job
    with store.write() as conn:  # a duplicate delivery of the first job
        pg_jobs.deliver(conn, low.id, 0, low.run_at)
    rows = fetch_and_claim_many(pg_workspace, "box-1-", 10)
    assert [int(str(r["args"]["job_id"])) for r in rows] == [high.id, low.id, low.id]  # type: ignore[index]
    assert rows[0]["claimed"] is not None
    assert [r["claimed"] is None for r in rows[1:]].count(True) == 1  # one claim per row
    for job, row in ((high, rows[0]), *((low, r) for r in rows[1:] if r["claimed"])):
        got = queue.get(job.id)
        assert (got.state, got.attempts) == ("running", 1)
        assert got.lease_owner == f"box-1-/p{row['id']}.0"
    assert fetch_and_claim_many(pg_workspace, "box-2-", 10) == []


def test_giving_back_unstarted_deliveries_is_fenced_by_each_row_s_owner(pg_workspace):
    store = pg_workspace.store
    queue = JobQueue(store)
    ids = queue.enqueue_many("noop", [{}, {}, {}])
    rows = fetch_and_claim_many(pg_workspace, "box-1-", 3)
    owners = {i: str(queue.get(i).lease_owner) for i in ids}
    # the third was taken from this worker meanwhile (recovery released it, and
    # queued a new delivery of it)
    assert queue.release(ids[2], owners[ids[2]], "stalled") == "queued"
    with psycopg.connect(store.target, autocommit=True, row_factory=dict_row) as conn:
        counts = conn.execute(
            pg_jobs.HAND_BACK_UNSTARTED,
            {
                "deliveries": [r["id"] for r in rows],
                "job_ids": ids,
                "owners": [owners[i] for i in ids],
                "now": "2030-01-01T00:00:00Z",
            },
        ).fetchone()
    assert counts == {"back": 2, "again": 2, "closed": 1}
    for job_id in ids[:2]:
        job = queue.get(job_id)
        assert (job.state, job.attempts, job.lease_owner) == ("queued", 0, None)
    assert (queue.get(ids[2]).state, queue.get(ids[2]).attempts) == ("queued", 1)
    assert live_deliveries(pg_workspace) == 3  # two given back, one from the release
    again = fetch_and_claim_many(pg_workspace, "box-2-", 10)
    assert sorted(int(str(r["args"]["job_id"])) for r in again) == ids  # type: ignore[index]
    assert all(r["claimed"] is not None for r in again)
    redelivered = {int(str(r["args"]["job_id"])): r for r in again}  # type: ignore[index]
    for job_id in ids[:2]:  # a given-back delivery's next owner is not its last one
        assert queue.get(job_id).lease_owner == f"box-2-/p{redelivered[job_id]['id']}.1"
