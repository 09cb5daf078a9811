"""When each publication's numbers are fetched next, and the `metrics` job of each account.

A short's numbers move fast at first and slowly later, so the fetches follow
its age (`Cadence`, config.toml `[metrics]`): every hour for the first 48
hours, every day to day 30, every week after that, and no more after
`stop_days` (0: never stop). A publication's next fetch is its last snapshot
plus the interval of its age then; the first is one interval after it went
out.

One `metrics` job per account does the fetching: it fetches what is due (and
what falls due within `BATCH_SLACK`, so one run serves many), then asks for
its successor at the account's next due time through `ensure_job`, which
never makes a second waiting job for an account: it moves the waiting one
earlier instead. The idempotency key `metrics:<account>:<job>:<run_at>` makes
a re-run of the same job (at-least-once) add nothing. No publication due ever
again: no job at all.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.jobs import insert_job
from storage.timefmt import from_db, to_db
from storage.vocab import JobKind

BATCH_SLACK = timedelta(minutes=10)


@dataclass(frozen=True)
class Cadence:
    """How often a publication's numbers are fetched at each age."""

    hourly_hours: int = 48
    daily_days: int = 30
    stop_days: int = 365  # 0: weekly for ever

    def interval(self, age: timedelta) -> timedelta | None:
        """The wait after a fetch at `age`; None when fetching has stopped."""
        if age < timedelta(hours=self.hourly_hours):
            return timedelta(hours=1)
        if age < timedelta(days=self.daily_days):
            return timedelta(days=1)
        if self.stop_days and age >= timedelta(days=self.stop_days):
            return None
        return timedelta(days=7)

    def next_fetch(self, published_at: datetime, last_at: datetime | None) -> datetime | None:
        """When a publication's numbers are due next (None: never again)."""
        if last_at is None:
            step = self.interval(timedelta(0))
            return None if step is None else published_at + step
        step = self.interval(last_at - published_at)
        return None if step is None else last_at + step


@dataclass(frozen=True)
class Tracked:
    """A published publication whose numbers ReelRoom follows."""

    publication_id: int
    remote_id: str
    published_at: datetime
    last_at: datetime | None  # its newest snapshot
    next_at: datetime | None  # when it is due (None: no more)


def tracked(conn: sqlite3.Connection, account_id: int, cadence: Cadence) -> list[Tracked]:
    """Every published publication of the account that has a remote id."""
    rows = conn.execute(
        "SELECT p.id, p.remote_id, p.published_at, l.last_at FROM publications AS p "
        "LEFT JOIN metric_pubs AS l ON l.publication_id = p.id "
        "WHERE p.account_id = ? AND p.state = 'published' AND p.remote_id IS NOT NULL "
        "AND p.published_at IS NOT NULL ORDER BY p.published_at, p.id",
        (account_id,),
    )
    out = []
    for pub, remote, published_text, last_text in rows:
        published, last = from_db(published_text), from_db(last_text)
        out.append(Tracked(pub, remote, published, last, cadence.next_fetch(published, last)))
    return out


def due(
    conn: sqlite3.Connection, account_id: int, now: datetime, cadence: Cadence
) -> list[Tracked]:
    """The account's publications due by now (or within BATCH_SLACK)."""
    until = now + BATCH_SLACK
    return [
        t
        for t in tracked(conn, account_id, cadence)
        if t.next_at is not None and t.next_at <= until
    ]


def next_run(
    conn: sqlite3.Connection, account_id: int, cadence: Cadence, *, not_before: datetime
) -> datetime | None:
    """When the account's metrics job should run next (None: nothing left to follow)."""
    times = [t.next_at for t in tracked(conn, account_id, cadence) if t.next_at is not None]
    return max(min(times), not_before) if times else None


def accounts_followed(conn: sqlite3.Connection) -> list[int]:
    """Accounts with a published publication that has a remote id."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT account_id FROM publications WHERE state = 'published' "
            "AND remote_id IS NOT NULL ORDER BY account_id"
        )
    ]


def ensure_job(
    conn: sqlite3.Connection, account_id: int, run_at: datetime, *, after_job: int = 0
) -> int:
    """The account's waiting metrics job, made (or moved earlier) to run by `run_at`;
    inside the caller's transaction. Returns its id.

    `after_job` is the job asking for its successor (0: none): the key
    `metrics:<account>:<after_job>:<run_at>` makes a re-run of that job ask for
    the same successor, never a second one.
    """
    when = to_db(run_at)
    row = conn.execute(
        "SELECT id, run_at FROM jobs WHERE kind = ? AND state IN ('queued', 'failed') "
        "AND idem_key LIKE ? ORDER BY run_at LIMIT 1",
        (JobKind.METRICS.value, f"metrics:{account_id}:%"),
    ).fetchone()
    if row is not None:
        if when < row[1]:
            conn.execute("UPDATE jobs SET run_at = ? WHERE id = ?", (when, row[0]))
        return int(row[0])
    key = f"metrics:{account_id}:{after_job}:{when}"
    made = insert_job(
        conn, JobKind.METRICS.value, {"account_id": account_id}, idem_key=key, run_at=when
    )
    if made is not None:
        return made
    found = conn.execute("SELECT id FROM jobs WHERE idem_key = ?", (key,)).fetchone()
    return int(found[0])


def last_followers_at(conn: sqlite3.Connection, account_id: int) -> datetime | None:
    """When the account's follower count was last stored."""
    row = conn.execute(
        "SELECT max(captured_at) FROM account_snapshots WHERE account_id = ?", (account_id,)
    ).fetchone()
    return from_db(row[0]) if row and row[0] else None
