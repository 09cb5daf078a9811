"""Syncing an account: its own videos, and the comments of every published video.

`sync_videos` lists the account's videos page by page and imports the new
ones as publications (storage/own_videos.py); after a complete listing,
videos it no longer lists are marked gone. `sync_comments` reads the
comments of each published video through the account's connector:

- incremental: a newest-first platform (YouTube, TikTok for Business) is
  read until a page reaches comments already stored; an oldest-first one
  (Instagram) is read from the page where the last sync ended (its cursor);
- every `full_sweep_hours` every page is read, so edits are seen and
  comments the platform no longer has are marked deleted;
- each page is stored with the cursor after it in one transaction: a sweep
  stopped by a throttle, a lost connection or a crash resumes there;
- the next sync of a video is due by its age (`[inbox]` tiers).

An account without a comment API (a personal TikTok, Kuaishou) records the
platform's sentence, shown by the tab and the command instead of an empty
list. A refused login marks the account needs_login. Headless.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.config.settings import InboxSettings
from app.inbox.rules import Labeler
from app.publishing.connect import account_connector
from app.workspace import Workspace
from platforms.base import (
    NeedsLogin,
    Page,
    PlatformError,
    QuotaExhausted,
    RateLimited,
    RemoteComment,
    TransientError,
    Unsupported,
)
from platforms.common import BaseConnector
from storage.accounts import AccountRepo, AccountRow
from storage.inbox_sync import IncomingComment, SyncRepo, SyncTarget
from storage.jobs import JobStopped
from storage.own_videos import ImportResult, IncomingVideo, OwnVideoRepo
from storage.timefmt import from_db, to_db, utcnow

MAX_VIDEO_PAGES = 500
StopCheck = Callable[[], bool]


@dataclass
class CommentsReport:
    """What a comment sync of one account did."""

    account: str
    note: str | None = None  # the platform has no comment API for this account
    videos: int = 0
    new: int = 0
    edited: int = 0
    deleted: int = 0
    pages: int = 0
    errors: list[str] = field(default_factory=list)
    retry_after: float | None = None  # throttled or out of quota: try again after (s)
    needs_login: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "account": self.account,
            "note": self.note,
            "videos": self.videos,
            "new": self.new,
            "edited": self.edited,
            "deleted": self.deleted,
            "pages": self.pages,
            "errors": self.errors,
            "retry_after": self.retry_after,
            "needs_login": self.needs_login,
        }


def next_sync_at(published_at: datetime, now: datetime, settings: InboxSettings) -> datetime:
    """When a video of this age is synced next: young, settled, then old."""
    age = now - published_at
    if age < timedelta(hours=settings.young_hours):
        step = settings.young_minutes
    elif age < timedelta(days=settings.settled_days):
        step = settings.settled_minutes
    else:
        step = settings.old_minutes
    return now + timedelta(minutes=step)


def own_names(account: AccountRow) -> set[str]:
    """Names the account writes under (its own replies are not triaged)."""
    return {n for n in (account.handle, account.display_name) if n}


# --- own videos --------------------------------------------------------------------------


def sync_videos(
    ws: Workspace, account: AccountRow, connector: BaseConnector | None = None
) -> ImportResult:
    """Import the account's videos the platform lists; mark those it no longer lists gone."""
    own = connector or account_connector(ws, account)
    repo = OwnVideoRepo(ws.store)
    total = ImportResult()
    listed: set[str] = set()
    cursor: str | None = None
    complete = False
    try:
        for _ in range(MAX_VIDEO_PAGES):
            page = own.own_videos(cursor)
            videos = [
                IncomingVideo(
                    v.remote_id,
                    v.caption,
                    to_db(v.created_at) if v.created_at else None,
                    v.url,
                )
                for v in page.items
            ]
            result = repo.store_page(account.id, account.platform, videos)
            total.imported += result.imported
            total.known += result.known
            total.returned += result.returned
            listed.update(v.remote_id for v in videos)
            if page.next_cursor is None or page.next_cursor == cursor:
                complete = page.next_cursor is None
                break
            cursor = page.next_cursor
    except NeedsLogin as exc:
        AccountRepo(ws.store).set_needs_login(account.id, exc.message)
        raise
    finally:
        if connector is None:
            own.close()
    if complete:
        total.gone = repo.mark_gone(account.id, listed)
        SyncRepo(ws.store).videos_synced(account.id)
    return total


# --- comments ----------------------------------------------------------------------------


def _incoming(c: RemoteComment, now: str) -> IncomingComment:
    return IncomingComment(
        remote_id=c.remote_id,
        author=c.author,
        body=c.body,
        created_at=to_db(c.created_at) if c.created_at else now,
        parent_remote_id=c.parent_remote_id,
        video_remote_id=c.video_remote_id,
        like_count=c.like_count,
        can_reply=c.can_reply,
        hidden=c.hidden,
    )


class CommentSync:
    """One comment sync of one account (CLI, worker and bench all run this)."""

    def __init__(
        self,
        ws: Workspace,
        account: AccountRow,
        connector: BaseConnector,
        *,
        stop: StopCheck | None = None,
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.ws = ws
        self.account = account
        self.connector = connector
        self.settings = ws.config.inbox
        self.repo = SyncRepo(ws.store)
        self.labeler = Labeler(ws.config.label_rules)
        self.names = own_names(account)
        self.stop = stop or (lambda: False)
        self.now = now
        self.report = CommentsReport(account.name)

    def run(self, targets: list[SyncTarget], *, full: bool = False) -> CommentsReport:
        """Sync these videos; errors of one video are noted and the others go on."""
        for target in targets:
            if self.stop():
                raise JobStopped("stop")
            try:
                self.one(target, full=full)
            except Unsupported as exc:
                self.report.note = exc.message
                break
            except NeedsLogin as exc:
                AccountRepo(self.ws.store).set_needs_login(self.account.id, exc.message)
                self.report.needs_login = exc.message
                break
            except (RateLimited, QuotaExhausted) as exc:
                self.report.retry_after = exc.retry_after or 60.0
                self.report.errors.append(exc.message)
                self._failed(target, exc.message, exc.retry_after or 60.0)
                break
            except PlatformError as exc:  # this video (gone, refused): note it, go on
                self.report.errors.append(f"publication {target.publication_id}: {exc.message}")
                retry = 300.0 if isinstance(exc, TransientError) else None
                self._failed(target, exc.message, retry)
        self.repo.comments_synced(
            self.account.id,
            note=self.report.note,
            error=self.report.needs_login
            or (self.report.errors[-1] if self.report.errors else None),
        )
        return self.report

    def _failed(self, target: SyncTarget, message: str, retry_after: float | None) -> None:
        when = self.now() + timedelta(seconds=retry_after) if retry_after else None
        if when is None:
            when = next_sync_at(self._published(target), self.now(), self.settings)
        self.repo.fail_sweep(target.publication_id, message, next_sync_at=to_db(when))

    def _published(self, target: SyncTarget) -> datetime:
        return from_db(target.published_at) or self.now()

    def one(self, target: SyncTarget, *, full: bool = False) -> None:
        """Sync one video's comments (resuming an interrupted sweep)."""
        state = self.repo.state(target.publication_id)
        now = self.now()
        if state.sweep_started:
            full = state.sweep_full
            cursor = state.resume_cursor
            sweep = state.sweep
        else:
            last_full = from_db(state.last_full_at)
            due_full = last_full is None or now - last_full >= timedelta(
                hours=self.settings.full_sweep_hours
            )
            full = full or due_full
            oldest_first = self.connector.comments_order == "oldest"
            cursor = state.tail_cursor if (oldest_first and not full) else None
            sweep = self.repo.begin_sweep(target.publication_id, target.account_id, full=full)
        newest_first = self.connector.comments_order != "oldest"
        high = state.high_water
        page_cursor = cursor  # the cursor that fetched the newest page read so far
        seen = state.comments_seen if state.sweep_started else 0
        fetcher = Prefetch(self.connector, target.remote_id, self.ws)
        try:
            pending: Future[Page[RemoteComment]] | None = fetcher.fetch(cursor)
            for _ in range(self.settings.max_pages):
                if self.stop():
                    raise JobStopped("stop")
                assert pending is not None
                page, pending = pending.result(), None
                after = page.next_cursor
                more = after is not None and after != cursor
                tops = [c.remote_id for c in page.items if c.parent_remote_id is None]
                if more and (
                    full or not newest_first or not self.repo.any_known(target.account_id, tops)
                ):
                    pending = fetcher.fetch(after)  # read the next page while this one is stored
                stamp = to_db(self.now())
                incoming = [_incoming(c, stamp) for c in page.items]
                result = self.repo.store_page(
                    target.account_id,
                    target.publication_id,
                    incoming,
                    own_names=self.names,
                    labeler=self.labeler,
                    resume_cursor=after,
                    sweep=sweep,
                )
                self.report.pages += 1
                self.report.new += result.new
                self.report.edited += result.edited
                seen += len(incoming)
                if result.newest and (high is None or result.newest > high):
                    high = result.newest
                if page.items or cursor is None:
                    page_cursor = cursor
                reached_known = newest_first and not full and result.known_top > 0
                if not more or reached_known:
                    break
                cursor = after
                if pending is None:
                    pending = fetcher.fetch(cursor)
        finally:
            fetcher.close()
        self.report.videos += 1
        self.report.deleted += self.repo.finish_sweep(
            target.publication_id,
            tail_cursor=page_cursor if not newest_first else None,
            high_water=high,
            next_sync_at=to_db(next_sync_at(self._published(target), self.now(), self.settings)),
            seen=seen,
        )


class Prefetch:
    """Reads comment pages in one helper thread, so the next page is on its way while
    the last one is stored (a read: a page read and not stored is only discarded)."""

    def __init__(self, connector: BaseConnector, video: str, ws: Workspace) -> None:
        self.connector = connector
        self.video = video
        self.ws = ws
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="comments")

    def fetch(self, cursor: str | None) -> Future[Page[RemoteComment]]:
        return self.pool.submit(self.connector.comments, self.video, cursor)

    def close(self) -> None:
        """Wait for a read still on its way, close the thread's database connection."""
        self.pool.submit(self.ws.store.close)
        self.pool.shutdown(wait=True)


def sync_comments(
    ws: Workspace,
    account: AccountRow,
    *,
    due_only: bool = False,
    full: bool = False,
    connector: BaseConnector | None = None,
    stop: StopCheck | None = None,
) -> CommentsReport:
    """Sync the comments of the account's published videos (only those due, if asked)."""
    repo = SyncRepo(ws.store)
    targets = repo.targets(account.id, due_by=to_db(utcnow()) if due_only else None)
    try:
        own = connector or account_connector(ws, account)
    except Unsupported as exc:
        repo.comments_synced(account.id, note=exc.message)
        return CommentsReport(account.name, note=exc.message)
    try:
        if not targets:
            probe = CommentSync(ws, account, own, stop=stop)
            note = _probe_note(own)
            repo.comments_synced(account.id, note=note)
            probe.report.note = note
            return probe.report
        return CommentSync(ws, account, own, stop=stop).run(targets, full=full)
    finally:
        if connector is None:
            own.close()


def _probe_note(connector: BaseConnector) -> str | None:
    """Without videos to read, still tell whether the account has a comment API."""
    from platforms.registry import comments_note

    business = False
    if connector.platform == "tiktok":
        business = bool(connector.tokens.credentials.business)
    return comments_note(connector.platform, business=business)
