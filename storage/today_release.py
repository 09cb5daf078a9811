"""Today's release rows: publications that failed lately, accounts that need a login."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from storage.timefmt import from_db, to_db
from storage.today_models import Capped, FailedPublication, LoginNeeded

FAILED_PUBLICATION_DAYS = 7  # a failed publication is shown while it failed this recently

_FAILED = """
SELECT {cols}
FROM publications
JOIN posts ON posts.id = publications.post_id
JOIN accounts ON accounts.id = publications.account_id
WHERE publications.state = 'failed' AND publications.updated_at >= :since
"""
_FAILED_COLS = (
    "publications.id, publications.post_id, posts.title AS post_title, accounts.platform, "
    "accounts.handle, publications.error, publications.attempts, publications.updated_at"
)


def failed_publications(
    conn: sqlite3.Connection, now: datetime, limit: int
) -> Capped[FailedPublication]:
    """Publications that failed in the last FAILED_PUBLICATION_DAYS days, latest first."""
    args = {"since": to_db(now - timedelta(days=FAILED_PUBLICATION_DAYS))}
    total = conn.execute(_FAILED.format(cols="count(*)"), args).fetchone()[0]
    rows = conn.execute(
        _FAILED.format(cols=_FAILED_COLS)
        + " ORDER BY publications.updated_at DESC, publications.id DESC LIMIT :limit",
        {**args, "limit": limit},
    )
    items = tuple(
        FailedPublication(
            r["id"],
            r["post_id"],
            r["post_title"],
            r["platform"],
            r["handle"],
            r["error"],
            r["attempts"],
            from_db(r["updated_at"]),
        )
        for r in rows
    )
    return Capped(items, total)


def failed_publication(conn: sqlite3.Connection, publication_id: int) -> FailedPublication | None:
    """One publication if it is failed (its detail says what to do), else None."""
    row = conn.execute(
        _FAILED.format(cols=_FAILED_COLS).replace(
            "AND publications.updated_at >= :since", "AND publications.id = :id"
        ),
        {"id": publication_id},
    ).fetchone()
    if row is None:
        return None
    return FailedPublication(
        row["id"],
        row["post_id"],
        row["post_title"],
        row["platform"],
        row["handle"],
        row["error"],
        row["attempts"],
        from_db(row["updated_at"]),
    )


def logins_needed(conn: sqlite3.Connection, limit: int) -> Capped[LoginNeeded]:
    """Accounts whose login the platform refused, by platform and handle."""
    rows = conn.execute(
        "SELECT id, platform, handle, auth_error, checked_at FROM accounts "
        "WHERE auth_state = 'needs_login' ORDER BY platform, handle, id"
    ).fetchall()
    items = tuple(
        LoginNeeded(r["id"], r["platform"], r["handle"], r["auth_error"], from_db(r["checked_at"]))
        for r in rows[:limit]
    )
    return Capped(items, len(rows))
