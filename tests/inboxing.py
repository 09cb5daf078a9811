"""Helpers shared by the inbox tests: a workspace on the fake platforms with an account,
a connector that sleeps on the fake clock, published videos, running due jobs now, and
the Inbox tab's showcase workspace (the demo plus right-to-left, emoji, CJK and a
5,000-character comment)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from conftest import FROZEN, make_workspace
from fakeplatforms import FakePlatforms
from publishing import Sleeps, publishing_home

from app.demo.seed import seed_demo
from app.publishing.connect import account_connector, secrets_file
from app.workspace import Workspace, open_workspace
from platforms.common import BaseConnector
from platforms.credentials import parse_credentials, to_entry
from storage import Store
from storage.accounts import AccountRepo, AccountRow
from storage.posts import PostRepo
from storage.publications import NewPublication, PublicationRepo
from storage.timefmt import to_db

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


# --- the Inbox tab's showcase (Pilot and snapshot tests) ----------------------------------

LONG = "Long story: " + "我们这边的更好吃 and the sauce 🔥 " * 200  # ~5,000 characters
SHOWCASE = [
    ("رنا", "هل يمكن استخدام زيت الزيتون بدلاً من الزبدة؟"),
    ("נועה", "מתכון מעולה, תודה!"),
    ("chef👨‍🍳", "Best tofu ever 🔥🔥 👨‍🍳"),
    ("夜市达人", "太好吃了！在哪里买的锅？"),
    ("long_writer", LONG),
]


def showcase_workspace(root: Path) -> Workspace:
    """The demo (Asia/Shanghai, seeded at FROZEN) with Instagram's reply window set and,
    newest of all, comments in Arabic, Hebrew, emoji, Chinese and one of 5,000 characters."""
    ws = make_workspace(root, zone="Asia/Shanghai")
    config = root / "config.toml"
    config.write_text(
        config.read_text("utf-8") + "[inbox]\ninstagram_reply_window_hours = 168\n", "utf-8"
    )
    ws = open_workspace(str(root))
    seed_demo(ws.store, ws.home, now=FROZEN, make_clips=False, zone=ws.config.zone)
    conn = ws.store.conn
    account = conn.execute("SELECT id FROM accounts WHERE platform = 'instagram'").fetchone()[0]
    pub = conn.execute(
        "SELECT id FROM publications WHERE account_id = ? AND state = 'published' "
        "ORDER BY published_at DESC LIMIT 1",
        (account,),
    ).fetchone()[0]
    for n, (author, body) in enumerate(SHOWCASE):
        ws.store.db.table("inbox_items").insert(
            {
                "account_id": account,
                "publication_id": pub,
                "kind": "comment",
                "remote_id": f"showcase-{n}",
                "author": author,
                "body": body,
                "received_at": to_db(FROZEN - timedelta(minutes=5 + n)),
                "status": "new",
                "labels": '["question"]' if "?" in body or "？" in body else "[]",
                "source": "demo",
            }
        )
    return ws
