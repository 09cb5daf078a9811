"""What the Inbox tab reads and writes through, handed in by app/tabs.py.

Repositories for reads and triage, and plain callables for what the app
layer knows (filling a saved reply, the platform's length limit and reply
window, queueing a reply, the comment-API notes of accounts, teammates'
user names). The tab never builds a connector or reads secrets itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from storage.inbox import InboxRepo
from storage.inbox_models import InboxItem, Reply
from storage.inbox_replies import SavedReplyRepo
from storage.inbox_triage import TriageRepo


@dataclass(frozen=True)
class ReplyCheck:
    """A reply as it would go out: its length, the platform's limit, the reply window."""

    text: str
    length: int
    limit: int | None
    window_ends: datetime | None
    problem: str | None  # why it cannot go out as it is (None: it can)


@dataclass(frozen=True)
class InboxServices:
    """The Inbox tab's repositories and the app's inbox functions (one store)."""

    inbox: InboxRepo
    triage: TriageRepo
    saved: SavedReplyRepo
    actor: str  # the OS user name triage is done as
    notes: Callable[[], dict[int, str]]  # account id -> why it has no comment API
    fill: Callable[[InboxItem, str], str]  # (item, saved reply name) -> the filled text
    check: Callable[[InboxItem, str], ReplyCheck]  # (item, text) -> what the platform allows
    queue_reply: Callable[[int, str, str | None], Reply]  # (item id, text, saved name)
    window_hours: Callable[[str], int]  # platform -> hours a comment takes replies (0: none)
    teammates: Callable[[], list[str]]  # user names to offer for `a`

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.inbox.close_connection()
