"""The fake Instagram (Instagram Login flavour): token refresh, me, Reels containers with
the resumable rupload, container status, the publishing limit, media_publish, media,
comments and replies, insights, throttles (platform-apis.md §3).

Strict like the real protocol, as far as the notes know it:
- Graph errors are `{"error": {message, type, code, error_subcode, fbtrace_id}}`;
  a token unknown, dead or expired on the fake clock answers code 190;
- every Graph answer carries `X-Business-Use-Case-Usage`; `throttle(code, minutes)`
  makes the next calls answer that code (4/17/32/613/800xx) with the regain time
  in the header and no Retry-After;
- `refresh_access_token` wants `grant_type=ig_refresh_token` and a live token at
  least 24 h old (fake clock); it issues a new one for 60 days;
- a container is `media_type=REELS` with `upload_type=resumable` and answers
  `{id, uri}`; the rupload POST needs `Authorization: OAuth {token}`, `offset`
  and `file_size`; an offset must be 0 or the end of bytes already received (a
  re-POST from there replaces what followed) — the resume rule is UNCONFIRMED
  for the real platform; `{"success": true}` or `{"debug_info": {retriable, ...}}`;
- `status_code`: IN_PROGRESS until every byte arrived and `processing_s` passed,
  then FINISHED (ERROR when `fail_processing`), EXPIRED 24 h after creation,
  PUBLISHED after media_publish (so a lost publish answer can be found out);
- `media_publish` needs a FINISHED container and refuses past `quota_total`
  publishes in the last `quota_duration` s (code 9, subcode 2207042: UNCONFIRMED);
- insights give only current metrics; deprecated ones are refused; a reel
  with too few viewers answers code 10 "Not enough viewers".
A reel exists once media_publish acted: `media()` is what never-twice tests count.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fakeplatforms.growth import grown
from fakeplatforms.instagram_community import STAMP, CommunityRoutes
from fakeplatforms.server import FakeRequest, FakeResponse, FakeServer, json_response

DAY = 86400.0


@dataclass
class IgUser:
    user_id: str
    username: str
    name: str
    followers: int = 800
    followers_per_hour: float = 2.0


@dataclass
class IgToken:
    user_id: str
    issued_at: datetime
    expires_at: datetime
    alive: bool = True


@dataclass
class Container:
    container_id: str
    user_id: str
    caption: str
    created_at: datetime
    file_size: int | None = None
    received: int = 0
    hashes: dict[int, Any] = field(default_factory=lambda: {0: hashlib.sha256()})
    uploaded_at: datetime | None = None
    media_id: str | None = None

    @property
    def sha256(self) -> Any:
        return self.hashes[self.received]


@dataclass
class Media:
    media_id: str
    user_id: str
    caption: str
    created_at: datetime
    container_id: str
    permalink: str
    comments: list[dict[str, Any]] = field(default_factory=list)
    insights: dict[str, int] | None = None  # None: too few viewers (code 10)
    insights_per_hour: dict[str, float] = field(default_factory=dict)  # growth from created_at


class InstagramFake(CommunityRoutes):
    """graph.instagram.com under /instagram; rupload under /instagram-rupload."""

    prefix = "/instagram"

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.clock = server.clock
        self.born = self.clock.now()
        self.users: dict[str, IgUser] = {}
        self.tokens: dict[str, IgToken] = {}
        self.containers: dict[str, Container] = {}
        self.media_list: list[Media] = []
        self.throttles: list[tuple[int, float]] = []
        self.calls = 0
        self.refreshes = 0
        self.processing_s = 0.0
        self.fail_processing = False
        self.retriable_failures = 0  # the next rupload POSTs answer debug_info.retriable
        self.quota_total = 100
        self.quota_duration = int(DAY)
        self._n = 17_900_000_000_000_000
        p = self.prefix
        server.route("GET", rf"{p}/refresh_access_token", self._refresh)
        server.route("GET", rf"{p}/me", self._me)
        server.route("POST", rf"{p}/(?P<user>\w+)/media", self._create)
        server.route("GET", rf"{p}/(?P<user>\w+)/media", self._list_media)
        server.route("POST", rf"{p}/(?P<user>\w+)/media_publish", self._publish)
        server.route("GET", rf"{p}/(?P<user>\w+)/content_publishing_limit", self._limit)
        server.route("GET", rf"{p}/(?P<node>\w+)/comments", self._comments)
        server.route("GET", rf"{p}/(?P<node>\w+)/replies", self._replies)
        server.route("POST", rf"{p}/(?P<node>\w+)/replies", self._reply)
        server.route("GET", rf"{p}/(?P<node>\w+)/insights", self._insights)
        server.route("GET", rf"{p}/(?P<node>\w+)", self._node)
        server.route("POST", r"/instagram-rupload/ig-api-upload/v21\.0/(?P<cid>\w+)", self._rupload)

    @property
    def base(self) -> str:
        return self.server.url + self.prefix

    # --- set-up for tests ---------------------------------------------------------------

    def add_account(
        self, username: str = "maker", *, age_s: float = 0.0, ttl_s: float = 60 * DAY
    ) -> dict[str, Any]:
        """An account whose long-lived token was issued `age_s` ago; its credentials doc."""
        with self.server.lock:
            user_id = str(self._next_id())
            self.users[user_id] = IgUser(user_id, username, username.title())
            issued = self.clock.now() - timedelta(seconds=age_s)
            token = self._issue(user_id, issued, issued + timedelta(seconds=ttl_s))
        return {
            "access_token": token,
            "expires_at": self.tokens[token].expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "issued_at": issued.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "user_id": user_id,
        }

    def throttle(self, code: int = 17, minutes: float = 1.0, times: int = 1) -> None:
        """The next `times` Graph calls answer throttle `code`, regain in `minutes`."""
        with self.server.lock:
            self.throttles += [(code, minutes)] * times

    def add_media(self, user_id: str, caption: str, *, at: datetime | None = None) -> Media:
        """A reel already on the account (made outside ReelRoom)."""
        with self.server.lock:
            media_id = str(self._next_id())
            made = Media(
                media_id,
                user_id,
                caption,
                at or self.clock.now(),
                "",
                f"https://www.instagram.com/reel/{secrets.token_urlsafe(8)}/",
            )
            self.media_list.append(made)
            return made

    def remove_media(self, media_id: str) -> None:
        with self.server.lock:
            self.media_list[:] = [m for m in self.media_list if m.media_id != media_id]

    def media(self, user_id: str | None = None) -> list[Media]:
        with self.server.lock:
            return [m for m in self.media_list if user_id is None or m.user_id == user_id]

    # --- helpers -----------------------------------------------------------------------------

    def _next_id(self) -> int:
        self._n += 1 + secrets.randbelow(1000)
        return self._n

    def _issue(self, user_id: str, issued: datetime, expires: datetime) -> str:
        token = "IGAA" + secrets.token_urlsafe(24)
        self.tokens[token] = IgToken(user_id, issued, expires)
        return token

    def _error(
        self, status: int, code: int, message: str, subcode: int | None = None, **headers: str
    ) -> FakeResponse:
        error: dict[str, Any] = {
            "message": message,
            "type": "OAuthException" if code in (190, 10) else "IGApiException",
            "code": code,
            "fbtrace_id": secrets.token_hex(6),
        }
        if subcode is not None:
            error["error_subcode"] = subcode
        return json_response(status, {"error": error}, headers or None)

    def _usage(self, user_id: str, regain: float = 0.0) -> dict[str, str]:
        self.calls += 1
        pct = min(100, self.calls)
        entry = {
            "type": "instagram",
            "call_count": pct,
            "total_cputime": pct // 2,
            "total_time": pct // 2,
            "estimated_time_to_regain_access": regain,
        }
        return {"X-Business-Use-Case-Usage": json.dumps({user_id: [entry]})}

    def _params(self, req: FakeRequest) -> dict[str, str]:
        values = dict(req.query)
        if req.method == "POST" and "form-urlencoded" in (req.header("content-type") or ""):
            values.update(req.form())
        return values

    def _auth(self, req: FakeRequest, params: dict[str, str]) -> IgToken | FakeResponse:
        bearer = req.bearer()
        token = self.tokens.get(params.get("access_token") or bearer or "")
        if token is None or not token.alive or token.expires_at <= self.clock.now():
            return self._error(400, 190, "Error validating access token: Session has expired.")
        if self.throttles:
            code, minutes = self.throttles.pop(0)
            return self._error(
                400,
                code,
                "Application request limit reached" if code == 4 else "User request limit reached",
                **self._usage(token.user_id, minutes),
            )
        return token

    def _ok(self, token: IgToken, doc: Any) -> FakeResponse:
        return json_response(200, doc, self._usage(token.user_id))

    def _user(self, token: IgToken, name: str) -> IgUser | None:
        user_id = token.user_id if name == "me" else name
        return self.users.get(user_id) if user_id == token.user_id else None

    def _begin(self, req: FakeRequest) -> tuple[dict[str, str], IgToken] | FakeResponse:
        params = self._params(req)
        auth = self._auth(req, params)
        if isinstance(auth, FakeResponse):
            return auth
        return params, auth

    # --- tokens and account ----------------------------------------------------------------

    def _refresh(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            if req.query.get("grant_type") != "ig_refresh_token":
                return self._error(400, 100, "grant_type must be ig_refresh_token")
            token = self.tokens.get(req.query.get("access_token", ""))
            now = self.clock.now()
            if token is None or not token.alive or token.expires_at <= now:
                return self._error(400, 190, "Error validating access token: Session has expired.")
            if now - token.issued_at < timedelta(hours=24):
                return self._error(400, 100, "The access token must be at least 24 hours old.")
            self.refreshes += 1
            fresh = self._issue(token.user_id, now, now + timedelta(days=60))
        return json_response(
            200, {"access_token": fresh, "token_type": "bearer", "expires_in": int(60 * DAY)}
        )

    def revoke(self, user_id: str) -> None:
        with self.server.lock:
            for token in self.tokens.values():
                if token.user_id == user_id:
                    token.alive = False

    def _me(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            _params, token = begun
            user = self.users[token.user_id]
            return self._ok(
                token,
                {
                    "id": user.user_id,
                    "user_id": user.user_id,
                    "username": user.username,
                    "name": user.name,
                    "account_type": "BUSINESS",
                    "followers_count": grown(
                        user.followers, user.followers_per_hour, self.born, self.clock.now()
                    ),
                    "media_count": len(self.media(user.user_id)),
                },
            )

    # --- containers and rupload ------------------------------------------------------------

    def _create(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            user = self._user(token, m["user"])
            if user is None:
                return self._error(400, 100, "Unsupported request: the user is not yours")
            if params.get("media_type") != "REELS":
                return self._error(400, 100, "media_type must be REELS (VIDEO is retired)")
            if params.get("upload_type") != "resumable":
                return self._error(400, 100, "this fake takes resumable uploads only")
            if len(params.get("caption", "")) > 2200:
                return self._error(400, 100, "The caption is too long")
            cid = str(self._next_id())
            self.containers[cid] = Container(
                cid, user.user_id, params.get("caption", ""), self.clock.now()
            )
            uri = f"{self.server.url}/instagram-rupload/ig-api-upload/v21.0/{cid}"
            return self._ok(token, {"id": cid, "uri": uri})

    def _rupload(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        def refuse(status: int, message: str, retriable: bool = False) -> FakeResponse:
            info = {"retriable": retriable, "type": "ProcessingFailedError", "message": message}
            return json_response(status, {"debug_info": info})

        with self.server.lock:
            container = self.containers.get(m["cid"])
            auth = req.header("authorization") or ""
            token = self.tokens.get(auth[6:] if auth.startswith("OAuth ") else "")
            if token is None or not token.alive or token.expires_at <= self.clock.now():
                return refuse(401, "Authorization: OAuth {token} is missing or invalid")
            if container is None or container.user_id != token.user_id:
                return refuse(404, "no such container")
            if self.retriable_failures > 0:
                self.retriable_failures -= 1
                return refuse(400, "Request processing failed", retriable=True)
            try:
                offset = int(req.header("offset") or "")
                size = int(req.header("file_size") or "")
            except ValueError:
                return refuse(400, "the offset and file_size headers are required")
            if container.file_size is None:
                container.file_size = size
            if size != container.file_size or offset not in container.hashes:
                return refuse(400, f"offset {offset} / file_size {size} do not match the upload")
            if offset + req.length > size or req.length == 0:
                return refuse(400, "the body runs past file_size (or is empty)")
            digest = container.hashes[offset].copy()
            container.hashes = {k: v for k, v in container.hashes.items() if k <= offset}
            container.received = offset
            container.uploaded_at = None
        for block in req.iter_body():
            digest.update(block)
        with self.server.lock:
            container.received = offset + req.length
            container.hashes[container.received] = digest
            if container.received == container.file_size:
                container.uploaded_at = self.clock.now()
        return json_response(200, {"success": True})

    def status_code(self, container: Container) -> tuple[str, str]:
        now = self.clock.now()
        if container.media_id:
            return "PUBLISHED", "Published"
        if now - container.created_at > timedelta(seconds=DAY):
            return "EXPIRED", "The container was not published within 24 hours"
        if container.uploaded_at is None:
            return "IN_PROGRESS", "Waiting for the upload"
        if now < container.uploaded_at + timedelta(seconds=self.processing_s):
            return "IN_PROGRESS", "Processing"
        if self.fail_processing:
            return "ERROR", "ERROR: the video's frame rate is not supported (2207026)"
        return "FINISHED", "Finished: ready to publish"

    # --- publishing ------------------------------------------------------------------------

    def _used(self, user_id: str) -> int:
        since = self.clock.now() - timedelta(seconds=self.quota_duration)
        return len([m for m in self.media(user_id) if m.created_at > since])

    def _limit(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            _params, token = begun
            user = self._user(token, m["user"])
            if user is None:
                return self._error(400, 100, "Unsupported request")
            row = {
                "quota_usage": self._used(user.user_id),
                "config": {"quota_total": self.quota_total, "quota_duration": self.quota_duration},
            }
            return self._ok(token, {"data": [row]})

    def _publish(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            user = self._user(token, m["user"])
            container = self.containers.get(params.get("creation_id", ""))
            if user is None or container is None or container.user_id != user.user_id:
                return self._error(400, 100, "creation_id is not a container of this user")
            code, _words = self.status_code(container)
            if code == "PUBLISHED":
                return self._error(400, 9007, "The media has already been published", 2207008)
            if code != "FINISHED":
                return self._error(400, 9007, "Media ID is not available", 2207027)
            if self._used(user.user_id) >= self.quota_total:
                return self._error(
                    400, 9, "The maximum number of posts that can be published has been reached",
                    2207042,
                )  # fmt: skip
            media_id = str(self._next_id())
            container.media_id = media_id
            self.media_list.append(
                Media(
                    media_id,
                    user.user_id,
                    container.caption,
                    self.clock.now(),
                    container.container_id,
                    f"https://www.instagram.com/reel/{secrets.token_urlsafe(8)}/",
                )
            )
            return self._ok(token, {"id": media_id})

    # --- reads -------------------------------------------------------------------------------

    def _media_doc(self, media: Media) -> dict[str, Any]:
        return {
            "id": media.media_id,
            "caption": media.caption,
            "media_type": "VIDEO",
            "media_product_type": "REELS",
            "permalink": media.permalink,
            "timestamp": media.created_at.strftime(STAMP),
            "thumbnail_url": f"https://scontent.example/{media.media_id}.jpg",
        }

    def _page(self, token: IgToken, rows: list[dict], params: dict[str, str]) -> FakeResponse:
        start = int(params.get("after") or 0)
        limit = int(params.get("limit") or 25)
        doc: dict[str, Any] = {"data": rows[start : start + limit]}
        if rows:
            doc["paging"] = {"cursors": {"before": str(start), "after": str(start + limit)}}
            if start + limit < len(rows):
                doc["paging"]["next"] = f"{self.base}/next?after={start + limit}"
        return self._ok(token, doc)

    def _list_media(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            params, token = begun
            user = self._user(token, m["user"])
            if user is None:
                return self._error(400, 100, "Unsupported request")
            newest = sorted(self.media(user.user_id), key=lambda x: x.created_at, reverse=True)
            return self._page(token, [self._media_doc(x) for x in newest], params)

    def _node(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            begun = self._begin(req)
            if isinstance(begun, FakeResponse):
                return begun
            _params, token = begun
            container = self.containers.get(m["node"])
            if container is not None and container.user_id == token.user_id:
                code, words = self.status_code(container)
                return self._ok(
                    token, {"id": container.container_id, "status_code": code, "status": words}
                )
            media = next((x for x in self.media(token.user_id) if x.media_id == m["node"]), None)
            if media is None:
                return self._error(
                    400, 100, f"Unsupported get request. Object {m['node']} not found"
                )
            return self._ok(token, self._media_doc(media))  # fmt: skip
