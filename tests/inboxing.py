"""Helpers shared by the inbox tests: a workspace on the fake platforms with an account,
a connector that sleeps on the fake clock, published videos, running due jobs now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fakeplatforms import FakePlatforms
from publishing import Sleeps, publishing_home

from app.publishing.connect import account_connector, secrets_file
from app.workspace import Workspace, open_workspace
from platforms.common import BaseConnector
from platforms.credentials import parse_credentials, to_entry
from storage import Store
from storage.accounts import AccountRepo, AccountRow
from storage.posts import PostRepo
from storage.publications import NewPublication, PublicationRepo

INBOX_CONFIG = "[inbox]\nauto_sync = false\nyoung_minutes = 5\n"


def inbox_home(root: Path, fake: FakePlatforms, *, extra: str = "") -> Workspace:
    """A workspace pointed at the fake platforms (no automatic syncs unless asked)."""
    home = publishing_home(root, fake, extra=INBOX_CONFIG + extra)
    return open_workspace(str(home))


def add_account(
    ws: Workspace, platform: str, doc: dict[str, Any], handle: str = "maker"
) -> AccountRow:
    """An account with its credentials in the secrets file (as `accounts add` leaves it)."""
    creds = parse_credentials(doc)
    repo = AccountRepo(ws.store)
    account_id, _ = repo.upsert(
        platform, handle, external_id=creds.user_id, token_expires_at=creds.expires_at
    )
    secrets_file(ws).put(f"{platform}:{handle}", to_entry(creds))
    found = repo.get(account_id)
    assert found is not None
    return found


def connector(ws: Workspace, account: AccountRow, fake: FakePlatforms) -> BaseConnector:
    """The account's connector, its waits spent on the fake clock."""
    return account_connector(ws, account, sleep=Sleeps(fake))


def published(
    ws: Workspace, account: AccountRow, remote_id: str, title: str = "Crispy tofu"
) -> int:
    """A publication of the account already out on the platform as `remote_id`; its id."""
    post = PostRepo(ws.store).add(title, status="ready")
    repo = PublicationRepo(ws.store)
    pub = repo.add(NewPublication(post.id, account.id, file_path="/dev/null", title=title))
    repo.mark_published(pub.id, remote_id, f"https://example.test/{remote_id}")
    return pub.id


def due_now(store: Store) -> None:
    """Every waiting job becomes due now (a test does not wait out a backoff)."""
    with store.write() as conn:
        conn.execute(
            "UPDATE jobs SET run_at = '2000-01-01T00:00:00Z' WHERE state IN ('queued', 'failed')"
        )


def rows(store: Store, sql: str, *args: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in store.conn.execute(sql, args)]
