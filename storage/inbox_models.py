"""The rows of the inbox: an item (comment, reply, DM), its thread, replies, saved replies.

Plain frozen dataclasses built from rows (`from_row`) and turned into the
JSON the command line prints (`to_json`). No SQL here (storage/inbox.py and
its siblings read and write them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

LIST_FIELDS = (
    "inbox_items.id, inbox_items.account_id, accounts.platform, accounts.handle, "
    "inbox_items.publication_id, inbox_items.parent_id, inbox_items.kind, "
    "inbox_items.remote_id, inbox_items.parent_remote_id, inbox_items.video_remote_id, "
    "inbox_items.author, {body} AS body, inbox_items.received_at, inbox_items.status, "
    "inbox_items.labels, inbox_items.own, inbox_items.can_reply, inbox_items.hidden, "
    "inbox_items.deleted, inbox_items.deleted_at, inbox_items.edited_at, "
    "inbox_items.like_count, inbox_items.assignee, inbox_items.reply_state, "
    "inbox_items.source, inbox_items.replied_at"
)
PREVIEW_CHARS = 400  # what a list row reads of a body (a 5,000-character comment stays cheap)


def labels_of(text: str | None) -> tuple[str, ...]:
    """The labels of a stored JSON list (unknown shapes read as none)."""
    if not text:
        return ()
    try:
        found = json.loads(text)
    except ValueError:
        return ()
    return tuple(str(x) for x in found) if isinstance(found, list) else ()


@dataclass(frozen=True)
class InboxItem:
    """One comment, reply, DM or mention, and where triage stands with it."""

    id: int
    account_id: int
    platform: str
    handle: str
    publication_id: int | None
    parent_id: int | None
    kind: str
    remote_id: str
    parent_remote_id: str | None
    video_remote_id: str | None
    author: str
    body: str
    received_at: str
    status: str
    labels: tuple[str, ...]
    own: bool
    can_reply: bool
    hidden: bool
    deleted: bool
    deleted_at: str | None
    edited_at: str | None
    like_count: int | None
    assignee: str | None
    reply_state: str | None
    source: str
    replied_at: str | None

    @property
    def account(self) -> str:
        """`PLATFORM:HANDLE`."""
        return f"{self.platform}:{self.handle}"

    @classmethod
    def from_row(cls, row: Any) -> InboxItem:
        return cls(
            id=row["id"],
            account_id=row["account_id"],
            platform=row["platform"],
            handle=row["handle"],
            publication_id=row["publication_id"],
            parent_id=row["parent_id"],
            kind=row["kind"],
            remote_id=row["remote_id"],
            parent_remote_id=row["parent_remote_id"],
            video_remote_id=row["video_remote_id"],
            author=row["author"],
            body=row["body"],
            received_at=row["received_at"],
            status=row["status"],
            labels=labels_of(row["labels"]),
            own=bool(row["own"]),
            can_reply=bool(row["can_reply"]),
            hidden=bool(row["hidden"]),
            deleted=bool(row["deleted"]),
            deleted_at=row["deleted_at"],
            edited_at=row["edited_at"],
            like_count=row["like_count"],
            assignee=row["assignee"],
            reply_state=row["reply_state"],
            source=row["source"],
            replied_at=row["replied_at"],
        )

    def to_json(self) -> dict[str, Any]:
        """The listing fields of `reelroom inbox list --json`."""
        return {
            "id": self.id,
            "account": self.account,
            "publication_id": self.publication_id,
            "remote_id": self.remote_id,
            "parent_id": self.parent_id,
            "parent_remote_id": self.parent_remote_id,
            "kind": self.kind,
            "author": self.author,
            "body": self.body,
            "received_at": self.received_at,
            "state": self.status,
            "labels": list(self.labels),
            "reply_state": self.reply_state,
            "deleted": self.deleted,
            "assignee": self.assignee,
            "edited": self.edited_at is not None,
        }


@dataclass(frozen=True)
class Edit:
    """A text an item had before the platform said it was edited."""

    body: str
    replaced_at: str


@dataclass(frozen=True)
class Reply:
    """One reply ReelRoom sends (or sent) to an item."""

    id: int
    item_id: int
    body: str
    saved_reply: str | None
    state: str
    error: str | None
    remote_id: str | None
    job_id: int | None
    actor: str
    created_at: str
    sent_at: str | None
    journal: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Any) -> Reply:
        return cls(
            id=row["id"],
            item_id=row["item_id"],
            body=row["body"],
            saved_reply=row["saved_reply"],
            state=row["state"],
            error=row["error"],
            remote_id=row["remote_id"],
            job_id=row["job_id"],
            actor=row["actor"],
            created_at=row["created_at"],
            sent_at=row["sent_at"],
            journal=json.loads(row["journal_json"] or "{}"),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "item_id": self.item_id,
            "body": self.body,
            "saved_reply": self.saved_reply,
            "state": self.state,
            "error": self.error,
            "remote_id": self.remote_id,
            "job_id": self.job_id,
            "actor": self.actor,
            "created_at": self.created_at,
            "sent_at": self.sent_at,
        }


@dataclass(frozen=True)
class VideoContext:
    """What the thread shows beside the comments: the video and the post behind it."""

    publication_id: int
    title: str
    caption: str
    remote_url: str | None
    published_at: str | None
    post_id: int
    post_title: str
    hook: str
    script: str
    imported: bool
    gone: bool


@dataclass(frozen=True)
class Thread:
    """An item with its thread (parent and replies, oldest first), edits, our replies
    and the video it hangs on."""

    item: InboxItem
    messages: tuple[InboxItem, ...]
    edits: tuple[Edit, ...]
    replies: tuple[Reply, ...]
    video: VideoContext | None

    def to_json(self) -> dict[str, Any]:
        doc = self.item.to_json()
        doc.update(
            {
                "kind": self.item.kind,
                "can_reply": self.item.can_reply,
                "hidden": self.item.hidden,
                "own": self.item.own,
                "deleted_at": self.item.deleted_at,
                "edited_at": self.item.edited_at,
                "like_count": self.item.like_count,
                "source": self.item.source,
                "edits": [{"body": e.body, "replaced_at": e.replaced_at} for e in self.edits],
                "replies": [r.to_json() for r in self.replies],
                "thread": [
                    {
                        "id": m.id,
                        "remote_id": m.remote_id,
                        "author": m.author,
                        "body": m.body,
                        "received_at": m.received_at,
                        "own": m.own,
                        "deleted": m.deleted,
                    }
                    for m in self.messages
                ],
                "video": None
                if self.video is None
                else {
                    "publication_id": self.video.publication_id,
                    "title": self.video.title,
                    "url": self.video.remote_url,
                    "post_id": self.video.post_id,
                    "hook": self.video.hook,
                    "imported": self.video.imported,
                    "gone": self.video.gone,
                },
            }
        )
        return doc


@dataclass(frozen=True)
class SavedReply:
    """A canned answer with `{author}`, `{video_title}`, `{link}`, `{post_url}` in it."""

    id: int
    name: str
    body: str
    created_at: str

    @classmethod
    def from_row(cls, row: Any) -> SavedReply:
        return cls(row["id"], row["name"], row["body"], row["created_at"])

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "body": self.body, "created_at": self.created_at}


@dataclass(frozen=True)
class AccountBacklog:
    """An account's unanswered items: how many, the oldest, and its sync state."""

    account_id: int
    platform: str
    handle: str
    unanswered: int
    oldest_at: str | None
    comments_note: str | None
    comments_synced_at: str | None
    last_error: str | None

    @property
    def account(self) -> str:
        return f"{self.platform}:{self.handle}"
