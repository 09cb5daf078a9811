"""The job queue's vocabulary: a job row, its kinds and states, the exceptions
handlers raise to say how a run ended, and the retry backoff (storage/jobs.py
holds the queue itself)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from storage.timefmt import to_db, utcnow
from storage.vocab import JOB_FINAL, JOB_WAITING, JobKind, JobState, values

KINDS = values(JobKind)
STATES = values(JobState)
WAITING = JOB_WAITING  # claimable once run_at has come
FINAL = JOB_FINAL
LOST_LEASE_ERROR = "the worker holding it stopped heartbeating (lease expired)"


class JobError(Exception):
    """A queue operation cannot be done; the message says why and what to do."""


class JobStopped(Exception):
    """A handler stopped before the end; `reason` is cancel, shutdown or lost."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"stopped ({reason})")
        self.reason = reason


class JobPostponed(Exception):
    """A handler's job must wait until `run_at` (stored time text): not a failure.

    The worker puts the job back in the queue with that run_at, the attempt
    not counted, and frees the slot (a platform still processing, a posting
    slot not yet come). `note` is kept as the job's last word.
    """

    def __init__(self, run_at: str, note: str = "") -> None:
        super().__init__(note or f"waits until {run_at}")
        self.run_at = run_at
        self.note = note


class PermanentJobError(Exception):
    """A failure that another attempt cannot fix (bad input): the job goes dead."""


@dataclass(frozen=True)
class Job:
    """One row of `jobs`."""

    id: int
    kind: str
    state: str
    priority: int
    payload: dict[str, Any]
    idem_key: str | None
    run_at: str
    attempts: int
    max_attempts: int
    lease_owner: str | None
    lease_until: str | None
    heartbeat_at: str | None
    cancel_requested: bool
    progress: float | None
    last_error: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None

    @classmethod
    def from_row(cls, row: Any) -> Job:
        return cls(
            row["id"],
            row["kind"],
            row["state"],
            row["priority"],
            json.loads(row["payload_json"] or "{}"),
            row["idem_key"],
            row["run_at"],
            row["attempts"],
            row["max_attempts"],
            row["lease_owner"],
            row["lease_until"],
            row["heartbeat_at"],
            bool(row["cancel_requested"]),
            row["progress"],
            row["last_error"],
            row["created_at"],
            row["started_at"],
            row["finished_at"],
        )

    def to_json(self) -> dict[str, Any]:
        """The job's fields as one JSON object."""
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "priority": self.priority,
            "attempts": self.attempts,
            "max_attempts": self.max_attempts,
            "progress": self.progress,
            "error": self.last_error,
            "run_at": self.run_at,
            "lease_owner": self.lease_owner,
            "lease_until": self.lease_until,
            "cancel_requested": self.cancel_requested,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "payload": self.payload,
            "idem_key": self.idem_key,
        }


@dataclass(frozen=True)
class Enqueued:
    """What `enqueue` did: the job, and whether it is new (False: idem_key hit)."""

    job: Job
    created: bool


def now_text(offset_s: float = 0.0) -> str:
    return to_db(utcnow() + timedelta(seconds=offset_s))


def backoff_seconds(
    attempts: int, base_s: float, cap_s: float, rng: random.Random | None = None
) -> float:
    """Wait before the next attempt: base·2^(attempts-1), capped, plus up to 50 % jitter."""
    rng = rng or random.Random()
    delay = min(cap_s, base_s * (2 ** max(0, attempts - 1)))
    return delay * (1.0 + 0.5 * rng.random())
