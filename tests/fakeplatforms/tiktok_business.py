"""The fake TikTok API for Business: a business account's comments, replies, token refresh.

Under `/tiktok-business/open_api/v1.3/` (platforms/tiktok/business.py says
which parts are UNCONFIRMED). Strict as far as that goes:

- `Access-Token` header; an unknown or expired token answers code 40105 /
  40102; the refresh token rotates (the old one answers 40105);
- `{"code", "message", "request_id", "data"}` envelopes, code 0 for success;
- comment/list (business_id, video_id: the video must be the account's)
  lists top-level comments newest first, `max_count` ≤ 30 a page, the
  `cursor` keyed by comment id (arrivals and deletions between pages neither
  repeat nor skip one); comment/reply/list the replies of one, oldest first;
- reply/create: top-level comments only, text 1–150 characters, within
  `reply_window_s` of the comment when a test sets it; `limits` per token and
  minute answer code 40100;
- `edit_comment` / `delete_comment` change what TikTok has.
"""

from __future__ import annotations

import itertools
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fakeplatforms.server import FakeRequest, FakeResponse, FakeServer, json_response, minute_window

PREFIX = "/tiktok-business/open_api/v1.3"
REPLY_LIMIT = 150


@dataclass
class Business:
    business_id: str
    username: str
    videos: set[str] = field(default_factory=set)


class TikTokBusinessFake:
    """TikTok API for Business (comments) on the shared fake server."""

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.clock = server.clock
        self.apps: dict[str, str] = {}
        self.businesses: dict[str, Business] = {}
        self.access: dict[str, tuple[str, datetime]] = {}
        self.refresh: dict[str, str] = {}
        self.comments: list[dict[str, Any]] = []
        self.calls: dict[tuple[str, str], list[float]] = {}
        self.limits = {"list": 600, "reply": 30}
        self.reply_window_s: float | None = None
        self.access_ttl_s = 86400.0
        self._ids = itertools.count(7_400_000_000_000_000_000)
        server.route("GET", rf"{PREFIX}/business/comment/list/", self._list)
        server.route("GET", rf"{PREFIX}/business/comment/reply/list/", self._reply_list)
        server.route("POST", rf"{PREFIX}/business/comment/reply/create/", self._create)
        server.route("POST", rf"{PREFIX}/tt_user/oauth2/refresh_token/", self._refresh)

    # --- set-up for tests ---------------------------------------------------------------

    def add_business(self, username: str = "maker", *, app_id: str = "biz-app") -> dict[str, str]:
        """A business connection: the `business` object of the account's credentials."""
        with self.server.lock:
            secret = self.apps.setdefault(app_id, "biz-secret-" + secrets.token_hex(6))
            business_id = "biz-" + secrets.token_hex(4)
            self.businesses[business_id] = Business(business_id, username)
            access, refresh = self._issue(business_id)
        return {
            "app_id": app_id,
            "app_secret": secret,
            "access_token": access,
            "refresh_token": refresh,
            "business_id": business_id,
        }

    def attach_video(self, business_id: str, video_id: str) -> None:
        with self.server.lock:
            self.businesses[business_id].videos.add(video_id)

    def expire_tokens(self) -> None:
        with self.server.lock:
            self.access = {k: (b, self.clock.now()) for k, (b, _) in self.access.items()}

    def add_comment(
        self,
        video_id: str,
        text: str,
        *,
        author: str = "fan",
        parent: str | None = None,
        at: datetime | None = None,
    ) -> str:
        with self.server.lock:
            cid = str(next(self._ids))
            self.comments.append(
                {
                    "comment_id": cid,
                    "video_id": video_id,
                    "user_id": "u-" + author,
                    "username": author,
                    "text": text,
                    "likes": 0,
                    "create_time": int((at or self.clock.now()).timestamp()),
                    "status": "PUBLIC",
                    "parent_comment_id": parent,
                }
            )
            return cid

    def edit_comment(self, comment_id: str, text: str) -> None:
        with self.server.lock:
            for c in self.comments:
                if c["comment_id"] == comment_id:
                    c["text"] = text

    def delete_comment(self, comment_id: str) -> None:
        with self.server.lock:
            self.comments = [
                c
                for c in self.comments
                if comment_id not in (c["comment_id"], c["parent_comment_id"])
            ]

    def replies_to(self, comment_id: str) -> list[dict[str, Any]]:
        with self.server.lock:
            return [c for c in self.comments if c["parent_comment_id"] == comment_id]

    # --- plumbing ----------------------------------------------------------------------

    def _issue(self, business_id: str) -> tuple[str, str]:
        access = "bat." + secrets.token_hex(12)
        refresh = "brt." + secrets.token_hex(12)
        expires = self.clock.now() + timedelta(seconds=self.access_ttl_s)
        self.access[access] = (business_id, expires)
        self.refresh[refresh] = business_id
        return access, refresh

    def _reply(self, code: int, message: str, data: Any = None) -> FakeResponse:
        doc = {
            "code": code,
            "message": message,
            "request_id": secrets.token_hex(8),
            "data": data or {},
        }
        return json_response(200, doc)

    def _auth(
        self, req: FakeRequest, params: dict[str, Any], limit: str
    ) -> Business | FakeResponse:
        token = req.header("access-token") or ""
        found = self.access.get(token)
        if found is None:
            return self._reply(40105, "The access token is invalid or has been revoked.")
        if found[1] <= self.clock.now():
            return self._reply(40102, "The access token has expired.")
        business = self.businesses[found[0]]
        if params.get("business_id") != business.business_id:
            return self._reply(40001, "business_id does not match the access token.")
        if minute_window(self.calls, (token, limit), self.clock.time(), self.limits[limit]):
            return self._reply(40100, "Too many requests.")
        return business

    def _video(self, business: Business, params: dict[str, Any]) -> str | FakeResponse:
        video = str(params.get("video_id") or "")
        if video not in business.videos:
            return self._reply(40001, "video_id is not a video of this business account.")
        return video

    # --- routes --------------------------------------------------------------------------

    def _list(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            business = self._auth(req, req.query, "list")
            if isinstance(business, FakeResponse):
                return business
            video = self._video(business, req.query)
            if isinstance(video, FakeResponse):
                return video
            size = int(req.query.get("max_count") or 20)
            if not 1 <= size <= 30:
                return self._reply(40001, "max_count must be 1 to 30.")
            rows = sorted(
                (c for c in self.comments if c["video_id"] == video and not c["parent_comment_id"]),
                key=lambda c: int(c["comment_id"]),
                reverse=True,
            )
            cursor = int(req.query.get("cursor") or 0)
            if cursor:
                rows = [c for c in rows if int(c["comment_id"]) < cursor]
            return self._page(rows, size)

    def _page(self, rows: list[dict[str, Any]], size: int) -> FakeResponse:
        page = rows[:size]
        out = []
        for c in page:
            replies = [r for r in self.comments if r["parent_comment_id"] == c["comment_id"]]
            out.append({**c, "replies": len(replies)})
        more = len(rows) > size
        return self._reply(
            0,
            "OK",
            {
                "comments": out,
                "cursor": int(page[-1]["comment_id"]) if page else 0,
                "has_more": more,
            },
        )

    def _reply_list(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            business = self._auth(req, req.query, "list")
            if isinstance(business, FakeResponse):
                return business
            video = self._video(business, req.query)
            if isinstance(video, FakeResponse):
                return video
            parent = req.query.get("comment_id")
            rows = sorted(
                (c for c in self.comments if c["parent_comment_id"] == parent),
                key=lambda c: int(c["comment_id"]),
            )
            cursor = int(req.query.get("cursor") or 0)
            if cursor:
                rows = [c for c in rows if int(c["comment_id"]) > cursor]
            return self._page(rows, int(req.query.get("max_count") or 20))

    def _create(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        body = req.json() or {}
        with self.server.lock:
            business = self._auth(req, body, "reply")
            if isinstance(business, FakeResponse):
                return business
            video = self._video(business, body)
            if isinstance(video, FakeResponse):
                return video
            parent = next(
                (c for c in self.comments if c["comment_id"] == str(body.get("comment_id"))), None
            )
            if parent is None or parent["video_id"] != video:
                return self._reply(40001, "comment_id is not a comment of this video.")
            if parent["parent_comment_id"]:
                return self._reply(40001, "Replies go to top-level comments only.")
            text = str(body.get("text") or "")
            if not 1 <= len(text) <= REPLY_LIMIT:
                return self._reply(40001, f"text must be 1 to {REPLY_LIMIT} characters.")
            age = self.clock.now().timestamp() - parent["create_time"]
            if self.reply_window_s is not None and age > self.reply_window_s:
                return self._reply(40001, "The comment can no longer be replied to.")
            cid = self.add_comment(
                video, text, author=business.username, parent=parent["comment_id"]
            )
        return self._reply(0, "OK", {"comment_id": cid, "video_id": video, "text": text})

    def _refresh(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        body = req.json() or {}
        with self.server.lock:
            if self.apps.get(str(body.get("client_id"))) != body.get("client_secret"):
                return self._reply(40001, "client_id or client_secret is wrong.")
            business_id = self.refresh.pop(str(body.get("refresh_token")), None)
            if business_id is None or body.get("grant_type") != "refresh_token":
                return self._reply(40105, "The refresh token is invalid.")
            access, refresh = self._issue(business_id)
        return self._reply(
            0,
            "OK",
            {
                "access_token": access,
                "refresh_token": refresh,
                "expires_in": int(self.access_ttl_s),
                "refresh_token_expires_in": 31_536_000,
            },
        )
