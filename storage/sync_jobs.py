"""The sync jobs the worker's schedule keeps (app/inbox/schedule.py): one waiting per kind.

A sync job's idempotency key is a prefix (`sync:schedule:`, `sync:comments:<account>:`,
`sync:videos:<account>:`) plus its run time, so two ticks never queue the same job;
`SyncJobs.queue` also queues nothing while a job with the prefix waits or runs.
"""

from __future__ import annotations

from storage.db import Store


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class SyncJobs:
    """The sync jobs the schedule keeps: one waiting per idempotency-key prefix."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def queue(
        self,
        payload: dict[str, object],
        *,
        prefix: str,
        run_at: str,
        max_attempts: int = 3,
        exclude: int | None = None,
    ) -> int | None:
        """Queue a sync job keyed `prefix + run_at` unless one with that prefix is waiting or
        running (other than `exclude`); its id, or None."""
        from storage.jobs import insert_job

        with self.store.write() as conn:
            busy = conn.execute(
                "SELECT id FROM jobs WHERE kind = 'sync' AND idem_key LIKE ? ESCAPE '\\' "
                "AND state IN ('queued', 'failed', 'running') AND id != ? LIMIT 1",
                (_like_prefix(prefix), exclude if exclude is not None else -1),
            ).fetchone()
            if busy is not None:
                return None
            return insert_job(
                conn,
                "sync",
                dict(payload),
                idem_key=prefix + run_at,
                max_attempts=max_attempts,
                run_at=run_at,
            )
