"""An account's access token: refreshed before it lapses and once after a 401.

`TokenSession` wraps a `TokenKeeper` and the platform's refresh call. Rules
(issue 10 §1):

- a token that lapses within `margin_s` is refreshed before it is used, and
  so is one the platform's own rule says is due (`due(credentials, now)`,
  e.g. Instagram's long-lived tokens, refreshed once they are a day old);
- a request answered "token invalid" is retried once after one refresh
  (`authorized(call, refused)`), never more;
- the refresh runs under the keeper's hold, re-reading the stored
  credentials first: when another process refreshed meanwhile, its token is
  used and the (rotated, now dead) refresh token is not spent again;
- the new credentials are saved *before* the new access token is used, so a
  rotated refresh token is on disk before anything can go wrong;
- the platform refusing the refresh (invalid_grant, revoked) is `NeedsLogin`,
  raised by the platform's refresher with what to do;
- a platform that refreshes the access token itself (Instagram: no refresh
  token) says so with `needs_refresh_token=False`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx

from platforms.base import Credentials, NeedsLogin, TokenKeeper
from platforms.credentials import secret_values
from platforms.http import Redactor

Refresher = Callable[[Credentials], Credentials]
OnChange = Callable[[Credentials], None]
Due = Callable[[Credentials, datetime], bool]
MARGIN_S = 300.0


class TokenSession:
    """The current access token of one account, refreshed when it must be."""

    def __init__(
        self,
        keeper: TokenKeeper,
        refresher: Refresher,
        *,
        account: str,
        redactor: Redactor | None = None,
        on_change: OnChange | None = None,
        margin_s: float = MARGIN_S,
        clock: Callable[[], datetime] | None = None,
        due: Due | None = None,
        needs_refresh_token: bool = True,
    ) -> None:
        self.keeper = keeper
        self.refresher = refresher
        self.account = account
        self.redactor = redactor or Redactor()
        self.on_change = on_change
        self.margin = timedelta(seconds=margin_s)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.due = due
        self.needs_refresh_token = needs_refresh_token
        self.refreshes = 0
        self._creds: Credentials | None = None

    @property
    def credentials(self) -> Credentials:
        """The stored credentials (read once, then kept current by refreshes)."""
        if self._creds is None:
            self._creds = self.keeper.load()
            self.redactor.add(*secret_values(self._creds))
        return self._creds

    def _lapsing(self, creds: Credentials) -> bool:
        if not creds.access_token:
            return True
        if creds.expires_at is not None and creds.expires_at - self.margin <= self.clock():
            return True
        return self.due is not None and self.due(creds, self.clock())

    def token(self) -> str:
        """A usable access token (refreshed first when it lapses within the margin)."""
        creds = self.credentials
        if self._lapsing(creds):
            creds = self.refresh(stale=creds.access_token)
        if not creds.access_token:
            raise NeedsLogin(
                f"{self.account} has no access token; run `reelroom accounts add "
                f"{self.account.replace(':', ' ')} --credentials FILE.json` with a new one"
            )
        return creds.access_token

    def refresh(self, *, stale: str | None = None) -> Credentials:
        """Refresh now, unless the stored token already differs from `stale` (someone did)."""
        with self.keeper.hold():
            stored = self.keeper.load()
            if stale is not None and stored.access_token and stored.access_token != stale:
                if not self._lapsing(stored):
                    self._creds = stored
                    self.redactor.add(*secret_values(stored))
                    return stored
            if not stored.refresh_token and self.needs_refresh_token:
                raise NeedsLogin(
                    f"{self.account}'s access token has lapsed and no refresh token is stored; "
                    f"log in again: `reelroom accounts add {self.account.replace(':', ' ')} "
                    "--credentials FILE.json`",
                    code="no_refresh_token",
                )
            self.redactor.add(*secret_values(stored))
            fresh = self.refresher(stored)
            self.redactor.add(*secret_values(fresh))
            self.keeper.save(fresh)  # on disk before the new token is used
            self.refreshes += 1
        self._creds = fresh
        if self.on_change is not None:
            self.on_change(fresh)
        return fresh

    def authorized(
        self,
        call: Callable[[str], httpx.Response],
        refused: Callable[[httpx.Response], bool],
    ) -> httpx.Response:
        """`call(token)`; when the answer says the token is refused, refresh once and call again."""
        token = self.token()
        response = call(token)
        if not refused(response):
            return response
        fresh = self.refresh(stale=token)
        assert fresh.access_token is not None
        return call(fresh.access_token)
