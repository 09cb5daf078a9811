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

Imported only on PostgreSQL (by storage/jobs.py).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.db import Store

RUN_TASK = "reelroom.run_job"
RECOVER_TASK = "reelroom.recover"
JOB_QUEUE = "reelroom"
MAINTENANCE_QUEUE = "reelroom.maintenance"

_DEFER = (
    "SELECT procrastinate_defer_jobs_v1(ARRAY[ROW(?, ?, ?, NULL, NULL, ?::jsonb, "
    "?::timestamptz)::procrastinate_job_to_defer_v1])"
)
_OF_JOB = (
    "FROM procrastinate_jobs WHERE status IN ('todo', 'doing') "
    "AND ((args->>'job_id')::bigint) = ? AND task_name = ?"
)


def deliver(conn: sqlite3.Connection, job_id: int, priority: int, run_at: str) -> None:
    """Queue a delivery of job `job_id`, due at `run_at` (inside the caller's transaction)."""
    conn.execute(
        _DEFER,
        (JOB_QUEUE, RUN_TASK, int(priority), json.dumps({"job_id": job_id}), run_at),
    )


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
