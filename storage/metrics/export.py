"""Raw snapshots for `reelroom metrics export`: one row per snapshot, oldest first.

A streaming read (a cursor, not a list) over the snapshots captured in a time
range, with the publication, post and account each belongs to. Empty numbers
stay None (an empty cell in the CSV).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from storage.metrics.fetch import tuples

EXPORT_COLUMNS = (
    "captured_at",
    "account",
    "publication_id",
    "post_id",
    "post_title",
    "remote_id",
    "published_at",
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "reach",
    "total_interactions",
    "followers_gained",
    "watch_time_s",
    "avg_view_s",
    "avg_view_pct",
    "completion_rate",
    "source",
)

_SQL = """
SELECT s.captured_at, a.platform || ':' || a.handle, s.publication_id, p.post_id, posts.title,
       p.remote_id, p.published_at, s.views, s.likes, s.comments, s.shares, s.saves, s.reach,
       s.total_interactions, s.followers_gained, s.watch_time_s, s.avg_view_s, s.avg_view_pct,
       s.completion_rate, s.source
FROM metric_snapshots AS s
JOIN publications AS p ON p.id = s.publication_id
JOIN posts ON posts.id = p.post_id
JOIN accounts AS a ON a.id = p.account_id
WHERE s.captured_at >= ? AND s.captured_at < ?{accounts}
ORDER BY s.captured_at, s.publication_id
"""


def snapshots(
    conn: sqlite3.Connection, since: str, until: str, account_ids: Sequence[int] | None = None
) -> Iterator[tuple[object, ...]]:
    """Snapshots captured in [since, until) (stored time texts), as EXPORT_COLUMNS tuples."""
    accounts = ""
    args: list[object] = [since, until]
    if account_ids is not None:
        accounts = f" AND p.account_id IN ({', '.join('?' for _ in account_ids) or 'NULL'})"
        args.extend(account_ids)
    cur = tuples(conn)
    yield from cur.execute(_SQL.format(accounts=accounts), args)


def publications_by_remote(
    conn: sqlite3.Connection,
    platform: str,
    remote_ids: Sequence[str],
    account_ids: Sequence[int] | None = None,
) -> dict[str, list[int]]:
    """The publications of each remote id on the platform's accounts (or these accounts)."""
    out: dict[str, list[int]] = {}
    wanted = list(dict.fromkeys(remote_ids))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        sql = (
            "SELECT p.remote_id, p.id FROM publications AS p "
            "JOIN accounts AS a ON a.id = p.account_id WHERE a.platform = ? "
            f"AND p.remote_id IN ({', '.join('?' for _ in chunk)})"
        )
        args: list[object] = [platform, *chunk]
        if account_ids is not None:
            sql += f" AND p.account_id IN ({', '.join('?' for _ in account_ids) or 'NULL'})"
            args.extend(account_ids)
        for remote, pub in conn.execute(sql + " ORDER BY p.id", args):
            out.setdefault(remote, []).append(pub)
    return out
