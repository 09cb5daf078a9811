"""Scripts of posts and their revisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Store
from storage.text_input import clean_block
from storage.timefmt import from_db, to_db, utcnow

REVISION_REASONS = ("save", "autosave", "import", "restore")


@dataclass(frozen=True)
class Script:
    """The current text of a post's script."""

    id: int
    post_id: int
    template: str | None
    body: str
    updated_at: datetime


@dataclass(frozen=True)
class Revision:
    """A saved version of a script."""

    id: int
    script_id: int
    body: str
    reason: str
    created_at: datetime


class ScriptRepo:
    """Reads and writes scripts; every save keeps a revision."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, post_id: int) -> Script | None:
        """The script of a post, or None when it has none yet."""
        row = self.store.conn.execute(
            "SELECT * FROM scripts WHERE post_id = ?", (post_id,)
        ).fetchone()
        if row is None:
            return None
        return Script(
            row["id"], row["post_id"], row["template"], row["body"], from_db(row["updated_at"])
        )

    def save(
        self, post_id: int, body: str, *, reason: str = "save", template: str | None = None
    ) -> Script:
        """Store `body` as the post's script and keep it as a revision.

        A save whose text equals the latest revision adds no new revision.
        """
        if reason not in REVISION_REASONS:
            raise ValueError(f"reason {reason!r} is not one of {', '.join(REVISION_REASONS)}")
        body = clean_block(body)
        now = to_db(utcnow())
        with self.store.write() as conn:
            row = conn.execute("SELECT id FROM scripts WHERE post_id = ?", (post_id,)).fetchone()
            if row is None:
                script_id = conn.execute(
                    "INSERT INTO scripts (post_id, template, body, updated_at) VALUES (?,?,?,?)",
                    (post_id, template, body, now),
                ).lastrowid
            else:
                script_id = row["id"]
                conn.execute(
                    "UPDATE scripts SET body = ?, updated_at = ? WHERE id = ?",
                    (body, now, script_id),
                )
            last = conn.execute(
                "SELECT body FROM script_revisions WHERE script_id = ? ORDER BY id DESC LIMIT 1",
                (script_id,),
            ).fetchone()
            if last is None or last["body"] != body:
                conn.execute(
                    "INSERT INTO script_revisions (script_id, body, reason, created_at)"
                    " VALUES (?,?,?,?)",
                    (script_id, body, reason, now),
                )
        script = self.get(post_id)
        assert script is not None
        return script

    def revisions(self, post_id: int) -> list[Revision]:
        """Revisions of a post's script, newest first."""
        rows = self.store.conn.execute(
            "SELECT r.* FROM script_revisions r JOIN scripts s ON s.id = r.script_id"
            " WHERE s.post_id = ? ORDER BY r.id DESC",
            (post_id,),
        )
        return [
            Revision(r["id"], r["script_id"], r["body"], r["reason"], from_db(r["created_at"]))
            for r in rows
        ]

    # --- additions for the Scripts tab ---------------------------------------

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    def post_ids_with_script(self) -> set[int]:
        """Ids of the posts that have a script (for the post picker)."""
        rows = self.store.conn.execute("SELECT post_id FROM scripts WHERE body != ''")
        return {r["post_id"] for r in rows}

    def revision(self, revision_id: int) -> Revision | None:
        """One revision by id, or None when it is gone."""
        row = self.store.conn.execute(
            "SELECT * FROM script_revisions WHERE id = ?", (revision_id,)
        ).fetchone()
        if row is None:
            return None
        return Revision(
            row["id"], row["script_id"], row["body"], row["reason"], from_db(row["created_at"])
        )
