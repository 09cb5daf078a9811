"""The `sync` job and the schedule the worker keeps, with no loop polling the platforms.

`sync` jobs say what they do in their payload:

- `{"what": "schedule"}` — the tick: queues a comments job for each account
  with a video due (by its age: `[inbox]` young / settled / old), a videos
  job for each account not listed for `videos_hours`, then queues itself
  again for the earliest next due time (at most `young_minutes` away, so a
  video published meanwhile is synced young). One tick waits at a time:
  jobs are keyed `sync:schedule:<time>` and a new one is not queued while
  another waits (`SyncJobs.queue`).
- `{"what": "comments", "account_id": N}` — the due videos' comments
  (`"all": true`: every video);
- `{"what": "videos", "account_id": N}` — the account's own videos.

`reelroom worker` calls `ensure_schedule` when it starts and `reelroom accounts
add` after it stores an account (unless `[inbox] auto_sync = false`), so a
workspace with an account always has one tick waiting, and one without none.
A throttled or out-of-quota sync waits in the queue until the platform
allows it; its sweep resumes from the stored cursor.
"""

from __future__ import annotations

from datetime import timedelta

from app.inbox.sync import sync_comments, sync_videos
from app.worker import Handler, JobRun
from app.workspace import Workspace
from platforms.base import NeedsLogin, PlatformError, Unsupported
from platforms.credentials import StoredKeeper
from platforms.registry import comments_note
from storage.accounts import AccountRepo, AccountRow
from storage.inbox_sync import SyncRepo
from storage.jobs import JobPostponed, PermanentJobError
from storage.sync_jobs import SyncJobs
from storage.timefmt import from_db, to_db, utcnow

SCHEDULE = "sync:schedule:"


def _has_comment_api(ws: Workspace, account: AccountRow) -> bool:
    from app.publishing.connect import secrets_file

    business = False
    if account.platform == "tiktok":
        try:
            business = bool(StoredKeeper(secrets_file(ws), account.secrets_key).load().business)
        except Exception:  # an unreadable secrets file is reported by the sync itself
            business = False
    return comments_note(account.platform, business=business) is None


def ensure_schedule(ws: Workspace) -> int | None:
    """Queue the schedule's tick now unless one waits already (its job id, or None)."""
    if not ws.config.inbox.auto_sync or not AccountRepo(ws.store).all():
        return None  # no account, nothing to sync: `accounts add` queues the first tick
    return SyncJobs(ws.store).queue({"what": "schedule"}, prefix=SCHEDULE, run_at=to_db(utcnow()))


def tick(ws: Workspace, job_id: int | None = None) -> str | None:
    """Queue what is due, then the next tick; when that tick runs (None: auto_sync is off)."""
    settings = ws.config.inbox
    if not settings.auto_sync:
        return None
    now = utcnow()
    stamp = to_db(now)
    sync = SyncRepo(ws.store)
    jobs = SyncJobs(ws.store)
    due = set(sync.due_accounts(stamp))
    accounts = AccountRepo(ws.store).all()
    if not accounts:  # the last one was removed: no tick until `accounts add` queues one
        return None
    for account in accounts:
        if account.auth_state == "needs_login":
            continue
        if account.id in due and _has_comment_api(ws, account):
            jobs.queue(
                {"what": "comments", "account_id": account.id},
                prefix=f"sync:comments:{account.id}:",
                run_at=stamp,
            )
        listed = from_db(sync.videos_synced_at(account.id))
        if listed is None or now - listed >= timedelta(hours=settings.videos_hours):
            jobs.queue(
                {"what": "videos", "account_id": account.id},
                prefix=f"sync:videos:{account.id}:",
                run_at=stamp,
            )
    nearest = from_db(sync.next_due())
    cap = now + timedelta(minutes=settings.young_minutes)
    when = max(now + timedelta(seconds=30), min(cap, nearest) if nearest else cap)
    run_at = to_db(when)
    jobs.queue({"what": "schedule"}, prefix=SCHEDULE, run_at=run_at, exclude=job_id)
    return run_at


def sync_handler(ws: Workspace) -> Handler:
    """The handler of `sync` jobs for this workspace."""

    def handler(run: JobRun) -> None:
        """Run one sync job (see the module docstring for the payloads)."""
        payload = run.job.payload
        what = payload.get("what")
        if what == "schedule":
            tick(ws, run.job.id)
            return
        account = AccountRepo(ws.store).get(int(payload.get("account_id") or 0))
        if account is None:
            return
        if what == "videos":
            try:
                sync_videos(ws, account)
            except (NeedsLogin, Unsupported):
                return  # the account says why (needs_login, or no listing on this platform)
            except PlatformError as exc:
                if exc.retry_after:
                    wait = to_db(utcnow() + timedelta(seconds=exc.retry_after))
                    raise JobPostponed(wait, exc.message) from None
                raise RuntimeError(exc.message) from None
            return
        if what != "comments":
            raise PermanentJobError(f"unknown sync {what!r}")
        report = sync_comments(
            ws,
            account,
            due_only=not payload.get("all"),
            stop=lambda: run.stop_reason() is not None,
        )
        if report.retry_after:
            wait = to_db(utcnow() + timedelta(seconds=report.retry_after))
            raise JobPostponed(wait, "; ".join(report.errors) or "throttled")

    return handler
