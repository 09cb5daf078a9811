"""The Inbox tab's services for one workspace (screens/inbox/services.py).

Built here because only the app layer may fill saved replies, know the
platforms' limits and reply windows, queue replies and read which accounts
have a comment API (a TikTok account's business connection is in the
owner-only secrets file; only its presence is read). Headless.
"""

from __future__ import annotations

import pwd
from datetime import datetime
from typing import Callable

from app.inbox.replies import actor, compose, preview, queue_reply
from app.publishing.connect import secrets_file
from app.workspace import Workspace
from platforms.credentials import StoredKeeper
from platforms.registry import comments_note
from screens.inbox.services import InboxServices, ReplyCheck
from storage.accounts import AccountRepo
from storage.inbox import InboxRepo
from storage.inbox_models import InboxItem, Reply
from storage.inbox_replies import SavedReplyRepo
from storage.inbox_triage import TriageRepo
from storage.timefmt import utcnow


def account_notes(ws: Workspace) -> dict[int, str]:
    """Accounts whose platform gives them no comment API, and the platform's sentence."""
    secrets = secrets_file(ws)
    notes: dict[int, str] = {}
    for account in AccountRepo(ws.store).all():
        business = False
        if account.platform == "tiktok":
            try:
                if secrets.get(account.secrets_key) is None:
                    continue  # nothing known about it yet: say nothing rather than guess
                business = bool(StoredKeeper(secrets, account.secrets_key).load().business)
            except Exception:  # an unreadable secrets file: the sync says why
                continue
        note = comments_note(account.platform, business=business)
        if note:
            notes[account.id] = note
    return notes


def teammates(ws: Workspace) -> list[str]:
    """User names to offer: earlier assignees, then this machine's people (uid ≥ 1000)."""
    names = InboxRepo(ws.store).assignees()
    try:
        people = sorted(
            p.pw_name
            for p in pwd.getpwall()
            if p.pw_uid >= 1000 and not p.pw_shell.endswith(("nologin", "false"))
        )
    except OSError:
        people = []
    return list(dict.fromkeys([*names, *people]))


def inbox_services(ws: Workspace, clock: Callable[[], datetime] = utcnow) -> InboxServices:
    """The Inbox tab's services on this workspace; `clock` is the App's (reply windows
    are judged by it, as the countdown the tab shows is)."""
    store = ws.store

    def fill(item: InboxItem, name: str) -> str:
        return compose(ws, item, text=None, saved=name)

    def check(item: InboxItem, text: str) -> ReplyCheck:
        found = preview(ws, item, text)
        return ReplyCheck(
            found.text, found.length, found.limit, found.window_ends, found.problem(clock())
        )

    def queue(item_id: int, text: str, saved: str | None) -> Reply:
        return queue_reply(ws, item_id, text=text, saved=saved, who=actor(), now=clock())

    return InboxServices(
        inbox=InboxRepo(store),
        triage=TriageRepo(store),
        saved=SavedReplyRepo(store),
        actor=actor(),
        notes=lambda: account_notes(ws),
        fill=fill,
        check=check,
        queue_reply=queue,
        window_hours=ws.config.inbox.reply_window_hours,
        teammates=lambda: teammates(ws),
    )
