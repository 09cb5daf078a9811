"""Fetch numbers from a platform and store them as snapshots (nothing overwritten).

`sync_account` asks one account's connector for the numbers of its
publications — those due by the schedule (storage/metrics/schedule.py) or,
for `reelroom metrics sync`, all of them — in batches of what one request
takes, and writes every answer through the one writer of snapshots, batch
by batch (each batch its own short transaction, so a long sync never holds
the database). The account's follower count is read too when it is older
than `[metrics] followers_hours` (or always, with `due_only=False`).

What a platform refuses for one batch (a video deleted there, say) is noted
and the rest carries on; a refused login, a throttle or a transient failure
stops the sync and is raised for the caller (the job handler maps them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.workspace import Workspace
from platforms.base import (
    MetricSample,
    NeedsLogin,
    PlatformError,
    QuotaExhausted,
    RateLimited,
    Rejected,
    TransientError,
    Unsupported,
)
from platforms.common import BaseConnector
from storage.accounts import AccountRow
from storage.metrics import schedule
from storage.metrics.writer import (
    AccountSnapshotRow,
    SnapshotRow,
    record_account_snapshots,
    record_snapshots,
)
from storage.timefmt import to_db

StopCheck = Callable[[], bool]
# Errors that end a sync (the caller decides: wait, retry, ask for a login).
STOPPING = (NeedsLogin, RateLimited, QuotaExhausted, TransientError)


@dataclass
class SyncReport:
    """What one account's sync did."""

    account: str
    asked: int = 0  # publications whose numbers were asked for
    added: int = 0  # snapshots stored
    missing: int = 0  # publications the platform did not answer for
    followers: int | None = None
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "account": self.account,
            "asked": self.asked,
            "added": self.added,
            "missing": self.missing,
            "followers": self.followers,
            "notes": self.notes,
        }


def cadence(ws: Workspace) -> schedule.Cadence:
    """The fetch schedule of `[metrics]`."""
    m = ws.config.metrics
    return schedule.Cadence(m.hourly_hours, m.daily_days, m.stop_days)


def sample_row(pub_id: int, sample: MetricSample) -> SnapshotRow:
    """A connector's sample as a snapshot of the publication."""
    interactions = sample.extra.get("total_interactions")
    return SnapshotRow(
        publication_id=pub_id,
        captured_at=to_db(sample.captured_at),
        views=sample.views,
        likes=sample.likes,
        comments=sample.comments,
        shares=sample.shares,
        saves=sample.saves,
        followers_gained=sample.followers_gained,
        watch_time_s=sample.watch_time_s,
        completion_rate=None,
        avg_view_pct=sample.avg_view_pct,
        avg_view_s=sample.avg_view_s,
        reach=sample.reach,
        total_interactions=None if interactions is None else int(interactions),
        source="sync",
    )


def sync_account(
    ws: Workspace,
    account: AccountRow,
    connector: BaseConnector,
    *,
    now: datetime,
    due_only: bool = True,
    stop: StopCheck | None = None,
) -> SyncReport:
    """Fetch and store the account's numbers (see the module docstring)."""
    report = SyncReport(account.name)
    rules = cadence(ws)
    conn = ws.store.conn
    pubs = (
        schedule.due(conn, account.id, now, rules)
        if due_only
        else schedule.tracked(conn, account.id, rules)
    )
    by_remote = {t.remote_id: t.publication_id for t in pubs}
    ids = list(by_remote)
    size = max(1, connector.metrics_batch)
    for start in range(0, len(ids), size):
        if stop is not None and stop():
            report.notes.append("stopped before the end; the rest waits for the next run")
            break
        batch = ids[start : start + size]
        report.asked += len(batch)
        try:
            samples = connector.metrics(batch)
        except STOPPING:
            raise
        except (Rejected, Unsupported) as exc:
            report.notes.append(exc.message)
            report.missing += len(batch)
            continue
        rows = [
            sample_row(by_remote[s.video_remote_id], s)
            for s in samples
            if s.video_remote_id in by_remote
        ]
        report.missing += len(batch) - len(rows)
        with ws.store.write() as tx:
            report.added += record_snapshots(tx, rows).added
    _followers(ws, account, connector, now, due_only, report)
    return report


def _followers(
    ws: Workspace,
    account: AccountRow,
    connector: BaseConnector,
    now: datetime,
    due_only: bool,
    report: SyncReport,
) -> None:
    last = schedule.last_followers_at(ws.store.conn, account.id)
    every = timedelta(hours=ws.config.metrics.followers_hours)
    if due_only and last is not None and now - last < every:
        return
    try:
        count = connector.followers()
    except (RateLimited, QuotaExhausted, TransientError):
        raise
    except PlatformError as exc:  # e.g. a login without the stats scope: the rest still counts
        report.notes.append(f"followers: {exc.message}")
        return
    report.followers = count
    with ws.store.write() as tx:
        record_account_snapshots(
            tx, [AccountSnapshotRow(account.id, to_db(connector.now()), count)]
        )


def followed_accounts(ws: Workspace, names: Sequence[str] | None = None) -> list[AccountRow]:
    """The accounts to sync: those named, else every account with a published publication."""
    from storage.accounts import AccountRepo

    repo = AccountRepo(ws.store)
    if names:
        return [repo.by_name(n) for n in names]
    ids = set(schedule.accounts_followed(ws.store.conn))
    return [a for a in repo.all() if a.id in ids]
