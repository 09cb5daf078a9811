"""Reading the Publish tab's window: keyset pages around now, a publication, first or last.

`QueuePages` reads the queue's keyset pages (time order) for the shared
window reader (screens/paged/window.py). `read_window` runs in a worker
thread and returns a `QueueLoaded`: the window, the count, the counts per
state and the accounts. "now" reads half a page before the current time
(what just went out) and a page from it on (what goes out next), the cursor
on the first row of the past hour; "anchor" reads around a publication (as
it is stored now) so it keeps its place when rows change elsewhere.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from screens.paged.window import Keyset, Span, Window, WindowAsk, read_rows, rows_around
from screens.publish.messages import QueueLoaded
from screens.publish.services import PublishServices
from storage.publication_models import Publication
from storage.publish_queue import PublishQueueRepo, QueueKey, QueueQuery, key_of

RECENT = timedelta(hours=1)  # "now" puts the cursor on the first row of the past hour


class QueuePages(Keyset[Publication, QueueQuery, QueueKey]):
    """The queue's keyset pages in time order."""

    def __init__(self, repo: PublishQueueRepo) -> None:
        self.repo = repo

    def page(
        self, query: QueueQuery, *, after: QueueKey | None, backwards: bool, limit: int
    ) -> list[Publication]:
        """Up to `limit` publications after `after` (`backwards`: before it, nearest first)."""
        return self.repo.page(query, after=after, backwards=backwards, limit=limit)

    def key_of(self, query: QueueQuery, row: Publication) -> QueueKey:
        """The publication's place in the queue's order."""
        return key_of(row)

    def key_before(self, query: QueueQuery, row: Publication) -> QueueKey:
        """A place just before the publication, so a page after it starts with it."""
        no_time, when, ident = key_of(row)
        return (no_time, when, ident - 1)


def read_window(services: PublishServices, ask: WindowAsk[Publication, QueueQuery]) -> QueueLoaded:
    """The "first" or "last" page, the rows around `ask.anchor` ("anchor"), or around
    now (any other mode, or an anchor without a publication)."""
    repo, query, page = services.queue, ask.query, ask.page
    pages = QueuePages(repo)
    top = False
    if ask.mode in ("first", "last"):
        window = read_rows(pages, ask)
    elif ask.mode == "anchor" and ask.anchor is not None:
        anchor = services.publications.get(ask.anchor.id) or ask.anchor  # its time may change
        window = read_rows(pages, replace(ask, anchor=anchor))
    else:  # "now"
        now = repo.key_at(ask.now - RECENT)
        before, after, at_start, at_end = rows_around(pages, query, now, now, Span(page // 2, page))
        rows, index, top = before + after, len(before), True
        if not after and before:  # nothing from the past hour on: the last row
            index = len(rows) - 1
        window = Window(rows, at_start, at_end, None, max(0, index))
    return QueueLoaded(
        ask.generation,
        query,
        window,
        repo.count(query),
        ask.now,
        repo.counts(query.account_id),
        repo.accounts(),
        top,
    )
