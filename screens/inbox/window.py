"""Reading the Inbox tab's window: keyset pages around a cursor, first or last.

`InboxPages` reads the inbox's keyset pages for the shared window reader
(screens/paged/window.py; backwards is the other order). `read_window` runs
in a worker thread: the first or last page, or the rows around an anchor
item (half a page before it, a page from it on — the anchor itself need not
match any more, e.g. an item just marked done: its key still places the
window), plus the count and the accounts' backlogs.
"""

from __future__ import annotations

from screens.inbox.messages import InboxWindowLoaded
from screens.inbox.services import InboxServices
from screens.paged.window import Keyset, WindowAsk, read_rows
from storage.inbox import InboxQuery, InboxRepo
from storage.inbox_models import InboxItem


class InboxPages(Keyset[InboxItem, InboxQuery, tuple[str, int]]):
    """The inbox's keyset pages (backwards: the query in the other order)."""

    def __init__(self, repo: InboxRepo) -> None:
        self.repo = repo

    def page(
        self, query: InboxQuery, *, after: tuple[str, int] | None, backwards: bool, limit: int
    ) -> list[InboxItem]:
        """Up to `limit` items after `after`, in the query's order or (`backwards`) against it."""
        return self.repo.page(query.reversed() if backwards else query, after=after, limit=limit)

    def key_of(self, query: InboxQuery, row: InboxItem) -> tuple[str, int]:
        """The item's keyset position."""
        return InboxQuery.key_of(row)

    def key_before(self, query: InboxQuery, row: InboxItem) -> tuple[str, int]:
        """A key just before the item in the query's order, so a page after it starts with it."""
        received, ident = InboxQuery.key_of(row)
        return (received, ident + 1) if query.descending else (received, ident - 1)


def read_window(
    services: InboxServices, ask: WindowAsk[InboxItem, InboxQuery]
) -> InboxWindowLoaded:
    """The "first" or "last" page, or the rows around `ask.anchor` ("anchor"), with the
    count and the accounts' backlogs and notes."""
    repo = services.inbox
    return InboxWindowLoaded(
        ask.generation,
        ask.query,
        read_rows(InboxPages(repo), ask),
        repo.count(ask.query),
        ask.now,
        repo.backlogs(),
        services.notes(),
    )
