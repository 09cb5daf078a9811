"""The few rows the reports read besides the chart queries: what went out, pillar targets, a post.

Each is one bounded read: publications by their time out (publications_published
index), the pillars table, one post and its publications.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.timefmt import from_db, to_db


@dataclass(frozen=True)
class WentOut:
    """A publication that went out: when, what, where."""

    publication_id: int
    published_at: datetime
    title: str
    account: str  # PLATFORM:HANDLE
    pillar: str | None
    url: str | None


def published_between(conn: sqlite3.Connection, since: datetime, until: datetime) -> list[WentOut]:
    """Publications that went out in [since, until), in order."""
    rows = conn.execute(
        "SELECT p.id, p.published_at, posts.title, a.platform || ':' || a.handle, pl.name, "
        "p.remote_url FROM publications AS p JOIN posts ON posts.id = p.post_id "
        "JOIN accounts AS a ON a.id = p.account_id "
        "LEFT JOIN pillars AS pl ON pl.id = posts.pillar_id "
        "WHERE p.published_at >= ? AND p.published_at < ? AND p.state = 'published' "
        "ORDER BY p.published_at, p.id",
        (to_db(since), to_db(until)),
    )
    return [WentOut(r[0], from_db(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


def pillar_targets(conn: sqlite3.Connection) -> dict[str, float | None]:
    """Each pillar's name and target share of the posts (None: no target)."""
    return {r[0]: r[1] for r in conn.execute("SELECT name, target_share FROM pillars ORDER BY id")}


@dataclass(frozen=True)
class PostHead:
    """A post's title, pillar, tags, and its publications' public URLs."""

    post_id: int
    title: str
    pillar: str | None
    tags: str
    urls: dict[int, str | None]


def post_head(conn: sqlite3.Connection, post_id: int) -> PostHead | None:
    """The post, or None when there is none."""
    row = conn.execute(
        "SELECT posts.title, pl.name, posts.tags FROM posts "
        "LEFT JOIN pillars AS pl ON pl.id = posts.pillar_id WHERE posts.id = ?",
        (post_id,),
    ).fetchone()
    if row is None:
        return None
    urls = {
        r[0]: r[1]
        for r in conn.execute(
            "SELECT id, remote_url FROM publications WHERE post_id = ? ORDER BY id", (post_id,)
        )
    }
    return PostHead(post_id, row[0], row[1], row[2], urls)
