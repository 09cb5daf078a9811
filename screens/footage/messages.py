"""Typed messages of the Footage tab's workers (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from storage.footage_models import Asset, ProcessInfo
from storage.footage_query import AssetQuery


@dataclass
class WindowLoaded(Message):
    """A fresh window of the library under `query`, with the count and the watcher state.

    `at_start`/`at_end` say whether the window touches the ends of the whole
    list; `cursor_id` is the asset the cursor should stay on (when still there)
    and `cursor_index` where it goes otherwise.
    """

    generation: int
    query: AssetQuery
    rows: list[Asset]
    at_start: bool
    at_end: bool
    total: int
    cursor_id: int | None
    cursor_index: int
    watchers: list[ProcessInfo]
    last_import_at: str | None
    now: datetime


@dataclass
class PageLoaded(Message):
    """One more page next to the window's `edge` ("start" or "end"); `complete` when
    it reached that end of the whole list."""

    generation: int
    edge: str
    rows: list[Asset]
    complete: bool


@dataclass
class ClipLoaded(Message):
    """One asset with its paths, read for `purpose` (detail, open, copy, tag, link); None: gone."""

    purpose: str
    asset_id: int
    asset: Asset | None


@dataclass
class ClipChanged(Message):
    """A link or tag edit was written; `what` says which, for the notification."""

    asset_id: int
    what: str


@dataclass
class FootagePainted(Message):
    """The table shows a new window or page (tests and benchmarks wait for it)."""

    kind: str  # "window" or "page"
    rows: int
