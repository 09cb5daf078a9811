"""The fake TikTok: OAuth v2 refresh (rotating), creator_info, Direct Post / inbox init,
the media-transfer PUTs, status fetch, and the Display API (platform-apis.md §1).

Strict like the real protocol, as far as the notes know it:
- `{data, error: {code, message, log_id}}` envelopes; 401 `access_token_invalid`
  for an unknown or expired token (expiry read from the fake clock);
- a refresh rotates the refresh token: the old one answers `invalid_grant`;
- init checks the §1.5 chunk arithmetic (floor(size/chunk) chunks, 5–64 MiB,
  last ≤ 128 MiB, < 5 MiB in one chunk, > 64 MiB in several, 1–1000 chunks)
  and the privacy level against the creator's options;
- per-token per-minute limits (init 6, creator_info 20, status 30) answer
  429 `rate_limit_exceeded` (with Retry-After when `retry_after_header`);
- PUTs must carry a Content-Range starting at the next byte, each chunk the
  declared size except the last (416 otherwise), 206 per chunk, 201 at the end;
- status moves PROCESSING_UPLOAD → PUBLISH_COMPLETE (SEND_TO_USER_INBOX for
  inbox uploads, FAILED with `fail_reason` when told) after `processing_s`
  of fake time; the post id appears `moderation_s` later;
- a daily cap per creator answers `spam_risk_too_many_posts`.
A post exists once its upload completed: `posts(open_id)` is what never-twice
tests count.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fakeplatforms.server import (
    FakeRequest,
    FakeResponse,
    FakeServer,
    json_response,
    minute_window,
)
from fakeplatforms.tiktok_display import DisplayRoutes

MiB = 1024 * 1024
MIN_CHUNK, MAX_CHUNK, MAX_LAST = 5 * MiB, 64 * MiB, 128 * MiB
PRIVACY_PUBLIC = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "SELF_ONLY"]
UPLOAD_TYPES = ("video/mp4", "video/quicktime", "video/webm")


@dataclass
class Creator:
    open_id: str
    username: str
    privacy_options: list[str] = field(default_factory=lambda: list(PRIVACY_PUBLIC))
    max_duration_s: int = 600
    comment_disabled: bool = False
    duet_disabled: bool = False
    stitch_disabled: bool = False
    followers: int = 1200
    followers_per_hour: float = 3.0


@dataclass
class Token:
    open_id: str
    expires_at: datetime
    alive: bool = True


@dataclass
class Publish:
    publish_id: str
    open_id: str
    inbox: bool
    size: int
    chunk_size: int
    chunks: int
    post_info: dict[str, Any]
    upload_key: str
    received: int = 0
    sha256: Any = field(default_factory=hashlib.sha256)
    completed_at: datetime | None = None
    post_id: str | None = None
    fail_reason: str | None = None


class TikTokFake(DisplayRoutes):
    """TikTok's Content Posting and Display APIs under /tiktok (uploads under /tiktok-upload)."""

    prefix = "/tiktok"

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.clock = server.clock
        self.clients: dict[str, str] = {}
        self.creators: dict[str, Creator] = {}
        self.access: dict[str, Token] = {}
        self.refresh: dict[str, Token] = {}
        self.publishes: dict[str, Publish] = {}
        self.calls: dict[tuple[str, str], list[float]] = {}
        self.access_ttl_s = 86400.0
        self.refresh_ttl_s = 365 * 86400.0
        self.processing_s = 0.0
        self.moderation_s = 0.0
        self.fail_reason: str | None = None
        self.daily_cap = 15
        self.retry_after_header: int | None = None
        self.limits = {"init": 6, "creator_info": 20, "status": 30}
        self.refreshes = 0
        self._n = 0
        self.born = self.clock.now()
        # A post's counts: these at its completion, growing by these per fake hour.
        self.counts = {"view_count": 1000, "like_count": 100, "comment_count": 10, "share_count": 5}
        self.counts_per_hour = {
            "view_count": 400,
            "like_count": 30,
            "comment_count": 2,
            "share_count": 1,
        }
        self._publish_cls = Publish
        p = self.prefix
        server.route("POST", rf"{p}/v2/oauth/token/", self._token)
        server.route("POST", rf"{p}/v2/post/publish/creator_info/query/", self._creator_info)
        server.route("POST", rf"{p}/v2/post/publish/video/init/", self._init_direct)
        server.route("POST", rf"{p}/v2/post/publish/inbox/video/init/", self._init_inbox)
        server.route("POST", rf"{p}/v2/post/publish/status/fetch/", self._status)
        server.route("PUT", r"/tiktok-upload/(?P<key>[\w-]+)", self._put)
        server.route("POST", rf"{p}/v2/video/list/", self._video_list)
        server.route("POST", rf"{p}/v2/video/query/", self._video_query)
        server.route("GET", rf"{p}/v2/user/info/", self._user_info)

    @property
    def base(self) -> str:
        return self.server.url + self.prefix

    # --- set-up for tests -------------------------------------------------------

    def add_creator(
        self, username: str = "maker", *, client_key: str = "tt-client-key", **opts: Any
    ) -> dict[str, Any]:
        """A creator with fresh tokens; the credentials document `accounts add` takes."""
        with self.server.lock:
            client_secret = self.clients.setdefault(client_key, "tt-secret-" + secrets.token_hex(8))
            open_id = "open-" + secrets.token_hex(4)
            self.creators[open_id] = Creator(open_id, username, **opts)
            access, refresh = self._issue(open_id)
        return {
            "client_id": client_key,
            "client_secret": client_secret,
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": (self.clock.now() + timedelta(seconds=self.access_ttl_s)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "user_id": open_id,
        }

    def _issue(self, open_id: str) -> tuple[str, str]:
        access = "act." + secrets.token_hex(16)
        refresh = "rft." + secrets.token_hex(16)
        now = self.clock.now()
        self.access[access] = Token(open_id, now + timedelta(seconds=self.access_ttl_s))
        self.refresh[refresh] = Token(open_id, now + timedelta(seconds=self.refresh_ttl_s))
        return access, refresh

    def revoke(self, open_id: str) -> None:
        """The user removed the app: every token of theirs dies."""
        with self.server.lock:
            for token in [*self.access.values(), *self.refresh.values()]:
                if token.open_id == open_id:
                    token.alive = False

    def posts(self, open_id: str | None = None) -> list[Publish]:
        """Publishes whose upload completed (each one is a post or a draft)."""
        with self.server.lock:
            return [
                p
                for p in self.publishes.values()
                if p.completed_at is not None and (open_id is None or p.open_id == open_id)
            ]

    # --- envelope -----------------------------------------------------------------

    def _ok(self, data: dict[str, Any], status: int = 200) -> FakeResponse:
        return json_response(
            status, {"data": data, "error": {"code": "ok", "message": "", "log_id": self._log()}}
        )

    def _err(self, status: int, code: str, message: str, headers: Any = None) -> FakeResponse:
        return json_response(
            status,
            {"data": {}, "error": {"code": code, "message": message, "log_id": self._log()}},
            headers,
        )

    def _log(self) -> str:
        self._n += 1
        return f"fake-log-{self._n}"

    def _auth(self, req: FakeRequest) -> tuple[str, str] | FakeResponse:
        token = req.bearer()
        found = self.access.get(token or "")
        if found is None or not found.alive or found.expires_at <= self.clock.now():
            return self._err(401, "access_token_invalid", "The access token is invalid or expired.")
        return token or "", found.open_id

    def _limit(self, token: str, name: str) -> FakeResponse | None:
        wait = minute_window(self.calls, (token, name), self.clock.time(), self.limits[name])
        if wait is None:
            return None
        headers = {"Retry-After": str(self.retry_after_header)} if self.retry_after_header else None
        return self._err(429, "rate_limit_exceeded", "Too many requests.", headers)

    # --- OAuth --------------------------------------------------------------------

    def _token(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        form = req.form()
        with self.server.lock:
            if self.clients.get(form.get("client_key", "")) != form.get("client_secret"):
                return json_response(
                    401, {"error": "invalid_client", "error_description": "Client key or secret."}
                )
            if form.get("grant_type") != "refresh_token":
                return json_response(400, {"error": "unsupported_grant_type"})
            old = self.refresh.get(form.get("refresh_token", ""))
            if old is None or not old.alive or old.expires_at <= self.clock.now():
                return json_response(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Refresh token is invalid or expired.",
                    },
                )
            old.alive = False  # rotation: the old refresh token dies
            access, refresh = self._issue(old.open_id)
            self.refreshes += 1
        return json_response(
            200,
            {
                "open_id": old.open_id,
                "scope": "user.info.basic,video.publish,video.upload,video.list",
                "access_token": access,
                "expires_in": int(self.access_ttl_s),
                "refresh_token": refresh,
                "refresh_expires_in": int(self.refresh_ttl_s),
                "token_type": "Bearer",
            },
        )

    # --- creator info and init ---------------------------------------------------------

    def _creator_info(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            limited = self._limit(auth[0], "creator_info")
            if limited:
                return limited
            c = self.creators[auth[1]]
        return self._ok(
            {
                "creator_avatar_url": "https://example.invalid/avatar.jpg",
                "creator_username": c.username,
                "creator_nickname": c.username.title(),
                "privacy_level_options": list(c.privacy_options),
                "comment_disabled": c.comment_disabled,
                "duet_disabled": c.duet_disabled,
                "stitch_disabled": c.stitch_disabled,
                "max_video_post_duration_sec": c.max_duration_s,
            }
        )

    def _init_direct(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        return self._init(req, inbox=False)

    def _init_inbox(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        return self._init(req, inbox=True)

    def _init(self, req: FakeRequest, *, inbox: bool) -> FakeResponse:
        body = req.json() or {}
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            token, open_id = auth
            limited = self._limit(token, "init")
            if limited:
                return limited
            creator = self.creators[open_id]
            post_info = body.get("post_info") or {}
            if inbox and "post_info" in body:
                return self._err(400, "invalid_params", "post_info is not accepted for uploads.")
            if not inbox:
                problem = self._post_info_problem(creator, post_info)
                if problem:
                    return self._err(400, *problem)
            source = body.get("source_info") or {}
            problem = chunk_problem(source)
            if problem:
                return self._err(400, "invalid_params", problem)
            day_ago = self.clock.now() - timedelta(days=1)
            today = [
                p
                for p in self.publishes.values()
                if p.open_id == open_id and p.completed_at and p.completed_at > day_ago
            ]
            if len(today) >= self.daily_cap:
                return self._err(
                    403, "spam_risk_too_many_posts", "The daily post limit has been reached."
                )
            self._n += 1
            kind = "v_pub_file~v2-1." if not inbox else "v_inbox_file~v2."
            publish = Publish(
                publish_id=f"{kind}{self._n}{secrets.token_hex(3)}",
                open_id=open_id,
                inbox=inbox,
                size=int(source["video_size"]),
                chunk_size=int(source["chunk_size"]),
                chunks=int(source["total_chunk_count"]),
                post_info=dict(post_info),
                upload_key=secrets.token_hex(12),
            )
            self.publishes[publish.publish_id] = publish
        return self._ok(
            {
                "publish_id": publish.publish_id,
                "upload_url": f"{self.server.url}/tiktok-upload/{publish.upload_key}",
            }
        )

    def _post_info_problem(self, creator: Creator, info: dict[str, Any]) -> tuple[str, str] | None:
        privacy = info.get("privacy_level")
        if privacy not in creator.privacy_options:
            return "privacy_level_option_mismatch", f"{privacy} is not allowed for this creator."
        title = str(info.get("title") or "")
        if len(title.encode("utf-16-le")) // 2 > 2200:
            return "invalid_params", "title is longer than 2200 characters."
        if info.get("disable_comment") is False and creator.comment_disabled:
            return "invalid_params", "comments are disabled for this creator."
        return None

    # --- upload ---------------------------------------------------------------------

    def _put(self, req: FakeRequest, m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            found = [p for p in self.publishes.values() if p.upload_key == m["key"]]
        if not found:
            return self._err(404, "not_found", "Unknown upload.")
        pub = found[0]
        if (req.header("content-type") or "") not in UPLOAD_TYPES:
            return self._err(400, "invalid_file_upload", "Content-Type must be a video type.")
        rng = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", req.header("content-range") or "")
        if not rng:
            return self._err(416, "invalid_file_upload", "Content-Range is missing or malformed.")
        first, last, total = (int(x) for x in rng.groups())
        index = first // pub.chunk_size if pub.chunk_size else 0
        expected = pub.chunk_size if index < pub.chunks - 1 else pub.size - first
        if (
            total != pub.size
            or first != pub.received
            or first % pub.chunk_size
            or last - first + 1 != expected
            or req.length != expected
        ):
            return self._err(
                416,
                "invalid_file_upload",
                f"Chunk {first}-{last}/{total} is out of order or the wrong size.",
            )
        for block in req.iter_body():
            pub.sha256.update(block)
        with self.server.lock:
            pub.received += expected
            if pub.received < pub.size:
                return FakeResponse(206)
            pub.completed_at = self.clock.now()
            pub.fail_reason = self.fail_reason
        return FakeResponse(201)

    # --- status ---------------------------------------------------------------------

    def _status(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        body = req.json() or {}
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            limited = self._limit(auth[0], "status")
            if limited:
                return limited
            pub = self.publishes.get(str(body.get("publish_id")))
            if pub is None or pub.open_id != auth[1]:
                return self._err(400, "invalid_params", "Unknown publish_id.")
            return self._ok(self.status_of(pub))

    def status_of(self, pub: Publish) -> dict[str, Any]:
        now = self.clock.now()
        data: dict[str, Any] = {
            "status": "PROCESSING_UPLOAD",
            "fail_reason": "",
            "publicaly_available_post_id": [],
            "uploaded_bytes": pub.received,
        }
        if pub.completed_at is None or now < pub.completed_at + timedelta(
            seconds=self.processing_s
        ):
            return data
        if pub.fail_reason:
            return {**data, "status": "FAILED", "fail_reason": pub.fail_reason}
        if pub.inbox:
            return {**data, "status": "SEND_TO_USER_INBOX"}
        data["status"] = "PUBLISH_COMPLETE"
        ready = pub.completed_at + timedelta(seconds=self.processing_s + self.moderation_s)
        if now >= ready and pub.post_info.get("privacy_level") == "PUBLIC_TO_EVERYONE":
            pub.post_id = pub.post_id or str(7_300_000_000_000_000_000 + len(self.publishes))
            data["publicaly_available_post_id"] = [int(pub.post_id)]
        return data


def chunk_problem(source: dict[str, Any]) -> str | None:
    """What is wrong with a FILE_UPLOAD source_info under §1.5, or None."""
    if source.get("source") != "FILE_UPLOAD":
        return "source must be FILE_UPLOAD here."
    try:
        size = int(source["video_size"])
        chunk = int(source["chunk_size"])
        count = int(source["total_chunk_count"])
    except (KeyError, TypeError, ValueError):
        return "video_size, chunk_size and total_chunk_count are required integers."
    if size <= 0 or chunk <= 0:
        return "video_size and chunk_size must be positive."
    if size < MIN_CHUNK:
        return None if (chunk == size and count == 1) else "a video under 5 MB is one chunk."
    if not MIN_CHUNK <= chunk <= MAX_CHUNK:
        return "chunk_size must be between 5 MB and 64 MB."
    if count != size // chunk or not 1 <= count <= 1000:
        return "total_chunk_count must be floor(video_size / chunk_size), 1 to 1000."
    if size > MAX_CHUNK and count < 2:
        return "a video over 64 MB must be sent in several chunks."
    if size - (count - 1) * chunk > MAX_LAST:
        return "the last chunk may not be over 128 MB."
    return None
