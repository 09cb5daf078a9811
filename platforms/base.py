"""The one small interface every platform connector implements, and its values.

A connector (`platforms/<platform>/`) speaks one platform's real protocol over
httpx. It is built per account with the account's hosts (config.toml
`[platforms.NAME]`), a `TokenKeeper` (the owner-only secrets file, via
storage) and an httpx client. Everything it returns is a plain value defined
here, so the worker, the CLI and the tabs never see a platform's JSON.

Never twice: anything that can create something on a platform (a post, a
reply) goes through a `Journal`. Before a creating request the connector
writes what it is about to do (`journal.intend(step, ...)`); after the answer
it writes what came back (`journal.record(step, ...)`). A journal entry that
was intended but never recorded means doubt (a crash, a timeout, a dropped
answer): the connector's next call first asks the platform what exists
(`find_*`, status of the publish id / session / container) and only then
decides whether to send again. Every request and answer also goes into the
journal's step log (method, path, status, timing; tokens redacted).

Errors a connector raises are the `PlatformError` family below; the handler
maps them to job outcomes (retry with a wait, fail for good, account needs a
login) without knowing the platform.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Generic, Mapping, Protocol, Sequence, TypeVar

T = TypeVar("T")

# --- errors -------------------------------------------------------------------


class PlatformError(Exception):
    """A platform refused or failed a request; `message` is for a person.

    `retry_after` (seconds) says when trying again may work; `permanent`
    says another attempt cannot succeed without a person changing something.
    `code` is the platform's own error word (e.g. `spam_risk_too_many_posts`).
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        retry_after: float | None = None,
        permanent: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after
        self.permanent = permanent


class TransientError(PlatformError):
    """5xx, a dropped connection or a timeout: safe to retry after asking what exists."""


class RateLimited(PlatformError):
    """429 or a platform throttle; `retry_after` is the platform's wait (or our estimate)."""


class QuotaExhausted(PlatformError):
    """A daily quota or cap is used up; `retry_after` runs to the reset. Never a retry loop."""


class AuthExpired(PlatformError):
    """The access token was refused (401): refresh once, then try again."""


class NeedsLogin(PlatformError):
    """The refresh token is gone (invalid_grant, revoked): a person must log in again."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, code=code, permanent=True)


class Rejected(PlatformError):
    """The platform refused the request itself (bad file, caption, privacy): permanent."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message, code=code, permanent=True)


# --- credentials ----------------------------------------------------------------


@dataclass(frozen=True)
class Credentials:
    """An account's secrets, as kept in the owner-only secrets file (never in the DB).

    Field meanings follow `reelroom accounts add --credentials FILE.json`:
    client_id/client_secret are TikTok's client_key/secret, Google's OAuth
    client or Kuaishou's app_id/app_secret; user_id is the TikTok/Kuaishou
    open_id, Instagram user id or YouTube channel id; `business` holds the
    TikTok API for Business connection (app_id, app_secret, access_token,
    refresh_token, business_id) when there is one.
    """

    client_id: str | None = None
    client_secret: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: datetime | None = None
    refresh_expires_at: datetime | None = None
    user_id: str | None = None
    issued_at: datetime | None = None  # when the access token was obtained (Instagram's 24 h rule)
    business: Mapping[str, str] | None = None


class TokenKeeper(Protocol):
    """Reads and writes one account's credentials in the secrets file.

    `save` writes atomically and returns only once the file is on disk, so a
    rotated refresh token is stored before the new access token is used.
    `hold()` keeps the account's credentials to this caller (other threads and
    processes wait) for a read-refresh-save: two workers refreshing a rotating
    token at once would otherwise spend the same refresh token twice.
    """

    def load(self) -> Credentials: ...

    def save(self, credentials: Credentials) -> None: ...

    def hold(self) -> AbstractContextManager[None]: ...


# --- what a connector returns -----------------------------------------------------


@dataclass(frozen=True)
class AccountInfo:
    """The cheapest authenticated read of an account (`reelroom accounts check`)."""

    user_id: str
    handle: str
    display_name: str = ""
    followers: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)  # e.g. TikTok's privacy options


@dataclass(frozen=True)
class PublishRequest:
    """One publication to send: the file and everything said about it.

    `privacy` is ReelRoom's word (public, private, friends, unlisted); each
    connector maps it to its platform's (and refuses one the platform or the
    creator does not allow). `draft` asks for an upload to the creator's
    inbox/drafts where the platform has that instead of a direct post.
    `cover_path` is a still image for platforms that take a cover upload
    (Kuaishou); when None such a connector makes one from the video itself.
    """

    publication_id: int
    file: Path
    size_bytes: int
    content_type: str
    caption: str
    title: str = ""
    hashtags: Sequence[str] = ()
    privacy: str = "public"
    branded_content: bool = False
    draft: bool = False
    allow_comments: bool = True
    cover_time_ms: int | None = None
    cover_path: Path | None = None
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class PublishResult:
    """Where a publication stands on the platform after a call.

    `state` is `processing` (sent; the platform is still working: poll again
    after `poll_after` seconds), `published` (live, `remote_id`/`remote_url`
    known, the URL possibly only later), `draft` (delivered to the creator's
    inbox to finish in the app) or `failed` (`message` says why, for a person).
    """

    state: str
    remote_id: str | None = None
    remote_url: str | None = None
    poll_after: float | None = None
    message: str = ""
    progress: float | None = None


@dataclass(frozen=True)
class RemoteVideo:
    """A video the account has on the platform (its own videos; comments and numbers hang on it)."""

    remote_id: str
    caption: str
    created_at: datetime | None
    url: str | None = None
    duration_s: float | None = None
    cover_url: str | None = None


@dataclass(frozen=True)
class RemoteComment:
    """A comment (or reply: `parent_remote_id` set) as the platform has it."""

    remote_id: str
    video_remote_id: str
    author: str
    body: str
    created_at: datetime | None
    parent_remote_id: str | None = None
    like_count: int | None = None
    updated_at: datetime | None = None
    can_reply: bool = True
    hidden: bool = False


@dataclass(frozen=True)
class MetricSample:
    """Cumulative numbers of one video at one moment. A number the platform does not give is None."""

    video_remote_id: str
    captured_at: datetime
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    reach: int | None = None
    watch_time_s: float | None = None
    avg_view_s: float | None = None
    avg_view_pct: float | None = None
    followers_gained: int | None = None
    extra: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing, and the cursor for the next (None: the last page)."""

    items: Sequence[T]
    next_cursor: str | None = None


# --- the journal (never twice) ---------------------------------------------------------


@dataclass(frozen=True)
class StepEntry:
    """One request and its answer in a publication's (or reply's) step log; no secrets."""

    at: datetime
    step: str
    method: str
    path: str
    status: int | None
    elapsed_ms: float | None
    note: str = ""


class Journal(Protocol):
    """Durable state of one effect (a publication, a reply), committed at every call.

    `state()` is what earlier attempts wrote: keys like `publish_id`,
    `upload_url`, `session_uri`, `container_id`, `confirmed_bytes`,
    `remote_id`, and the intents. `intend(step, **data)` is written *before*
    a request that can create something; `record(step, **data)` after its
    answer (clearing the doubt of that step). `doubtful(step)` is True when
    a step was intended and never recorded.
    """

    def state(self) -> Mapping[str, Any]: ...

    def intend(self, step: str, **data: Any) -> None: ...

    def record(self, step: str, **data: Any) -> None: ...

    def doubtful(self, step: str) -> bool: ...

    def log(self, entry: StepEntry) -> None: ...


class QuotaLedger(Protocol):
    """Quota units spent per scope, bucket and day (storage/quota.py keeps them).

    `take` charges only while the total stays within `limit` (None: it would
    not); `charge` records units the platform charged regardless (a refused
    call still costs).
    """

    def used(self, scope: str, bucket: str, day: str) -> int: ...

    def take(self, scope: str, bucket: str, day: str, units: int, limit: int) -> int | None: ...

    def charge(self, scope: str, bucket: str, day: str, units: int) -> int: ...


Progress = Callable[[float], None]  # fraction 0..1 of the upload sent
StopCheck = Callable[[], bool]  # True: stop at the next safe point (cancel, shutdown)


class Connector(Protocol):
    """What every platform connector offers (an account's view of its platform).

    A capability a platform lacks raises `Unsupported` with a sentence a
    person can read (e.g. Kuaishou has no comment API); callers show that
    sentence rather than an empty list.
    """

    platform: str

    def check(self) -> AccountInfo:
        """The cheapest authenticated read; refreshes the token when it must."""
        ...

    def refresh(self) -> Credentials:
        """Refresh the access token now (rotated refresh tokens stored first)."""
        ...

    def publish(
        self, request: PublishRequest, journal: Journal, progress: Progress, stop: StopCheck
    ) -> PublishResult:
        """Send the publication, resuming from what the journal says; never a second post."""
        ...

    def status(self, journal: Journal) -> PublishResult:
        """Where a sent publication stands now (poll while it is `processing`)."""
        ...

    def own_videos(self, cursor: str | None = None) -> Page[RemoteVideo]:
        """The account's videos on the platform, newest first, a page at a time."""
        ...

    def comments(self, video_remote_id: str, cursor: str | None = None) -> Page[RemoteComment]:
        """Comments and replies of one video, a page at a time."""
        ...

    def reply(self, comment: RemoteComment, text: str, journal: Journal) -> RemoteComment:
        """Post a reply once: after any doubt, look for it before sending again."""
        ...

    def metrics(self, video_remote_ids: Sequence[str]) -> list[MetricSample]:
        """Current numbers of these videos (at most `metrics_batch` per call); a video
        the platform no longer has is left out."""
        ...

    def followers(self) -> int | None:
        """The account's follower (subscriber, fan) count now; None if it is hidden."""
        ...


class Unsupported(PlatformError):
    """The platform (or this kind of account) has no API for this; the message says so."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)
