"""Typed messages of the Inbox tab's workers (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from storage.inbox import InboxQuery
from storage.inbox_models import AccountBacklog, InboxItem, SavedReply, Thread


@dataclass
class InboxWindowLoaded(Message):
    """A window of items under `query`, the count and the accounts' backlogs and notes.

    `at_start`/`at_end`: the window touches that end of the whole list;
    `cursor_id` is the item the cursor stays on (when still there), else
    `cursor_index`.
    """

    generation: int
    query: InboxQuery
    rows: list[InboxItem]
    at_start: bool
    at_end: bool
    total: int
    cursor_id: int | None
    cursor_index: int
    backlogs: list[AccountBacklog]
    notes: dict[int, str]
    now: datetime


@dataclass
class InboxPageLoaded(Message):
    """One more page next to the window's `edge`; `complete` when that end is reached."""

    generation: int
    edge: str
    rows: list[InboxItem]
    complete: bool


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


@dataclass
class InboxPainted(Message):
    """The table shows a new window or page (tests and benchmarks wait for it)."""

    kind: str  # "window" or "page"
    rows: int
