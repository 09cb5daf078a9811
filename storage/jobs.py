"""The durable job queue: renders, publishes, syncs and no-op jobs in `jobs`.

At-least-once with fenced completion:

- a claim is one `UPDATE … RETURNING` inside `BEGIN IMMEDIATE`; it gives the
  job to an owner until `lease_until` and counts the attempt;
- the owner heartbeats to extend the lease; a job whose lease ran out (its
  worker died) goes back to the queue, or to `dead` when no attempt is left;
- completion, failure, cancel and hand-back are fenced by the lease owner, so
  a worker that lost its lease can never complete a job someone else holds;
- a failed attempt waits in `failed` until `run_at` (exponential backoff with
  jitter), then is claimable again; after `max_attempts` it is `dead`;
- cancel of a waiting job is immediate; a running one gets `cancel_requested`,
  which its worker polls.

On PostgreSQL (team mode) the same rows and the same fences hold; in
addition every change that makes a job runnable by someone other than its
holder (enqueue, retry, a lost lease returned to the queue) queues a
procrastinate delivery in the same transaction, a cancel aborts the job's
deliveries, and a priority change follows them (storage/pg_jobs.py). Workers
there are told what to run by procrastinate and claim the row in the same
statement that fetches the delivery (`pg_jobs.FETCH_AND_CLAIM`), and
`complete(…, delivery=…)` closes the delivery with the fenced finish; the
holder's own failure and hand-back are re-delivered by procrastinate's retry.
"""

from __future__ import annotations

import random
import sqlite3
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Sequence

from storage.db import Store
from storage.dialect import dialect_of
from storage.job_insert import deliver, insert_job, insert_many
from storage.job_model import (
    FINAL,
    KINDS,
    LOST_LEASE_ERROR,
    STATES,
    WAITING,
    Enqueued,
    Job,
    JobError,
    JobPostponed,
    JobStopped,
    PermanentJobError,
    backoff_seconds,
    now_text,
)

__all__ = [
    "FINAL",
    "KINDS",
    "LOST_LEASE_ERROR",
    "STATES",
    "WAITING",
    "Enqueued",
    "Job",
    "JobError",
    "JobPostponed",
    "JobQueue",
    "JobStopped",
    "PermanentJobError",
    "backoff_seconds",
    "insert_job",
    "insert_many",
]


class JobQueue:
    """Enqueue, claim, heartbeat, finish, cancel, retry and list jobs."""

    def __init__(
        self,
        store: Store,
        *,
        backoff_base_s: float = 10.0,
        backoff_cap_s: float = 3600.0,
        rng: random.Random | None = None,
    ) -> None:
        self.store = store
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.rng = rng or random.Random()

    # --- adding -------------------------------------------------------------

    def enqueue(
        self,
        kind: str,
        payload: dict[str, Any] | None = None,
        *,
        priority: int = 0,
        idem_key: str | None = None,
        max_attempts: int = 3,
        delay_s: float = 0.0,
        also: Callable[[sqlite3.Connection, int], None] | None = None,
    ) -> Enqueued:
        """Queue a job (and run `also(conn, job_id)` in the same transaction).

        With an `idem_key` that is already stored nothing is inserted and the
        existing job is returned with `created=False`.
        """
        with self.store.write() as conn:
            job_id = insert_job(
                conn,
                kind,
                payload or {},
                priority=priority,
                idem_key=idem_key,
                max_attempts=max_attempts,
                delay_s=delay_s,
            )
            if job_id is not None and also is not None:
                also(conn, job_id)
            if job_id is None:
                row = conn.execute("SELECT id FROM jobs WHERE idem_key = ?", (idem_key,)).fetchone()
                job_id = row["id"]
                created = False
            else:
                created = True
        return Enqueued(self._must_get(job_id), created)

    def enqueue_many(
        self,
        kind: str,
        payloads: Sequence[dict[str, Any]],
        *,
        priority: int = 0,
        max_attempts: int = 3,
    ) -> list[int]:
        """Queue several jobs in one transaction (benchmarks, bulk work); their ids."""
        with self.store.write() as conn:
            return insert_many(conn, kind, payloads, priority=priority, max_attempts=max_attempts)

    # --- claiming -----------------------------------------------------------

    def claim(self, owner: str, kinds: Iterable[str], lease_s: float, limit: int = 1) -> list[Job]:
        """Take up to `limit` ready jobs of `kinds` for `owner` (highest priority first).

        Expired leases are reclaimed in the same transaction first.
        """
        kinds = tuple(kinds)
        if not kinds or limit < 1:
            return []
        now = now_text()
        marks = ",".join("?" * len(kinds))
        with self.store.write() as conn:
            self._reclaim(conn, now)
            rows = conn.execute(
                "UPDATE jobs SET state = 'running', lease_owner = ?, lease_until = ?, "
                "heartbeat_at = ?, attempts = attempts + 1, progress = NULL, "
                "started_at = ?, finished_at = NULL "
                "WHERE id IN (SELECT id FROM jobs INDEXED BY jobs_ready "
                "WHERE state IN ('queued', 'failed') "
                f"AND run_at <= ? AND kind IN ({marks}) "
                "ORDER BY priority DESC, run_at, id LIMIT ?) RETURNING *",
                (owner, now_text(lease_s), now, now, now, *kinds, limit),
            ).fetchall()
        jobs = [Job.from_row(r) for r in rows]
        return sorted(jobs, key=lambda j: (-j.priority, j.run_at, j.id))

    def release(self, job_id: int, owner: str, error: str) -> str | None:
        """The holder `owner` is known to be gone: the job waits again (or is dead or
        cancelled), its attempt counted; the new state, None when `owner` no longer
        holds it."""
        now = now_text()
        with self.store.write() as conn:
            row = conn.execute(
                "UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled' "
                "WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END, "
                "last_error = ?, run_at = ?, lease_owner = NULL, lease_until = NULL, "
                "finished_at = CASE WHEN cancel_requested = 1 OR attempts >= max_attempts "
                "THEN ? ELSE NULL END "
                "WHERE id = ? AND lease_owner = ? AND state = 'running' "
                "RETURNING id, state, priority, run_at",
                (error, now, now, job_id, owner),
            ).fetchone()
            if row is None:
                return None
            if row["state"] == "queued":
                deliver(conn, row["id"], row["priority"], row["run_at"])
            return str(row["state"])

    def reclaim_expired(self) -> int:
        """Return running jobs whose lease ran out to the queue (or to dead); how many."""
        with self.store.write() as conn:
            return self._reclaim(conn, now_text())

    def _reclaim(self, conn: sqlite3.Connection, now: str) -> int:
        expired = "state = 'running' AND lease_until < ?"
        dead = conn.execute(
            "UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled' ELSE 'dead' "
            "END, last_error = ?, finished_at = ?, lease_until = NULL "
            f"WHERE {expired} AND (attempts >= max_attempts OR cancel_requested = 1)",
            (LOST_LEASE_ERROR, now, now),
        ).rowcount
        back = conn.execute(
            "UPDATE jobs SET state = 'queued', last_error = ?, run_at = ?, lease_owner = NULL, "
            f"lease_until = NULL WHERE {expired} RETURNING id, priority",
            (LOST_LEASE_ERROR, now, now),
        ).fetchall()
        for row in back:
            deliver(conn, row["id"], row["priority"], now)
        return dead + len(back)

    # --- while running ------------------------------------------------------

    def heartbeat(self, owner: str, job_ids: Iterable[int], lease_s: float) -> dict[int, bool]:
        """Extend the leases `owner` still holds; {job id: cancel requested} for those.

        A job missing from the answer is no longer this owner's (lease lost).
        """
        ids = list(job_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self.store.write(exclusive=False) as conn:
            rows = conn.execute(
                f"UPDATE jobs SET lease_until = ?, heartbeat_at = ? WHERE id IN ({marks}) "
                "AND lease_owner = ? AND state = 'running' RETURNING id, cancel_requested",
                (now_text(lease_s), now_text(), *ids, owner),
            ).fetchall()
        return {r["id"]: bool(r["cancel_requested"]) for r in rows}

    def held(self, owner: str, job_ids: Iterable[int]) -> dict[int, bool]:
        """Read-only check: {job id: cancel requested} for jobs `owner` still runs."""
        ids = list(job_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.store.conn.execute(
            f"SELECT id, cancel_requested FROM jobs WHERE id IN ({marks}) AND lease_owner = ? "
            "AND state = 'running'",
            (*ids, owner),
        ).fetchall()
        return {r["id"]: bool(r["cancel_requested"]) for r in rows}

    @contextmanager
    def while_held(self, job_id: int, owner: str) -> Iterator[bool]:
        """A short transaction proving `owner` holds the job: True, and until the block
        ends nobody can take the row over (it is locked); False when the lease is gone.

        A handler makes its result visible (renames its output into place) inside
        this block, so a worker that lost its lease while frozen never writes over
        the new holder's output.
        """
        with self.store.write() as conn:
            held = (
                conn.execute(
                    "UPDATE jobs SET heartbeat_at = ? WHERE id = ? AND lease_owner = ? "
                    "AND state = 'running'",
                    (now_text(), job_id, owner),
                ).rowcount
                == 1
            )
            yield held

    def set_progress(self, job_id: int, owner: str, progress: float) -> bool:
        """Store progress (0..1) of a held job; False when the lease is gone."""
        value = min(1.0, max(0.0, progress))
        with self.store.write(exclusive=False) as conn:
            return (
                conn.execute(
                    "UPDATE jobs SET progress = ? WHERE id = ? AND lease_owner = ? AND state = 'running'",
                    (value, job_id, owner),
                ).rowcount
                == 1
            )

    # --- finishing (fenced by the lease owner) ------------------------------

    def complete(self, job_id: int, owner: str, *, delivery: int | None = None) -> bool:
        """Mark a held job done; False (and nothing changes) when the lease is gone.

        `delivery` (PostgreSQL): the procrastinate delivery that ran it, closed in
        the same statement (storage/pg_jobs.py `complete_delivered`).
        """
        now = now_text()
        with self.store.write(exclusive=False) as conn:
            if delivery is not None:
                from storage import pg_jobs

                return pg_jobs.complete_delivered(conn, job_id, owner, delivery, now)
            return (
                conn.execute(
                    "UPDATE jobs SET state = 'done', progress = 1.0, finished_at = ?, "
                    "lease_until = NULL, last_error = NULL WHERE id = ? AND lease_owner = ? "
                    "AND state = 'running'",
                    (now, job_id, owner),
                ).rowcount
                == 1
            )

    def fail(self, job_id: int, owner: str, error: str, *, retryable: bool = True) -> str | None:
        """Record a failed attempt: `failed` with backoff, or `dead`; the new state.

        None when the lease is gone (nothing changes).
        """
        now = now_text()
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT attempts, max_attempts FROM jobs WHERE id = ? AND lease_owner = ? "
                "AND state = 'running'",
                (job_id, owner),
            ).fetchone()
            if row is None:
                return None
            if retryable and row["attempts"] < row["max_attempts"]:
                wait = backoff_seconds(
                    row["attempts"], self.backoff_base_s, self.backoff_cap_s, self.rng
                )
                state, run_at = "failed", now_text(wait)
            else:
                state, run_at = "dead", None
            conn.execute(
                "UPDATE jobs SET state = ?, last_error = ?, run_at = COALESCE(?, run_at), "
                "finished_at = ?, lease_until = NULL WHERE id = ? AND lease_owner = ? "
                "AND state = 'running'",
                (state, error, run_at, now, job_id, owner),
            )
        return state

    def finish_cancelled(self, job_id: int, owner: str) -> bool:
        """A held job stopped on request: `cancelled`; False when the lease is gone."""
        with self.store.write(exclusive=False) as conn:
            return (
                conn.execute(
                    "UPDATE jobs SET state = 'cancelled', finished_at = ?, lease_until = NULL "
                    "WHERE id = ? AND lease_owner = ? AND state = 'running'",
                    (now_text(), job_id, owner),
                ).rowcount
                == 1
            )

    def hand_back(self, job_id: int, owner: str) -> bool:
        """Hand a held job back (worker shutting down): queued, the attempt not counted."""
        with self.store.write(exclusive=False) as conn:
            return (
                conn.execute(
                    "UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled' "
                    "ELSE 'queued' END, attempts = MAX(0, attempts - 1), lease_owner = NULL, "
                    "lease_until = NULL, run_at = ?, progress = NULL "
                    "WHERE id = ? AND lease_owner = ? AND state = 'running'",
                    (now_text(), job_id, owner),
                ).rowcount
                == 1
            )

    def postpone(self, job_id: int, owner: str, run_at: str, note: str | None = None) -> bool:
        """Put a held job back to wait until `run_at` (stored time text), the attempt not counted.

        For work that must wait on something outside (a platform still
        processing, a posting slot): the worker slot is freed at once. False
        when the lease is gone.
        """
        with self.store.write() as conn:
            return (
                conn.execute(
                    "UPDATE jobs SET state = CASE WHEN cancel_requested = 1 THEN 'cancelled' "
                    "ELSE 'queued' END, attempts = CASE WHEN attempts > 0 THEN attempts - 1 "
                    "ELSE 0 END, lease_owner = NULL, lease_until = NULL, run_at = ?, last_error = ?, "
                    "finished_at = CASE WHEN cancel_requested = 1 THEN ? ELSE NULL END "
                    "WHERE id = ? AND lease_owner = ? AND state = 'running'",
                    (run_at, note, now_text(), job_id, owner),
                ).rowcount
                == 1
            )

    # --- requests from people -----------------------------------------------

    def cancel(self, job_id: int) -> Job:
        """Cancel a waiting job now, or flag a running one; the job afterwards.

        Raises JobError for an unknown job or one that is already finished.
        """
        with self.store.write() as conn:
            job = self._get(conn, job_id)
            if job.state in FINAL:
                raise JobError(f"job {job_id} is already {job.state}; there is nothing to cancel")
            if job.state == "running":
                conn.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = ?", (job_id,))
            else:
                conn.execute(
                    "UPDATE jobs SET state = 'cancelled', cancel_requested = 1, finished_at = ? "
                    "WHERE id = ?",
                    (now_text(), job_id),
                )
            if dialect_of(conn).postgres:
                from storage import pg_jobs

                pg_jobs.abort(conn, job_id)
        return self._must_get(job_id)

    def retry(self, job_id: int) -> Job:
        """Queue a failed, dead or cancelled job again now, with one more attempt allowed."""
        with self.store.write() as conn:
            job = self._get(conn, job_id)
            if job.state not in ("failed", "dead", "cancelled"):
                raise JobError(
                    f"job {job_id} is {job.state}; only failed, dead or cancelled "
                    "jobs can be retried"
                )
            now = now_text()
            conn.execute(
                "UPDATE jobs SET state = 'queued', run_at = ?, cancel_requested = 0, "
                "max_attempts = MAX(max_attempts, attempts + 1), finished_at = NULL, "
                "progress = NULL, lease_owner = NULL, lease_until = NULL WHERE id = ?",
                (now, job_id),
            )
            deliver(conn, job_id, job.priority, now)
        return self._must_get(job_id)

    def set_priority(self, job_id: int, priority: int) -> Job:
        """Change a job's priority (higher runs first)."""
        with self.store.write() as conn:
            self._get(conn, job_id)
            conn.execute("UPDATE jobs SET priority = ? WHERE id = ?", (priority, job_id))
            if dialect_of(conn).postgres:
                from storage import pg_jobs

                pg_jobs.reprioritise(conn, job_id, priority)
        return self._must_get(job_id)

    # --- reading ------------------------------------------------------------

    def get(self, job_id: int) -> Job | None:
        """One job, or None."""
        row = self.store.conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return Job.from_row(row) if row else None

    def list(
        self, *, kind: str | None = None, states: Sequence[str] | None = None, limit: int = 200
    ) -> list[Job]:
        """Jobs newest first, optionally of one kind and some states."""
        sql, args = "SELECT * FROM jobs WHERE 1 = 1", []
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        if states:
            sql += f" AND state IN ({','.join('?' * len(states))})"
            args.extend(states)
        rows = self.store.conn.execute(sql + " ORDER BY id DESC LIMIT ?", (*args, limit))
        return [Job.from_row(r) for r in rows]

    def counts(self, kind: str | None = None) -> dict[str, int]:
        """{state: number of jobs} (every state present, zeros included)."""
        sql, args = "SELECT state, count(*) AS n FROM jobs", []
        if kind is not None:
            sql += " WHERE kind = ?"
            args.append(kind)
        found = {r["state"]: r["n"] for r in self.store.conn.execute(sql + " GROUP BY state", args)}
        return {state: found.get(state, 0) for state in STATES}

    def ready_count(self, kinds: Iterable[str]) -> int:
        """Jobs of `kinds` claimable right now."""
        kinds = tuple(kinds)
        if not kinds:
            return 0
        row = self.store.conn.execute(
            f"SELECT count(*) FROM jobs WHERE state IN ('queued', 'failed') AND run_at <= ? "
            f"AND kind IN ({','.join('?' * len(kinds))})",
            (now_text(), *kinds),
        ).fetchone()
        return row[0]

    def _get(self, conn: sqlite3.Connection, job_id: int) -> Job:
        row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            raise JobError(f"there is no job {job_id}; `reelroom render list` shows the jobs")
        return Job.from_row(row)

    def _must_get(self, job_id: int) -> Job:
        job = self.get(job_id)
        if job is None:
            raise JobError(f"there is no job {job_id}")
        return job
