"""Triage writes: done, spam, back to new, labels, assignment — each logged for undo.

Every change a person makes is one row of `inbox_actions` holding the fields
it changed as they were before and after (status, labels, assignee, or the
reply it queued). `undo(actor)` takes that person's latest action not yet
undone and puts the item back, but only while the item still looks as the
action left it (someone else may have changed it since: then it says so and
changes nothing). Undoing a queued reply withdraws it while its job has not
started; a reply already on its way cannot be taken back.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, Iterable

from storage.db import Store
from storage.inbox import InboxError
from storage.inbox_models import labels_of
from storage.timefmt import to_db, utcnow
from storage.vocab import InboxLabel, InboxState, values

LABELS = values(InboxLabel)
TRIAGE_STATES = values(InboxState)
FIELDS = ("status", "labels", "assignee")


@dataclass(frozen=True)
class Undone:
    """What an undo put back: the action and the items it touched."""

    action: str
    item_ids: tuple[int, ...]


def check_label(label: str) -> str:
    """A label as stored (lower case), or InboxError naming the ones there are."""
    word = label.strip().lower()
    if word not in LABELS:
        raise InboxError(f"label {label!r} is not one of {', '.join(LABELS)}")
    return word


def _now() -> str:
    return to_db(utcnow())


def _fields(conn: sqlite3.Connection, item_id: int) -> dict[str, Any]:
    row = conn.execute(
        "SELECT status, labels, assignee FROM inbox_items WHERE id = ?", (item_id,)
    ).fetchone()
    if row is None:
        raise InboxError(f"there is no inbox item {item_id}; `reelroom inbox list` shows them")
    return {
        "status": row["status"],
        "labels": list(labels_of(row["labels"])),
        "assignee": row["assignee"],
    }


def _apply(conn: sqlite3.Connection, item_id: int, values_: dict[str, Any]) -> None:
    sets, args = [], list[Any]()
    for key, value in values_.items():
        if key not in FIELDS:
            continue
        sets.append(f"{key} = ?")
        args.append(json.dumps(value, ensure_ascii=False) if key == "labels" else value)
    if sets:
        conn.execute(
            f"UPDATE inbox_items SET {', '.join(sets)}, updated_at = ? WHERE id = ?",
            (*args, _now(), item_id),
        )


def log_action(
    conn: sqlite3.Connection,
    item_id: int,
    actor: str,
    action: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    """One row of the triage log (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO inbox_actions (item_id, actor, action, before_json, after_json, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            item_id,
            actor,
            action,
            json.dumps(before, ensure_ascii=False),
            json.dumps(after, ensure_ascii=False),
            _now(),
        ),
    )


class TriageRepo:
    """A person's triage of inbox items."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _change(self, item_id: int, actor: str, action: str, after: dict[str, Any]) -> bool:
        """Write `after` (a subset of FIELDS) to the item and log it; False when nothing changed."""
        with self.store.write() as conn:
            current = _fields(conn, item_id)
            before = {k: current[k] for k in after}
            if before == after:
                return False
            _apply(conn, item_id, after)
            log_action(conn, item_id, actor, action, before, after)
        return True

    def set_state(self, item_id: int, state: str, *, actor: str) -> bool:
        """new / done / spam; True when it changed."""
        if state not in TRIAGE_STATES:
            raise InboxError(f"state {state!r} is not one of {', '.join(TRIAGE_STATES)}")
        return self._change(item_id, actor, state, {"status": state})

    def set_labels(self, item_id: int, labels: Iterable[str], *, actor: str) -> bool:
        """Replace the item's labels (each one of LABELS), kept in LABELS order."""
        wanted = {check_label(x) for x in labels}
        ordered = [x for x in LABELS if x in wanted]
        return self._change(item_id, actor, "label", {"labels": ordered})

    def add_label(self, item_id: int, label: str, *, actor: str) -> bool:
        word = check_label(label)
        with self.store.write() as conn:
            current = _fields(conn, item_id)["labels"]
        return self.set_labels(item_id, [*current, word], actor=actor)

    def remove_label(self, item_id: int, label: str, *, actor: str) -> bool:
        word = check_label(label)
        with self.store.write() as conn:
            current = _fields(conn, item_id)["labels"]
        return self.set_labels(item_id, [x for x in current if x != word], actor=actor)

    def assign(self, item_id: int, user: str | None, *, actor: str) -> bool:
        """Give the item to a teammate (an OS user name), or to nobody (None)."""
        name = (user or "").strip() or None
        if name is not None and (len(name) > 64 or any(c.isspace() for c in name)):
            raise InboxError(f"assignee {user!r} must be one OS user name (no spaces)")
        return self._change(item_id, actor, "assign", {"assignee": name})

    def undo(self, actor: str) -> Undone | None:
        """Put back `actor`'s latest triage action; None when there is none to undo.

        InboxError when the item changed since, or a reply cannot be withdrawn.
        """
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT * FROM inbox_actions WHERE actor = ? AND undone_at IS NULL "
                "ORDER BY id DESC LIMIT 1",
                (actor,),
            ).fetchone()
            if row is None:
                return None
            before, after = json.loads(row["before_json"]), json.loads(row["after_json"])
            item_id = int(row["item_id"])
            if row["action"] == "reply":
                from storage.inbox_replies import withdraw_reply

                withdraw_reply(conn, int(after["reply_id"]))
                _apply(conn, item_id, {"status": before["status"]})
            else:
                current = _fields(conn, item_id)
                if any(current.get(k) != v for k, v in after.items()):
                    raise InboxError(
                        f"item {item_id} changed after that {row['action']} (by a sync or "
                        "someone else); nothing was undone"
                    )
                _apply(conn, item_id, before)
            conn.execute("UPDATE inbox_actions SET undone_at = ? WHERE id = ?", (_now(), row["id"]))
        return Undone(row["action"], (item_id,))
