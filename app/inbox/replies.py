"""Replies: composing one (a saved reply's variables filled), queueing it, and the
`reply` job that sends it once.

`compose` fills a saved reply for an item: `{author}` the commenter,
`{video_title}` the video's title, `{link}` `[inbox] link`, `{post_url}` the
video's public link; `preview` adds what the platform allows (its length
limit, the reply window). `queue_reply` stores the reply and its job (the
command line and the tab both call it).

The job (`ReplyRun`):

- waits for the account's pace (`[inbox] PLATFORM_reply_gap_seconds`,
  checked and taken in one transaction) without holding a worker;
- hands the connector the reply's journal: the intent is on disk before the
  request, and after a crash or a lost answer the connector looks for the
  reply on the platform before it sends again — a reply is never posted twice;
- offline-safe: while the network is down or the platform throttles or is
  out of quota, the job waits in the queue (longer each time) and the reply
  stays pending with the reason; a refusal fails it with the platform's words
  and the item goes back to new.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NoReturn

from app.publishing.connect import account_connector
from app.worker import Handler, JobRun
from app.workspace import Workspace
from platforms.base import (
    NeedsLogin,
    PlatformError,
    QuotaExhausted,
    RateLimited,
    RemoteComment,
    TransientError,
)
from platforms.registry import reply_limit
from storage.accounts import AccountRepo
from storage.inbox import InboxError, InboxRepo
from storage.inbox_models import InboxItem, Reply
from storage.inbox_replies import ReplyJournal, ReplyRepo, SavedReplyRepo, fill
from storage.jobs import JobPostponed
from storage.publications import PublicationRepo
from storage.timefmt import from_db, to_db, utcnow

MAX_OFFLINE_WAIT_S = 3600.0


def actor() -> str:
    """The OS user name of whoever runs this (triage log, replies, assignment)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass(frozen=True)
class Preview:
    """A reply as it will go out, and what the platform allows."""

    text: str
    length: int
    limit: int | None
    window_ends: datetime | None  # None: no reply window known for the platform

    @property
    def too_long(self) -> bool:
        return self.limit is not None and self.length > self.limit

    def problem(self, now: datetime) -> str | None:
        """Why it cannot go out as it is (None: it can)."""
        if not self.text.strip():
            return "the reply is empty"
        if self.too_long:
            return f"the reply is {self.length} characters; the platform takes at most {self.limit}"
        if self.window_ends is not None and now >= self.window_ends:
            return "the platform's reply window for this comment has closed"
        return None


def variables(ws: Workspace, item: InboxItem) -> dict[str, str]:
    """The values a saved reply's variables take for this item."""
    video = InboxRepo(ws.store).video(item.publication_id) if item.publication_id else None
    return {
        "author": item.author,
        "video_title": video.title if video else "",
        "link": ws.config.inbox.link,
        "post_url": (video.remote_url or "") if video else "",
    }


def window_end(ws: Workspace, item: InboxItem) -> datetime | None:
    """When the platform stops taking replies to this item (None: no known window)."""
    hours = ws.config.inbox.reply_window_hours(item.platform)
    received = from_db(item.received_at)
    if not hours or received is None:
        return None
    return received + timedelta(hours=hours)


def preview(ws: Workspace, item: InboxItem, text: str) -> Preview:
    """The reply as it would go out for `item` (saved-reply variables already filled)."""
    return Preview(text, len(text), reply_limit(item.platform), window_end(ws, item))


def compose(ws: Workspace, item: InboxItem, *, text: str | None, saved: str | None) -> str:
    """The reply text: `text` as given, or the saved reply `saved` filled for the item."""
    if saved is not None:
        template = SavedReplyRepo(ws.store).must(saved)
        return fill(template.body, variables(ws, item))
    return text or ""


def queue_reply(
    ws: Workspace,
    item_id: int,
    *,
    text: str | None = None,
    saved: str | None = None,
    who: str | None = None,
    now: datetime | None = None,
) -> Reply:
    """Check and queue a reply (InboxError saying why it cannot go).

    `now` (default: the real time) is when the reply window is judged: the TUI
    passes its clock, so the check agrees with the countdown it shows.

    The text is `text` as given, else the saved reply `saved` filled for the item;
    with both, `text` goes out and `saved` is noted as where it came from.
    """
    repo = InboxRepo(ws.store)
    item = repo.must(item_id)
    body = text if text is not None else compose(ws, item, text=None, saved=saved)
    problem = preview(ws, item, body).problem(now or utcnow())
    if problem:
        raise InboxError(f"item {item_id}: {problem}")
    return ReplyRepo(ws.store, max_attempts=ws.config.worker.max_attempts).queue(
        item_id, body, actor=who or actor(), saved_reply=saved
    )


def reply_handler(ws: Workspace) -> Handler:
    """The handler of `reply` jobs for this workspace."""

    def handler(run: JobRun) -> None:
        """Send one reply, once."""
        ReplyRun(ws, run).go()

    return handler


class ReplyRun:
    """One run of a reply job."""

    def __init__(self, ws: Workspace, run: JobRun) -> None:
        self.ws = ws
        self.run = run
        self.repo = ReplyRepo(ws.store)
        self.reply_id = int(run.job.payload["reply_id"])

    def go(self) -> None:
        reply = self.repo.get(self.reply_id)
        if reply is None or reply.state != "pending" or reply.job_id != self.run.job.id:
            return  # withdrawn, settled, or a newer job speaks for it
        item = InboxRepo(self.ws.store).get(reply.item_id)
        if item is None:
            return
        accounts = AccountRepo(self.ws.store)
        account = accounts.get(item.account_id)
        if account is None:
            return
        if account.auth_state == "needs_login":
            self.repo.mark_failed(reply.id, f"{account.name} needs a login: {account.auth_error}")
            return
        journal = ReplyJournal(self.ws.store, reply.id)
        ends = window_end(self.ws, item)
        if ends is not None and utcnow() >= ends and not journal.doubtful("reply"):
            self.repo.mark_failed(reply.id, "the platform's reply window for this comment closed")
            return
        gap = timedelta(seconds=self.ws.config.inbox.reply_gap_seconds(item.platform))
        later = self.repo.begin_send(reply.id, account.id, gap)
        if later is not None:
            note = f"waits for {gap.total_seconds():g} s between replies of {account.name}"
            raise JobPostponed(to_db(later), note)
        try:
            connector = account_connector(self.ws, account, sleep=self.run.sleep)
        except PlatformError as exc:
            self.repo.mark_failed(reply.id, exc.message)
            return
        try:
            sent = connector.reply(self._comment(item), reply.body, journal)
        except NeedsLogin as exc:
            accounts.set_needs_login(account.id, exc.message)
            self.repo.mark_failed(reply.id, exc.message)
            return
        except (RateLimited, QuotaExhausted) as exc:
            self._wait(exc.retry_after or 60.0, exc.message)
        except TransientError as exc:
            self._wait(None, exc.message)
        except PlatformError as exc:
            self.repo.mark_failed(reply.id, exc.message)
            return
        finally:
            connector.close()
        self.repo.mark_sent(
            reply.id,
            sent.remote_id,
            author=account.display_name or account.handle,
            received_at=sent.created_at,
        )

    def _comment(self, item: InboxItem) -> RemoteComment:
        video = item.video_remote_id
        if not video and item.publication_id is not None:
            pub = PublicationRepo(self.ws.store).get(item.publication_id)
            video = pub.remote_id if pub else None
        return RemoteComment(
            remote_id=item.remote_id,
            video_remote_id=video or "",
            author=item.author,
            body=item.body,
            created_at=from_db(item.received_at),
            parent_remote_id=item.parent_remote_id,
            can_reply=item.can_reply,
            hidden=item.hidden,
        )

    def _wait(self, seconds: float | None, why: str) -> NoReturn:
        """Wait in the queue (offline, throttled, out of quota): longer each time."""
        journal = ReplyJournal(self.ws.store, self.reply_id)
        waits = int(journal.state().get("waits") or 0)
        wait = seconds if seconds is not None else min(MAX_OFFLINE_WAIT_S, 15.0 * 2**waits)
        journal.record("wait", waits=waits + 1)
        until = utcnow() + timedelta(seconds=max(1.0, wait))
        note = f"{why}; tries again at {to_db(until)}"
        self.repo.set_note(self.reply_id, note)
        raise JobPostponed(to_db(until), note)
