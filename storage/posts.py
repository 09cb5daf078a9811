"""Posts and pillars: the content plan."""

from __future__ import annotations

import builtins
import json
from datetime import datetime

from storage.db import Store
from storage.models import POST_STATUSES, Pillar, Post
from storage.timefmt import to_db, utcnow

_POST_SELECT = """
SELECT posts.*, pillars.name AS pillar
FROM posts LEFT JOIN pillars ON pillars.id = posts.pillar_id
"""


class PostRepo:
    """Reads and writes posts and pillars."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def list(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        status: str | None = None,
        limit: int | None = None,
    ) -> builtins.list[Post]:
        """Posts by planned time (unplanned last), optionally in [start, end)."""
        where: builtins.list[str] = []
        args: builtins.list[object] = []
        if start is not None:
            where.append("posts.planned_at >= ?")
            args.append(to_db(start))
        if end is not None:
            where.append("posts.planned_at < ?")
            args.append(to_db(end))
        if status is not None:
            where.append("posts.status = ?")
            args.append(status)
        sql = _POST_SELECT
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY posts.planned_at IS NULL, posts.planned_at, posts.id"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        return [Post.from_row(r) for r in self.store.conn.execute(sql, args)]

    def get(self, post_id: int) -> Post | None:
        """One post, or None."""
        row = self.store.conn.execute(_POST_SELECT + " WHERE posts.id = ?", (post_id,)).fetchone()
        return None if row is None else Post.from_row(row)

    def add(
        self,
        title: str,
        *,
        status: str = "idea",
        pillar_id: int | None = None,
        planned_at: datetime | None = None,
        shoot_at: datetime | None = None,
        target_seconds: int | None = None,
        notes: str = "",
        tags: builtins.list[str] | None = None,
    ) -> Post:
        """Create a post; the schema enforces the status vocabulary."""
        if status not in POST_STATUSES:
            raise ValueError(f"status {status!r} is not one of {', '.join(POST_STATUSES)}")
        now = to_db(utcnow())
        with self.store.write() as conn:
            cur = conn.execute(
                "INSERT INTO posts (title, status, pillar_id, planned_at, shoot_at, target_seconds,"
                " notes, tags, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    title,
                    status,
                    pillar_id,
                    None if planned_at is None else to_db(planned_at),
                    None if shoot_at is None else to_db(shoot_at),
                    target_seconds,
                    notes,
                    json.dumps(tags or [], ensure_ascii=False),
                    now,
                    now,
                ),
            )
            post_id = cur.lastrowid
        assert post_id is not None
        post = self.get(post_id)
        assert post is not None
        return post

    def count(self) -> int:
        """How many posts the workspace holds."""
        return self.store.conn.execute("SELECT count(*) FROM posts").fetchone()[0]

    def pillars(self) -> builtins.list[Pillar]:
        """Every pillar, by name."""
        rows = self.store.conn.execute("SELECT * FROM pillars ORDER BY name")
        return [Pillar.from_row(r) for r in rows]

    def pillar_by_name(self, name: str) -> Pillar | None:
        """A pillar by its exact name (case-insensitive)."""
        row = self.store.conn.execute(
            "SELECT * FROM pillars WHERE lower(name) = lower(?)", (name,)
        ).fetchone()
        return None if row is None else Pillar.from_row(row)

    def search_titles(self, text: str, *, limit: int = 50) -> builtins.list[Post]:
        """Posts whose title contains every word of `text` (case-insensitive for ASCII),
        open ones by planned time first, then the rest; at most `limit`."""
        where, args = [], []
        for word in text.split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("posts.title LIKE ? ESCAPE '\\'")
            args.append(f"%{escaped}%")
        sql = _POST_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        sql += (
            " ORDER BY posts.status IN ('published', 'archived'), "
            "posts.planned_at IS NULL, posts.planned_at, posts.id LIMIT ?"
        )
        return [Post.from_row(r) for r in self.store.conn.execute(sql, [*args, limit])]
