"""Replies ReelRoom sends, never twice; saved replies and their variables.

A reply is a row of `inbox_replies` and one `reply` job (idempotency key
`reply:<id>`), written together by `queue`, with the item marked done and
its reply_state pending. The worker sends it through the account's
connector with `ReplyJournal` (platforms.base.Journal on the row's
`journal_json`): the intent is committed before the request, the platform's
id after the answer; an intent left open means doubt, and the connector
looks for the reply on the platform before it sends again. `begin_send`
spaces an account's replies (the platform's pace, from config) inside one
write transaction, so two workers cannot both send at once. On success the
reply is also stored as the account's own item in the thread; on failure the
item goes back to new with the platform's words.

Saved replies are canned texts with `{author}`, `{video_title}`, `{link}` and
`{post_url}`; `fill` puts the values in, `check_template` refuses any other
`{word}` (`{{` and `}}` stand for braces).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta
from typing import Any, Mapping

from storage.db import Store
from storage.inbox import InboxError
from storage.inbox_models import Reply, SavedReply
from storage.inbox_triage import log_action
from storage.timefmt import from_db, to_db, utcnow

VARIABLES = ("author", "video_title", "link", "post_url")
_VAR = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def check_template(body: str) -> None:
    """InboxError naming a `{word}` that is not a variable (or a stray brace)."""
    for match in _VAR.finditer(body):
        name = match.group(1)
        if name is not None and name not in VARIABLES:
            raise InboxError(
                f"{{{name}}} is not a variable; use {', '.join('{' + v + '}' for v in VARIABLES)}"
                " (write {{ and }} for braces)"
            )
    stray = _VAR.sub("", body)
    if "{" in stray or "}" in stray:
        raise InboxError("a brace is not closed; write {{ and }} for braces")


def fill(body: str, values: Mapping[str, str]) -> str:
    """The template with its variables filled ({{ and }} become braces)."""

    def one(match: re.Match[str]) -> str:
        whole = match.group(0)
        if whole == "{{":
            return "{"
        if whole == "}}":
            return "}"
        return str(values.get(match.group(1) or "", ""))

    return _VAR.sub(one, body)


def _now() -> str:
    return to_db(utcnow())


def withdraw_reply(conn: sqlite3.Connection, reply_id: int) -> None:
    """Take back a queued reply whose job has not started (inside the caller's transaction).

    InboxError when it is already on its way (its job ran, or it was sent).
    """
    row = conn.execute(
        "SELECT inbox_replies.*, jobs.state AS job_state FROM inbox_replies "
        "LEFT JOIN jobs ON jobs.id = inbox_replies.job_id WHERE inbox_replies.id = ?",
        (reply_id,),
    ).fetchone()
    if row is None:
        return  # already gone
    journal = json.loads(row["journal_json"] or "{}")
    if (
        row["state"] != "pending"
        or row["job_state"] not in ("queued", "failed", None)
        or journal.get("intents")
        or row["started_at"]
    ):
        raise InboxError(
            f"reply {reply_id} is already on its way to the platform ({row['state']}); "
            "it cannot be taken back here"
        )
    if row["job_id"] is not None:
        conn.execute(
            "UPDATE jobs SET state = 'cancelled', cancel_requested = 1, finished_at = ? "
            "WHERE id = ? AND state IN ('queued', 'failed')",
            (_now(), row["job_id"]),
        )
    conn.execute("DELETE FROM inbox_replies WHERE id = ?", (reply_id,))
    _refresh_reply_state(conn, int(row["item_id"]))


def _refresh_reply_state(conn: sqlite3.Connection, item_id: int) -> None:
    """The item's reply_state is its latest reply's."""
    latest = conn.execute(
        "SELECT state FROM inbox_replies WHERE item_id = ? ORDER BY id DESC LIMIT 1", (item_id,)
    ).fetchone()
    conn.execute(
        "UPDATE inbox_items SET reply_state = ? WHERE id = ?",
        (latest["state"] if latest else None, item_id),
    )


class ReplyRepo:
    """Queue, follow and settle replies."""

    def __init__(self, store: Store, *, max_attempts: int = 5) -> None:
        self.store = store
        self.max_attempts = max_attempts

    def get(self, reply_id: int) -> Reply | None:
        row = self.store.conn.execute(
            "SELECT * FROM inbox_replies WHERE id = ?", (reply_id,)
        ).fetchone()
        return Reply.from_row(row) if row else None

    def for_item(self, item_id: int) -> list[Reply]:
        rows = self.store.conn.execute(
            "SELECT * FROM inbox_replies WHERE item_id = ? ORDER BY id", (item_id,)
        )
        return [Reply.from_row(r) for r in rows]

    def queue(
        self, item_id: int, body: str, *, actor: str, saved_reply: str | None = None
    ) -> Reply:
        """Store the reply and its job, the item done and pending, all or nothing."""
        text = body.strip()
        if not text:
            raise InboxError("the reply is empty")
        from storage.jobs import insert_job

        now = _now()
        with self.store.write() as conn:
            item = conn.execute(
                "SELECT id, status, reply_state, deleted, own, can_reply, hidden "
                "FROM inbox_items WHERE id = ?",
                (item_id,),
            ).fetchone()
            if item is None:
                raise InboxError(f"there is no inbox item {item_id}; `reelroom inbox list`")
            if item["deleted"]:
                raise InboxError(f"item {item_id} was deleted on the platform; it takes no reply")
            if item["own"]:
                raise InboxError(f"item {item_id} is the account's own message")
            if not item["can_reply"]:
                raise InboxError(f"the platform takes no reply to item {item_id}")
            pending = conn.execute(
                "SELECT id FROM inbox_replies WHERE item_id = ? AND state = 'pending'", (item_id,)
            ).fetchone()
            if pending is not None:
                raise InboxError(
                    f"reply {pending['id']} to item {item_id} is still on its way; "
                    "wait for it (`reelroom inbox show " + str(item_id) + "`)"
                )
            same = conn.execute(
                "SELECT id FROM inbox_replies WHERE item_id = ? AND state = 'sent' AND body = ?",
                (item_id, text),
            ).fetchone()
            if same is not None:
                raise InboxError(f"item {item_id} already got this very reply (reply {same['id']})")
            reply_id = int(
                conn.execute(
                    "INSERT INTO inbox_replies (item_id, body, saved_reply, state, actor, "
                    "created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?) RETURNING id",
                    (item_id, text, saved_reply, actor, now, now),
                ).fetchone()["id"]
            )
            job_id = insert_job(
                conn,
                "reply",
                {"reply_id": reply_id},
                idem_key=f"reply:{reply_id}",
                max_attempts=self.max_attempts,
                run_at=now,
            )
            conn.execute("UPDATE inbox_replies SET job_id = ? WHERE id = ?", (job_id, reply_id))
            conn.execute(
                "UPDATE inbox_items SET status = 'done', reply_state = 'pending', updated_at = ? "
                "WHERE id = ?",
                (now, item_id),
            )
            log_action(
                conn,
                item_id,
                actor,
                "reply",
                {"status": item["status"], "reply_state": item["reply_state"]},
                {"status": "done", "reply_id": reply_id},
            )
        reply = self.get(reply_id)
        assert reply is not None
        return reply

    # --- the worker's side ------------------------------------------------------------

    def begin_send(
        self, reply_id: int, account_id: int, gap: timedelta, now: datetime | None = None
    ) -> datetime | None:
        """Start sending unless the account sent one less than `gap` ago: None (go), or
        when it may go. A reply already started (a retry after a doubt) goes at once."""
        moment = now or utcnow()
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT started_at FROM inbox_replies WHERE id = ?", (reply_id,)
            ).fetchone()
            if row is None or row["started_at"]:
                return None
            last = conn.execute(
                "SELECT max(r.started_at) AS last FROM inbox_replies r "
                "JOIN inbox_items i ON i.id = r.item_id WHERE i.account_id = ? "
                "AND r.started_at IS NOT NULL AND r.id != ?",
                (account_id, reply_id),
            ).fetchone()["last"]
            previous = from_db(last)
            if previous is not None and gap > timedelta(0) and previous + gap > moment:
                return previous + gap
            conn.execute(
                "UPDATE inbox_replies SET started_at = ?, updated_at = ? WHERE id = ?",
                (to_db(moment), to_db(moment), reply_id),
            )
        return None

    def mark_sent(
        self,
        reply_id: int,
        remote_id: str,
        *,
        author: str,
        received_at: datetime | None = None,
    ) -> None:
        """Sent: the platform's id kept, and the reply in the thread as the account's own."""
        now = _now()
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT r.item_id, r.body, i.account_id, i.publication_id, i.remote_id, "
                "i.video_remote_id FROM inbox_replies r JOIN inbox_items i ON i.id = r.item_id "
                "WHERE r.id = ?",
                (reply_id,),
            ).fetchone()
            if row is None:
                return
            conn.execute(
                "UPDATE inbox_replies SET state = 'sent', remote_id = ?, error = NULL, "
                "sent_at = COALESCE(sent_at, ?), updated_at = ? WHERE id = ?",
                (remote_id, now, now, reply_id),
            )
            conn.execute(
                "UPDATE inbox_items SET reply_state = 'sent', replied_at = ?, updated_at = ? "
                "WHERE id = ?",
                (now, now, row["item_id"]),
            )
            conn.execute(
                "INSERT INTO inbox_items (account_id, publication_id, parent_id, kind, remote_id, "
                "parent_remote_id, video_remote_id, author, body, received_at, status, own, "
                "can_reply, source, synced_at, updated_at) "
                "VALUES (?, ?, ?, 'comment', ?, ?, ?, ?, ?, ?, 'done', 1, 0, 'sync', ?, ?) "
                "ON CONFLICT (account_id, remote_id) DO NOTHING",
                (
                    row["account_id"],
                    row["publication_id"],
                    row["item_id"],
                    remote_id,
                    row["remote_id"],
                    row["video_remote_id"],
                    author,
                    row["body"],
                    to_db(received_at) if received_at else now,
                    now,
                    now,
                ),
            )

    def mark_failed(self, reply_id: int, error: str) -> None:
        """Failed for a person to see: the item goes back to new with the platform's words."""
        now = _now()
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT item_id FROM inbox_replies WHERE id = ?", (reply_id,)
            ).fetchone()
            if row is None:
                return
            conn.execute(
                "UPDATE inbox_replies SET state = 'failed', error = ?, updated_at = ? WHERE id = ?",
                (error, now, reply_id),
            )
            conn.execute(
                "UPDATE inbox_items SET reply_state = 'failed', status = 'new', updated_at = ? "
                "WHERE id = ?",
                (now, row["item_id"]),
            )

    def set_note(self, reply_id: int, note: str | None) -> None:
        """A word on a pending reply (why it waits), shown as its error until it settles."""
        with self.store.write() as conn:
            conn.execute(
                "UPDATE inbox_replies SET error = ?, updated_at = ? WHERE id = ? "
                "AND state = 'pending'",
                (note, _now(), reply_id),
            )


class ReplyJournal:
    """The never-twice journal of one reply (implements platforms.base.Journal)."""

    def __init__(self, store: Store, reply_id: int) -> None:
        self.store = store
        self.reply_id = reply_id

    def state(self) -> Mapping[str, Any]:
        row = self.store.conn.execute(
            "SELECT journal_json FROM inbox_replies WHERE id = ?", (self.reply_id,)
        ).fetchone()
        return json.loads(row["journal_json"] or "{}") if row else {}

    def _change(self, step: str, data: dict[str, Any], *, intend: bool) -> None:
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT journal_json FROM inbox_replies WHERE id = ?", (self.reply_id,)
            ).fetchone()
            doc = json.loads(row["journal_json"] or "{}") if row else {}
            intents = dict(doc.get("intents") or {})
            if intend:
                intents[step] = _now()
            else:
                intents.pop(step, None)
            doc.update(data)
            doc["intents"] = intents
            conn.execute(
                "UPDATE inbox_replies SET journal_json = ? WHERE id = ?",
                (json.dumps(doc, ensure_ascii=False), self.reply_id),
            )

    def intend(self, step: str, **data: Any) -> None:
        self._change(step, data, intend=True)

    def record(self, step: str, **data: Any) -> None:
        self._change(step, data, intend=False)

    def doubtful(self, step: str) -> bool:
        return step in (self.state().get("intents") or {})

    def log(self, entry: Any) -> None:
        """Append one StepEntry (platforms.base) to the reply's step log."""
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO inbox_reply_steps (reply_id, at, step, method, path, status, "
                "elapsed_ms, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.reply_id,
                    to_db(entry.at),
                    entry.step,
                    entry.method,
                    entry.path,
                    entry.status,
                    entry.elapsed_ms,
                    entry.note,
                ),
            )

    def steps(self) -> list[dict[str, Any]]:
        rows = self.store.conn.execute(
            "SELECT at, step, method, path, status, elapsed_ms, note FROM inbox_reply_steps "
            "WHERE reply_id = ? ORDER BY id",
            (self.reply_id,),
        )
        return [dict(r) for r in rows]


class SavedReplyRepo:
    """The team's saved replies, by name."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def all(self) -> list[SavedReply]:
        rows = self.store.conn.execute("SELECT * FROM saved_replies ORDER BY name")
        return [SavedReply.from_row(r) for r in rows]

    def get(self, name: str) -> SavedReply | None:
        row = self.store.conn.execute(
            "SELECT * FROM saved_replies WHERE name = ?", (name.strip(),)
        ).fetchone()
        return SavedReply.from_row(row) if row else None

    def must(self, name: str) -> SavedReply:
        found = self.get(name)
        if found is None:
            raise InboxError(
                f"there is no saved reply {name!r}; `reelroom saved-replies list` shows them"
            )
        return found

    def add(self, name: str, body: str, *, replace: bool = False) -> SavedReply:
        key, text = name.strip(), body.strip()
        if not key or len(key) > 64 or any(c.isspace() for c in key):
            raise InboxError(f"the name {name!r} must be one word of at most 64 characters")
        if not text:
            raise InboxError("the saved reply's text is empty")
        check_template(text)
        with self.store.write() as conn:
            old = conn.execute("SELECT id FROM saved_replies WHERE name = ?", (key,)).fetchone()
            if old is not None and not replace:
                raise InboxError(f"a saved reply named {key!r} exists; add --replace to change it")
            if old is not None:
                conn.execute("UPDATE saved_replies SET body = ? WHERE id = ?", (text, old["id"]))
            else:
                conn.execute(
                    "INSERT INTO saved_replies (name, body, created_at) VALUES (?, ?, ?)",
                    (key, text, _now()),
                )
        return self.must(key)

    def remove(self, name: str) -> None:
        with self.store.write() as conn:
            gone = conn.execute(
                "DELETE FROM saved_replies WHERE name = ?", (name.strip(),)
            ).rowcount
        if not gone:
            raise InboxError(
                f"there is no saved reply {name!r}; `reelroom saved-replies list` shows them"
            )
