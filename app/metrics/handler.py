"""The `metrics` job: fetch one account's due numbers, then queue the next run.

One job per account at a time (storage/metrics/schedule.py `ensure_job`):
it syncs what is due, then asks for its successor at the account's next due
time (nothing left to follow: no successor, no polling). When the worker
starts, every account that has published something gets its waiting job;
when a publication goes out, the publish handler moves its account's job to
an hour later at the latest (`follow_publication`).

Outcomes: a throttle or a used-up quota puts the same job back in the queue
for the wait the platform asked (the slot is freed); a refused login marks
the account needs_login and looks again in 6 hours; a transient failure is
retried with backoff (after the last attempt the chain goes on in an hour).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from app.metrics.sync import cadence, sync_account
from app.publishing.connect import account_connector
from app.worker import Handler, JobRun
from app.workspace import Workspace
from platforms.base import NeedsLogin, PlatformError, QuotaExhausted, RateLimited, TransientError
from storage.accounts import AccountRepo
from storage.jobs import JobPostponed
from storage.metrics import schedule
from storage.timefmt import to_db, utcnow

LOGIN_RECHECK = timedelta(hours=6)
AFTER_FAILURE = timedelta(hours=1)
MIN_GAP = timedelta(minutes=1)
log = logging.getLogger("reelroom.metrics")


def metrics_handler(ws: Workspace) -> Handler:
    """The handler of `metrics` jobs; queues each followed account's job first."""
    ensure_jobs(ws, utcnow())

    def handler(run: JobRun) -> None:
        """Fetch one account's due numbers and queue its next run."""
        MetricsRun(ws, run).go()

    return handler


def ensure_jobs(ws: Workspace, now: datetime) -> int:
    """Give every account with something to follow its waiting metrics job; how many."""
    rules = cadence(ws)
    made = 0
    for account_id in schedule.accounts_followed(ws.store.conn):
        when = schedule.next_run(ws.store.conn, account_id, rules, not_before=now)
        if when is not None:
            with ws.store.write() as conn:
                schedule.ensure_job(conn, account_id, when)
            made += 1
    return made


def follow_publication(ws: Workspace, account_id: int, published_at: datetime) -> None:
    """A publication went out: its account's numbers are fetched within the first hour."""
    step = cadence(ws).interval(timedelta(0)) or timedelta(hours=1)
    with ws.store.write() as conn:
        schedule.ensure_job(conn, account_id, published_at + step)


class MetricsRun:
    """One run of a metrics job."""

    def __init__(self, ws: Workspace, run: JobRun) -> None:
        self.ws = ws
        self.run = run
        self.account_id = int(run.job.payload["account_id"])

    def successor(self, at: datetime | None) -> None:
        if at is not None:
            with self.ws.store.write() as conn:
                schedule.ensure_job(conn, self.account_id, at, after_job=self.run.job.id)

    def go(self) -> None:
        accounts = AccountRepo(self.ws.store)
        account = accounts.get(self.account_id)
        if account is None:
            return
        now = utcnow()
        if account.auth_state == "needs_login":
            self.successor(now + LOGIN_RECHECK)
            return
        try:
            connector = account_connector(self.ws, account, sleep=self.run.sleep)
        except PlatformError as exc:  # no connector for this platform: nothing to fetch
            log.warning("metrics for %s: %s", account.name, exc.message)
            return
        try:
            report = sync_account(
                self.ws,
                account,
                connector,
                now=now,
                stop=lambda: self.run.stop_reason() is not None,
            )
        except NeedsLogin as exc:
            accounts.set_needs_login(account.id, exc.message)
            self.successor(now + LOGIN_RECHECK)
            return
        except (RateLimited, QuotaExhausted) as exc:
            wait = timedelta(seconds=max(60.0, exc.retry_after or 3600.0))
            raise JobPostponed(to_db(now + wait), exc.message) from None
        except TransientError as exc:
            if self.run.job.attempts >= self.run.job.max_attempts:
                self.successor(now + AFTER_FAILURE)
            raise RuntimeError(exc.message) from None
        finally:
            connector.close()
        log.info(
            "metrics for %s: %d asked, %d snapshots%s",
            account.name,
            report.asked,
            report.added,
            "".join(f"; {n}" for n in report.notes),
        )
        rules = cadence(self.ws)
        self.successor(
            schedule.next_run(self.ws.store.conn, self.account_id, rules, not_before=now + MIN_GAP)
        )
