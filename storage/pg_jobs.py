"""Job deliveries on PostgreSQL: procrastinate's queue carries ReelRoom's jobs.

In team mode ReelRoom's `jobs` row stays the record of a job (state,
progress, attempts, last error, lease owner, idem_key) and every finish,
failure and hand-back is fenced by its lease owner, as on SQLite. What
procrastinate adds is delivery: a procrastinate job of the task
`reelroom.run_job` with args `{"job_id": N}` says "job N may be run now".
Workers fetch deliveries (priority, then age; `scheduled_at` = run_at) with
`FOR UPDATE SKIP LOCKED`, and a delivery only starts work if the fenced claim
of the `jobs` row succeeds, so a stale or duplicate delivery is harmless.

The SQL here calls procrastinate's own versioned functions
(`procrastinate_defer_jobs_v1`, `procrastinate_cancel_job_v1`) inside the
caller's transaction, so a job and its first delivery commit together.
Deduplication stays ReelRoom's `idem_key`: procrastinate's queueing_lock is
a unique index on waiting jobs only, and a retry can collide with it.

A worker's round trips, each one transaction: `FETCH_AND_CLAIM` takes the
next deliveries (as procrastinate's own fetch function would, up to `limit`
at once) and claims their `jobs` rows, each for the owner of its delivery,
in the same statement; `complete_delivered` records a job done (fenced by
that owner) and closes its delivery (what procrastinate's finish does with
delete_job) in one statement. A crash between the two leaves deliveries in
`doing` with claimed rows, which stalled-delivery recovery releases, as it
did when claim and fetch were separate. `HAND_BACK_UNSTARTED` gives back
deliveries fetched and never started.

Imported only on PostgreSQL (by storage/jobs.py and app/team_worker.py).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.db import Store

RUN_TASK = "reelroom.run_job"
RECOVER_TASK = "reelroom.recover"
JOB_QUEUE = "reelroom"
MAINTENANCE_QUEUE = "reelroom.maintenance"

# Run by procrastinate's connector (psycopg, `%(name)s` parameters), in place of
# its `fetch_job` query: up to `limit` deliveries taken at once, in the order
# procrastinate's own fetch (`procrastinate_fetch_job_v2`, LIMIT 1) would take
# them one by one, each row with procrastinate's job columns plus `claimed`: the
# `jobs` row as JSON when its claim succeeded (None: a stale delivery, or not a
# run of a job). The owner is `delivery_owner()`'s `<process>/p<delivery>.<attempts>`.
FETCH_AND_CLAIM = """
WITH candidate AS (
    SELECT jobs.id FROM procrastinate_jobs AS jobs
    WHERE NOT EXISTS (
            SELECT 1 FROM procrastinate_jobs AS other_jobs
            WHERE jobs.lock IS NOT NULL AND other_jobs.lock = jobs.lock
                AND (other_jobs.status = 'doing'
                    OR (other_jobs.status = 'todo' AND (other_jobs.priority > jobs.priority
                        OR (other_jobs.priority = jobs.priority AND other_jobs.id < jobs.id))))
        )
        AND jobs.status = 'todo'
        AND (%(queues)s::varchar[] IS NULL OR jobs.queue_name = ANY(%(queues)s::varchar[]))
        AND (jobs.scheduled_at IS NULL OR jobs.scheduled_at <= now())
    ORDER BY jobs.priority DESC, jobs.id ASC
    LIMIT %(limit)s
    FOR UPDATE OF jobs SKIP LOCKED
), delivery AS (
    UPDATE procrastinate_jobs SET status = 'doing', worker_id = %(worker_id)s
    FROM candidate WHERE procrastinate_jobs.id = candidate.id
    RETURNING procrastinate_jobs.*
), claimed AS (
    UPDATE jobs SET state = 'running',
        lease_owner = %(process)s::text || '/p' || delivery.id::text || '.'
            || delivery.attempts::text,
        lease_until = %(lease_until)s, heartbeat_at = %(now)s, attempts = jobs.attempts + 1,
        progress = NULL, started_at = %(now)s, finished_at = NULL
    FROM delivery
    WHERE delivery.task_name = %(run_task)s
        AND jobs.id = (delivery.args->>'job_id')::bigint
        AND jobs.state IN ('queued', 'failed')
    RETURNING delivery.id AS delivery_id, to_jsonb(jobs.*) AS row
)
SELECT d.id, d.status, d.task_name, d.priority, d.lock, d.queueing_lock, d.args,
    d.scheduled_at, d.queue_name, d.attempts, d.worker_id, c.row AS claimed
FROM delivery AS d LEFT JOIN claimed AS c ON c.delivery_id = d.id
ORDER BY d.priority DESC, d.id ASC
"""

# Deliveries a worker fetched but never started (held in its buffer past
# their time, or when it stops), given back in one statement: each `jobs` row
# still held by its owner waits again, its attempt not counted (as
# `JobQueue.hand_back`); a delivery whose row came back to `queued` waits
# again too (procrastinate's retry: `todo`, its attempts + 1, so the next
# owner differs); any other (the row was not ours any more, or was cancelled)
# is closed, as a stale delivery is when it runs.
HAND_BACK_UNSTARTED = """
WITH back AS (
    UPDATE jobs SET state = CASE WHEN jobs.cancel_requested = 1 THEN 'cancelled'
            ELSE 'queued' END,
        attempts = GREATEST(0, jobs.attempts - 1), lease_owner = NULL, lease_until = NULL,
        run_at = %(now)s, progress = NULL
    FROM unnest(%(job_ids)s::bigint[], %(owners)s::text[]) AS given(job_id, owner)
    WHERE jobs.id = given.job_id AND jobs.lease_owner = given.owner AND jobs.state = 'running'
    RETURNING jobs.id, jobs.state
), again AS (
    UPDATE procrastinate_jobs SET status = 'todo', worker_id = NULL, attempts = attempts + 1
    WHERE id = ANY(%(deliveries)s::bigint[]) AND status = 'doing'
        AND (args->>'job_id')::bigint IN (SELECT id FROM back WHERE state = 'queued')
    RETURNING id
), closed AS (
    DELETE FROM procrastinate_jobs
    WHERE id = ANY(%(deliveries)s::bigint[]) AND status = 'doing'
        AND (args->>'job_id')::bigint NOT IN (SELECT id FROM back WHERE state = 'queued')
    RETURNING id
)
SELECT (SELECT count(*) FROM back) AS back, (SELECT count(*) FROM again) AS again,
    (SELECT count(*) FROM closed) AS closed
"""

_OF_JOB = (
    "FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
    "AND ((args->>'job_id')::bigint) = ? AND task_name = ?"
)


def deliver(conn: sqlite3.Connection, job_id: int, priority: int, run_at: str) -> None:
    """Queue a delivery of job `job_id`, due at `run_at` (inside the caller's transaction)."""
    deliver_many(conn, [job_id], priority, run_at)


def deliver_many(conn: sqlite3.Connection, job_ids: list[int], priority: int, run_at: str) -> None:
    """Queue a delivery of each job in `job_ids`, all due at `run_at`, in one call
    (inside the caller's transaction), in the order given.

    The ids go as one array parameter (not one row of parameters per job, which
    psycopg would parse on every call); a delivery already due gets no
    `scheduled_at` (procrastinate fetches it the same, and skips recording a
    "scheduled" event for it)."""
    if not job_ids:
        return
    conn.execute(
        "SELECT procrastinate_defer_jobs_v1(ARRAY(SELECT ROW(?, ?, ?, NULL, NULL, "
        "jsonb_build_object('job_id', given.job_id), CASE WHEN ?::timestamptz <= now() "
        "THEN NULL ELSE ?::timestamptz END)::procrastinate_job_to_defer_v1 "
        "FROM unnest(?::bigint[]) WITH ORDINALITY AS given(job_id, n) ORDER BY given.n))",
        (JOB_QUEUE, RUN_TASK, int(priority), run_at, run_at, [int(i) for i in job_ids]),
    )


def complete_delivered(
    conn: sqlite3.Connection, job_id: int, owner: str, delivery_id: int, now: str
) -> bool:
    """Mark a held job done, fenced by `owner`, and close its delivery, in one statement.

    False (the row unchanged) when `owner` no longer holds the job; the delivery
    is closed either way, as procrastinate's finish (delete_job) would close it.
    """
    row = conn.execute(
        "WITH done AS (UPDATE jobs SET state = 'done', progress = 1.0, finished_at = ?, "
        "lease_until = NULL, last_error = NULL WHERE id = ? AND lease_owner = ? "
        "AND state = 'running' RETURNING id), "
        "closed AS (DELETE FROM procrastinate_jobs WHERE id = ? "
        "AND status IN ('todo', 'doing') RETURNING id) "
        "SELECT (SELECT count(*) FROM done) AS done",
        (now, job_id, owner, delivery_id),
    ).fetchone()
    return row is not None and int(row[0]) == 1


def abort(conn: sqlite3.Connection, job_id: int) -> int:
    """Cancel the waiting deliveries of a job and ask running ones to abort (NOTIFY)."""
    rows = conn.execute(
        f"SELECT procrastinate_cancel_job_v1(id, true, false) {_OF_JOB}", (job_id, RUN_TASK)
    ).fetchall()
    return len(rows)


def reprioritise(conn: sqlite3.Connection, job_id: int, priority: int) -> None:
    """Give the waiting deliveries of a job a new priority."""
    conn.execute(
        "UPDATE procrastinate_jobs SET priority = ? WHERE status = 'todo' "
        "AND ((args->>'job_id')::bigint) = ? AND task_name = ?",
        (int(priority), job_id, RUN_TASK),
    )


def has_delivery(store: Store, job_id: int) -> bool:
    """Whether a delivery of the job waits or runs."""
    return store.conn.execute(f"SELECT 1 {_OF_JOB}", (job_id, RUN_TASK)).fetchone() is not None


def redeliver_orphans(store: Store, limit: int = 1000) -> int:
    """Deliver waiting jobs that have no delivery (rows bulk-loaded, copied in, or left
    behind by a crash between two transactions); how many."""
    with store.write() as conn:
        rows = conn.execute(
            "SELECT j.id, j.priority, j.run_at FROM jobs AS j "
            "WHERE j.state IN ('queued', 'failed') AND NOT EXISTS (SELECT 1 "
            "FROM procrastinate_jobs AS p WHERE p.status IN ('todo', 'doing') "
            "AND ((p.args->>'job_id')::bigint) = j.id AND p.task_name = ?) "
            "ORDER BY j.id LIMIT ?",
            (RUN_TASK, limit),
        ).fetchall()
        for row in rows:
            deliver(conn, row["id"], row["priority"], row["run_at"])
    return len(rows)
