"""Typed messages of the Inbox tab's workers (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from screens.paged.messages import WindowLoaded, WindowPainted
from storage.inbox import InboxQuery
from storage.inbox_models import AccountBacklog, InboxItem, SavedReply, Thread


@dataclass
class InboxWindowLoaded(WindowLoaded[InboxItem, InboxQuery]):
    """A window of items under `query`, the count and the accounts' backlogs and notes."""

    backlogs: list[AccountBacklog]
    notes: dict[int, str]


@dataclass
class ThreadLoaded(Message):
    """An item's thread read for `purpose` (detail, open, reply); None: the item is gone."""

    purpose: str
    item_id: int
    thread: Thread | None
    saved: list[SavedReply]


@dataclass
class TriageDone(Message):
    """A triage write finished: `what` for the notification (None: nothing changed)."""

    item_id: int
    what: str | None
    move_on: bool = False


class InboxPainted(WindowPainted):
    """The table shows a new window or page (tests and benchmarks wait for it)."""
