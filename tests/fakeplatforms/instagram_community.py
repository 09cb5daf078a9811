"""The fake Instagram's community routes: comments, replies and insights of a reel.

A mixin of `InstagramFake` (instagram.py), which supplies the state (`media()`,
`users`, `clock`, `server`) and the Graph plumbing (`_begin`, `_ok`, `_error`,
`_page`, `_next_id`). Rules: `/{media}/comments` lists top-level comments
oldest first (as the moderation guide's example does), with
`replies{…}` in `fields` expanding each one's first page of replies;
`/{comment}/replies` pages a comment's replies. Cursors are keyed by
(timestamp, id), so comments arriving or deleted between pages neither
repeat nor skip one. A reply goes only to a visible top-level comment, at
most 2,200 characters and, when a test sets `reply_window_s`, within that
many seconds of the comment. `edit_comment` / `delete_comment` change what
Instagram has. Insights give only current metrics (deprecated ones are
refused), nothing for a metric the reel has no number for, and code 10 "Not
enough viewers" while the reel has none.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from typing import Any

from fakeplatforms.growth import grown_all
from fakeplatforms.server import FakeRequest, FakeResponse

STAMP = "%Y-%m-%dT%H:%M:%S%z"
REPLY_LIMIT = 2200
CURRENT = {"views", "reach", "likes", "comments", "shares", "saved", "total_interactions"}
CURRENT |= {"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"}
DEPRECATED = {"plays", "clips_replays_count", "ig_reels_aggregated_all_plays_count"}
DEPRECATED |= {"impressions", "video_views"}


class CommunityRoutes:
    """Comments, replies and insights (the routes are registered by InstagramFake)."""

    server: Any
    clock: Any
    users: dict[str, Any]
    media: Any
    _begin: Any
    _ok: Any
    _error: Any
    _page: Any
    _next_id: Any

    reply_window_s: float | None = None

    def add_comment(
        self,
        media: Any,
        text: str,
        *,
        parent: str | None = None,
        author: str = "fan",
        at: datetime | None = None,
    ) -> dict:
        with self.server.lock:
            comment = {
                "id": str(self._next_id()),
                "text": text,
                "username": author,
                "timestamp": (at or self.clock.now()).strftime(STAMP),
                "like_count": 1,
                "hidden": False,
                "parent_id": parent,
            }
            media.comments.append(comment)
            return comment

    def edit_comment(self, comment_id: str, text: str) -> None:
        with self.server.lock:
            for media in self.media():
                for comment in media.comments:
                    if comment["id"] == comment_id:
                        comment["text"] = text

    def delete_comment(self, comment_id: str) -> None:
        """Gone from Instagram (a top-level comment takes its replies with it)."""
        with self.server.lock:
            for media in self.media():
                media.comments[:] = [
                    c
                    for c in media.comments
                    if c["id"] != comment_id and c["parent_id"] != comment_id
                ]

    def _find_comment(self, user_id: str, comment_id: str) -> tuple[Any, dict] | None:
        for media in self.media(user_id):
            for comment in media.comments:
                if comment["id"] == comment_id:
                    return media, comment
        return None

    def _keyed(self, token: Any, rows: list[dict], params: dict[str, str]) -> FakeResponse | dict:
        """One page of `rows` (sorted oldest first) after the `after` cursor, Graph-shaped."""
        rows = sorted(rows, key=_key)
        after = params.get("after")
        if after:
            try:
                key = tuple(json.loads(base64.urlsafe_b64decode(after.encode())))
            except (ValueError, TypeError):
                return self._error(400, 100, "Invalid cursor")
            rows = [r for r in rows if _key(r) > key]
        limit = int(params.get("limit") or 25)
        page = rows[:limit]
        doc: dict[str, Any] = {"data": [_comment_doc(c) for c in page]}
        if page:
            cursor = base64.urlsafe_b64encode(json.dumps(list(_key(page[-1]))).encode()).decode()
            doc["paging"] = {"cursors": {"before": "", "after": cursor}}
            if len(rows) > limit:
                doc["paging"]["next"] = f"{self.server.url}/instagram/next?after={cursor}"
        return doc

    def _comments(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            media = next((x for x in self.media(token.user_id) if x.media_id == m["node"]), None)
            if media is None:
                return self._error(400, 100, "media not found")
            doc = self._keyed(token, [c for c in media.comments if not c["parent_id"]], params)
            if isinstance(doc, FakeResponse):
                return doc
            if "replies{" in params.get("fields", ""):
                for row in doc["data"]:
                    replies = [c for c in media.comments if c["parent_id"] == row["id"]]
                    if replies:
                        row["replies"] = self._keyed(token, replies, {"limit": "50"})
            return self._ok(token, doc)

    def _replies(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            found = self._find_comment(token.user_id, m["node"])
            if found is None:
                return self._error(400, 100, "comment not found")
            media, parent = found
            rows = [c for c in media.comments if c["parent_id"] == parent["id"]]
            doc = self._keyed(token, rows, params)
            return doc if isinstance(doc, FakeResponse) else self._ok(token, doc)

    def _reply(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            found = self._find_comment(token.user_id, m["node"])
            if found is None:
                return self._error(400, 100, "comment not found")
            media, parent = found
            if parent["parent_id"] or parent["hidden"]:
                return self._error(400, 100, "Replies go to visible top-level comments only")
            message = params.get("message") or ""
            if not message:
                return self._error(400, 100, "message is required")
            if len(message) > REPLY_LIMIT:
                return self._error(400, 100, "The comment is too long")
            made = datetime.strptime(parent["timestamp"], STAMP)
            window = self.reply_window_s
            if window is not None and (self.clock.now() - made).total_seconds() > window:
                return self._error(400, 100, "The comment can no longer be replied to")
            reply = {
                "id": str(self._next_id()),
                "text": message,
                "username": self.users[token.user_id].username,
                "timestamp": self.clock.now().strftime(STAMP),
                "like_count": 0,
                "hidden": False,
                "parent_id": parent["id"],
            }
            media.comments.append(reply)
            return self._ok(token, {"id": reply["id"]})

    def _insights(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            media = next((x for x in self.media(token.user_id) if x.media_id == m["node"]), None)
            if media is None:
                return self._error(400, 100, "media not found")
            wanted = [w for w in params.get("metric", "").split(",") if w]
            stale = [w for w in wanted if w in DEPRECATED or w not in CURRENT]
            if not wanted or stale:
                return self._error(400, 100, f"metric {stale} is not supported (any more)")
            if media.insights is None:
                return self._error(
                    400, 10, "(#10) Not enough viewers on the media to show insights"
                )
            counts = grown_all(
                media.insights, media.insights_per_hour, media.created_at, self.clock.now()
            )
            rows = [
                {"name": w, "period": "lifetime", "values": [{"value": counts[w]}], "id": f"{media.media_id}/insights/{w}/lifetime"}
                for w in wanted
                if w in counts
            ]  # fmt: skip
            return self._ok(token, {"data": rows})


def _key(comment: dict[str, Any]) -> tuple[str, str]:
    return (comment["timestamp"], comment["id"].rjust(24, "0"))


def _comment_doc(comment: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in comment.items() if k != "parent_id"}
