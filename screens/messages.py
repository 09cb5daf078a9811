"""Typed messages the panes and their workers post (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # annotations only: not created before Today's first paint
    from screens.modals.item_detail import DetailView
    from storage.models import Pillar, Post
    from storage.today_numbers import YesterdayNumbers
    from widgets.values import TriageSection


@dataclass
class TodayLoaded(Message):
    """A Today worker read the triage items and laid them out as the list's `sections`
    (off the UI thread: money is formatted by Babel, whose locale data loads on first use)."""

    sections: tuple[TriageSection, ...]


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


@dataclass
class TodayChanged(Message):
    """A Today detail's action was written: `text` says what happened (`error`: it was not)."""

    text: str
    error: bool = False


@dataclass
class PostToReschedule(Message):
    """Today read a post (and the pillars) for the reschedule form; None: it is gone."""

    post: Post | None
    pillars: list[Pillar]
