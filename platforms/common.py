"""What every connector shares: its context, the authorised request, the resume loop.

`ConnectorContext` is everything a connector is built with (the account's
name, the `[platforms.NAME]` hosts, its TokenKeeper, the quota ledger,
publish settings, a `sleep`, an optional httpx client). `BaseConnector`
gives each platform:

- `self.http` (platforms/http.py) and `self.tokens` (platforms/auth.py)
  wired together, with one `Redactor` that learns every token it sees;
- `authed(...)`: one request with the account's Bearer token, refreshed once
  after a 401;
- `resuming(...)`: runs a publish attempt again (at most `rounds` times) after
  a doubtful transport failure, so the next round starts by asking the
  platform what it already has, within the same job attempt;
- the stop check between chunks (`JobStopped` at a safe point).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from platforms.auth import TokenSession
from platforms.base import (
    AccountInfo,
    AuthExpired,
    Credentials,
    Journal,
    MetricSample,
    Page,
    Progress,
    PublishRequest,
    PublishResult,
    QuotaLedger,
    RemoteComment,
    RemoteVideo,
    StopCheck,
    TokenKeeper,
    TransientError,
    Unsupported,
)
from platforms.http import Http, Redactor, RetryPolicy, Sleep, StepSink, ThrottleHook
from storage.jobs import JobStopped

T = TypeVar("T")


@dataclass(frozen=True)
class ConnectorContext:
    """Everything a connector of one account is built with."""

    account: str  # PLATFORM:HANDLE
    endpoints: Mapping[str, str]  # [platforms.NAME] of config.toml
    keeper: TokenKeeper
    quota: QuotaLedger | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)  # [publish] values
    on_credentials: Callable[[Credentials], None] | None = None
    sleep: Sleep | None = None
    client: httpx.Client | None = None
    policy: RetryPolicy | None = None
    chunk_bytes: int | None = None  # upload chunk size (tests, the bench); None: the default
    clock: Callable[[], datetime] | None = None  # "now" for token and doubt ages; None: real time

    @property
    def handle(self) -> str:
        return self.account.partition(":")[2]


class BaseConnector:
    """The plumbing of a connector; platforms subclass it and add their protocol."""

    platform = ""
    label = ""
    needs_refresh_token = True  # False: the platform refreshes the access token itself
    comments_order = "newest"  # how comments() lists a video's comments: newest or oldest first
    reply_limit: int | None = None  # characters a reply may have, when the platform says
    metrics_batch = 1  # videos one metrics() call may ask about

    def __init__(self, ctx: ConnectorContext, *, throttle: ThrottleHook | None = None) -> None:
        self.ctx = ctx
        self.redactor = Redactor()
        kwargs: dict[str, Any] = {}
        if ctx.sleep is not None:
            kwargs["sleep"] = ctx.sleep
        self.http = Http(
            client=ctx.client,
            policy=ctx.policy,
            throttle=throttle,
            redactor=self.redactor,
            platform=self.label or self.platform,
            **kwargs,
        )
        self.tokens = TokenSession(
            ctx.keeper,
            self.refresh_credentials,
            account=ctx.account,
            redactor=self.redactor,
            on_change=ctx.on_credentials,
            clock=ctx.clock,
            due=self.refresh_due,
            needs_refresh_token=self.needs_refresh_token,
        )

    def close(self) -> None:
        self.http.close()

    # --- what subclasses provide -------------------------------------------------------

    def refresh_credentials(self, credentials: Credentials) -> Credentials:
        """Ask the platform for new tokens (NeedsLogin when it refuses the refresh token)."""
        raise NotImplementedError

    def refresh(self) -> Credentials:
        """Refresh the access token now (rotated refresh tokens stored first)."""
        return self.tokens.refresh()

    def refresh_due(self, credentials: Credentials, now: datetime) -> bool:
        """The platform's own rule for refreshing a token that does not lapse yet (none here)."""
        return False

    def now(self) -> datetime:
        """The connector's clock (the context's, else real UTC time)."""
        return self.ctx.clock() if self.ctx.clock is not None else datetime.now(UTC)

    # The Connector interface (platforms.base.Connector). A platform overrides what
    # its API offers; what it lacks keeps raising Unsupported with a true sentence.

    def _lacks(self, what: str) -> Unsupported:
        return Unsupported(f"ReelRoom cannot {what} on {self.label or self.platform} yet")

    def check(self) -> AccountInfo:
        raise self._lacks("check an account")

    def publish(
        self, request: PublishRequest, journal: Journal, progress: Progress, stop: StopCheck
    ) -> PublishResult:
        raise self._lacks("publish")

    def status(self, journal: Journal) -> PublishResult:
        raise self._lacks("follow a publication")

    def own_videos(self, cursor: str | None = None) -> Page[RemoteVideo]:
        raise self._lacks("list the account's videos")

    def comments(self, video_remote_id: str, cursor: str | None = None) -> Page[RemoteComment]:
        raise self._lacks("read comments")

    def reply(self, comment: RemoteComment, text: str, journal: Journal) -> RemoteComment:
        raise self._lacks("reply to comments")

    def metrics(self, video_remote_ids: Sequence[str]) -> list[MetricSample]:
        raise self._lacks("read numbers")

    def followers(self) -> int | None:
        """The follower count of the account check (platforms with a cheaper read override)."""
        return self.check().followers

    # --- helpers ---------------------------------------------------------------------------

    def authed(
        self,
        step: str,
        method: str,
        url: str,
        *,
        safe: bool,
        log: StepSink | None = None,
        headers: Mapping[str, str] | None = None,
        auth_header: Callable[[str], dict[str, str]] | None = None,
        refused: Callable[[httpx.Response], bool] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        """One request with the account's token; refreshed once and sent again after a 401."""
        make_auth = auth_header or (lambda token: {"Authorization": f"Bearer {token}"})

        def call(token: str) -> httpx.Response:
            return self.http.send(
                step,
                method,
                url,
                safe=safe,
                log=log,
                headers={**(headers or {}), **make_auth(token)},
                **kw,
            )

        response = self.tokens.authorized(call, refused or (lambda r: r.status_code == 401))
        if (refused or (lambda r: r.status_code == 401))(response):
            raise AuthExpired(
                f"{self.ctx.account}: the platform refused a freshly refreshed token; "
                f"check the app's permissions, then `reelroom accounts check {self.ctx.account}`"
            )
        return response

    def resuming(self, attempt: Callable[[], T], journal: Journal, rounds: int = 3) -> T:
        """Run `attempt`; after a doubtful transport failure run it again (it asks first)."""
        for left in range(rounds, 0, -1):
            try:
                return attempt()
            except TransientError as exc:
                if left == 1:
                    raise
                journal.record("resume", last_doubt=self.redactor.scrub(exc.message))
        raise AssertionError("unreachable")

    @staticmethod
    def check_stop(stop: StopCheck) -> None:
        """Raise JobStopped at a safe point when the job must stop (cancel, shutdown)."""
        if stop():
            raise JobStopped("stop")
