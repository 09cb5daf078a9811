"""Shot lists of posts: shots, their status, their linked clips and coverage.

A post's shots mostly come from its script's `!!` lines: `sync` makes the
table match the parsed lines, keyed by shot number, so a shot whose number
survives an edit keeps its status and its linked clips. Shots can also be
added and edited directly. Coverage counts shots linked to at least one clip
that exists (an asset whose status is 'ok').
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from typing import Iterable, Protocol

from storage.db import Store
from storage.pathtext import from_stored
from storage.text_input import clean_line
from storage.vocab import ShotStatus, values

SHOT_STATUSES = values(ShotStatus)
SHOT_STATUS_LABELS = {status.value: status.label for status in ShotStatus}


class ShotLine(Protocol):
    """What sync needs of a parsed shot (storage.script_text.Shot fits)."""

    @property
    def number(self) -> int: ...
    @property
    def description(self) -> str: ...
    @property
    def framing(self) -> str: ...
    @property
    def location(self) -> str: ...


@dataclass(frozen=True)
class ShotRow:
    """One shot of a post's shot list, with how many clips are linked to it."""

    id: int
    post_id: int
    number: int
    description: str
    framing: str
    location: str
    status: str
    clips: int = 0

    @property
    def status_label(self) -> str:
        """The status as people say it ('to shoot')."""
        return SHOT_STATUS_LABELS.get(self.status, self.status)


@dataclass(frozen=True)
class LinkedClip:
    """A clip (asset) linked to a shot."""

    asset_id: int
    name: str
    duration_s: float | None
    status: str


@dataclass(frozen=True)
class SyncResult:
    """What a sync changed; `duplicates` are shot numbers seen more than once."""

    added: tuple[int, ...] = ()
    updated: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    duplicates: tuple[int, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the table was written."""
        return bool(self.added or self.updated or self.removed)


_LIST_SQL = """
SELECT shots.*, (SELECT count(*) FROM shot_assets sa WHERE sa.shot_id = shots.id) AS clips
FROM shots WHERE shots.post_id = ? ORDER BY shots.number
"""


def _row(r) -> ShotRow:  # type: ignore[no-untyped-def]
    return ShotRow(
        r["id"],
        r["post_id"],
        r["number"],
        r["description"],
        r["framing"],
        r["location"],
        r["status"],
        r["clips"],
    )


def _check_status(status: str) -> None:
    if status not in SHOT_STATUSES:
        raise ValueError(f"shot status {status!r} is not one of {', '.join(SHOT_STATUSES)}")


class ShotRepo:
    """Reads and writes shots and their links to clips."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    def list(self, post_id: int) -> list[ShotRow]:
        """A post's shots by number."""
        return [_row(r) for r in self.store.conn.execute(_LIST_SQL, (post_id,))]

    def get(self, shot_id: int) -> ShotRow | None:
        """One shot, or None when it is gone."""
        row = self.store.conn.execute(
            "SELECT shots.*, (SELECT count(*) FROM shot_assets sa WHERE sa.shot_id = shots.id)"
            " AS clips FROM shots WHERE shots.id = ?",
            (shot_id,),
        ).fetchone()
        return None if row is None else _row(row)

    def sync(self, post_id: int, lines: Iterable[ShotLine]) -> SyncResult:
        """Make the post's shots match the script's shot lines, by number.

        Shots whose number survives keep their status and links (their text is
        updated); new numbers are added as 'to_shoot'; numbers no longer in
        the script are removed with their links. A repeated number keeps its
        first line and is reported in `duplicates`.
        """
        wanted: dict[int, ShotLine] = {}
        dupes: builtins.list[int] = []
        for line in lines:
            if line.number in wanted:
                dupes.append(line.number)
            elif line.number > 0:
                wanted[line.number] = line
        added, updated, removed = [], [], []
        with self.store.write() as conn:
            have = {
                r["number"]: r
                for r in conn.execute("SELECT * FROM shots WHERE post_id = ?", (post_id,))
            }
            for number, row in have.items():
                if number not in wanted:
                    conn.execute("DELETE FROM shots WHERE id = ?", (row["id"],))
                    removed.append(number)
            for number, line in sorted(wanted.items()):
                text = (line.description, line.framing, line.location)
                row = have.get(number)
                if row is None:
                    conn.execute(
                        "INSERT INTO shots (post_id, number, description, framing, location)"
                        " VALUES (?,?,?,?,?)",
                        (post_id, number, *text),
                    )
                    added.append(number)
                elif (row["description"], row["framing"], row["location"]) != text:
                    conn.execute(
                        "UPDATE shots SET description = ?, framing = ?, location = ? WHERE id = ?",
                        (*text, row["id"]),
                    )
                    updated.append(number)
        return SyncResult(tuple(added), tuple(updated), tuple(removed), tuple(sorted(set(dupes))))

    def add(
        self,
        post_id: int,
        description: str,
        *,
        framing: str = "",
        location: str = "",
        status: str = "to_shoot",
        number: int | None = None,
    ) -> ShotRow:
        """Add a shot (numbered after the last one unless `number` is given)."""
        _check_status(status)
        if not clean_line(description):
            raise ValueError("a shot needs a description")
        with self.store.write() as conn:
            if number is None:
                number = conn.execute(
                    "SELECT coalesce(max(number), 0) + 1 FROM shots WHERE post_id = ?", (post_id,)
                ).fetchone()[0]
            shot_id = conn.execute(
                "INSERT INTO shots (post_id, number, description, framing, location, status)"
                " VALUES (?,?,?,?,?,?)",
                (
                    post_id,
                    number,
                    clean_line(description),
                    clean_line(framing),
                    clean_line(location),
                    status,
                ),
            ).lastrowid
        assert shot_id is not None
        shot = self.get(shot_id)
        assert shot is not None
        return shot

    def edit(
        self,
        shot_id: int,
        *,
        description: str | None = None,
        framing: str | None = None,
        location: str | None = None,
    ) -> ShotRow | None:
        """Change a shot's text fields (None leaves a field alone); None when it is gone."""
        fields = {"description": description, "framing": framing, "location": location}
        changes = {k: clean_line(v) for k, v in fields.items() if v is not None}
        if "description" in changes and not changes["description"]:
            raise ValueError("a shot needs a description")
        if changes:
            assignments = ", ".join(f"{key} = ?" for key in changes)
            with self.store.write() as conn:
                conn.execute(
                    f"UPDATE shots SET {assignments} WHERE id = ?", (*changes.values(), shot_id)
                )
        return self.get(shot_id)

    def set_status(self, shot_id: int, status: str) -> ShotRow | None:
        """Set a shot's status (to_shoot / shot / in_edit); None when it is gone."""
        _check_status(status)
        with self.store.write() as conn:
            conn.execute("UPDATE shots SET status = ? WHERE id = ?", (status, shot_id))
        return self.get(shot_id)

    def link(self, shot_id: int, asset_id: int) -> bool:
        """Link a clip to a shot; False when it was linked already."""
        with self.store.write() as conn:
            cur = conn.execute(
                "INSERT INTO shot_assets (shot_id, asset_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (shot_id, asset_id),
            )
        return cur.rowcount > 0

    def unlink(self, shot_id: int, asset_id: int) -> bool:
        """Remove a clip from a shot; False when it was not linked."""
        with self.store.write() as conn:
            cur = conn.execute(
                "DELETE FROM shot_assets WHERE shot_id = ? AND asset_id = ?", (shot_id, asset_id)
            )
        return cur.rowcount > 0

    def clips(self, shot_id: int) -> builtins.list[LinkedClip]:
        """The clips linked to a shot, by name."""
        rows = self.store.conn.execute(
            "SELECT assets.id, assets.name, assets.duration_s, assets.status FROM shot_assets"
            " JOIN assets ON assets.id = shot_assets.asset_id WHERE shot_assets.shot_id = ?"
            " ORDER BY assets.name, assets.id",
            (shot_id,),
        )
        return [
            LinkedClip(r["id"], from_stored(r["name"]), r["duration_s"], r["status"]) for r in rows
        ]

    def candidate_clips(self, post_id: int, *, limit: int = 200) -> builtins.list[LinkedClip]:
        """Clips one could link to a post's shots: the post's own first, then the newest."""
        rows = self.store.conn.execute(
            "SELECT id, name, duration_s, status FROM assets WHERE status = 'ok'"
            " AND kind = 'video' ORDER BY CASE WHEN post_id = ? THEN 1 ELSE 0 END DESC, imported_at DESC, id DESC"
            " LIMIT ?",
            (post_id, limit),
        )
        return [
            LinkedClip(r["id"], from_stored(r["name"]), r["duration_s"], r["status"]) for r in rows
        ]

    def set_links(self, shot_id: int, link: Iterable[int], unlink: Iterable[int]) -> None:
        """Link and unlink clips of one shot in one transaction."""
        with self.store.write() as conn:
            conn.executemany(
                "INSERT INTO shot_assets (shot_id, asset_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(shot_id, asset) for asset in link],
            )
            conn.executemany(
                "DELETE FROM shot_assets WHERE shot_id = ? AND asset_id = ?",
                [(shot_id, asset) for asset in unlink],
            )

    def coverage(self, post_id: int) -> tuple[int, int]:
        """(shots with footage, shots) of a post: "7 of 9 shots have footage"."""
        row = self.store.conn.execute(
            "SELECT count(*) AS total, coalesce(sum(CASE WHEN EXISTS (SELECT 1 FROM shot_assets sa"
            " JOIN assets a ON a.id = sa.asset_id WHERE sa.shot_id = shots.id"
            " AND a.status = 'ok') THEN 1 ELSE 0 END), 0) AS covered FROM shots WHERE post_id = ?",
            (post_id,),
        ).fetchone()
        return int(row["covered"]), int(row["total"])


def coverage_text(covered: int, total: int) -> str:
    """'7 of 9 shots have footage' (or 'No shots yet')."""
    if total == 0:
        return "No shots yet"
    noun = "shot has" if total == 1 else "shots have"
    return f"{covered} of {total} {noun} footage"
