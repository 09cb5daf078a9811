"""Putting jobs in the queue inside a caller's transaction: one job (with its
idempotency key) or many in batches; on PostgreSQL each queued job gets its
procrastinate delivery in the same transaction (storage/pg_jobs.py)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Sequence

from storage.dialect import dialect_of
from storage.job_model import KINDS, JobError, now_text


def _check_new(kind: str, max_attempts: int) -> None:
    """Refuse a job that could never run: an unknown kind, or no attempt allowed."""
    if kind not in KINDS:
        raise JobError(f"unknown job kind {kind!r}; it must be one of {', '.join(KINDS)}")
    if max_attempts < 1:
        raise JobError("max_attempts must be 1 or more")


def insert_job(
    conn: sqlite3.Connection,
    kind: str,
    payload: dict[str, Any],
    *,
    priority: int = 0,
    idem_key: str | None = None,
    max_attempts: int = 3,
    delay_s: float = 0.0,
    run_at: str | None = None,
) -> int | None:
    """Insert a queued job inside the caller's transaction; None when idem_key exists.

    It becomes claimable `delay_s` from now, or at `run_at` (stored time text) when given.
    """
    _check_new(kind, max_attempts)
    now = now_text()
    due = run_at if run_at is not None else now_text(delay_s)
    row = conn.execute(
        "INSERT INTO jobs (kind, state, priority, payload_json, idem_key, run_at, attempts, "
        "max_attempts, created_at) VALUES (?, 'queued', ?, ?, ?, ?, 0, ?, ?) "
        "ON CONFLICT (idem_key) DO NOTHING RETURNING id",
        (
            kind,
            priority,
            json.dumps(payload, ensure_ascii=False),
            idem_key,
            due,
            max_attempts,
            now,
        ),
    ).fetchone()
    if row is None:
        return None
    deliver(conn, row[0], priority, due)
    return int(row[0])


def deliver(conn: sqlite3.Connection, job_id: int, priority: int, run_at: str) -> None:
    """PostgreSQL: queue a procrastinate delivery of the job (SQLite's workers poll)."""
    deliver_many(conn, [job_id], priority, run_at)


def deliver_many(conn: sqlite3.Connection, job_ids: list[int], priority: int, run_at: str) -> None:
    """PostgreSQL: queue a procrastinate delivery of each job, in one call."""
    if dialect_of(conn).postgres:
        from storage import pg_jobs

        pg_jobs.deliver_many(conn, job_ids, priority, run_at)


_BATCH = 500  # rows per INSERT in insert_many (6 parameters each, under SQLite's limit)


def insert_many(
    conn: sqlite3.Connection,
    kind: str,
    payloads: Sequence[dict[str, Any]],
    *,
    priority: int = 0,
    max_attempts: int = 3,
) -> list[int]:
    """Insert queued jobs inside the caller's transaction; their ids, in order.

    A statement per batch of rows rather than per job (and on PostgreSQL one
    delivery call per batch): 2,000 jobs are a few round trips, not 4,000.
    """
    _check_new(kind, max_attempts)
    now = now_text()
    ids: list[int] = []
    for start in range(0, len(payloads), _BATCH):
        batch = payloads[start : start + _BATCH]
        rows = conn.execute(
            "INSERT INTO jobs (kind, state, priority, payload_json, run_at, attempts, "
            "max_attempts, created_at) VALUES "
            + ", ".join(["(?, 'queued', ?, ?, ?, 0, ?, ?)"] * len(batch))
            + " RETURNING id",
            [
                value
                for p in batch
                for value in (
                    kind,
                    priority,
                    json.dumps(p, ensure_ascii=False),
                    now,
                    max_attempts,
                    now,
                )
            ],
        ).fetchall()
        made = sorted(int(r[0]) for r in rows)
        deliver_many(conn, made, priority, now)
        ids.extend(made)
    return ids
