"""The fake Instagram's community routes: comments, replies and insights of a reel.

A mixin of `InstagramFake` (instagram.py), which supplies the state (`media()`,
`users`, `clock`, `server`) and the Graph plumbing (`_begin`, `_ok`, `_error`,
`_page`, `_next_id`). Rules: `/{media}/comments` lists top-level comments,
`/{comment}/replies` a comment's replies; a reply goes only to a visible
top-level comment; insights give only current metrics (deprecated ones are
refused), nothing for a metric the reel has no number for, and code 10 "Not
enough viewers" while the reel has none.
"""

from __future__ import annotations

import re
from typing import Any

from fakeplatforms.growth import grown_all
from fakeplatforms.server import FakeRequest, FakeResponse

STAMP = "%Y-%m-%dT%H:%M:%S+0000"
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

    def add_comment(self, media: Any, text: str, *, parent: str | None = None) -> dict:
        with self.server.lock:
            comment = {
                "id": str(self._next_id()),
                "text": text,
                "username": "fan",
                "timestamp": self.clock.now().strftime(STAMP),
                "like_count": 1,
                "hidden": False,
                "parent_id": parent,
            }
            media.comments.append(comment)
            return comment

    def _find_comment(self, user_id: str, comment_id: str) -> tuple[Any, dict] | None:
        for media in self.media(user_id):
            for comment in media.comments:
                if comment["id"] == comment_id:
                    return media, comment
        return None

    def _comments(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            media = next((x for x in self.media(token.user_id) if x.media_id == m["node"]), None)
            if media is None:
                return self._error(400, 100, "media not found")
            rows = [_comment_doc(c) for c in media.comments if not c["parent_id"]]
            return self._page(token, rows, params)

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
            rows = [_comment_doc(c) for c in media.comments if c["parent_id"] == parent["id"]]
            return self._page(token, rows, params)

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
            if not params.get("message"):
                return self._error(400, 100, "message is required")
            reply = {
                "id": str(self._next_id()),
                "text": params["message"],
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


def _comment_doc(comment: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in comment.items() if k != "parent_id"}
