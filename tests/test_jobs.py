"""The job queue on a real SQLite file: claims, leases, fencing, backoff, cancel, retry.

Leases that have already run out are made by claiming with a negative lease
(`lease_until` in the past), so no test waits for the clock.
"""

from __future__ import annotations

import random
import threading
from datetime import timedelta

import pytest

from storage import Store
from storage.jobs import LOST_LEASE_ERROR, JobError, JobQueue, backoff_seconds
from storage.timefmt import from_db, utcnow

EXPIRED = -5.0  # a lease that ended five seconds ago


@pytest.fixture
def queue(store: Store) -> JobQueue:
    return JobQueue(store, backoff_base_s=0.0, rng=random.Random(7))


def test_enqueue_with_idem_key_stores_one_job(queue: JobQueue) -> None:
    first = queue.enqueue("noop", {"n": 1}, idem_key="same")
    again = queue.enqueue("noop", {"n": 2}, idem_key="same")
    assert first.created and not again.created
    assert again.job.id == first.job.id and again.job.payload == {"n": 1}
    assert queue.counts()["queued"] == 1


def test_unknown_kind_is_refused(queue: JobQueue) -> None:
    with pytest.raises(JobError, match="unknown job kind 'paint'"):
        queue.enqueue("paint")
    assert sum(queue.counts().values()) == 0


def test_enqueue_many_keeps_each_payload_with_its_id_across_batches(queue: JobQueue) -> None:
    ids = queue.enqueue_many("noop", [{"i": i} for i in range(1234)], priority=2)
    assert len(ids) == len(set(ids)) == 1234 and ids == sorted(ids)
    jobs = {j.id: j for j in queue.list(kind="noop", limit=2000)}
    assert [jobs[i].payload for i in ids] == [{"i": i} for i in range(1234)]
    assert {(j.state, j.priority, j.attempts) for j in jobs.values()} == {("queued", 2, 0)}
    with pytest.raises(JobError, match="unknown job kind 'paint'"):
        queue.enqueue_many("paint", [{}])
    assert queue.counts()["queued"] == 1234


def test_claim_takes_highest_priority_first_and_counts_the_attempt(queue: JobQueue) -> None:
    low = queue.enqueue("noop", priority=0).job.id
    high = queue.enqueue("noop", priority=5).job.id
    mid = queue.enqueue("noop", priority=2).job.id
    claimed = queue.claim("w1", ["noop"], 60, limit=2)
    assert [j.id for j in claimed] == [high, mid]
    assert all(j.state == "running" and j.lease_owner == "w1" and j.attempts == 1 for j in claimed)
    assert [j.id for j in queue.claim("w2", ["noop"], 60)] == [low]
    assert queue.claim("w3", ["noop"], 60) == []


def test_claim_only_takes_kinds_asked_for_and_due_jobs(queue: JobQueue) -> None:
    queue.enqueue("render")
    later = queue.enqueue("noop", delay_s=3600).job
    assert queue.claim("w1", ["noop"], 60) == []
    assert queue.get(later.id).state == "queued"
    assert queue.ready_count(["render"]) == 1 and queue.ready_count(["noop"]) == 0


def test_priority_change_reorders_claims(queue: JobQueue) -> None:
    a = queue.enqueue("noop").job.id
    b = queue.enqueue("noop").job.id
    queue.set_priority(b, 9)
    assert queue.claim("w", ["noop"], 60)[0].id == b
    assert queue.claim("w", ["noop"], 60)[0].id == a


def test_concurrent_claims_never_hand_out_a_job_twice(store: Store) -> None:
    queue = JobQueue(store)
    ids = set(queue.enqueue_many("noop", [{"i": i} for i in range(120)]))
    taken: list[list[int]] = [[] for _ in range(4)]

    def claimer(n: int) -> None:
        mine = JobQueue(store)  # same Store: each thread gets its own connection
        while True:
            jobs = mine.claim(f"w{n}", ["noop"], 60, limit=3)
            if not jobs:
                break
            for job in jobs:
                assert mine.complete(job.id, f"w{n}")
                taken[n].append(job.id)
        store.close()

    threads = [threading.Thread(target=claimer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    flat = [i for part in taken for i in part]
    assert sorted(flat) == sorted(ids)
    assert queue.counts()["done"] == 120


def test_completion_is_fenced_by_the_lease_owner(queue: JobQueue) -> None:
    job = queue.enqueue("noop").job
    queue.claim("w1", ["noop"], 60)
    assert not queue.complete(job.id, "intruder")
    assert queue.fail(job.id, "intruder", "x") is None
    assert not queue.finish_cancelled(job.id, "intruder")
    assert queue.get(job.id).state == "running"
    assert queue.complete(job.id, "w1")
    assert not queue.complete(job.id, "w1")  # no job completes twice
    done = queue.get(job.id)
    assert done.state == "done" and done.progress == 1.0 and done.finished_at


def test_expired_lease_goes_to_another_worker_and_the_old_owner_cannot_finish(
    queue: JobQueue,
) -> None:
    job = queue.enqueue("noop").job
    queue.claim("dead-worker", ["noop"], EXPIRED)
    again = queue.claim("w2", ["noop"], 60)
    assert [j.id for j in again] == [job.id]
    assert again[0].attempts == 2 and again[0].last_error == LOST_LEASE_ERROR
    assert queue.heartbeat("dead-worker", [job.id], 60) == {}
    assert not queue.complete(job.id, "dead-worker")
    assert queue.complete(job.id, "w2")


def test_expired_lease_on_the_last_attempt_makes_the_job_dead(queue: JobQueue) -> None:
    job = queue.enqueue("noop", max_attempts=1).job
    queue.claim("gone", ["noop"], EXPIRED)
    assert queue.reclaim_expired() == 1
    dead = queue.get(job.id)
    assert dead.state == "dead" and dead.last_error == LOST_LEASE_ERROR
    assert queue.claim("w", ["noop"], 60) == []


def test_heartbeat_extends_the_lease_and_reports_cancel(queue: JobQueue) -> None:
    job = queue.enqueue("noop").job
    queue.claim("w1", ["noop"], EXPIRED)
    assert queue.heartbeat("w1", [job.id], 120) == {job.id: False}
    held = queue.get(job.id)
    assert from_db(held.lease_until) > utcnow() + timedelta(seconds=100)
    assert queue.reclaim_expired() == 0
    queue.cancel(job.id)
    assert queue.heartbeat("w1", [job.id], 120) == {job.id: True}
    assert queue.held("w1", [job.id]) == {job.id: True}
    assert queue.finish_cancelled(job.id, "w1")
    assert queue.get(job.id).state == "cancelled"


def test_failure_backs_off_then_retries_then_dies(store: Store) -> None:
    slow = JobQueue(store, backoff_base_s=600.0, rng=random.Random(1))
    job = slow.enqueue("noop", max_attempts=2).job
    slow.claim("w", ["noop"], 60)
    assert slow.fail(job.id, "w", "disk full") == "failed"
    waiting = slow.get(job.id)
    assert waiting.last_error == "disk full"
    assert from_db(waiting.run_at) >= utcnow() + timedelta(seconds=590)
    assert slow.claim("w", ["noop"], 60) == []  # not before run_at

    fast = JobQueue(store, backoff_base_s=0.0)
    fast.retry(job.id)  # people may retry now; max_attempts allows one more
    second = fast.claim("w", ["noop"], 60)[0]
    assert second.attempts == 2
    assert fast.fail(job.id, "w", "disk full again") == "dead"
    assert fast.get(job.id).state == "dead"


def test_failed_job_with_no_wait_is_claimable_again(queue: JobQueue) -> None:
    job = queue.enqueue("noop", max_attempts=3).job
    queue.claim("w", ["noop"], 60)
    assert queue.fail(job.id, "w", "flaky") == "failed"
    assert [j.id for j in queue.claim("w", ["noop"], 60)] == [job.id]


def test_permanent_failure_is_dead_at_once(queue: JobQueue) -> None:
    job = queue.enqueue("noop", max_attempts=5).job
    queue.claim("w", ["noop"], 60)
    assert queue.fail(job.id, "w", "clip is gone", retryable=False) == "dead"
    assert queue.get(job.id).attempts == 1


def test_backoff_grows_doubles_caps_and_jitters() -> None:
    rng = random.Random(3)
    waits = [backoff_seconds(n, 10.0, 100.0, rng) for n in (1, 2, 3, 4, 5)]
    assert 10 <= waits[0] <= 15 and 20 <= waits[1] <= 30 and 40 <= waits[2] <= 60
    assert 80 <= waits[3] <= 120 and 100 <= waits[4] <= 150


def test_cancel_of_a_queued_job_is_immediate(queue: JobQueue) -> None:
    job = queue.enqueue("noop").job
    cancelled = queue.cancel(job.id)
    assert cancelled.state == "cancelled" and cancelled.finished_at
    assert queue.claim("w", ["noop"], 60) == []
    with pytest.raises(JobError, match="already cancelled"):
        queue.cancel(job.id)


def test_cancel_requested_on_a_job_whose_worker_died_ends_cancelled(queue: JobQueue) -> None:
    job = queue.enqueue("noop").job
    queue.claim("gone", ["noop"], EXPIRED)
    queue.cancel(job.id)
    queue.reclaim_expired()
    assert queue.get(job.id).state == "cancelled"


def test_release_hands_the_job_back_without_counting_the_attempt(queue: JobQueue) -> None:
    job = queue.enqueue("noop").job
    queue.claim("w1", ["noop"], 60)
    assert queue.hand_back(job.id, "w1")
    back = queue.get(job.id)
    assert back.state == "queued" and back.attempts == 0 and back.lease_owner is None
    assert not queue.hand_back(job.id, "w1")


def test_retry_and_cancel_of_unknown_or_wrong_state_jobs_say_why(queue: JobQueue) -> None:
    with pytest.raises(JobError, match="there is no job 99"):
        queue.cancel(99)
    job = queue.enqueue("noop").job
    with pytest.raises(JobError, match="only failed, dead or cancelled"):
        queue.retry(job.id)


def test_list_and_counts(queue: JobQueue) -> None:
    a = queue.enqueue("noop").job.id
    b = queue.enqueue("render").job.id
    queue.cancel(a)
    assert [j.id for j in queue.list()] == [b, a]
    assert [j.id for j in queue.list(kind="noop")] == [a]
    assert [j.id for j in queue.list(states=["queued"])] == [b]
    counts = queue.counts()
    assert counts["cancelled"] == 1 and counts["queued"] == 1 and counts["done"] == 0
