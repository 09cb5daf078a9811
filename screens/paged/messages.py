"""Typed messages of a paged list's workers: a window read, a page read, a window painted.

A tab subclasses `WindowLoaded` to add what its window read brings besides the
rows (counts, accounts, watcher state), and `WindowPainted` to name what
tests and benchmarks wait for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from textual.message import Message

from screens.paged.window import Window

R = TypeVar("R")  # a row
Q = TypeVar("Q")  # the query the rows were read under


@dataclass
class WindowLoaded(Message, Generic[R, Q]):
    """A fresh window of the list under `query` (see `Window`), the list's count, the clock."""

    generation: int
    query: Q
    window: Window[R]
    total: int
    now: datetime


@dataclass
class PageLoaded(Message, Generic[R]):
    """One more page next to the window's `edge` ("start" or "end"); `complete` when
    it reached that end of the whole list."""

    generation: int
    edge: str
    rows: list[R]
    complete: bool


@dataclass
class WindowPainted(Message):
    """The table shows a new window (`kind` "window") or page ("page") of `rows` rows."""

    kind: str
    rows: int
