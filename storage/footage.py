"""Footage: every query and write on `assets` and `asset_paths`.

An asset is one piece of content (keyed by its sampled `content_key`) with
one or more known paths; a rejected file is an asset with status 'rejected',
a reason, no content key and one path. Paths are keyed by (path, size, mtime)
so an unchanged file is never probed twice. Deleting a file marks its path
absent and, when no path is left, the asset 'missing' — rows are never
deleted for that. Write methods expect to run inside `store.write()` (see
`FootageRepo.batch`); the listing and keyset paging for the tab are at the end.
"""

from __future__ import annotations

import builtins
import json
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Iterable, Iterator, Mapping

from storage.db import Store
from storage.footage_models import (
    MEDIA_COLUMNS,
    Asset,
    AssetPath,
    BackgroundTask,
    PathState,
)
from storage.footage_query import AssetQuery, page_sql
from storage.pathtext import from_stored, to_stored
from storage.text_input import clean_line

_IN_CHUNK = 500
_ASSET_SELECT = """
SELECT assets.*, posts.title AS post_title,
  (SELECT count(*) FROM asset_paths
   WHERE asset_paths.asset_id = assets.id AND asset_paths.present = 1) AS copies
FROM assets LEFT JOIN posts ON posts.id = assets.post_id
"""


class FootageRepo:
    """Reads and writes footage rows."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def _conn(self) -> Any:
        return self.store.conn

    # Paths are stored canonical and handed out as this host sees them
    # ([[paths]] rules, storage/pathmap.py; no rules: unchanged).
    # A name that is not UTF-8 is stored by its bytes (storage/pathtext.py): `_in`
    # gives the stored text, `_from_row` reads one back (then `_out` maps it).
    def _in(self, path: str) -> str:
        return to_stored(self.store.paths.to_canonical(path) if self.store.paths else path)

    def _from_row(self, stored: str) -> str:
        return self._out(from_stored(stored))

    def _out(self, path: str) -> str:
        return self.store.paths.to_local(path) if self.store.paths else path

    def _out_path(self, row: Any) -> AssetPath:
        found = AssetPath.from_row(row)
        return replace(found, path=self._out(found.path)) if self.store.paths else found

    @contextmanager
    def batch(self) -> Iterator[FootageRepo]:
        """One short write transaction (BEGIN IMMEDIATE) for several writes."""
        with self.store.write():
            yield self

    # --- lookups used while importing ------------------------------------

    def path_states(self, paths: Iterable[str]) -> dict[str, PathState]:
        """What is known of each of these paths (unknown ones are absent)."""
        found: dict[str, PathState] = {}
        items = [self._in(p) for p in paths]
        for start in range(0, len(items), _IN_CHUNK):
            chunk = items[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                "SELECT p.path, p.asset_id, p.size_bytes, p.mtime_ns, p.present, a.status, a.reason "
                f"FROM asset_paths p JOIN assets a ON a.id = p.asset_id WHERE p.path IN ({marks})",
                chunk,
            )
            for row in rows:
                found[self._from_row(row["path"])] = PathState.from_row(row)
        return found

    def asset_for_key(self, content_key: str) -> int | None:
        """The asset holding this content key, if any."""
        row = self._conn.execute(
            "SELECT id FROM assets WHERE content_key = ?", (content_key,)
        ).fetchone()
        return None if row is None else row["id"]

    def full_hash_of(self, asset_id: int) -> str | None:
        """The asset's stored full-file hash (None while it is still to be made)."""
        row = self._conn.execute(
            "SELECT full_hash FROM assets WHERE id = ?", (asset_id,)
        ).fetchone()
        return None if row is None else row["full_hash"]

    def paths_of(self, asset_id: int) -> builtins.list[AssetPath]:
        """Every known path of an asset, present ones first."""
        rows = self._conn.execute(
            "SELECT * FROM asset_paths WHERE asset_id = ? ORDER BY present DESC, id", (asset_id,)
        )
        return [self._out_path(r) for r in rows]

    def present_paths_under(self, folder: str) -> builtins.list[str]:
        """Paths marked present that lie inside `folder`."""
        prefix = self._in(folder).rstrip("/") + "/"
        rows = self._conn.execute(
            "SELECT path FROM asset_paths WHERE present = 1 AND substr(path, 1, ?) = ?",
            (len(prefix), prefix),
        )
        return [self._from_row(r["path"]) for r in rows]

    # --- writes (inside batch()) -------------------------------------------

    def insert_asset(
        self,
        *,
        kind: str,
        name: str,
        content_key: str | None,
        size_bytes: int,
        media: Mapping[str, Any],
        imported_at: str,
        status: str = "ok",
        reason: str | None = None,
        full_hash: str | None = None,
    ) -> int:
        """A new asset row; returns its id."""
        cols = ["kind", "name", "content_key", "size_bytes", "imported_at", "status", "reason"]
        vals: builtins.list[Any] = [
            kind,
            to_stored(name),
            content_key,
            size_bytes,
            imported_at,
            status,
            None if reason is None else to_stored(reason),
        ]
        if full_hash is not None:
            cols.append("full_hash")
            vals.append(full_hash)
        for col in MEDIA_COLUMNS:
            if col in media:
                cols.append(col)
                vals.append(media[col])
        cur = self._conn.execute(
            f"INSERT INTO assets ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", vals
        )
        return int(cur.lastrowid)

    def replace_media(
        self,
        asset_id: int,
        *,
        kind: str,
        name: str,
        content_key: str | None,
        size_bytes: int,
        media: Mapping[str, Any],
        status: str = "ok",
        reason: str | None = None,
        full_hash: str | None = None,
    ) -> None:
        """Overwrite an asset's media facts after its only file changed content."""
        sets = {
            "kind": kind,
            "name": to_stored(name),
            "content_key": content_key,
            "size_bytes": size_bytes,
            "status": status,
            "reason": None if reason is None else to_stored(reason),
            "full_hash": full_hash,
            "thumbnail": None,
        }
        for col in MEDIA_COLUMNS:
            sets[col] = media.get(col, 0 if col in ("rotation", "vfr") else None)
        assign = ", ".join(f"{c} = ?" for c in sets)
        self._conn.execute(f"UPDATE assets SET {assign} WHERE id = ?", [*sets.values(), asset_id])

    def add_path(self, asset_id: int, path: str, size_bytes: int, mtime_ns: int, now: str) -> None:
        """Record a (new) path of an asset, or re-point an existing path row at it."""
        path = self._in(path)
        self._conn.execute(
            "INSERT INTO asset_paths (asset_id, path, size_bytes, mtime_ns, present, "
            "first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT(path) DO UPDATE SET asset_id = excluded.asset_id, "
            "size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns, present = 1, "
            "last_seen_at = excluded.last_seen_at",
            (asset_id, path, size_bytes, mtime_ns, now, now),
        )
        self.refresh_status([asset_id])

    def move_path(
        self, old_path: str, new_path: str, size_bytes: int, mtime_ns: int, now: str
    ) -> None:
        """A file was renamed or moved: its path row follows it."""
        old_path, new_path = self._in(old_path), self._in(new_path)
        self._conn.execute(
            "DELETE FROM asset_paths WHERE path = ? AND path != ?", (new_path, old_path)
        )
        self._conn.execute(
            "UPDATE asset_paths SET path = ?, size_bytes = ?, mtime_ns = ?, present = 1, "
            "last_seen_at = ? WHERE path = ?",
            (new_path, size_bytes, mtime_ns, now, old_path),
        )
        row = self._conn.execute(
            "SELECT asset_id FROM asset_paths WHERE path = ?", (new_path,)
        ).fetchone()
        if row is not None:
            self.refresh_status([row["asset_id"]])

    def set_name(self, asset_id: int, name: str) -> None:
        """Rename an asset (its file was renamed)."""
        self._conn.execute("UPDATE assets SET name = ? WHERE id = ?", (to_stored(name), asset_id))

    def touch_path(self, path: str, now: str) -> None:
        """An unchanged file seen again: present, last seen now."""
        path = self._in(path)
        row = self._conn.execute(
            "UPDATE asset_paths SET present = 1, last_seen_at = ? WHERE path = ? RETURNING asset_id",
            (now, path),
        ).fetchone()
        if row is not None:
            self.refresh_status([row["asset_id"]])

    def mark_missing(self, paths: Iterable[str]) -> builtins.list[int]:
        """Files gone from disk: paths absent; assets with no path left go 'missing'."""
        touched: builtins.list[int] = []
        for path in paths:
            row = self._conn.execute(
                "UPDATE asset_paths SET present = 0 WHERE path = ? AND present = 1 RETURNING asset_id",
                (self._in(path),),
            ).fetchone()
            if row is not None:
                touched.append(row["asset_id"])
        self.refresh_status(touched)
        return touched

    def refresh_status(self, asset_ids: Iterable[int]) -> None:
        """ok ↔ missing from whether any path is present (rejected stays rejected)."""
        for asset_id in set(asset_ids):
            self._conn.execute(
                "UPDATE assets SET status = CASE WHEN EXISTS (SELECT 1 FROM asset_paths "
                "WHERE asset_id = assets.id AND present = 1) THEN 'ok' ELSE 'missing' END "
                "WHERE id = ? AND status != 'rejected'",
                (asset_id,),
            )

    def drop_if_pathless(self, asset_id: int) -> bool:
        """Remove an asset left with no path at all (a rejected stand-in whose
        file turned out to be a copy of a known asset). True when removed."""
        cur = self._conn.execute(
            "DELETE FROM assets WHERE id = ? AND NOT EXISTS "
            "(SELECT 1 FROM asset_paths WHERE asset_id = ?)",
            (asset_id, asset_id),
        )
        return cur.rowcount > 0

    def count_paths(self, asset_id: int) -> int:
        """How many paths an asset has (present or not)."""
        return self._conn.execute(
            "SELECT count(*) FROM asset_paths WHERE asset_id = ?", (asset_id,)
        ).fetchone()[0]

    # --- background work (full hash, poster frame) --------------------------

    def pending_background(
        self, *, thumbnails: bool = True, asset_id: int | None = None, limit: int = 100_000
    ) -> builtins.list[BackgroundTask]:
        """Assets still needing a full hash or (videos, when thumbnails) a poster."""
        need_thumb = "(a.kind = 'video' AND a.thumbnail IS NULL)" if thumbnails else "1 = 0"
        sql = (
            "SELECT a.id, a.kind, a.full_hash, a.thumbnail, a.duration_s, "
            "(SELECT path FROM asset_paths WHERE asset_id = a.id AND present = 1 "
            " ORDER BY id LIMIT 1) AS path FROM assets a WHERE a.status = 'ok' AND "
            f"(a.full_hash IS NULL OR {need_thumb})"
        )
        args: builtins.list[Any] = []
        if asset_id is not None:
            sql += " AND a.id = ?"
            args.append(asset_id)
        rows = self._conn.execute(sql + " ORDER BY a.id LIMIT ?", [*args, limit])
        return [
            BackgroundTask(
                r["id"],
                r["kind"],
                self._from_row(r["path"]),
                r["full_hash"] is None,
                bool(thumbnails and r["kind"] == "video" and r["thumbnail"] is None),
                r["duration_s"],
            )
            for r in rows
            if r["path"] is not None
        ]

    def note_full_hash(self, asset_id: int, value: str) -> None:
        """Store a full hash found while importing, unless one is stored (inside batch())."""
        self._conn.execute(
            "UPDATE assets SET full_hash = ? WHERE id = ? AND full_hash IS NULL", (value, asset_id)
        )

    def note_thumbnail(self, asset_id: int, path: str) -> None:
        """Store the poster frame made while importing (inside batch())."""
        self._conn.execute("UPDATE assets SET thumbnail = ? WHERE id = ?", (path, asset_id))

    def set_full_hash(self, asset_id: int, value: str) -> None:
        """Store the full-file hash (its own short transaction)."""
        with self.store.write() as conn:
            conn.execute("UPDATE assets SET full_hash = ? WHERE id = ?", (value, asset_id))

    def set_thumbnail(self, asset_id: int, path: str) -> None:
        """Store the poster frame's path (its own short transaction)."""
        with self.store.write() as conn:
            conn.execute("UPDATE assets SET thumbnail = ? WHERE id = ?", (path, asset_id))

    # --- what people edit ---------------------------------------------------

    def link_post(self, asset_id: int, post_id: int | None) -> None:
        """Link an asset to a post (None unlinks)."""
        with self.store.write() as conn:
            conn.execute("UPDATE assets SET post_id = ? WHERE id = ?", (post_id, asset_id))

    def set_tags(self, asset_id: int, tags: builtins.list[str]) -> None:
        """Replace an asset's tags (control characters out, trimmed, de-duplicated, order kept)."""
        clean = list(dict.fromkeys(t for t in (clean_line(tag) for tag in tags) if t))
        with self.store.write() as conn:
            conn.execute(
                "UPDATE assets SET tags = ? WHERE id = ?",
                (json.dumps(clean, ensure_ascii=False), asset_id),
            )

    # --- reading ------------------------------------------------------------

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    def get(self, asset_id: int) -> Asset | None:
        """One asset with all its paths."""
        row = self._conn.execute(_ASSET_SELECT + " WHERE assets.id = ?", (asset_id,)).fetchone()
        return None if row is None else Asset.from_row(row, self.paths_of(asset_id))

    def list(self, *, statuses: tuple[str, ...] | None = None) -> builtins.list[Asset]:
        """Assets by id with their paths (for listings; the tab pages instead)."""
        sql, args = _ASSET_SELECT, builtins.list[object]()
        if statuses:
            sql += f" WHERE assets.status IN ({','.join('?' * len(statuses))})"
            args.extend(statuses)
        rows = self._conn.execute(sql + " ORDER BY assets.id", args).fetchall()
        paths = self._paths_for([r["id"] for r in rows])
        return [Asset.from_row(r, paths.get(r["id"], [])) for r in rows]

    def _paths_for(self, ids: builtins.list[int]) -> dict[int, builtins.list[AssetPath]]:
        out: dict[int, builtins.list[AssetPath]] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            rows = self._conn.execute(
                f"SELECT * FROM asset_paths WHERE asset_id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY present DESC, id",
                chunk,
            )
            for r in rows:
                out.setdefault(r["asset_id"], []).append(self._out_path(r))
        return out

    def page(
        self, query: AssetQuery, *, after: tuple[Any, int] | None = None, limit: int = 500
    ) -> builtins.list[Asset]:
        """One keyset page of the library (no paths loaded; see `get`)."""
        sql, args = page_sql(_ASSET_SELECT, query, after=after, limit=limit)
        return [Asset.from_row(r) for r in self._conn.execute(sql, args)]

    def count(self, query: AssetQuery) -> int:
        """How many assets match a library query."""
        sql, args = page_sql(
            "SELECT count(*) FROM assets", query, after=None, limit=None, order=False
        )
        return self._conn.execute(sql, args).fetchone()[0]

    def last_import_at(self) -> str | None:
        """When the newest asset was imported (UTC text), or None."""
        row = self._conn.execute("SELECT max(imported_at) FROM assets").fetchone()
        return row[0]
