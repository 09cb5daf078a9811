"""Reading the Publish tab's window: keyset pages around now, a publication, first or last.

`read_window` runs in a worker thread and returns a `QueueLoaded`: the rows,
whether they touch either end of the whole queue, the count, the counts per
state and the accounts. "now" reads half a page before the current time
(what just went out) and a page from it on (what goes out next), the cursor
on the first row of the past hour; "anchor" reads around a publication so
it keeps its place when rows change elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from screens.publish.messages import QueueLoaded
from screens.publish.services import PublishServices
from storage.publication_models import Publication
from storage.publish_queue import PublishQueueRepo, QueueKey, QueueQuery, key_of

RECENT = timedelta(hours=1)  # "now" puts the cursor on the first row of the past hour


@dataclass(frozen=True)
class Span:
    """How many rows to read before the anchor and from it on (anchor included)."""

    before: int
    after: int


def _around(
    repo: PublishQueueRepo, query: QueueQuery, after: QueueKey, span: Span
) -> tuple[list[Publication], list[Publication], bool, bool]:
    """`span.before` rows before `after` and `span.after` from it on (one more each way
    says whether that end of the queue is reached)."""
    before = repo.page(query, after=after, backwards=True, limit=span.before + 1)[::-1]
    rest = repo.page(query, after=after, limit=span.after + 1)
    at_start, at_end = len(before) <= span.before, len(rest) <= span.after
    before = before[len(before) - span.before :] if span.before else []
    return before, rest[: span.after], at_start, at_end


def read_window(
    services: PublishServices,
    generation: int,
    query: QueueQuery,
    mode: str,
    anchor: Publication | None,
    *,
    page: int,
    now: datetime,
    span: Span | None = None,
) -> QueueLoaded:
    """The "first" or "last" page, the rows around "now", or around `anchor`."""
    repo = services.queue
    cursor_id: int | None = None
    top = False
    if mode == "last":
        rows = repo.page(query, backwards=True, limit=page)[::-1]
        at_start, at_end, index = len(rows) < page, True, len(rows) - 1
    elif mode == "first":
        rows = repo.page(query, limit=page)
        at_start, at_end, index = True, len(rows) < page, 0
    elif mode == "anchor" and anchor is not None:
        span = span or Span(page // 2, page)
        anchor = services.publications.get(anchor.id) or anchor  # its time may have changed
        key = key_of(anchor)
        before, after, at_start, at_end = _around(repo, query, (key[0], key[1], key[2] - 1), span)
        rows, cursor_id, index = before + after, anchor.id, len(before)
    else:  # "now"
        before, after, at_start, at_end = _around(
            repo, query, repo.key_at(now - RECENT), Span(page // 2, page)
        )
        rows, index, top = before + after, len(before), True
        if not after and before:  # nothing from the past hour on: the last row
            index = len(rows) - 1
    return QueueLoaded(
        generation,
        query,
        rows,
        at_start,
        at_end,
        repo.count(query),
        repo.counts(query.account_id),
        repo.accounts(),
        cursor_id,
        max(0, index),
        top,
        now,
    )
