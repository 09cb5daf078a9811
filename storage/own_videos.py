"""The account's own videos brought in as publications (`reelroom accounts sync`).

A video the platform lists that no publication of the account has yet
(matched by its remote id) becomes a post in status published — its title
the caption's first line, no pillar, tagged `imported` — and a publication
marked `imported`, published at the video's time, with its link. Listing
again adds nothing twice: a known video only gets `listed_at` (and a link it
lacked). After a complete listing, a publication the platform listed before
but no longer lists is marked `gone_at`; it is never deleted, and it comes
back if the platform lists it again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Sequence

from storage.db import Store
from storage.timefmt import to_db, utcnow

TITLE_CELLS = 80


@dataclass(frozen=True)
class IncomingVideo:
    """A video as the platform lists it (plain values)."""

    remote_id: str
    caption: str
    created_at: str | None  # stored time text
    url: str | None = None


@dataclass
class ImportResult:
    """What a listing changed."""

    imported: int = 0
    known: int = 0
    returned: int = 0  # marked gone before, listed again
    gone: int = 0


def title_from(caption: str, fallback: str) -> str:
    """The caption's first non-empty line, hashtags kept, cut to TITLE_CELLS characters."""
    for line in caption.splitlines():
        text = " ".join(line.split())
        if text:
            return text if len(text) <= TITLE_CELLS else text[: TITLE_CELLS - 1] + "…"
    return fallback


class OwnVideoRepo:
    """Publications of an account's existing videos."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def store_page(
        self, account_id: int, platform: str, videos: Sequence[IncomingVideo]
    ) -> ImportResult:
        """Import one page of the listing (one transaction)."""
        result = ImportResult()
        now = to_db(utcnow())
        with self.store.write() as conn:
            for video in videos:
                row = conn.execute(
                    "SELECT id, gone_at FROM publications WHERE account_id = ? AND remote_id = ?",
                    (account_id, video.remote_id),
                ).fetchone()
                if row is not None:
                    result.known += 1
                    if row["gone_at"] is not None:
                        result.returned += 1
                    conn.execute(
                        "UPDATE publications SET listed_at = ?, gone_at = NULL, "
                        "remote_url = COALESCE(remote_url, ?) WHERE id = ?",
                        (now, video.url, row["id"]),
                    )
                    continue
                when = video.created_at or now
                title = title_from(video.caption, f"{platform} video {video.remote_id}")
                post_id = conn.execute(
                    "INSERT INTO posts (title, status, planned_at, notes, tags, created_at, "
                    "updated_at) VALUES (?, 'published', ?, ?, ?, ?, ?) RETURNING id",
                    (
                        title,
                        when,
                        f"Imported from {platform} (video {video.remote_id}).",
                        json.dumps(["imported"]),
                        now,
                        now,
                    ),
                ).fetchone()["id"]
                conn.execute(
                    "INSERT INTO publications (post_id, account_id, caption, title, state, "
                    "remote_id, remote_url, published_at, created_at, updated_at, imported, "
                    "listed_at) VALUES (?, ?, ?, ?, 'published', ?, ?, ?, ?, ?, 1, ?)",
                    (
                        post_id,
                        account_id,
                        video.caption,
                        title,
                        video.remote_id,
                        video.url,
                        when,
                        now,
                        now,
                        now,
                    ),
                )
                conn.execute(
                    "INSERT INTO events (at, actor, kind, entity, entity_id, detail_json) "
                    "VALUES (?, 'sync', 'post.imported', 'post', ?, ?)",
                    (now, post_id, json.dumps({"remote_id": video.remote_id})),
                )
                result.imported += 1
        return result

    def mark_gone(self, account_id: int, listed: set[str]) -> int:
        """After a complete listing: publications listed before and missing now are gone."""
        now = to_db(utcnow())
        with self.store.write() as conn:
            rows = conn.execute(
                "SELECT id, remote_id FROM publications WHERE account_id = ? "
                "AND listed_at IS NOT NULL AND gone_at IS NULL AND remote_id IS NOT NULL",
                (account_id,),
            ).fetchall()
            missing = [r["id"] for r in rows if r["remote_id"] not in listed]
            for pub_id in missing:
                conn.execute(
                    "UPDATE publications SET gone_at = ?, updated_at = ? WHERE id = ?",
                    (now, now, pub_id),
                )
        return len(missing)
