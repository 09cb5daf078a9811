"""Reading a paged list's window in a worker thread: keyset pages first, last or around a row.

A tab's repository reads keyset pages; the tab wraps it in a `Keyset` (one
page after a key, forwards or backwards; a row's key; the key just before a
row, so a page after it starts with the row). `read_rows` reads the "first"
or "last" page, or ("anchor") the rows around a row: `Span.before` rows
before it and `Span.after` from it on (half a page and a page unless told),
reading one row more each way to know whether that end of the whole list is
reached, so the row keeps its place when rows arrive elsewhere. `rows_around`
does the same around any two keys (Publish reads around "now").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar


class Keyed(Protocol):
    """A row of a paged list: its id is the table's row key."""

    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=Keyed)  # a row
Q = TypeVar("Q")  # a query: which rows, in which order
K = TypeVar("K")  # a keyset position in that order
T = TypeVar("T")


@dataclass(frozen=True)
class Span:
    """How many rows to read before the anchor and from it on (anchor included)."""

    before: int
    after: int


@dataclass(frozen=True)
class Window(Generic[T]):
    """Rows of a list, whether they touch either end of it, and where the cursor goes:
    on the row `cursor_id` when it is there, else at `cursor_index`."""

    rows: list[T]
    at_start: bool
    at_end: bool
    cursor_id: int | None
    cursor_index: int


@dataclass(frozen=True)
class WindowAsk(Generic[T, Q]):
    """What a pane asks its tab's window reader for: the `mode` ("first", "last",
    "anchor" around `anchor`, or a tab's own), pages of `page` rows, at `now`."""

    generation: int
    query: Q
    mode: str
    anchor: T | None
    page: int
    now: datetime
    span: Span | None = None


class Keyset(ABC, Generic[R, Q, K]):
    """A repository's keyset pages as the window reader and the pane read them."""

    @abstractmethod
    def page(self, query: Q, *, after: K | None, backwards: bool, limit: int) -> list[R]:
        """Up to `limit` rows after `after` in the query's order (`backwards`: before it,
        nearest first); from the first (last) row when `after` is None."""

    @abstractmethod
    def key_of(self, query: Q, row: R) -> K:
        """The row's keyset position in the query's order."""

    @abstractmethod
    def key_before(self, query: Q, row: R) -> K:
        """A position just before the row, so a page after it starts with the row."""

    def edge_page(self, query: Q, row: R, edge: str, limit: int) -> tuple[list[R], bool]:
        """The page next to `row` at the window's `edge` ("start": before it, in the
        query's order), and whether it reached that end of the whole list."""
        backwards = edge == "start"
        rows = self.page(query, after=self.key_of(query, row), backwards=backwards, limit=limit)
        return (rows[::-1] if backwards else rows), len(rows) < limit


def rows_around(
    keyset: Keyset[R, Q, K], query: Q, before_key: K, from_key: K, span: Span
) -> tuple[list[R], list[R], bool, bool]:
    """`span.before` rows before `before_key` and `span.after` after `from_key`, and
    whether each end of the list is reached (one row more read each way says it)."""
    before = keyset.page(query, after=before_key, backwards=True, limit=span.before + 1)[::-1]
    after = keyset.page(query, after=from_key, backwards=False, limit=span.after + 1)
    at_start, at_end = len(before) <= span.before, len(after) <= span.after
    before = before[max(0, len(before) - span.before) :] if span.before else []
    return before, after[: span.after], at_start, at_end


def read_rows(keyset: Keyset[R, Q, K], ask: WindowAsk[R, Q]) -> Window[R]:
    """The "first" or "last" page, or ("anchor") the rows around `ask.anchor`
    (the first page for any other mode, or without an anchor)."""
    query, page = ask.query, ask.page
    if ask.mode == "last":
        rows = keyset.page(query, after=None, backwards=True, limit=page)[::-1]
        return Window(rows, len(rows) < page, True, None, max(0, len(rows) - 1))
    if ask.mode == "anchor" and ask.anchor is not None:
        anchor = ask.anchor
        before, after, at_start, at_end = rows_around(
            keyset,
            query,
            keyset.key_of(query, anchor),
            keyset.key_before(query, anchor),
            ask.span or Span(page // 2, page),
        )
        return Window(before + after, at_start, at_end, anchor.id, len(before))
    rows = keyset.page(query, after=None, backwards=False, limit=page)
    return Window(rows, True, len(rows) < page, None, 0)
