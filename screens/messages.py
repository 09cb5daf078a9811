"""Typed messages the panes and their workers post (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from textual.message import Message

from storage.today import TodayItems, YesterdayNumbers

if TYPE_CHECKING:
    from screens.modals.item_detail import DetailView


@dataclass
class TodayLoaded(Message):
    """A Today worker read the triage items as of `now`."""

    items: TodayItems
    now: datetime


@dataclass
class NumbersLoaded(Message):
    """A Today worker read yesterday's numbers; `key` tells when they need reading again."""

    numbers: YesterdayNumbers
    key: tuple[object, ...]


@dataclass
class TodayPainted(Message):
    """Today drew fresh data: `part` is "items" or "numbers"; `first` on the first time."""

    part: str
    first: bool


@dataclass
class DetailLoaded(Message):
    """A detail worker read one item; `view` is what the detail modal shows (None: gone)."""

    key: str
    view: DetailView | None


@dataclass
class WorkerFailed(Message):
    """A background read failed; the App shows it to the user."""

    what: str
    error: str
