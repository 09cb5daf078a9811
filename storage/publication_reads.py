"""The publish queue's reads: one publication, a listing by time, the due ones, a step log.

`PublicationReads` is the base of `PublicationRepo` (storage/publications.py):
the store, these reads and the row a change starts from. `SELECT` is the
repository's query of a publication with its post, account and job, which
storage/publish_queue.py pages with too.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from storage.db import Store
from storage.publication_models import Publication, PublicationStep
from storage.timefmt import to_db

SELECT = (
    "SELECT publications.*, posts.title AS post_title, accounts.platform, accounts.handle, "
    "jobs.state AS job_state, jobs.run_at AS job_run_at "
    "FROM publications JOIN posts ON posts.id = publications.post_id "
    "JOIN accounts ON accounts.id = publications.account_id "
    "LEFT JOIN jobs ON jobs.id = publications.job_id"
)


class PublicationError(ValueError):
    """A publication cannot be added or changed; the message says what to do."""


class PublicationReads:
    """Read publications; the base of PublicationRepo."""

    def __init__(self, store: Store, *, max_attempts: int = 3) -> None:
        self.store = store
        self.max_attempts = max_attempts

    # --- reading ------------------------------------------------------------------

    def get(self, publication_id: int) -> Publication | None:
        row = self.store.conn.execute(
            SELECT + " WHERE publications.id = ?", (publication_id,)
        ).fetchone()
        return Publication.from_row(row) if row else None

    def must(self, publication_id: int) -> Publication:
        found = self.get(publication_id)
        if found is None:
            raise PublicationError(
                f"there is no publication {publication_id}; `reelroom publish list` shows them"
            )
        return found

    def listing(
        self,
        *,
        states: list[str] | None = None,
        account_id: int | None = None,
        limit: int = 1000,
    ) -> list[Publication]:
        """Publications by time (unscheduled last), optionally of some states or one account."""
        sql, args = SELECT + " WHERE 1 = 1", list[Any]()
        if states:
            sql += f" AND publications.state IN ({','.join('?' * len(states))})"
            args.extend(states)
        if account_id is not None:
            sql += " AND publications.account_id = ?"
            args.append(account_id)
        sql += (
            " ORDER BY CASE WHEN publications.scheduled_at IS NULL THEN 1 ELSE 0 END, "
            "publications.scheduled_at, publications.id LIMIT ?"
        )
        return [Publication.from_row(r) for r in self.store.conn.execute(sql, (*args, limit))]

    def due(self, until: datetime) -> list[Publication]:
        """Scheduled publications whose time is at or before `until`."""
        rows = self.store.conn.execute(
            SELECT + " WHERE publications.state = 'scheduled' AND publications.scheduled_at <= ? "
            "ORDER BY publications.scheduled_at, publications.id",
            (to_db(until),),
        )
        return [Publication.from_row(r) for r in rows]

    def steps(self, publication_id: int, limit: int = 1000) -> list[PublicationStep]:
        """The step log, oldest first (the newest `limit` entries)."""
        rows = self.store.conn.execute(
            "SELECT * FROM (SELECT * FROM publication_steps WHERE publication_id = ? "
            "ORDER BY id DESC LIMIT ?) AS recent ORDER BY id",
            (publication_id, limit),
        )
        return [PublicationStep.from_row(r) for r in rows]

    def started_since(self, account_id: int, since: datetime) -> list[str]:
        """When this account's publications began sending since `since` (spacing, daily caps)."""
        rows = self.store.conn.execute(
            "SELECT started_at FROM publications WHERE account_id = ? AND started_at >= ? "
            "AND state IN ('publishing', 'processing', 'published') ORDER BY started_at",
            (account_id, to_db(since)),
        )
        return [r["started_at"] for r in rows]

    def _current(self, conn: sqlite3.Connection, pub_id: int) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM publications WHERE id = ?", (pub_id,)).fetchone()
        if row is None:
            raise PublicationError(
                f"there is no publication {pub_id}; `reelroom publish list` shows them"
            )
        return row
