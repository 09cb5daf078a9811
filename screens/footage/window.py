"""Reading the Footage tab's window: keyset pages around a cursor, first or last.

`read_window` runs in a worker thread and returns a `WindowLoaded` with the
rows, whether they touch either end of the whole list, the count and the
watcher state. A window "around" a clip reads half a page before it (the
query reversed) and a page from it on, so the clip keeps its place when new
rows arrive. `post_choices` feeds the link modal's search.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from screens.footage.messages import WindowLoaded
from screens.modals.link_post import PostChoice
from storage.footage import FootageRepo
from storage.footage_models import Asset
from storage.footage_query import AssetQuery
from storage.models import STATUS_LABELS
from storage.posts import PostRepo
from storage.processes import ProcessRepo


@dataclass(frozen=True)
class FootageServices:
    """What the Footage tab reads and writes through (all on one store)."""

    footage: FootageRepo
    posts: PostRepo
    processes: ProcessRepo

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.footage.close_connection()


def reversed_query(query: AssetQuery) -> AssetQuery:
    """The same query sorted the other way (to read backwards from a key)."""
    return replace(query, descending=not query.descending)


def inclusive_key(query: AssetQuery, asset: Asset) -> tuple[Any, int]:
    """A keyset position just before `asset`, so a page after it starts with it."""
    value, ident = query.key_of(asset)
    return (value, ident + 1) if query.descending else (value, ident - 1)


@dataclass(frozen=True)
class Span:
    """How many rows to read before the anchor and from it on (anchor included)."""

    before: int
    after: int


def read_window(
    services: FootageServices,
    generation: int,
    query: AssetQuery,
    mode: str,
    anchor: Asset | None,
    index: int,
    *,
    page: int,
    now: datetime,
    span: Span | None = None,
) -> WindowLoaded:
    """The "first" or "last" page, or ("anchor") the rows around `anchor` — by
    default half a page before it and a page from it on."""
    repo = services.footage
    cursor_id: int | None = None
    if mode == "last":
        rows = repo.page(reversed_query(query), limit=page)[::-1]
        at_start, at_end, index = len(rows) < page, True, len(rows) - 1
    elif mode == "anchor" and anchor is not None:
        span = span or Span(page // 2, page)
        # one row more than asked on each side says whether that end of the list is reached
        before = repo.page(
            reversed_query(query), after=query.key_of(anchor), limit=span.before + 1
        )[::-1]
        after = repo.page(query, after=inclusive_key(query, anchor), limit=span.after + 1)
        at_start, at_end = len(before) <= span.before, len(after) <= span.after
        before, after = (
            before[max(0, len(before) - span.before) :] if span.before else [],
            after[: span.after],
        )
        rows, cursor_id, index = before + after, anchor.id, len(before)
    else:
        rows = repo.page(query, limit=page)
        at_start, at_end, index = True, len(rows) < page, 0
    return WindowLoaded(
        generation,
        query,
        rows,
        at_start,
        at_end,
        repo.count(query),
        cursor_id,
        max(0, index),
        services.processes.live("watch"),
        repo.last_import_at(),
        now,
    )


def post_choices(
    services: FootageServices, text: str, zone: ZoneInfo, limit: int = 50
) -> list[PostChoice]:
    """Posts whose title holds every word of `text`, as the link modal shows them
    (call from a worker thread: the thread's connection is closed afterwards)."""
    try:
        posts = services.posts.search_titles(text, limit=limit)
    finally:
        services.close_connection()
    return [
        PostChoice(
            p.id,
            p.title,
            " · ".join(
                [
                    STATUS_LABELS.get(p.status, p.status),
                    p.planned_at.astimezone(zone).strftime("%d %b %Y")
                    if p.planned_at
                    else "unplanned",
                ]
            ),
        )
        for p in posts
    ]
