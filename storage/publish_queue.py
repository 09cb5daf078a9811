"""The publish queue as the Publish tab reads it: keyset pages by time, counts, accounts.

Publications are ordered by their time, the ones without a time (drafts)
last, then by id: the sort key of a row is `(no_time, scheduled_at or "",
id)`, compared as a row value, so a page after (or before) any row is one
bounded query whatever the size of the queue. A `QueueQuery` narrows the
rows to some states and one account. `key_at(moment)` is where "now" falls
in that order, so the tab can open on what goes out next with what just
went out above it. Pages are `storage.publication_models.Publication`s,
read with the repository's own SELECT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.accounts import AccountRepo, AccountRow
from storage.db import Store
from storage.publication_models import Publication
from storage.publications import SELECT
from storage.timefmt import to_db

QueueKey = tuple[int, str, int]  # (1 when it has no time else 0, scheduled_at or "", id)

_NO_TIME = "CASE WHEN publications.scheduled_at IS NULL THEN 1 ELSE 0 END"
_SORT = f"({_NO_TIME}, COALESCE(publications.scheduled_at, ''), publications.id)"


@dataclass(frozen=True)
class QueueQuery:
    """Which publications the tab lists: some states (empty: all) of one account (None: all)."""

    states: tuple[str, ...] = ()
    account_id: int | None = None


def key_of(pub: Publication) -> QueueKey:
    """A publication's place in the queue's order."""
    return (1 if pub.scheduled_at is None else 0, pub.scheduled_at or "", pub.id)


def _where(query: QueueQuery) -> tuple[str, list[Any]]:
    parts, args = ["1 = 1"], list[Any]()
    if query.states:
        parts.append(f"publications.state IN ({','.join('?' * len(query.states))})")
        args.extend(query.states)
    if query.account_id is not None:
        parts.append("publications.account_id = ?")
        args.append(query.account_id)
    return " AND ".join(parts), args


class PublishQueueRepo:
    """Bounded reads of the publish queue for the Publish tab."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    def page(
        self,
        query: QueueQuery,
        *,
        after: QueueKey | None = None,
        backwards: bool = False,
        limit: int = 100,
    ) -> list[Publication]:
        """Up to `limit` rows after `after` in time order (with `backwards`: before it,
        nearest first); from the first (or the last) row when `after` is None."""
        where, args = _where(query)
        if after is not None:
            where += f" AND {_SORT} {'<' if backwards else '>'} (?, ?, ?)"
            args.extend(after)
        way = "DESC" if backwards else "ASC"
        order = (
            f"{_NO_TIME} {way}, COALESCE(publications.scheduled_at, '') {way}, "
            f"publications.id {way}"
        )
        # The page's ids first, from publications alone (no join per row scanned); then
        # the page's rows with their post, account and job.
        sql = (
            f"{SELECT} JOIN (SELECT publications.id AS page_id FROM publications "
            f"WHERE {where} ORDER BY {order} LIMIT ?) AS page "
            f"ON page.page_id = publications.id ORDER BY {order}"
        )
        rows = self.store.conn.execute(sql, (*args, limit))
        return [Publication.from_row(r) for r in rows]

    def count(self, query: QueueQuery) -> int:
        """How many publications the query lists."""
        where, args = _where(query)
        return int(
            self.store.conn.execute(
                f"SELECT count(*) FROM publications WHERE {where}", args
            ).fetchone()[0]
        )

    def counts(self, account_id: int | None = None) -> dict[str, int]:
        """Publications per state (of one account, or of all)."""
        where, args = _where(QueueQuery(account_id=account_id))
        rows = self.store.conn.execute(
            f"SELECT publications.state, count(*) AS n FROM publications WHERE {where} "
            "GROUP BY publications.state",
            args,
        )
        return {r["state"]: int(r["n"]) for r in rows}

    def accounts(self) -> list[AccountRow]:
        """Every account, by platform and handle."""
        return AccountRepo(self.store).all()

    def account(self, account_id: int) -> AccountRow | None:
        """One account (None: gone)."""
        return AccountRepo(self.store).get(account_id)

    def for_post(self, post_id: int) -> list[Publication]:
        """A post's publications (one per account at most), by time."""
        rows = self.store.conn.execute(
            f"{SELECT} WHERE publications.post_id = ? ORDER BY {_NO_TIME}, "
            "publications.scheduled_at, publications.id",
            (post_id,),
        )
        return [Publication.from_row(r) for r in rows]

    @staticmethod
    def key_at(moment: datetime) -> QueueKey:
        """The place of `moment` in the order: rows after it are at or after that time."""
        return (0, to_db(moment), 0)
