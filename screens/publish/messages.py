"""Typed messages of the Publish tab and its workers, and the request other tabs send it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message

from screens.paged.messages import WindowLoaded, WindowPainted
from screens.pane import TabRequest
from storage.accounts import AccountRow
from storage.publication_models import Publication, PublicationStep
from storage.publish_queue import QueueQuery


@dataclass
class QueueLoaded(WindowLoaded[Publication, QueueQuery]):
    """A fresh window of the queue under `query`, with the counts per state and the
    accounts; `top` asks the table to show the cursor's row near the top (the
    window was read around now)."""

    counts: dict[str, int]
    accounts: list[AccountRow]
    top: bool


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


class PublishPainted(WindowPainted):
    """The Publish tab shows a new window (`kind` "window") or page ("page") of `rows` rows."""


@dataclass
class PublishPost(TabRequest):
    """Someone (Calendar, Today) asks to publish a post: the App routes it to the
    Publish tab, whose pane opens the new-publication form for that post."""

    tab: ClassVar[str] = "publish"
    tab_title: ClassVar[str] = "Publish"

    post_id: int
