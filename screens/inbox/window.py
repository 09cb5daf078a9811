"""Reading the Inbox tab's window: keyset pages around a cursor, first or last.

`read_window` runs in a worker thread: the first or last page, or the rows
around an anchor item (half a page before it, a page from it on — the
anchor itself need not match any more, e.g. an item just marked done: its
key still places the window), plus the count and the accounts' backlogs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from screens.inbox.messages import InboxWindowLoaded
from screens.inbox.services import InboxServices
from storage.inbox import InboxQuery
from storage.inbox_models import InboxItem


@dataclass(frozen=True)
class Span:
    """How many rows to read before the anchor and from it on."""

    before: int
    after: int


def _after(query: InboxQuery, key: tuple[str, int]) -> tuple[str, int]:
    """A key just before `key` in the query's order, so a page after it starts with it."""
    received, ident = key
    return (received, ident + 1) if query.descending else (received, ident - 1)


def read_window(
    services: InboxServices,
    generation: int,
    query: InboxQuery,
    mode: str,
    anchor: InboxItem | None,
    index: int,
    *,
    page: int,
    now: datetime,
    span: Span | None = None,
) -> InboxWindowLoaded:
    """The "first" or "last" page, or the rows around `anchor` ("anchor")."""
    repo = services.inbox
    cursor_id: int | None = None
    if mode == "last":
        rows = repo.page(query.reversed(), limit=page)[::-1]
        at_start, at_end, index = len(rows) < page, True, len(rows) - 1
    elif mode == "anchor" and anchor is not None:
        span = span or Span(page // 2, page)
        key = InboxQuery.key_of(anchor)
        before = repo.page(query.reversed(), after=key, limit=span.before + 1)[::-1]
        after = repo.page(query, after=_after(query, key), limit=span.after + 1)
        at_start, at_end = len(before) <= span.before, len(after) <= span.after
        before = before[max(0, len(before) - span.before) :] if span.before else []
        after = after[: span.after]
        rows, cursor_id, index = before + after, anchor.id, len(before)
    else:
        rows = repo.page(query, limit=page)
        at_start, at_end, index = True, len(rows) < page, 0
    return InboxWindowLoaded(
        generation,
        query,
        rows,
        at_start,
        at_end,
        repo.count(query),
        cursor_id,
        max(0, index),
        repo.backlogs(),
        services.notes(),
        now,
    )
