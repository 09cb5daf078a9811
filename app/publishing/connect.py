"""A connector for one of the workspace's accounts, wired to its secrets, hosts and ledger.

The secrets come from the owner-only `secrets.json` of the home; the hosts
from `[platforms.NAME]`; YouTube's quota from the ledger in the database and
`[publish] youtube_*`. A refresh writes the rotated tokens to the secrets
file first, then copies the new expiry (never a token) to the database.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.workspace import Workspace
from platforms.base import Credentials
from platforms.common import BaseConnector, ConnectorContext
from platforms.credentials import StoredKeeper, login_horizon
from platforms.http import Sleep
from platforms.registry import connector_for
from storage.accounts import AccountRepo, AccountRow
from storage.quota import QuotaRepo
from storage.secrets import SecretsFile


def secrets_file(ws: Workspace) -> SecretsFile:
    """The workspace's secrets file."""
    return SecretsFile(ws.home.secrets_path)


def endpoints(ws: Workspace, platform: str) -> dict[str, str]:
    """`[platforms.NAME]` of config.toml as a plain mapping."""
    return dataclasses.asdict(getattr(ws.config.platforms, platform))


def account_connector(
    ws: Workspace,
    account: AccountRow,
    *,
    sleep: Sleep | None = None,
    chunk_bytes: int | None = None,
    clock: Callable[[], datetime] | None = None,
) -> BaseConnector:
    """The connector of `account` (raises platforms.base.Unsupported when there is none yet)."""
    repo = AccountRepo(ws.store)

    def on_credentials(creds: Credentials) -> None:
        repo.set_login_ok(
            account.id,
            token_expires_at=creds.expires_at,
            login_expires_at=login_horizon(creds),
        )

    settings: dict[str, Any] = dataclasses.asdict(ws.config.publish)
    ctx = ConnectorContext(
        account=account.name,
        endpoints=endpoints(ws, account.platform),
        keeper=StoredKeeper(secrets_file(ws), account.secrets_key),
        quota=QuotaRepo(ws.store),
        settings=settings,
        on_credentials=on_credentials,
        sleep=sleep,
        chunk_bytes=chunk_bytes,
        clock=clock,
    )
    return connector_for(account.platform, ctx)
