"""The worker on PostgreSQL (team mode): procrastinate delivers, ReelRoom's row decides.

`reelroom worker` runs this when the workspace's database is PostgreSQL.
procrastinate's worker fetches deliveries (storage/pg_jobs.py) by priority
and due time with `FOR UPDATE SKIP LOCKED`, heartbeats the process, and
brings aborts by NOTIFY. The fetch also claims ReelRoom's `jobs` row for an
owner unique to this delivery (`<process>/p<delivery>.<attempt>`), in the same
statement (`TolerantJobManager.fetch_job`). The delivery runs the task
`reelroom.run_job`, which runs the same handler the SQLite worker runs
(app/worker.py: `Worker.execute`, heartbeat thread, cancel polling) and
records the end on the row, fenced by that owner. While runs are short a
fetch takes up to `FETCH_BATCH` deliveries and the loop gets the rest from a
buffer (`TolerantJobManager`). Then procrastinate is told:

- done → recorded on the row and the delivery closed in one statement, so
  procrastinate's own finish is skipped: a no-op job costs one round trip
  (done+close) and a share of a batched fetch+claim, each its own transaction;
- failed → procrastinate retries the delivery at the row's `run_at`
  (ReelRoom's backoff, `ReelRoomRetry`); dead → the delivery failed;
- cancelled → aborted; handed back (shutdown) → retried at once; postponed
  (the handler waits on a platform or a slot) → retried at the row's run_at;
- lost (the lease had passed to another worker) → nothing recorded.

Stalled-job recovery is our own periodic task, `reelroom.recover`, every
`RECOVER_EVERY_S` on a maintenance queue with its own slot (so busy workers
never starve it): a delivery whose worker stopped heartbeating for
`STALLED_AFTER_S` has its row released (attempt counted; a new delivery is
queued in the same transaction) and is itself closed; expired ReelRoom
leases are reclaimed; now and then waiting jobs without a delivery get one.
A worker that was only frozen finds on waking that it no longer holds the
row: its finish changes nothing, and procrastinate's late bookkeeping of the
closed delivery is logged and ignored (`TolerantJobManager`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Callable, Iterable

import psycopg
import psycopg_pool
from procrastinate import App, JobContext, PsycopgConnector, RetryDecision
from procrastinate import exceptions as pq_exceptions
from procrastinate import jobs as pq_jobs
from procrastinate.manager import JobManager
from procrastinate.retry import BaseRetryStrategy
from procrastinate.worker import Worker as PqWorker

from app.worker import Handler, JobRun, Worker, WorkerStats
from storage import pg_jobs
from storage.db import Store
from storage.jobs import Job
from storage.pg_store import PgStore
from storage.processes import ProcessRepo
from storage.timefmt import to_db, utcnow

HEARTBEAT_S = 2.0  # procrastinate's worker heartbeat
STALLED_AFTER_S = 8.0  # a delivery whose worker has not heartbeaten for this long is stalled
RECOVER_EVERY_S = 2
ORPHAN_SWEEP_EVERY = 15  # recover runs; waiting jobs without a delivery get one
FETCH_POLL_S = 1.0  # new deliveries come by NOTIFY; this catches due retries
PRUNE_WORKERS_AFTER_S = 120.0
FETCH_BATCH = 16  # the most deliveries one fetch takes (while runs are short)
RECENT_RUNS = 8  # the batch follows the quickest of this many recent runs
BUFFER_HOLD_S = 1.0  # a fetched delivery not started by then is given back
LOST_WORKER_ERROR = "the worker running it stopped heartbeating (its delivery stalled)"


class RetryLater(Exception):
    """The run failed and the row waits until `when` (ReelRoom's backoff)."""

    def __init__(self, when: datetime | None, error: str = "") -> None:
        super().__init__(error or "retry later")
        self.when = when


class HandedBack(RetryLater):
    """The worker stopped before the end; the job is queued again at once."""


class JobDead(Exception):
    """The job failed for good (no attempt left, or a permanent error)."""


class ReelRoomRetry(BaseRetryStrategy):
    """procrastinate retries a delivery exactly when ReelRoom's row says it waits."""

    def get_retry_decision(
        self, *, exception: BaseException, job: pq_jobs.Job
    ) -> RetryDecision | None:
        if isinstance(exception, RetryLater):
            return RetryDecision(retry_at=exception.when or datetime.now(UTC))
        return None


@dataclass
class _Fetched:
    """A delivery fetched (its row claimed, at `at`, monotonic) and not yet handed out."""

    delivery: pq_jobs.Job
    claimed: Job | None
    at: float


class TolerantJobManager(JobManager):
    """procrastinate's job manager with ReelRoom's claim and finish folded in.

    - `fetch_job` takes up to `batch` deliveries (1 for long runs, `note_run`)
      and claims their rows for `process` in one statement (pg_jobs.FETCH_AND_CLAIM);
      one is handed out per call, the rest wait in a buffer; a claimed row waits
      in `claimed` for the task (None: a stale delivery). Those not started within
      `BUFFER_HOLD_S`, or when the worker stops (`unregister_worker`), are given
      back, uncounted; a dead worker's are recovered like its running job;
    - a delivery that the task closed itself (`closed`: done, recorded in the
      same statement) is not finished a second time;
    - a delivery closed by recovery while a frozen worker still ran it: the
      late finish or retry of that worker is logged, not raised.
    """

    log = logging.getLogger("reelroom.worker")

    def __init__(self, connector: Any, process: str, lease_s: float) -> None:
        super().__init__(connector)
        self.process = process  # the worker's own owner; a delivery's is derived from it
        self.lease_s = lease_s
        self.batch = 1
        self.runs: deque[float] = deque(maxlen=RECENT_RUNS)
        self._runs_lock = threading.Lock()
        self.claimed: dict[int, Job | None] = {}
        self.closed: set[int] = set()
        self.buffers: dict[int, deque[_Fetched]] = {}  # procrastinate worker id -> fetched

    def note_run(self, seconds: float, slots: int) -> None:
        """A run took `seconds`: fetch as many as `slots` start in half `BUFFER_HOLD_S`."""
        with self._runs_lock:  # the slots' threads report at once
            self.runs.append(seconds)
            pace = max(min(self.runs), 0.001)
        self.batch = max(1, min(FETCH_BATCH, int(slots * BUFFER_HOLD_S / 2 / pace)))

    async def fetch_job(self, queues: Iterable[str] | None, worker_id: int) -> pq_jobs.Job | None:
        buffer = self.buffers.setdefault(worker_id, deque())  # in the order fetched
        late: list[_Fetched] = []
        while buffer and time.monotonic() - buffer[0].at > BUFFER_HOLD_S:
            late.append(buffer.popleft())
        if late:
            await self.hand_back_unstarted(late)
        if buffer:
            return self._hand_out(buffer.popleft())
        names = None if queues is None else list(queues)
        now = utcnow()
        rows = await self.connector.execute_query_all_async(
            query=pg_jobs.FETCH_AND_CLAIM,
            queues=names,
            limit=self.batch if names == [pg_jobs.JOB_QUEUE] else 1,
            worker_id=worker_id,
            process=self.process,
            now=to_db(now),
            lease_until=to_db(now + timedelta(seconds=self.lease_s)),
            run_task=pg_jobs.RUN_TASK,
        )
        at = time.monotonic()
        for row in rows:
            claimed = None if row["claimed"] is None else Job.from_row(row["claimed"])
            buffer.append(_Fetched(pq_jobs.Job.from_row(row), claimed, at))
        return self._hand_out(buffer.popleft()) if buffer else None

    def _hand_out(self, fetched: _Fetched) -> pq_jobs.Job:
        if fetched.delivery.task_name == pg_jobs.RUN_TASK and fetched.delivery.id is not None:
            self.claimed[fetched.delivery.id] = fetched.claimed
        return fetched.delivery

    async def hand_back_unstarted(self, fetched: list[_Fetched]) -> None:
        """Give back deliveries fetched and never started (storage/pg_jobs.py
        HAND_BACK_UNSTARTED). If that fails, their rows come back when their leases
        run out, and recovery closes the deliveries once this worker is gone."""
        held = [f.claimed for f in fetched if f.claimed is not None]
        try:
            row = await self.connector.execute_query_one_async(
                query=pg_jobs.HAND_BACK_UNSTARTED,
                deliveries=[f.delivery.id for f in fetched],
                job_ids=[job.id for job in held],
                owners=[job.lease_owner for job in held],
                now=to_db(utcnow()),
            )
        except pq_exceptions.ConnectorException as exc:
            self.log.warning("could not give back %d unstarted job(s): %s", len(fetched), exc)
            return
        n, back = len(fetched), row["back"]
        self.log.info("%d fetched job(s) not started were given back (%d waiting again)", n, back)

    async def unregister_worker(self, worker_id: int) -> None:
        """The worker stops: its unstarted deliveries go back before it is forgotten."""
        buffer = self.buffers.pop(worker_id, None)
        if buffer:
            await self.hand_back_unstarted(list(buffer))
        await super().unregister_worker(worker_id)

    async def finish_job(self, job: pq_jobs.Job, status: pq_jobs.Status, delete_job: bool) -> None:
        if job.id in self.closed:
            self.closed.discard(job.id)
            return
        try:
            await super().finish_job(job, status, delete_job)
        except pq_exceptions.ConnectorException as exc:
            self.log.warning(
                "delivery %s had been closed by recovery while this worker was away (%s)",
                job.id,
                exc.__cause__ or exc,
            )

    async def retry_job(
        self,
        job: pq_jobs.Job,
        retry_at: datetime | None = None,
        priority: int | None = None,
        queue: str | None = None,
        lock: str | None = None,
    ) -> None:
        try:
            await super().retry_job(job, retry_at, priority, queue, lock)
        except pq_exceptions.ConnectorException as exc:
            self.log.warning(
                "delivery %s had been closed by recovery while this worker was away (%s)",
                job.id,
                exc.__cause__ or exc,
            )


class _QuietOwnErrors(logging.Filter):
    """procrastinate logs a dead job at ERROR with a traceback; ours carries its reason."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, (JobDead, RetryLater, pq_exceptions.JobAborted)):
            record.exc_info = None
        return True


async def _cheap_check(conn: psycopg.AsyncConnection[Any]) -> None:
    """A pooled connection known to be broken is replaced; no round trip per checkout."""
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the pooled connection is closed")


async def _configure(conn: psycopg.AsyncConnection[Any]) -> None:
    """Autocommit, and a fetch plan that stays quick whatever the table's statistics say.

    procrastinate's fetch picks the best waiting delivery (`ORDER BY priority
    DESC, id LIMIT 1 FOR UPDATE SKIP LOCKED`). Planned with statistics taken
    while the queue was small (a new database, or any quiet hour before a burst),
    PostgreSQL reads every waiting delivery by bitmap and sorts them on every
    fetch: 1.2-1.8 ms a fetch at 2,000 waiting, growing with the backlog.
    Without bitmap scans it walks the (priority DESC, id) index and stops at the
    first row it can lock (0.4 ms, flat). These connections run only
    procrastinate's queue statements (and ReelRoom's delivery ones)."""
    await conn.set_autocommit(True)
    await conn.execute("SET enable_bitmapscan = off")


def _pool(**kwargs: Any) -> psycopg_pool.AsyncConnectionPool:
    """procrastinate's pool, checking connections without a query on every use."""
    return psycopg_pool.AsyncConnectionPool(**{**kwargs, "check": _cheap_check})


def _parse(run_at: str | None) -> datetime | None:
    return None if run_at is None else datetime.fromisoformat(run_at)


def delivery_owner(process: str, delivery: pq_jobs.Job) -> str:
    """The lease owner of one run of one delivery."""
    return f"{process}/p{delivery.id}.{delivery.attempts}"


class TeamWorker(Worker):
    """`reelroom worker` on PostgreSQL (see the module doc)."""

    def __init__(self, store: Store, handlers: dict[str, Handler], **kwargs: Any) -> None:
        super().__init__(store, handlers, **kwargs)
        if not isinstance(store, PgStore):
            raise TypeError("the team worker needs a PostgreSQL store")
        self.url = store.url
        self.recover_runs = 0
        self.broken = False  # procrastinate's worker stopped without being asked
        self.manager: TolerantJobManager | None = None
        self._deliveries: dict[str, int] = {}  # owner of a running delivery -> its id

    # --- the process --------------------------------------------------------

    def run(self, stop: threading.Event) -> WorkerStats:
        procs = ProcessRepo(self.store)
        self.owner = procs.announce("worker", self._info())
        self.log.info(
            "worker %s started on PostgreSQL: %d slot(s), lease %g s, kinds %s",
            self.owner,
            self.concurrency,
            self.lease_s,
            ", ".join(sorted(self.handlers)),
        )
        self._claiming.set()
        beat = threading.Thread(
            target=self._heartbeat_loop, args=(procs,), name="heartbeat", daemon=True
        )
        beat.start()
        try:
            asyncio.run(self._serve(stop))
        finally:
            self._finished.set()
            beat.join(timeout=5.0)
            procs.remove(self.owner)
            self.store.close()
            self.log.info("worker %s stopped: %s", self.owner, self.stats.as_text())
        return self.stats

    def make_app(self) -> App:
        """The procrastinate app: the delivery task and the recovery task."""
        connector = PsycopgConnector(
            pool_factory=_pool,
            conninfo=self.url,
            min_size=1,
            max_size=self.concurrency + 4,
            # Each of procrastinate's queries is one statement (a function call):
            # autocommit spares the BEGIN and COMMIT round trips around each.
            configure=_configure,
        )
        app = App(connector=connector)
        manager = TolerantJobManager(app.connector, self.owner, self.lease_s)
        app.job_manager = self.manager = manager
        app.task(
            name=pg_jobs.RUN_TASK,
            queue=pg_jobs.JOB_QUEUE,
            pass_context=True,
            retry=ReelRoomRetry(),
        )(self.run_delivery)
        recover = app.task(
            name=pg_jobs.RECOVER_TASK, queue=pg_jobs.MAINTENANCE_QUEUE, pass_context=True
        )(self.recover)
        app.periodic(cron=f"* * * * * */{RECOVER_EVERY_S}", periodic_id="recover")(recover)
        return app

    async def _serve(self, stop: threading.Event) -> None:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(
            concurrent.futures.ThreadPoolExecutor(self.concurrency + 4, "reelroom-job")
        )
        logging.getLogger("procrastinate").addFilter(_QuietOwnErrors())
        app = self.make_app()
        common: dict[str, Any] = {
            "install_signal_handlers": False,
            "update_heartbeat_interval": HEARTBEAT_S,
            "stalled_worker_timeout": PRUNE_WORKERS_AFTER_S,
            "fetch_job_polling_interval": FETCH_POLL_S,
            "abort_job_polling_interval": FETCH_POLL_S,
            "delete_jobs": pq_jobs.DeleteJobCondition.ALWAYS,
        }
        jobs = PqWorker(
            app,
            queues=[pg_jobs.JOB_QUEUE],
            name="jobs",
            concurrency=self.concurrency,
            wait=not self.once,
            shutdown_graceful_timeout=self.grace_s,
            **common,
        )
        upkeep = PqWorker(
            app,
            queues=[pg_jobs.MAINTENANCE_QUEUE],
            name="upkeep",
            concurrency=1,
            listen_notify=False,
            shutdown_graceful_timeout=5.0,
            **common,
        )
        async with app.open_async():
            await self._redeliver_orphans()
            runs = [asyncio.create_task(w.run()) for w in (jobs, upkeep)]
            while (
                not stop.is_set()
                and not self._crashed.is_set()
                and not runs[0].done()
                and not runs[1].done()
            ):
                await asyncio.sleep(0.1)
            if self._crashed.is_set():
                pass  # a thread of ours died (the watcher, the heartbeat): `failure` says which
            elif not stop.is_set() and not (self.once and runs[0].done()):
                # procrastinate stopped on its own (a side task failed: the database
                # went away): exit non-zero so systemd's Restart=on-failure restarts us.
                self.broken = True
                self.log.error("the job queue stopped unexpectedly (see above); exiting")
            self._claiming.clear()
            jobs.stop()
            await runs[0]
            upkeep.stop()
            await runs[1]

    async def _redeliver_orphans(self) -> None:
        found = await asyncio.to_thread(self._in_thread, pg_jobs.redeliver_orphans, self.store)
        if found:
            self.log.info("%d waiting job(s) had no delivery; delivered", found)

    def _in_thread(self, fn: Any, *args: Any) -> Any:
        try:
            return fn(*args)
        finally:
            self.store.close()

    # --- one delivery -------------------------------------------------------

    def run_delivery(self, context: JobContext, job_id: int) -> str:
        """The task `reelroom.run_job`: run the handler on the row the fetch claimed
        (`job_id` is in the delivery's args), record the end."""
        delivery = context.job
        owner = delivery_owner(self.owner, delivery)
        assert self.manager is not None and delivery.id is not None  # set up by make_app
        job = self.manager.claimed.pop(delivery.id, None)
        if job is None:
            return "not waiting (a stale delivery)"
        if job.lease_owner != owner:
            raise RuntimeError(f"job {job.id} was claimed for {job.lease_owner}, not {owner}")
        self._deliveries[owner] = delivery.id
        started = time.monotonic()
        try:
            outcome = self.execute(job, owner, external_stop=self._abort_poll(context))
        finally:
            self._deliveries.pop(owner, None)
            self.manager.note_run(time.monotonic() - started, self.concurrency)

        if outcome.kind == "failed":
            raise RetryLater(_parse(outcome.run_at), outcome.error or "")
        if outcome.kind == "released":
            raise HandedBack(None)
        if outcome.kind == "postponed":  # waits on something outside (a platform, a slot)
            raise HandedBack(_parse(outcome.run_at))
        if outcome.kind == "dead":
            raise JobDead(outcome.error or "dead")
        if outcome.kind == "cancelled":
            raise pq_exceptions.JobAborted()
        return outcome.kind

    @staticmethod
    def _abort_poll(context: JobContext) -> Callable[[], str | None]:
        def asked() -> str | None:
            reason = context.abort_reason()
            if reason is None:
                return None
            return "shutdown" if reason.value == "shutdown" else "cancel"

        return asked

    def _complete(self, run: JobRun) -> bool:
        """Done, and its delivery closed, in one statement (procrastinate's finish skipped)."""
        delivery = self._deliveries.get(run.owner)
        if delivery is None or self.manager is None:
            return super()._complete(run)
        done = self.queue.complete(run.job.id, run.owner, delivery=delivery)
        self.manager.closed.add(delivery)
        return done

    # --- recovery -----------------------------------------------------------

    async def recover(self, context: JobContext, timestamp: int) -> int:
        """The task `reelroom.recover`: stalled deliveries and expired leases back to work."""
        app = context.app
        released = 0
        stalled = await app.job_manager.get_stalled_jobs(
            task_name=pg_jobs.RUN_TASK, seconds_since_heartbeat=STALLED_AFTER_S
        )
        for delivery in stalled:
            state = await asyncio.to_thread(self._in_thread, self._release, delivery)
            await app.job_manager.finish_job(delivery, pq_jobs.Status.FAILED, delete_job=True)
            if state is not None:
                released += 1
                self.log.warning(
                    "job %s: its worker stopped heartbeating; the job is %s",
                    delivery.task_kwargs.get("job_id"),
                    state,
                )
        for stuck in await app.job_manager.get_stalled_jobs(
            task_name=pg_jobs.RECOVER_TASK, seconds_since_heartbeat=STALLED_AFTER_S
        ):
            await app.job_manager.finish_job(stuck, pq_jobs.Status.FAILED, delete_job=True)
        released += await asyncio.to_thread(self._in_thread, self.queue.reclaim_expired)
        self.recover_runs += 1
        if self.recover_runs % ORPHAN_SWEEP_EVERY == 0:
            await self._redeliver_orphans()
        return released

    def _release(self, delivery: pq_jobs.Job) -> str | None:
        job = self.queue.get(int(str(delivery.task_kwargs["job_id"])))
        suffix = f"/p{delivery.id}.{delivery.attempts}"
        if job is None or job.lease_owner is None or not job.lease_owner.endswith(suffix):
            return None
        return self.queue.release(job.id, job.lease_owner, LOST_WORKER_ERROR)
