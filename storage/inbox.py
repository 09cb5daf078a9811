"""Reading the inbox: keyset pages across accounts, one item's thread, backlogs.

`InboxQuery` says which items (a triage state or all, a label, an account)
and in which order: newest first, or oldest first (the oldest unanswered at
the top when the state is `new`). `page(query, after=key)` reads one keyset
page after a `(received_at, id)` key: an index range, never a sort of every
row, so 50k items page as fast as 50. List rows read only the first
`PREVIEW_CHARS` of a body (`full_body=True` for the command line's --json).
Items the account wrote itself (our own replies, synced back) are part of
threads, never of the triage list.

Writes live beside this module: triage (inbox_triage.py), sync
(inbox_sync.py), replies and saved replies (inbox_replies.py).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, replace
from typing import Any

from storage.db import Store
from storage.inbox_models import (
    LIST_FIELDS,
    PREVIEW_CHARS,
    AccountBacklog,
    Edit,
    InboxItem,
    Reply,
    Thread,
    VideoContext,
)
from storage.script_text import parse as parse_script
from storage.vocab import InboxState, values

STATES = (*values(InboxState), "all")
ORDERS = ("newest", "oldest")
FROM = "FROM inbox_items JOIN accounts ON accounts.id = inbox_items.account_id"


class InboxError(ValueError):
    """An inbox request cannot be done; the message says what to do."""


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class InboxQuery:
    """Which items, in which order: `state` (new/done/spam/all), `label`, `account_id`,
    `order` newest (received, descending) or oldest (ascending)."""

    state: str = "new"
    label: str | None = None
    account_id: int | None = None
    order: str = "newest"

    def __post_init__(self) -> None:
        if self.state not in STATES:
            raise InboxError(f"state {self.state!r} is not one of {', '.join(STATES)}")
        if self.order not in ORDERS:
            raise InboxError(f"order {self.order!r} is not one of {', '.join(ORDERS)}")

    @property
    def descending(self) -> bool:
        return self.order == "newest"

    def reversed(self) -> InboxQuery:
        """The same items the other way round (to read backwards from a key)."""
        return replace(self, order="oldest" if self.descending else "newest")

    @staticmethod
    def key_of(item: InboxItem) -> tuple[str, int]:
        """The keyset position of an item."""
        return (item.received_at, item.id)


def _where(query: InboxQuery) -> tuple[list[str], list[Any]]:
    where, args = ["inbox_items.own = 0"], list[Any]()
    if query.state != "all":
        where.append("inbox_items.status = ?")
        args.append(query.state)
    if query.account_id is not None:
        where.append("inbox_items.account_id = ?")
        args.append(query.account_id)
    if query.label:
        where.append("inbox_items.labels LIKE ? ESCAPE '\\'")
        args.append(f'%"{_escape_like(query.label)}"%')
    return where, args


class InboxRepo:
    """Pages, items, threads and per-account backlogs of the inbox."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    # --- pages -----------------------------------------------------------------------

    def page(
        self,
        query: InboxQuery,
        *,
        after: tuple[str, int] | None = None,
        limit: int = 100,
        full_body: bool = False,
    ) -> builtins.list[InboxItem]:
        """One keyset page after `after` (a `(received_at, id)` key), in the query's order."""
        body = "inbox_items.body" if full_body else f"substr(inbox_items.body, 1, {PREVIEW_CHARS})"
        where, args = _where(query)
        if after is not None:
            where.append(
                f"(inbox_items.received_at, inbox_items.id) {'<' if query.descending else '>'} (?, ?)"
            )
            args.extend(after)
        direction = "DESC" if query.descending else "ASC"
        sql = (
            f"SELECT {LIST_FIELDS.format(body=body)} {FROM} WHERE {' AND '.join(where)} "
            f"ORDER BY inbox_items.received_at {direction}, inbox_items.id {direction} LIMIT ?"
        )
        return [InboxItem.from_row(r) for r in self.store.conn.execute(sql, (*args, limit))]

    def count(self, query: InboxQuery) -> int:
        """How many items the query matches."""
        where, args = _where(query)
        return int(
            self.store.conn.execute(
                f"SELECT count(*) FROM inbox_items WHERE {' AND '.join(where)}", args
            ).fetchone()[0]
        )

    def listing(self, query: InboxQuery, *, limit: int | None = None) -> builtins.list[InboxItem]:
        """Every matching item (full bodies), a page at a time; at most `limit`."""
        found: list[InboxItem] = []
        after: tuple[str, int] | None = None
        while limit is None or len(found) < limit:
            size = 1000 if limit is None else min(1000, limit - len(found))
            rows = self.page(query, after=after, limit=size, full_body=True)
            found.extend(rows)
            if len(rows) < size:
                break
            after = InboxQuery.key_of(rows[-1])
        return found

    # --- one item ----------------------------------------------------------------------

    def get(self, item_id: int) -> InboxItem | None:
        row = self.store.conn.execute(
            f"SELECT {LIST_FIELDS.format(body='inbox_items.body')} {FROM} WHERE inbox_items.id = ?",
            (item_id,),
        ).fetchone()
        return InboxItem.from_row(row) if row else None

    def must(self, item_id: int) -> InboxItem:
        found = self.get(item_id)
        if found is None:
            raise InboxError(f"there is no inbox item {item_id}; `reelroom inbox list` shows them")
        return found

    def thread(self, item_id: int) -> Thread | None:
        """The item, its thread (the top comment and its replies, oldest first), its old
        texts, the replies ReelRoom sent to it and the video beside it."""
        item = self.get(item_id)
        if item is None:
            return None
        conn = self.store.conn
        top = item.parent_id or item.id
        rows = conn.execute(
            f"SELECT {LIST_FIELDS.format(body='inbox_items.body')} {FROM} "
            "WHERE inbox_items.id = ? OR inbox_items.parent_id = ? "
            "ORDER BY inbox_items.received_at, inbox_items.id LIMIT 500",
            (top, top),
        )
        messages = tuple(InboxItem.from_row(r) for r in rows)
        edits = tuple(
            Edit(r["body"], r["replaced_at"])
            for r in conn.execute(
                "SELECT body, replaced_at FROM inbox_edits WHERE item_id = ? ORDER BY id",
                (item_id,),
            )
        )
        replies = tuple(
            Reply.from_row(r)
            for r in conn.execute(
                "SELECT * FROM inbox_replies WHERE item_id = ? ORDER BY id", (item_id,)
            )
        )
        video = self.video(item.publication_id) if item.publication_id is not None else None
        return Thread(item, messages or (item,), edits, replies, video)

    def video(self, publication_id: int) -> VideoContext | None:
        """The publication an item hangs on: title, link, the post's hook and script."""
        row = self.store.conn.execute(
            "SELECT publications.id, publications.title, publications.caption, "
            "publications.remote_url, publications.published_at, publications.imported, "
            "publications.gone_at, posts.id AS post_id, posts.title AS post_title, "
            "scripts.body AS script FROM publications "
            "JOIN posts ON posts.id = publications.post_id "
            "LEFT JOIN scripts ON scripts.post_id = posts.id WHERE publications.id = ?",
            (publication_id,),
        ).fetchone()
        if row is None:
            return None
        script = row["script"] or ""
        doc = parse_script(script)
        return VideoContext(
            publication_id=row["id"],
            title=row["title"] or row["post_title"],
            caption=row["caption"] or "",
            remote_url=row["remote_url"],
            published_at=row["published_at"],
            post_id=row["post_id"],
            post_title=row["post_title"],
            hook=doc.text("hook"),
            script=script,
            imported=bool(row["imported"]),
            gone=row["gone_at"] is not None,
        )

    # --- accounts ----------------------------------------------------------------------

    def backlogs(self) -> builtins.list[AccountBacklog]:
        """Every account: its unanswered count, the oldest unanswered, its sync state."""
        rows = self.store.conn.execute(
            "SELECT accounts.id, accounts.platform, accounts.handle, "
            "inbox_accounts.comments_note, inbox_accounts.comments_synced_at, "
            "inbox_accounts.last_error, "
            "(SELECT count(*) FROM inbox_items i WHERE i.account_id = accounts.id "
            " AND i.status = 'new' AND i.own = 0 AND i.deleted = 0) AS unanswered, "
            "(SELECT min(i.received_at) FROM inbox_items i WHERE i.account_id = accounts.id "
            " AND i.status = 'new' AND i.own = 0 AND i.deleted = 0) AS oldest_at "
            "FROM accounts LEFT JOIN inbox_accounts ON inbox_accounts.account_id = accounts.id "
            "ORDER BY accounts.platform, accounts.handle"
        )
        return [
            AccountBacklog(
                r["id"],
                r["platform"],
                r["handle"],
                int(r["unanswered"] or 0),
                r["oldest_at"],
                r["comments_note"],
                r["comments_synced_at"],
                r["last_error"],
            )
            for r in rows
        ]

    def sender_labels(self, account_id: int, author: str) -> set[str]:
        """Labels the account's earlier items by this author carry."""
        from storage.inbox_models import labels_of

        found: set[str] = set()
        for r in self.store.conn.execute(
            "SELECT labels FROM inbox_items WHERE account_id = ? AND author = ? "
            "AND labels != '[]' LIMIT 50",
            (account_id, author),
        ):
            found.update(labels_of(r["labels"]))
        return found

    def assignees(self, limit: int = 50) -> builtins.list[str]:
        """User names items were given to before (to suggest when assigning)."""
        rows = self.store.conn.execute(
            "SELECT assignee, max(updated_at) AS last FROM inbox_items WHERE assignee IS NOT NULL "
            "GROUP BY assignee ORDER BY last DESC LIMIT ?",
            (limit,),
        )
        return [r["assignee"] for r in rows]
