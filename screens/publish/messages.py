"""Typed messages of the Publish tab and its workers, and the request other tabs send it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual.message import Message

from screens.pane import TabRequest
from storage.accounts import AccountRow
from storage.publication_models import Publication, PublicationStep
from storage.publish_queue import QueueQuery


@dataclass
class QueueLoaded(Message):
    """A fresh window of the queue under `query`, with counts and accounts.

    `at_start`/`at_end` say whether the window touches the ends of the whole
    list; `cursor_id` is the publication the cursor should be on (when it is
    there) and `cursor_index` where it goes otherwise; `top` asks the table
    to show the cursor's row near the top (the window was read around now).
    """

    generation: int
    query: QueueQuery
    rows: list[Publication]
    at_start: bool
    at_end: bool
    total: int
    counts: dict[str, int]
    accounts: list[AccountRow]
    cursor_id: int | None
    cursor_index: int
    top: bool
    now: datetime


@dataclass
class QueuePageLoaded(Message):
    """One more page next to the window's `edge` ("start" or "end"); `complete` when
    it reached that end of the whole list."""

    generation: int
    edge: str
    rows: list[Publication]
    complete: bool


@dataclass
class PublicationRead(Message):
    """One publication read for `purpose` (detail, edit, cancel, now, copy); None: gone."""

    purpose: str
    publication_id: int
    publication: Publication | None
    steps: list[PublicationStep]
    account: AccountRow | None


@dataclass
class PublicationChanged(Message):
    """A cancel, retry, now or edit ran: `text` says what happened, `error` why it did not."""

    publication_id: int
    text: str
    error: bool = False


@dataclass
class PublishPainted(Message):
    """The Publish tab shows a new window (`kind` "window") or page ("page") of `rows` rows."""

    kind: str
    rows: int


@dataclass
class PublishPost(TabRequest):
    """Someone (Calendar, Today) asks to publish a post: the App routes it to the
    Publish tab, whose pane opens the new-publication form for that post."""

    tab: ClassVar[str] = "publish"
    tab_title: ClassVar[str] = "Publish"

    post_id: int
