"""Posts and pillars: the content plan.

Every post is checked on its way in (`PostDraft.checked`): the title is text
without control characters (storage/text_input.py), dates lie in the years
1970-2200, the target length is bounded. `add_many` writes a batch in one
transaction and skips rows whose import key is already stored, so importing
the same file twice adds nothing.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.db import Store
from storage.models import POST_STATUSES, Pillar, Post
from storage.text_input import check_title, clean_block, clean_line
from storage.timefmt import check_range, to_db, utcnow

TARGET_SECONDS_MAX = 36_000


@dataclass(frozen=True)
class PostDraft:
    """A post about to be stored (fields as `PostRepo.add` takes them)."""

    title: str
    status: str = "idea"
    pillar_id: int | None = None
    planned_at: datetime | None = None
    shoot_at: datetime | None = None
    target_seconds: int | None = None
    notes: str = ""
    tags: tuple[str, ...] = ()
    import_key: str | None = None

    def checked(self) -> PostDraft:
        """The draft with its text cleaned; ValueError (a sentence) when a field cannot be stored."""
        if self.status not in POST_STATUSES:
            raise ValueError(f"status {self.status!r} is not one of {', '.join(POST_STATUSES)}")
        for name, moment in (("planned date", self.planned_at), ("shoot date", self.shoot_at)):
            if moment is not None:
                if moment.tzinfo is None:
                    raise ValueError(f"{name} {moment.isoformat()} has no time zone")
                check_range(moment, name)
        target = self.target_seconds
        if target is not None and (
            isinstance(target, bool)
            or not isinstance(target, int)
            or not 1 <= target <= TARGET_SECONDS_MAX
        ):
            raise ValueError(
                f"target_seconds must be at least 1 and at most {TARGET_SECONDS_MAX}, "
                f"not {target!r}"
            )
        tags = tuple(t for t in (clean_line(str(tag)) for tag in self.tags) if t)
        return dataclasses.replace(
            self, title=check_title(self.title), notes=clean_block(self.notes), tags=tags
        )


_INSERT = (
    "INSERT INTO posts (title, status, pillar_id, planned_at, shoot_at, target_seconds,"
    " notes, tags, import_key, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)


def _values(draft: PostDraft, now: str) -> tuple[object, ...]:
    return (
        draft.title,
        draft.status,
        draft.pillar_id,
        None if draft.planned_at is None else to_db(draft.planned_at),
        None if draft.shoot_at is None else to_db(draft.shoot_at),
        draft.target_seconds,
        draft.notes,
        json.dumps(list(draft.tags), ensure_ascii=False),
        draft.import_key,
        now,
        now,
    )


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
        """Create a post; ValueError (a sentence naming the field) when it cannot be stored."""
        draft = PostDraft(
            title,
            status=status,
            pillar_id=pillar_id,
            planned_at=planned_at,
            shoot_at=shoot_at,
            target_seconds=target_seconds,
            notes=notes,
            tags=tuple(tags or ()),
        ).checked()
        now = to_db(utcnow())
        with self.store.write() as conn:
            post_id = conn.execute(_INSERT, _values(draft, now)).lastrowid
        assert post_id is not None
        post = self.get(post_id)
        assert post is not None
        return post

    def edit(self, post_id: int, **changes: object) -> Post | None:
        """Change some of a post's title, status, pillar_id, planned_at (aware time or
        None), target_seconds (or None); None when the post is gone. Unnamed fields stay.

        The post as it would be is checked like a new one (`PostDraft.checked`: title
        text without controls, dates in range, target bounded); ValueError (a
        sentence naming the field) when it cannot be stored, and nothing changes.
        """
        allowed = ("title", "status", "pillar_id", "planned_at", "target_seconds")
        unknown = sorted(set(changes) - set(allowed))
        if unknown:
            raise ValueError(f"posts cannot be edited by {', '.join(unknown)}")
        current = self.get(post_id)
        if current is None:
            return None
        merged: dict[str, Any] = {
            "title": current.title,
            "status": current.status,
            "pillar_id": current.pillar_id,
            "planned_at": current.planned_at,
            "target_seconds": current.target_seconds,
        }
        merged.update(changes)
        draft = PostDraft(**merged).checked()
        values = {
            k: (to_db(v) if isinstance(v, datetime) else v)
            for k in changes
            for v in (getattr(draft, k),)
        }
        if values:
            sets = ", ".join(f"{k} = ?" for k in values)
            with self.store.write() as conn:
                conn.execute(
                    f"UPDATE posts SET {sets}, updated_at = ? WHERE id = ?",
                    (*values.values(), to_db(utcnow()), post_id),
                )
        return self.get(post_id)

    def add_many(self, drafts: builtins.list[PostDraft]) -> builtins.list[Post]:
        """Store every draft in one transaction; those whose import key is stored are skipped.

        Every draft is checked first: one that cannot be stored raises
        ValueError and nothing is written. Returns the posts added.
        """
        checked = [draft.checked() for draft in drafts]
        now = to_db(utcnow())
        ids: builtins.list[int] = []
        with self.store.write() as conn:
            for draft in checked:
                row = conn.execute(
                    _INSERT + " ON CONFLICT (import_key) DO NOTHING RETURNING id",
                    _values(draft, now),
                ).fetchone()
                if row is not None:
                    ids.append(int(row[0]))
        posts = [self.get(post_id) for post_id in ids]
        return [p for p in posts if p is not None]

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
