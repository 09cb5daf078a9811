"""Storing synced comments idempotently, and each publication's sync cursors and schedule.

`store_page` writes one page of comments in one transaction, together with
the cursor that resumes the sweep after it:

- a comment is stored once (`UNIQUE (account_id, remote_id)`, looked up first);
- a changed text is written and the old one kept in `inbox_edits`;
- a comment that comes back after being marked deleted is shown again;
- a new comment gets labels from the caller's `labeler` (the config's rules),
  which also sees the labels its sender already has on this account;
- replies are linked to their parent's row; the account's own messages are
  stored `own`, done, and stay out of the triage list.

`finish_sweep` closes a sweep: after a full one, every synced item of the
publication the sweep did not see again is marked deleted (never removed).
A sweep interrupted half-way (a throttle, a crash) resumes from
`resume_cursor`. `tail_cursor` is where an oldest-first listing's newest
page begins; `high_water` the newest comment time seen (newest-first
listings stop at known ground). `next_sync_at` is when the worker syncs the
publication again.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Callable, Sequence

from storage.db import Store
from storage.inbox_models import labels_of
from storage.timefmt import to_db, utcnow

# (body, author, labels the sender already has on the account) -> labels for a new item
Labeler = Callable[[str, str, set[str]], list[str]]


@dataclass(frozen=True)
class IncomingComment:
    """A comment as a sync brings it (platform values already made plain)."""

    remote_id: str
    author: str
    body: str
    created_at: str  # stored time text
    parent_remote_id: str | None = None
    video_remote_id: str | None = None
    like_count: int | None = None
    can_reply: bool = True
    hidden: bool = False


@dataclass
class PageResult:
    """What one stored page changed."""

    new: int = 0
    edited: int = 0
    unchanged: int = 0
    known_top: int = 0  # top-level comments that were stored before this page
    newest: str | None = None  # the newest created_at on the page


@dataclass(frozen=True)
class SyncState:
    """A publication's sync cursors and times (`inbox_sync`)."""

    publication_id: int
    sweep: int = 0
    resume_cursor: str | None = None
    tail_cursor: str | None = None
    high_water: str | None = None
    sweep_started: str | None = None
    sweep_full: bool = False
    last_synced_at: str | None = None
    last_full_at: str | None = None
    next_sync_at: str | None = None
    comments_seen: int = 0
    error: str | None = None


@dataclass(frozen=True)
class SyncTarget:
    """A published video to read comments of."""

    publication_id: int
    account_id: int
    remote_id: str
    published_at: str
    next_sync_at: str | None


_INSERT = (
    "INSERT INTO inbox_items (parent_id, account_id, publication_id, kind, remote_id, "
    "parent_remote_id, video_remote_id, author, body, received_at, status, labels, own, "
    "can_reply, hidden, like_count, source, synced_at, seen_sweep, updated_at) "
    "VALUES (?, ?, ?, 'comment', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (account_id, remote_id) DO NOTHING"
)
_UPDATE = (
    "UPDATE inbox_items SET body = ?, edited_at = CASE WHEN ? = 1 THEN ? ELSE edited_at END, "
    "deleted = 0, deleted_at = NULL, like_count = ?, "
    "can_reply = CASE WHEN own = 1 THEN 0 ELSE ? END, hidden = ?, synced_at = ?, "
    "seen_sweep = COALESCE(?, seen_sweep), "
    "updated_at = CASE WHEN ? = 1 OR deleted = 1 THEN ? ELSE updated_at END WHERE id = ?"
)


def _now() -> str:
    return to_db(utcnow())


def _marks(n: int) -> str:
    return ",".join("?" * n)


class SyncRepo:
    """Comments in, cursors kept, deletions marked."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- cursors ------------------------------------------------------------------------

    def state(self, publication_id: int) -> SyncState:
        row = self.store.conn.execute(
            "SELECT * FROM inbox_sync WHERE publication_id = ?", (publication_id,)
        ).fetchone()
        if row is None:
            return SyncState(publication_id)
        return SyncState(
            publication_id,
            row["sweep"],
            row["resume_cursor"],
            row["tail_cursor"],
            row["high_water"],
            row["sweep_started"],
            bool(row["sweep_full"]),
            row["last_synced_at"],
            row["last_full_at"],
            row["next_sync_at"],
            row["comments_seen"],
            row["error"],
        )

    def begin_sweep(self, publication_id: int, account_id: int, *, full: bool) -> int:
        """Start a sweep; its number (items it sees are marked with it)."""
        now = _now()
        with self.store.write() as conn:
            row = conn.execute(
                "INSERT INTO inbox_sync (publication_id, account_id, sweep, sweep_started, "
                "sweep_full) VALUES (?, ?, 1, ?, ?) ON CONFLICT (publication_id) DO UPDATE SET "
                "sweep = inbox_sync.sweep + 1, sweep_started = excluded.sweep_started, "
                "sweep_full = excluded.sweep_full, resume_cursor = NULL RETURNING sweep",
                (publication_id, account_id, now, 1 if full else 0),
            ).fetchone()
        return int(row["sweep"])

    def finish_sweep(
        self,
        publication_id: int,
        *,
        tail_cursor: str | None,
        high_water: str | None,
        next_sync_at: str | None,
        seen: int,
    ) -> int:
        """Close the sweep; after a full one mark what it did not see deleted. How many."""
        now = _now()
        deleted = 0
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT sweep, sweep_started, sweep_full FROM inbox_sync WHERE publication_id = ?",
                (publication_id,),
            ).fetchone()
            if row is None:
                return 0
            started, full = row["sweep_started"], bool(row["sweep_full"])
            if full and started:
                deleted = conn.execute(
                    "UPDATE inbox_items SET deleted = 1, deleted_at = ?, updated_at = ? "
                    "WHERE publication_id = ? AND source = 'sync' AND deleted = 0 "
                    "AND received_at < ? AND (seen_sweep IS NULL OR seen_sweep < ?)",
                    (now, now, publication_id, started, row["sweep"]),
                ).rowcount
            conn.execute(
                "UPDATE inbox_sync SET sweep_started = NULL, resume_cursor = NULL, "
                "tail_cursor = COALESCE(?, tail_cursor), "
                "high_water = CASE WHEN high_water IS NULL OR ? > high_water THEN ? "
                "ELSE high_water END, "
                "last_synced_at = ?, last_full_at = CASE WHEN ? = 1 THEN ? ELSE last_full_at END, "
                "next_sync_at = ?, comments_seen = ?, error = NULL WHERE publication_id = ?",
                (
                    tail_cursor,
                    high_water or "",
                    high_water,
                    now,
                    1 if full else 0,
                    now,
                    next_sync_at,
                    seen,
                    publication_id,
                ),
            )
        return deleted

    def fail_sweep(self, publication_id: int, error: str, *, next_sync_at: str | None) -> None:
        """The sweep stopped on an error: keep its cursor (it resumes), say why."""
        with self.store.write() as conn:
            conn.execute(
                "UPDATE inbox_sync SET error = ?, next_sync_at = ? WHERE publication_id = ?",
                (error, next_sync_at, publication_id),
            )

    # --- comments -----------------------------------------------------------------------

    def store_page(
        self,
        account_id: int,
        publication_id: int | None,
        comments: Sequence[IncomingComment],
        *,
        own_names: set[str],
        labeler: Labeler | None = None,
        resume_cursor: str | None = None,
        source: str = "sync",
        sweep: int | None = None,
    ) -> PageResult:
        """Write one page (and, for a sync, the cursor after it) in one transaction."""
        result = PageResult()
        now = _now()
        own = {n.casefold().lstrip("@") for n in own_names if n}
        with self.store.write() as conn:
            ids = [c.remote_id for c in comments]
            known = self._known(conn, account_id, ids)
            sent = self._our_replies(conn, account_id, ids)
            new_authors = {c.author for c in comments if c.remote_id not in known}
            sender = self._sender_labels(conn, account_id, new_authors) if labeler else {}
            # oldest first, top-level before replies: a sender's earlier labels count, and
            # a reply finds its parent's row (tops are written before replies)
            ordered = sorted(comments, key=lambda c: (c.parent_remote_id is not None, c.created_at))
            tops: list[tuple[object, ...]] = []
            replies: list[tuple[IncomingComment, tuple[object, ...]]] = []
            updates: list[tuple[object, ...]] = []
            for c in ordered:
                if result.newest is None or c.created_at > result.newest:
                    result.newest = c.created_at
                old = known.get(c.remote_id)
                if old is not None:
                    if c.parent_remote_id is None:
                        result.known_top += 1
                    updates.append(self._changed(conn, old, c, now, result, sweep))
                    continue
                is_own = c.remote_id in sent or c.author.casefold().lstrip("@") in own
                labels: list[str] = []
                if labeler is not None and not is_own:
                    labels = labeler(c.body, c.author, sender.get(c.author, set()))
                    sender.setdefault(c.author, set()).update(labels)
                values = (
                    account_id,
                    publication_id,
                    c.remote_id,
                    c.parent_remote_id,
                    c.video_remote_id,
                    c.author,
                    c.body,
                    c.created_at,
                    "done" if is_own else "new",
                    json.dumps(labels, ensure_ascii=False),
                    1 if is_own else 0,
                    0 if is_own else (1 if c.can_reply else 0),
                    1 if c.hidden else 0,
                    c.like_count,
                    source,
                    now,
                    sweep,
                    now,
                )
                if c.parent_remote_id is None:
                    tops.append((None, *values))
                else:
                    replies.append((c, values))
            if updates:
                conn.executemany(_UPDATE, updates)
            if tops:  # rowcount of executemany: the rows it inserted (a conflict adds none)
                result.new += max(0, conn.executemany(_INSERT, tops).rowcount)
            if replies:  # their parents are rows now (this page's, or stored before)
                parents = self._parents(conn, account_id, [c for c, _ in replies])
                result.new += max(
                    0,
                    conn.executemany(
                        _INSERT,
                        [(parents.get(c.parent_remote_id or ""), *values) for c, values in replies],
                    ).rowcount,
                )
            if publication_id is not None and source == "sync":
                conn.execute(
                    "UPDATE inbox_sync SET resume_cursor = ? WHERE publication_id = ?",
                    (resume_cursor, publication_id),
                )
        return result

    def any_known(self, account_id: int, remote_ids: Sequence[str]) -> bool:
        """Whether any of these comments is stored already."""
        if not remote_ids:
            return False
        ids = list(remote_ids)[:500]
        row = self.store.conn.execute(
            f"SELECT 1 FROM inbox_items WHERE account_id = ? AND remote_id IN ({_marks(len(ids))}) "
            "LIMIT 1",
            (account_id, *ids),
        ).fetchone()
        return row is not None

    @staticmethod
    def _known(conn: sqlite3.Connection, account_id: int, ids: list[str]) -> dict[str, sqlite3.Row]:
        found: dict[str, sqlite3.Row] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for r in conn.execute(
                "SELECT id, remote_id, body, deleted, like_count, can_reply, hidden, own "
                f"FROM inbox_items WHERE account_id = ? AND remote_id IN ({_marks(len(chunk))})",
                (account_id, *chunk),
            ):
                found[r["remote_id"]] = r
        return found

    @staticmethod
    def _our_replies(conn: sqlite3.Connection, account_id: int, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found.update(
                r["remote_id"]
                for r in conn.execute(
                    "SELECT r.remote_id FROM inbox_replies r JOIN inbox_items i "
                    "ON i.id = r.item_id WHERE i.account_id = ? "
                    f"AND r.remote_id IN ({_marks(len(chunk))})",
                    (account_id, *chunk),
                )
            )
        return found

    @staticmethod
    def _sender_labels(
        conn: sqlite3.Connection, account_id: int, authors: set[str]
    ) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        names = sorted(authors)
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            for r in conn.execute(
                "SELECT DISTINCT author, labels FROM inbox_items WHERE account_id = ? "
                f"AND author IN ({_marks(len(chunk))}) AND labels != '[]'",
                (account_id, *chunk),
            ):
                found.setdefault(r["author"], set()).update(labels_of(r["labels"]))
        return found

    @staticmethod
    def _parents(
        conn: sqlite3.Connection, account_id: int, comments: Sequence[IncomingComment]
    ) -> dict[str, int]:
        wanted = sorted({c.parent_remote_id for c in comments if c.parent_remote_id})
        found: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for r in conn.execute(
                "SELECT id, remote_id FROM inbox_items WHERE account_id = ? "
                f"AND remote_id IN ({_marks(len(chunk))})",
                (account_id, *chunk),
            ):
                found[r["remote_id"]] = int(r["id"])
        return found

    @staticmethod
    def _changed(
        conn: sqlite3.Connection,
        old: sqlite3.Row,
        c: IncomingComment,
        now: str,
        result: PageResult,
        sweep: int | None,
    ) -> tuple[object, ...]:
        """The UPDATE's values for a stored item seen again (its old text kept if edited)."""
        edited = old["body"] != c.body
        if edited:
            conn.execute(
                "INSERT INTO inbox_edits (item_id, body, replaced_at) VALUES (?, ?, ?)",
                (old["id"], old["body"], now),
            )
            result.edited += 1
        else:
            result.unchanged += 1
        return (
            c.body,
            1 if edited else 0,
            now,
            c.like_count,
            1 if c.can_reply else 0,
            1 if c.hidden else 0,
            now,
            sweep,
            1 if edited else 0,
            now,
            old["id"],
        )

    # --- what to sync -----------------------------------------------------------------------

    def targets(self, account_id: int, *, due_by: str | None = None) -> list[SyncTarget]:
        """Published videos of the account with a remote id (not gone), oldest sync first;
        with `due_by`, only those whose next sync is due by then (or never synced)."""
        sql = (
            "SELECT publications.id, publications.account_id, publications.remote_id, "
            "publications.published_at, inbox_sync.next_sync_at FROM publications "
            "LEFT JOIN inbox_sync ON inbox_sync.publication_id = publications.id "
            "WHERE publications.account_id = ? AND publications.state = 'published' "
            "AND publications.remote_id IS NOT NULL AND publications.gone_at IS NULL"
        )
        args: list[object] = [account_id]
        if due_by is not None:
            sql += " AND (inbox_sync.next_sync_at IS NULL OR inbox_sync.next_sync_at <= ?)"
            args.append(due_by)
        sql += " ORDER BY inbox_sync.next_sync_at, publications.published_at DESC, publications.id"
        return [
            SyncTarget(
                r["id"], r["account_id"], r["remote_id"], r["published_at"], r["next_sync_at"]
            )
            for r in self.store.conn.execute(sql, args)
        ]

    def next_due(self) -> str | None:
        """The earliest next_sync_at of any synced publication (None: none scheduled)."""
        row = self.store.conn.execute(
            "SELECT min(next_sync_at) FROM inbox_sync WHERE next_sync_at IS NOT NULL"
        ).fetchone()
        return row[0] if row else None

    def unsynced_accounts(self) -> list[int]:
        """Accounts with a published video never synced (their first sync is due now)."""
        rows = self.store.conn.execute(
            "SELECT DISTINCT publications.account_id FROM publications "
            "LEFT JOIN inbox_sync ON inbox_sync.publication_id = publications.id "
            "WHERE publications.state = 'published' AND publications.remote_id IS NOT NULL "
            "AND publications.gone_at IS NULL AND inbox_sync.publication_id IS NULL"
        )
        return [int(r[0]) for r in rows]

    def due_accounts(self, by: str) -> list[int]:
        """Accounts with a publication whose next sync is due by `by`, or never synced."""
        rows = self.store.conn.execute(
            "SELECT DISTINCT publications.account_id FROM publications "
            "LEFT JOIN inbox_sync ON inbox_sync.publication_id = publications.id "
            "WHERE publications.state = 'published' AND publications.remote_id IS NOT NULL "
            "AND publications.gone_at IS NULL "
            "AND (inbox_sync.next_sync_at IS NULL OR inbox_sync.next_sync_at <= ?)",
            (by,),
        )
        return [int(r[0]) for r in rows]

    # --- accounts ------------------------------------------------------------------------

    def comments_synced(
        self, account_id: int, *, note: str | None = None, error: str | None = None
    ) -> None:
        """A comment sync of the account ended: the no-API sentence (None: it has one),
        the error that stopped it (None: it ran through, and its time is kept)."""
        now = _now()
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO inbox_accounts (account_id, comments_note, comments_synced_at, "
                "last_error) VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
                "comments_note = excluded.comments_note, last_error = excluded.last_error, "
                "comments_synced_at = COALESCE(excluded.comments_synced_at, "
                "inbox_accounts.comments_synced_at)",
                (account_id, note, None if error else now, error),
            )

    def videos_synced(self, account_id: int) -> None:
        """The account's own videos were listed through."""
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO inbox_accounts (account_id, videos_synced_at) VALUES (?, ?) "
                "ON CONFLICT (account_id) DO UPDATE SET videos_synced_at = "
                "excluded.videos_synced_at",
                (account_id, _now()),
            )

    def videos_synced_at(self, account_id: int) -> str | None:
        row = self.store.conn.execute(
            "SELECT videos_synced_at FROM inbox_accounts WHERE account_id = ?", (account_id,)
        ).fetchone()
        return row["videos_synced_at"] if row else None
