"""Platform accounts: who we publish as, and whether their login still works.

An account is (platform, handle) — the handle without its leading @. Its
secrets are not here (storage/secrets.py); the database keeps only what a
listing needs: the login state (`ok` / `needs_login` with what the platform
said), a copy of the access token's expiry, when it was last checked.
`AccountRow.state` turns those into the word `accounts list` shows: ok;
expiring (a login will be needed within 7 days: the refresh token, or an
access token that cannot be refreshed, lapses); expired (it has lapsed);
needs_login (the platform refused the refresh token). Access tokens that
lapse are refreshed by themselves and do not change the state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storage.db import Store
from storage.timefmt import from_db, to_db, utcnow
from storage.vocab import AuthState, Platform, values

PLATFORMS = values(Platform)
EXPIRING = timedelta(days=7)


class AccountError(ValueError):
    """An account cannot be named or added; the message says what to do."""


def normalise_handle(handle: str) -> str:
    """A handle as stored: stripped, without one leading @."""
    text = handle.strip()
    return text[1:].strip() if text.startswith("@") else text


def parse_name(name: str) -> tuple[str, str]:
    """`PLATFORM:HANDLE` (the handle may start with @) → (platform, handle)."""
    platform, sep, handle = name.partition(":")
    platform = platform.strip().lower()
    handle = normalise_handle(handle)
    if not sep or not handle:
        raise AccountError(
            f"account {name!r} must be written PLATFORM:HANDLE, e.g. tiktok:@pantrylab"
        )
    if platform not in PLATFORMS:
        raise AccountError(
            f"account {name!r}: {platform!r} is not a platform; use one of {', '.join(PLATFORMS)}"
        )
    return platform, handle


@dataclass(frozen=True)
class AccountRow:
    """One account with its login state (no secrets)."""

    id: int
    platform: str
    handle: str
    display_name: str
    external_id: str | None
    auth_state: str
    auth_error: str | None
    token_expires_at: str | None
    login_expires_at: str | None
    checked_at: str | None
    created_at: str

    @property
    def name(self) -> str:
        """`PLATFORM:HANDLE`, as commands take it."""
        return f"{self.platform}:{self.handle}"

    @property
    def secrets_key(self) -> str:
        """Its key in the secrets file."""
        return f"{self.platform}:{self.handle}"

    def state(self, now: datetime | None = None) -> str:
        """ok / expiring / expired / needs_login."""
        if self.auth_state == AuthState.NEEDS_LOGIN:
            return "needs_login"
        expires = from_db(self.login_expires_at)
        if expires is None:
            return "ok"
        now = now or utcnow()
        if expires <= now:
            return "expired"
        return "expiring" if expires - now <= EXPIRING else "ok"

    def to_json(self, now: datetime | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "handle": self.handle,
            "name": self.name,
            "display_name": self.display_name,
            "user_id": self.external_id,
            "expires_at": self.token_expires_at,
            "login_expires_at": self.login_expires_at,
            "state": self.state(now),
            "error": self.auth_error,
            "checked_at": self.checked_at,
        }

    @classmethod
    def from_row(cls, row: Any) -> AccountRow:
        return cls(
            row["id"],
            row["platform"],
            row["handle"],
            row["display_name"],
            row["external_id"],
            row["auth_state"],
            row["auth_error"],
            row["token_expires_at"],
            row["login_expires_at"],
            row["checked_at"],
            row["created_at"],
        )


class AccountRepo:
    """Add, find and list accounts; record their login state."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self) -> list[AccountRow]:
        rows = self.store.conn.execute("SELECT * FROM accounts ORDER BY platform, handle, id")
        return [AccountRow.from_row(r) for r in rows]

    def get(self, account_id: int) -> AccountRow | None:
        row = self.store.conn.execute(
            "SELECT * FROM accounts WHERE id = ?", (account_id,)
        ).fetchone()
        return AccountRow.from_row(row) if row else None

    def find(self, platform: str, handle: str) -> AccountRow | None:
        row = self.store.conn.execute(
            "SELECT * FROM accounts WHERE platform = ? AND handle = ?",
            (platform, normalise_handle(handle)),
        ).fetchone()
        return AccountRow.from_row(row) if row else None

    def by_name(self, name: str) -> AccountRow:
        """The account `PLATFORM:HANDLE`; AccountError naming what to do when there is none."""
        platform, handle = parse_name(name)
        found = self.find(platform, handle)
        if found is None:
            raise AccountError(
                f"there is no account {platform}:{handle}; add it with `reelroom accounts add "
                f"{platform} {handle} --credentials FILE.json` (`reelroom accounts list` shows them)"
            )
        return found

    def upsert(
        self,
        platform: str,
        handle: str,
        *,
        external_id: str | None,
        token_expires_at: datetime | None,
        login_expires_at: datetime | None = None,
        conn: Any = None,
    ) -> tuple[int, bool]:
        """Add the account or refresh its row (login state back to ok); (id, created)."""
        handle = normalise_handle(handle)
        if platform not in PLATFORMS:
            raise AccountError(f"{platform!r} is not a platform; use one of {', '.join(PLATFORMS)}")
        if not handle:
            raise AccountError("the handle is empty; give the account's name, e.g. @pantrylab")
        expires = to_db(token_expires_at) if token_expires_at else None
        login = to_db(login_expires_at) if login_expires_at else None

        def write(c: Any) -> tuple[int, bool]:
            old = c.execute(
                "SELECT id FROM accounts WHERE platform = ? AND handle = ?", (platform, handle)
            ).fetchone()
            if old is not None:
                c.execute(
                    "UPDATE accounts SET external_id = COALESCE(?, external_id), "
                    "token_expires_at = ?, login_expires_at = ?, auth_state = 'ok', "
                    "auth_error = NULL WHERE id = ?",
                    (external_id, expires, login, old["id"]),
                )
                return int(old["id"]), False
            row = c.execute(
                "INSERT INTO accounts (platform, handle, display_name, external_id, created_at, "
                "auth_state, token_expires_at, login_expires_at) "
                "VALUES (?, ?, '', ?, ?, 'ok', ?, ?) RETURNING id",
                (platform, handle, external_id, to_db(utcnow()), expires, login),
            ).fetchone()
            return int(row["id"]), True

        if conn is not None:
            return write(conn)
        with self.store.write() as c:
            return write(c)

    def set_login_ok(
        self,
        account_id: int,
        *,
        token_expires_at: datetime | None,
        login_expires_at: datetime | None = None,
        display_name: str | None = None,
    ) -> None:
        """A refresh or check worked: ok, with the new expiries (and name, when known)."""
        with self.store.write() as conn:
            conn.execute(
                "UPDATE accounts SET auth_state = 'ok', auth_error = NULL, "
                "token_expires_at = COALESCE(?, token_expires_at), "
                "login_expires_at = COALESCE(?, login_expires_at), "
                "display_name = COALESCE(?, display_name), checked_at = ? WHERE id = ?",
                (
                    to_db(token_expires_at) if token_expires_at else None,
                    to_db(login_expires_at) if login_expires_at else None,
                    display_name,
                    to_db(utcnow()),
                    account_id,
                ),
            )

    def set_needs_login(self, account_id: int, message: str) -> None:
        """The platform refused the refresh token: a person must log in again."""
        with self.store.write() as conn:
            conn.execute(
                "UPDATE accounts SET auth_state = 'needs_login', auth_error = ?, checked_at = ? "
                "WHERE id = ?",
                (message, to_db(utcnow()), account_id),
            )

    def needing_login(self) -> list[AccountRow]:
        """Accounts a person must log in to again."""
        rows = self.store.conn.execute(
            "SELECT * FROM accounts WHERE auth_state = 'needs_login' ORDER BY platform, handle"
        )
        return [AccountRow.from_row(r) for r in rows]
