"""Typed messages of the Footage tab's workers (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from screens.paged.messages import WindowLoaded, WindowPainted
from storage.footage_models import Asset, ProcessInfo
from storage.footage_query import AssetQuery


@dataclass
class FootageWindowLoaded(WindowLoaded[Asset, AssetQuery]):
    """A fresh window of the library under `query`, the count, the watcher state and
    when the newest clip was imported."""

    watchers: list[ProcessInfo]
    last_import_at: str | None


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


class FootagePainted(WindowPainted):
    """The table shows a new window or page (tests and benchmarks wait for it)."""
