"""Typed messages of the Calendar tab's workers (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual.message import Message

from storage.calendar import BoardColumn, CalendarRange, PostCard, PostFilter
from storage.models import Account, Pillar
from storage.slots import Slot
from widgets.month_grid import DayCell


@dataclass
class CalendarLoaded(Message):
    """A worker read the days [first, last] (and the board when it is shown)."""

    first: date
    last: date
    data: CalendarRange
    cells: dict[date, DayCell]  # every day of [first, last], entries and free slots
    slots: list[Slot]
    pillars: list[Pillar]
    accounts: list[Account]
    board: list[BoardColumn] | None
    unmatched: list[str]  # config [[slots]] accounts that match no account
    flt: PostFilter
    prefetched: bool = False  # read ahead for a neighbouring page, not asked for yet
    generation: int = 0  # the pane's reload count when the read began (older: stale)


@dataclass
class CalendarPainted(Message):
    """The Calendar showed freshly read data."""

    first: date
    last: date


@dataclass
class PostCardLoaded(Message):
    """A worker read one post's detail (None: it is gone)."""

    post_id: int
    card: PostCard | None
