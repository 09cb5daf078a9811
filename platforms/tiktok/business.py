"""TikTok API for Business: the comments of a business account, and replies to them.

Personal TikTok accounts have no comment API (only a count); a business
account connected to a TikTok for Business app does (reference/platform-
apis.md §1.8). The connection lives in the account's credentials as
`business` {app_id, app_secret, access_token, refresh_token, business_id}.
Everything below the endpoint names is UNCONFIRMED (the official reference
was not read; shapes follow public clients):

- host `[platforms.tiktok] business_api_base` + `/open_api/v1.3/`, header
  `Access-Token: {token}`; answers `{"code": 0, "message", "request_id",
  "data": {...}}`, any other code is an error (40100 too many requests;
  40102 token expired; 40104/40105 token missing, wrong or revoked);
- `GET business/comment/list/` (business_id, video_id, sort newest first,
  cursor, max_count ≤ 30) → `{comments: [{comment_id, video_id, user_id,
  username, text, likes, replies, create_time, status, parent_comment_id}],
  cursor, has_more}`; `GET business/comment/reply/list/` (… comment_id) the
  same for a comment's replies;
- `POST business/comment/reply/create/` {business_id, video_id, comment_id,
  text} → `{comment_id, …}`; replies go to top-level comments, at most
  `REPLY_LIMIT` characters;
- `POST tt_user/oauth2/refresh_token/` {client_id, client_secret,
  grant_type=refresh_token, refresh_token} → {access_token, refresh_token,
  expires_in, …}; the refresh token rotates, so the new pair is written to
  the secrets file (under the keeper's hold) before it is used.

Never twice: a reply is intended in the journal before the create request;
after a doubt the comment's replies are read for ours before sending again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from platforms.base import (
    Journal,
    NeedsLogin,
    Page,
    RateLimited,
    Rejected,
    RemoteComment,
    TransientError,
)
from platforms.http import StepSink

if TYPE_CHECKING:
    from platforms.tiktok.connector import TikTokConnector

PREFIX = "/open_api/v1.3/"
PAGE = 30
REPLY_LIMIT = 150  # characters of a TikTok comment (UNCONFIRMED; public clients check 150)
THROTTLED = {40100}
TOKEN_CODES = {40102, 40104, 40105}


def _time(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (TypeError, ValueError, OSError):
        return None


def _doc(response: httpx.Response) -> dict[str, Any]:
    try:
        doc = response.json()
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _code(response: httpx.Response) -> int | None:
    try:
        return int(_doc(response).get("code"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class BusinessComments:
    """The API for Business calls of one TikTok account with a business connection."""

    def __init__(self, connector: TikTokConnector, business: Mapping[str, str]) -> None:
        self.connector = connector
        self.base = connector.ctx.endpoints.get(
            "business_api_base", "https://business-api.tiktok.com"
        ).rstrip("/")
        self.business = dict(business)
        self.business_id = self.business.get("business_id") or ""
        connector.redactor.add(
            *(self.business.get(k) for k in ("app_secret", "access_token", "refresh_token"))
        )
        if not self.business_id or not self.business.get("access_token"):
            raise NeedsLogin(
                f"{connector.ctx.account}: the TikTok business connection needs business_id and "
                "access_token; add them under `business` with `reelroom accounts add tiktok "
                f"{connector.ctx.handle} --credentials FILE.json`"
            )

    # --- calls ----------------------------------------------------------------------------

    def _send(
        self,
        step: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        safe: bool = True,
        log: StepSink | None = None,
    ) -> httpx.Response:
        headers = {"Access-Token": self.business.get("access_token", "")}
        kw: dict[str, Any] = {"params": params} if params else {}
        if body is not None:
            headers["Content-Type"] = "application/json"
            kw["content"] = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.connector.http.send(
            step, method, self.base + PREFIX + path, safe=safe, log=log, headers=headers, **kw
        )

    def call(
        self,
        step: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        safe: bool = True,
        log: StepSink | None = None,
        what: str = "",
    ) -> dict[str, Any]:
        """One call; the token refreshed once when TikTok refuses it. The answer's `data`."""
        response = self._send(step, method, path, params=params, body=body, safe=safe, log=log)
        if _code(response) in TOKEN_CODES or response.status_code == 401:
            self.refresh()
            response = self._send(step, method, path, params=params, body=body, safe=safe, log=log)
        return self._data(response, what or step)

    def _data(self, response: httpx.Response, what: str) -> dict[str, Any]:
        doc = _doc(response)
        code = _code(response)
        if response.status_code < 300 and code == 0:
            data = doc.get("data")
            return data if isinstance(data, dict) else {}
        message = self.connector.redactor.scrub(str(doc.get("message") or ""))
        word = f"tiktok_business_{code if code is not None else response.status_code}"
        text = f"TikTok for Business refused {what}: {message or f'HTTP {response.status_code}'}"
        if code in THROTTLED or response.status_code == 429:
            raise RateLimited(text, code=word, retry_after=60.0)
        if code in TOKEN_CODES or response.status_code == 401:
            raise NeedsLogin(
                f"{text}. Connect the business account again and run `reelroom accounts add "
                f"tiktok {self.connector.ctx.handle} --credentials FILE.json`",
                code=word,
            )
        if response.status_code >= 500:
            raise TransientError(text, code=word)
        raise Rejected(text, code=word)

    def refresh(self) -> None:
        """New business tokens, stored (rotated refresh token first) before they are used."""
        keeper = self.connector.ctx.keeper
        with keeper.hold():
            stored = keeper.load()
            current = dict(stored.business or {})
            if current.get("access_token") and current.get("access_token") != self.business.get(
                "access_token"
            ):
                self.business = current  # another process refreshed meanwhile
                self.connector.redactor.add(current.get("access_token"))
                return
            refresh_token = current.get("refresh_token")
            if not (refresh_token and current.get("app_id") and current.get("app_secret")):
                raise NeedsLogin(
                    f"{self.connector.ctx.account}: TikTok refused the business token and no "
                    "refresh token (with app_id and app_secret) is stored; connect it again: "
                    f"`reelroom accounts add tiktok {self.connector.ctx.handle} "
                    "--credentials FILE.json`"
                )
            response = self._send(
                "business_refresh",
                "POST",
                "tt_user/oauth2/refresh_token/",
                body={
                    "client_id": current["app_id"],
                    "client_secret": current["app_secret"],
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                },
                safe=False,  # the refresh token rotates: never sent twice blindly
            )
            data = self._data(response, "the business token refresh")
            fresh = {
                **current,
                "access_token": str(data.get("access_token") or ""),
                "refresh_token": str(data.get("refresh_token") or refresh_token),
            }
            if not fresh["access_token"]:
                raise TransientError("TikTok for Business answered a refresh without a token")
            self.connector.redactor.add(fresh["access_token"], fresh["refresh_token"])
            keeper.save(replace(stored, business=fresh))
            self.business = fresh

    # --- comments ---------------------------------------------------------------------------

    def _comment(self, item: dict[str, Any], video: str, parent: str | None) -> RemoteComment:
        status = str(item.get("status") or "PUBLIC").upper()
        return RemoteComment(
            remote_id=str(item.get("comment_id")),
            video_remote_id=video,
            author=str(item.get("username") or item.get("display_name") or ""),
            body=str(item.get("text") or ""),
            created_at=_time(item.get("create_time")),
            parent_remote_id=parent
            or (str(item["parent_comment_id"]) if item.get("parent_comment_id") else None),
            like_count=item.get("likes"),
            can_reply=parent is None and status == "PUBLIC",
            hidden=status == "HIDDEN",
        )

    def _page(
        self, path: str, params: dict[str, Any], log: StepSink | None = None
    ) -> tuple[list[dict[str, Any]], str | None]:
        data = self.call("comment_list", "GET", path, params=params, log=log, what="the comments")
        more = data.get("has_more") and data.get("cursor") is not None
        return list(data.get("comments") or []), str(data["cursor"]) if more else None

    def replies_of(
        self, video: str, comment_id: str, log: StepSink | None = None
    ) -> list[dict[str, Any]]:
        """Every reply of a top-level comment."""
        found: list[dict[str, Any]] = []
        cursor: str | None = "0"
        while cursor is not None:
            rows, cursor = self._page(
                "business/comment/reply/list/",
                {
                    "business_id": self.business_id,
                    "video_id": video,
                    "comment_id": comment_id,
                    "cursor": cursor,
                    "max_count": PAGE,
                },
                log,
            )
            found += rows
        return found

    def comments(self, video: str, cursor: str | None) -> Page[RemoteComment]:
        """A page of top-level comments, newest first, with every reply of each."""
        rows, after = self._page(
            "business/comment/list/",
            {
                "business_id": self.business_id,
                "video_id": video,
                "sort_field": "create_time",
                "sort_order": "desc",
                "cursor": cursor or "0",
                "max_count": PAGE,
            },
        )
        found: list[RemoteComment] = []
        for item in rows:
            top = self._comment(item, video, None)
            found.append(top)
            if int(item.get("replies") or 0) > 0:
                for reply in self.replies_of(video, top.remote_id):
                    found.append(self._comment(reply, video, top.remote_id))
        return Page(found, after)

    def reply(self, comment: RemoteComment, text: str, journal: Journal) -> RemoteComment:
        """Reply once; after a doubt the comment's replies are read for ours first."""
        if comment.parent_remote_id:
            raise Rejected("TikTok takes replies to top-level comments only", code="not_top")
        if len(text) > REPLY_LIMIT:
            raise Rejected(
                f"the reply is {len(text)} characters; TikTok takes at most {REPLY_LIMIT}",
                code="too_long",
            )
        video = comment.video_remote_id
        if journal.doubtful("reply"):
            for item in self.replies_of(video, comment.remote_id, journal.log):
                if str(item.get("text") or "") == text:
                    journal.record("reply", remote_id=str(item.get("comment_id")), found=True)
                    return self._comment(item, video, comment.remote_id)
        journal.intend("reply")
        data = self.call(
            "reply",
            "POST",
            "business/comment/reply/create/",
            body={
                "business_id": self.business_id,
                "video_id": video,
                "comment_id": comment.remote_id,
                "text": text,
            },
            safe=False,
            log=journal.log,
            what="the reply",
        )
        remote_id = str(data.get("comment_id") or "")
        journal.record("reply", remote_id=remote_id)
        return RemoteComment(
            remote_id=remote_id,
            video_remote_id=video,
            author=self.connector.ctx.handle,
            body=text,
            created_at=self.connector.now(),
            parent_remote_id=comment.remote_id,
            can_reply=False,
        )
