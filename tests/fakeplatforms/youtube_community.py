"""The fake YouTube's community routes: the uploads playlist, comment threads, replies.

A mixin of `YouTubeFake` (youtube.py), which supplies the state (`video_list`,
`channels`, `clock`, `server`) and the plumbing (`_auth`, `_charge`,
`_error`). Strict like the Data API as far as the notes know it:

- playlistItems lists the channel's uploads newest first, `maxResults` a
  page, with a `nextPageToken` while more remain;
- commentThreads (`videoId`, `order=time`: newest first) pages by
  `pageToken`; tokens are keyed by (publishedAt, id), so comments arriving or
  going between two pages neither repeat nor skip one; each thread carries
  `totalReplyCount`, `canReply` and at most `INLINE_REPLIES` replies inline;
- comments.list (`parentId`) pages a thread's replies, oldest first;
- comments.insert costs 50 units, takes replies to top-level comments only,
  refuses a text over 10,000 characters (commentTextTooLong) and, when a test
  sets `reply_window_s`, a comment older than that (403 forbidden);
- a deleted comment is gone from every listing (`delete_comment`), an
  edited one lists its new text and `updatedAt` (`edit_comment`).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from datetime import datetime
from typing import Any

from fakeplatforms.server import FakeRequest, FakeResponse, json_response

STAMP = "%Y-%m-%dT%H:%M:%SZ"
INLINE_REPLIES = 5
REPLY_LIMIT = 10_000


def _token(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode()


def _untoken(token: str) -> tuple[str, str] | None:
    try:
        a, b = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, TypeError):
        return None
    return str(a), str(b)


class YouTubeCommunity:
    """Uploads listing, threads, replies (routes registered by YouTubeFake)."""

    server: Any
    clock: Any
    channels: dict[str, Any]
    video_list: list[Any]
    reply_window_s: float | None
    _auth: Any
    _charge: Any
    _error: Any
    _video_cls: Any

    # --- set-up for tests ---------------------------------------------------------------

    def add_video(self, channel_id: str, title: str, *, at: datetime | None = None) -> str:
        """A video already on the channel (made outside ReelRoom); its id."""
        with self.server.lock:
            video_id = secrets.token_urlsafe(8)[:11]
            made = at or self.clock.now()
            snippet = {
                "title": title,
                "description": "",
                "publishedAt": made.strftime(STAMP),
                "channelId": channel_id,
            }
            self.video_list.append(
                self._video_cls(video_id, channel_id, {"snippet": snippet}, made)
            )
            return video_id

    def remove_video(self, video_id: str) -> None:
        with self.server.lock:
            self.video_list[:] = [v for v in self.video_list if v.video_id != video_id]

    def add_comment(
        self,
        video_id: str,
        text: str,
        *,
        author: str = "fan",
        parent: str | None = None,
        at: datetime | None = None,
    ) -> str:
        """A viewer's comment (or reply to `parent`); its id."""
        with self.server.lock:
            video = next(v for v in self.video_list if v.video_id == video_id)
            stamp = (at or self.clock.now()).strftime(STAMP)
            cid = f"{parent}.{secrets.token_hex(5)}" if parent else "Ug" + secrets.token_hex(10)
            video.comments.append(
                {
                    "id": cid,
                    "parentId": parent,
                    "textOriginal": text,
                    "textDisplay": text,
                    "authorDisplayName": author,
                    "publishedAt": stamp,
                    "updatedAt": stamp,
                    "likeCount": 0,
                }
            )
            return cid

    def _find(self, comment_id: str) -> tuple[Any, dict[str, Any]] | None:
        for video in self.video_list:
            for c in video.comments:
                if c["id"] == comment_id:
                    return video, c
        return None

    def edit_comment(self, comment_id: str, text: str) -> None:
        with self.server.lock:
            found = self._find(comment_id)
            assert found is not None
            found[1].update(
                textOriginal=text, textDisplay=text, updatedAt=self.clock.now().strftime(STAMP)
            )

    def delete_comment(self, comment_id: str) -> None:
        """The comment (and, for a top-level one, its replies) is gone from the platform."""
        with self.server.lock:
            for video in self.video_list:
                video.comments[:] = [
                    c
                    for c in video.comments
                    if c["id"] != comment_id and c.get("parentId") != comment_id
                ]

    def comments_of(self, video_id: str) -> list[dict[str, Any]]:
        with self.server.lock:
            video = next(v for v in self.video_list if v.video_id == video_id)
            return list(video.comments)

    # --- routes ----------------------------------------------------------------------------

    def _begin(self, req: FakeRequest, units: int = 1) -> str | FakeResponse:
        auth = self._auth(req)
        if isinstance(auth, FakeResponse):
            return auth
        return self._charge(units) or auth

    def _playlist_items(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            auth = self._begin(req)
            if isinstance(auth, FakeResponse):
                return auth
            if req.query.get("playlistId") != "UU" + auth[2:]:
                return self._error(404, "playlistNotFound", "The playlist was not found.")
            videos = sorted(
                (v for v in self.video_list if v.channel_id == auth),
                key=lambda v: (v.published_at, v.video_id),
                reverse=True,
            )
            start = int(req.query.get("pageToken") or 0)
            size = min(50, int(req.query.get("maxResults", "5")))
            page = videos[start : start + size]
            doc: dict[str, Any] = {
                "items": [
                    {
                        "snippet": {
                            "title": v.resource["snippet"].get("title", ""),
                            "description": v.resource["snippet"].get("description", ""),
                            "publishedAt": v.resource["snippet"]["publishedAt"],
                            "resourceId": {"kind": "youtube#video", "videoId": v.video_id},
                        }
                    }
                    for v in page
                ]
            }
            if start + size < len(videos):
                doc["nextPageToken"] = str(start + size)
        return json_response(200, doc)

    def _threads(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            auth = self._begin(req)
            if isinstance(auth, FakeResponse):
                return auth
            video = next(
                (v for v in self.video_list if v.video_id == req.query.get("videoId")), None
            )
            if video is None:
                return self._error(404, "videoNotFound", "The video was not found.")
            size = int(req.query.get("maxResults", "20"))
            if not 1 <= size <= 100:
                return self._error(400, "invalidParameter", "maxResults must be 1 to 100.")
            tops = sorted(
                (c for c in video.comments if not c.get("parentId")),
                key=lambda c: (c["publishedAt"], c["id"]),
                reverse=req.query.get("order", "time") == "time",
            )
            token = req.query.get("pageToken")
            if token:
                key = _untoken(token)
                if key is None:
                    return self._error(400, "invalidPageToken", "The page token is not valid.")
                tops = [c for c in tops if (c["publishedAt"], c["id"]) < key]
            page = tops[:size]
            items = []
            for c in page:
                replies = sorted(
                    (r for r in video.comments if r.get("parentId") == c["id"]),
                    key=lambda r: (r["publishedAt"], r["id"]),
                )
                thread: dict[str, Any] = {
                    "id": c["id"],
                    "snippet": {
                        "videoId": video.video_id,
                        "canReply": True,
                        "totalReplyCount": len(replies),
                        "topLevelComment": {"id": c["id"], "snippet": _snippet(c)},
                    },
                }
                if "replies" in req.query.get("part", "") and replies:
                    thread["replies"] = {
                        "comments": [
                            {"id": r["id"], "snippet": _snippet(r)}
                            for r in replies[:INLINE_REPLIES]
                        ]
                    }
                items.append(thread)
            doc: dict[str, Any] = {"items": items}
            if len(tops) > size:
                last = page[-1]
                doc["nextPageToken"] = _token((last["publishedAt"], last["id"]))
        return json_response(200, doc)

    def _comments_list(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            auth = self._begin(req)
            if isinstance(auth, FakeResponse):
                return auth
            parent = req.query.get("parentId")
            found = self._find(parent or "")
            if found is None:
                return self._error(404, "commentNotFound", "The parent comment was not found.")
            video, _top = found
            replies = sorted(
                (r for r in video.comments if r.get("parentId") == parent),
                key=lambda r: (r["publishedAt"], r["id"]),
            )
            start = int(req.query.get("pageToken") or 0)
            size = int(req.query.get("maxResults", "20"))
            doc: dict[str, Any] = {
                "items": [
                    {"id": r["id"], "snippet": _snippet(r)} for r in replies[start : start + size]
                ]
            }
            if start + size < len(replies):
                doc["nextPageToken"] = str(start + size)
        return json_response(200, doc)

    def _reply(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        body = req.json() or {}
        with self.server.lock:
            auth = self._begin(req, 50)
            if isinstance(auth, FakeResponse):
                return auth
            snippet = body.get("snippet") or {}
            parent = snippet.get("parentId")
            text = str(snippet.get("textOriginal") or "")
            found = self._find(parent or "")
            if found is None:
                return self._error(400, "parentIdMissing", "The parent comment was not found.")
            video, top = found
            if top.get("parentId"):
                return self._error(400, "operationNotSupported", "Reply to top-level comments.")
            if not text:
                return self._error(400, "commentTextRequired", "The comment text is required.")
            if len(text) > REPLY_LIMIT:
                return self._error(400, "commentTextTooLong", "The comment text is too long.")
            made = datetime.fromisoformat(top["publishedAt"].replace("Z", "+00:00"))
            window = self.reply_window_s
            if window is not None and (self.clock.now() - made).total_seconds() > window:
                return self._error(403, "forbidden", "The comment can no longer be replied to.")
            stamp = self.clock.now().strftime(STAMP)
            comment = {
                "id": f"{parent}.{secrets.token_hex(5)}",
                "parentId": parent,
                "textOriginal": text,
                "textDisplay": text,
                "authorDisplayName": self.channels[auth].title,
                "publishedAt": stamp,
                "updatedAt": stamp,
                "likeCount": 0,
            }
            video.comments.append(comment)
        return json_response(200, {"id": comment["id"], "snippet": _snippet(comment)})


def _snippet(c: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in c.items() if v is not None}
