"""The worker loop: claim jobs from the queue and run each with its handler.

N slots (threads, each with its own SQLite connection through `Store`) claim
jobs of every kind that has a handler: `render` → media_watch/render_job,
`noop` → nothing (it may sleep or fail on request, for tests and the bench).
One heartbeat thread extends the leases of running jobs, polls their cancel
flags a few times a second, notices leases lost to another worker, and keeps
this process's row in `processes` fresh.

Stopping (SIGTERM/SIGINT → `stop` set): no new claims; running jobs get a
grace period; after it they are told to stop and are handed back to the queue
(their attempt not counted). A thread of the worker that dies of an
unexpected error (a bug, not a failing job: those are recorded on the job)
stops the worker the same way and `failure` says why, so `reelroom worker`
exits non-zero and systemd's `Restart=on-failure` starts it again.
Headless: no Textual here.

This is the SQLite worker. On PostgreSQL `reelroom worker` runs
app/team_worker.py, where procrastinate delivers the jobs; it reuses this
module's handler contract (`JobRun`), the running of one claimed job
(`Worker.execute`, which returns an `Outcome`) and the heartbeat thread.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from storage.db import Store
from storage.jobs import Job, JobPostponed, JobQueue, JobStopped, PermanentJobError
from storage.processes import ProcessRepo

CANCEL_POLL_S = 0.25
PROCESS_BEAT_S = 3.0
IDLE_POLL_S = 0.5
DB_RETRY_S = 1.0
MAX_CONCURRENCY = 64
MAX_LEASE_S = 86400.0


@dataclass
class JobRun:
    """What a handler gets: the job, the database, and a way to learn it must stop."""

    job: Job
    store: Store
    owner: str
    reason: str | None = None  # cancel / shutdown / lost, set by the worker
    # Polled by the heartbeat thread: a stop asked from outside the database
    # (procrastinate's abort on PostgreSQL), as "cancel" or "shutdown".
    external_stop: Callable[[], str | None] | None = None
    _wake: threading.Event = field(default_factory=threading.Event)

    def stop_reason(self) -> str | None:
        """Why the job must stop now, or None to carry on."""
        return self.reason

    def request_stop(self, reason: str) -> None:
        """Ask the handler to stop (the first reason wins)."""
        if self.reason is None:
            self.reason = reason
        self._wake.set()

    def sleep(self, seconds: float) -> None:
        """Wait, or raise JobStopped as soon as a stop is requested."""
        self._wake.wait(seconds)
        if self.reason is not None:
            raise JobStopped(self.reason)


Handler = Callable[[JobRun], None]


@dataclass(frozen=True)
class Outcome:
    """How one run of a claimed job ended, as recorded (fenced) on its row.

    kind: done, failed (waits until `run_at`), dead, cancelled, released
    (handed back, attempt not counted), postponed (waits until `run_at`, the
    attempt not counted) or lost (the lease had passed on: nothing was recorded).
    """

    kind: str
    run_at: str | None = None
    error: str | None = None


def noop_handler(run: JobRun) -> None:
    """A job that does nothing; payload `sleep_s` waits, `fail` raises that message.

    With `write` (a file path) it follows the output protocol of real handlers:
    its own partial file holding the owner's name, renamed into place only while
    the lease is still held (JobQueue.while_held).
    """
    target = run.job.payload.get("write")
    partial = None
    if target:
        partial = Path(f"{target}.partial-{abs(hash(run.owner)):x}")
        partial.write_text(run.owner, encoding="utf-8")
    sleep_s = float(run.job.payload.get("sleep_s", 0) or 0)
    try:
        if sleep_s > 0:
            run.sleep(sleep_s)
        if run.job.payload.get("fail"):
            raise RuntimeError(str(run.job.payload["fail"]))
        if partial is not None:
            with JobQueue(run.store).while_held(run.job.id, run.owner) as held:
                if not held:
                    raise JobStopped("lost")
                os.replace(partial, str(target))
    finally:
        if partial is not None:
            partial.unlink(missing_ok=True)


@dataclass
class WorkerStats:
    """What one worker did before it stopped."""

    done: int = 0
    failed: int = 0
    cancelled: int = 0
    released: int = 0
    lost: int = 0
    postponed: int = 0
    handed_back_ids: list[int] = field(default_factory=list)  # jobs given back on stopping

    def as_text(self) -> str:
        return (
            f"{self.done} done, {self.failed} failed, {self.cancelled} cancelled, "
            f"{self.postponed} waiting again, {self.released} handed back, "
            f"{self.lost} lost to other workers"
        )


class Worker:
    """Claims and runs jobs in `concurrency` slots until stopped (or drained, with once)."""

    def __init__(
        self,
        store: Store,
        handlers: dict[str, Handler],
        *,
        concurrency: int = 1,
        lease_s: float = 60.0,
        once: bool = False,
        grace_s: float = 10.0,
        queue: JobQueue | None = None,
        log: logging.Logger | None = None,
        idle_poll_s: float = IDLE_POLL_S,
    ) -> None:
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(f"concurrency must be at least 1 and at most {MAX_CONCURRENCY}")
        if not (math.isfinite(lease_s) and 0 < lease_s <= MAX_LEASE_S):
            raise ValueError(f"lease_s must be above 0 and at most {MAX_LEASE_S:g}, not {lease_s}")
        if not (math.isfinite(grace_s) and 0 <= grace_s <= MAX_LEASE_S):
            raise ValueError(f"grace_s must be at least 0 and at most {MAX_LEASE_S:g}")
        self.store = store
        self.handlers = dict(handlers)
        self.concurrency = concurrency
        self.lease_s = lease_s
        self.once = once
        self.grace_s = grace_s
        self.queue = queue or JobQueue(store)
        self.log = log or logging.getLogger("reelroom.worker")
        self.idle_poll_s = idle_poll_s
        self.stats = WorkerStats()
        self.owner = ""
        self._active: dict[int, JobRun] = {}
        self._lock = threading.Lock()
        self._claiming = threading.Event()  # set while slots may claim
        self._finished = threading.Event()
        self._crashed = threading.Event()
        self.failure: str | None = None  # why a thread of the worker died, if one did

    # --- the process --------------------------------------------------------

    def run(self, stop: threading.Event) -> WorkerStats:
        """Run until `stop` is set (or, with once, until nothing is ready); the counts."""
        procs = ProcessRepo(self.store)
        self.owner = procs.announce("worker", self._info())
        self.log.info(
            "worker %s started: %d slot(s), lease %g s, kinds %s",
            self.owner,
            self.concurrency,
            self.lease_s,
            ", ".join(sorted(self.handlers)),
        )
        self._claiming.set()
        slots = [
            threading.Thread(target=self._slot, name=f"slot-{n}", daemon=True)
            for n in range(self.concurrency)
        ]
        beat = threading.Thread(
            target=self._heartbeat_loop, args=(procs,), name="heartbeat", daemon=True
        )
        for thread in (*slots, beat):
            thread.start()
        try:
            self._supervise(stop, slots)
        finally:
            self._finished.set()
            beat.join(timeout=5.0)
            procs.remove(self.owner)
            self.log.info("worker %s stopped: %s", self.owner, self.stats.as_text())
        return self.stats

    def crash(self, where: str, exc: BaseException) -> None:
        """A thread died of an unexpected error: log it, and stop the worker (exit non-zero)."""
        text = f"{where} died: {type(exc).__name__}: {exc}"
        with self._lock:
            if self.failure is None:
                self.failure = text
        self.log.error("%s; stopping the worker", text, exc_info=exc)
        self._crashed.set()

    def _supervise(self, stop: threading.Event, slots: list[threading.Thread]) -> None:
        while any(t.is_alive() for t in slots) and not stop.is_set() and not self._crashed.is_set():
            stop.wait(0.1)
        if not any(t.is_alive() for t in slots):
            return
        self._claiming.clear()
        running = self._running_ids()
        if running:
            self.log.info(
                "stopping: no new jobs; %d running job(s) get %g s to finish",
                len(running),
                self.grace_s,
            )
        deadline = time.monotonic() + self.grace_s
        while any(t.is_alive() for t in slots) and time.monotonic() < deadline:
            time.sleep(0.05)
        while any(t.is_alive() for t in slots):  # past the grace: stop and hand back
            with self._lock:
                active = list(self._active.values())
            for run in active:
                run.request_stop("shutdown")
            for thread in slots:
                thread.join(timeout=0.1)

    def _info(self) -> dict[str, object]:
        return {
            "concurrency": self.concurrency,
            "running": self._running_ids(),
            "done": self.stats.done,
            "failed": self.stats.failed,
        }

    def _running_ids(self) -> list[int]:
        with self._lock:
            return sorted(self._active)

    # --- slots --------------------------------------------------------------

    def _slot(self) -> None:
        kinds = tuple(self.handlers)
        try:
            while self._claiming.is_set():
                try:
                    jobs = self.queue.claim(self.owner, kinds, self.lease_s, 1)
                    if not jobs:
                        if self.once:
                            return
                        self._claiming_wait(self.idle_poll_s)
                        continue
                    self._run_one(jobs[0])
                except sqlite3.Error as exc:  # busy or failing database: wait, then go on
                    self.log.warning("database error in the worker loop (%s); retrying", exc)
                    self._claiming_wait(DB_RETRY_S)
        except BaseException as exc:  # a bug: never a silent dead slot
            self.crash(threading.current_thread().name, exc)
        finally:
            self.store.close()

    def _claiming_wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self._claiming.is_set() and time.monotonic() < end:
            time.sleep(min(0.05, max(0.0, end - time.monotonic())))

    def _run_one(self, job: Job) -> None:
        self.execute(job, self.owner)

    def execute(
        self, job: Job, owner: str, external_stop: Callable[[], str | None] | None = None
    ) -> Outcome:
        """Run a job `owner` has claimed with its handler, heartbeating it; how it ended."""
        run = JobRun(job, self.store, owner, external_stop=external_stop)
        with self._lock:
            self._active[job.id] = run
        self.log.info(
            "job %d (%s) claimed, attempt %d of %d",
            job.id,
            job.kind,
            job.attempts,
            job.max_attempts,
        )
        try:
            return self._execute(run)
        finally:
            with self._lock:
                self._active.pop(job.id, None)

    def _execute(self, run: JobRun) -> Outcome:
        job = run.job
        try:
            self.handlers[job.kind](run)
        except JobStopped as stopped:
            return self._stopped(job, run.owner, stopped.reason)
        except JobPostponed as later:
            if self.queue.postpone(job.id, run.owner, later.run_at, later.note or None):
                self._count("postponed")
                self.log.info("job %d waits until %s: %s", job.id, later.run_at, later.note)
                return Outcome("postponed", later.run_at)
            self._count("lost")
            self.log.warning("job %d: its lease passed to another worker", job.id)
            return Outcome("lost")
        except PermanentJobError as exc:
            return self._failed(job, run.owner, str(exc), retryable=False)
        except Exception as exc:  # any handler failure is recorded on the job, never fatal
            self.log.debug("job %d raised", job.id, exc_info=True)
            return self._failed(job, run.owner, str(exc) or type(exc).__name__, retryable=True)
        if self._complete(run):
            self._count("done")
            self.log.info("job %d done", job.id)
            return Outcome("done")
        self._count("lost")
        self.log.warning(
            "job %d finished but its lease had passed to another worker; "
            "its result was not recorded",
            job.id,
        )
        return Outcome("lost")

    def _complete(self, run: JobRun) -> bool:
        """Record a held job done (fenced by its owner); False when the lease is gone."""
        return self.queue.complete(run.job.id, run.owner)

    def _count(self, name: str) -> None:
        with self._lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)

    def _stopped(self, job: Job, owner: str, reason: str) -> Outcome:
        if reason == "cancel" and self.queue.finish_cancelled(job.id, owner):
            self._count("cancelled")
            self.log.info("job %d cancelled", job.id)
            return Outcome("cancelled")
        if reason == "shutdown" and self.queue.hand_back(job.id, owner):
            self._count("released")
            with self._lock:
                self.stats.handed_back_ids.append(job.id)
            self.log.info("job %d handed back to the queue", job.id)
            return Outcome("released")
        self._count("lost")
        self.log.warning("job %d stopped: its lease passed to another worker", job.id)
        return Outcome("lost")

    def _failed(self, job: Job, owner: str, error: str, *, retryable: bool) -> Outcome:
        state = self.queue.fail(job.id, owner, error, retryable=retryable)
        if state is None:
            self._count("lost")
            self.log.warning("job %d failed after its lease passed to another worker", job.id)
            return Outcome("lost", error=error)
        self._count("failed")
        self.log.warning(
            "job %d %s: %s",
            job.id,
            "failed, will be retried" if state == "failed" else "is dead",
            error,
        )
        if state == "failed":
            after = self.queue.get(job.id)
            return Outcome("failed", after.run_at if after else None, error)
        return Outcome("dead", error=error)

    # --- heartbeat ----------------------------------------------------------

    def _heartbeat_loop(self, procs: ProcessRepo) -> None:
        renew_every = max(0.2, self.lease_s / 3)
        renewed = process_beat = time.monotonic()
        try:
            while not self._finished.wait(CANCEL_POLL_S):
                now = time.monotonic()
                try:
                    self._check_jobs(renew=now - renewed >= renew_every)
                    if now - renewed >= renew_every:
                        renewed = now
                    if now - process_beat >= PROCESS_BEAT_S:
                        procs.heartbeat(self.owner, self._info())
                        process_beat = now
                except Exception:  # a busy database must not kill the heartbeat
                    self.log.warning("heartbeat failed; retrying", exc_info=True)
        except BaseException as exc:
            self.crash("heartbeat", exc)
        finally:
            self.store.close()

    def _check_jobs(self, *, renew: bool) -> None:
        with self._lock:
            active = dict(self._active)
        if not active:
            return
        for run in active.values():
            asked = run.external_stop() if run.external_stop is not None else None
            if asked is not None:
                run.request_stop(asked)
        by_owner: dict[str, list[int]] = defaultdict(list)
        for job_id, run in active.items():
            by_owner[run.owner].append(job_id)
        held: dict[int, bool] = {}
        for owner, ids in by_owner.items():
            if renew:
                held.update(self.queue.heartbeat(owner, ids, self.lease_s))
            else:
                held.update(self.queue.held(owner, ids))
        for job_id, run in active.items():
            if job_id not in held:
                with self._lock:
                    still_running = job_id in self._active
                if still_running:
                    run.request_stop("lost")
            elif held[job_id]:
                run.request_stop("cancel")
