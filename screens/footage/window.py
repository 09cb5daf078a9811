"""Reading the Footage tab's window: keyset pages around a cursor, first or last.

`AssetPages` reads the library's keyset pages for the shared window reader
(screens/paged/window.py; backwards is the query sorted the other way).
`read_window` runs in a worker thread and returns a `FootageWindowLoaded`: that
window, the count and the watcher state. `post_choices` feeds the link
modal's search.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from screens.footage.messages import FootageWindowLoaded
from screens.modals.link_post import PostChoice
from screens.paged.window import Keyset, WindowAsk, read_rows
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


class AssetPages(Keyset[Asset, AssetQuery, tuple[Any, int]]):
    """The library's keyset pages (backwards: the query sorted the other way)."""

    def __init__(self, repo: FootageRepo) -> None:
        self.repo = repo

    def page(
        self, query: AssetQuery, *, after: tuple[Any, int] | None, backwards: bool, limit: int
    ) -> list[Asset]:
        """Up to `limit` assets after `after`, in the query's order or (`backwards`) against it."""
        return self.repo.page(
            reversed_query(query) if backwards else query, after=after, limit=limit
        )

    def key_of(self, query: AssetQuery, row: Asset) -> tuple[Any, int]:
        """The asset's keyset position under the query's sort."""
        return query.key_of(row)

    def key_before(self, query: AssetQuery, row: Asset) -> tuple[Any, int]:
        """A keyset position just before the asset, so a page after it starts with it."""
        value, ident = query.key_of(row)
        return (value, ident + 1) if query.descending else (value, ident - 1)


def read_window(
    services: FootageServices, ask: WindowAsk[Asset, AssetQuery]
) -> FootageWindowLoaded:
    """The "first" or "last" page, or ("anchor") the rows around `ask.anchor`, with the
    count, the watchers and when the newest clip was imported."""
    repo = services.footage
    return FootageWindowLoaded(
        ask.generation,
        ask.query,
        read_rows(AssetPages(repo), ask),
        repo.count(ask.query),
        ask.now,
        services.processes.live("watch"),
        repo.last_import_at(),
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
