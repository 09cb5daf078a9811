"""The fake YouTube: Google OAuth refresh, channels, the resumable upload protocol,
uploads playlist, videos, comment threads and replies (youtube_community.py), and quota
(platform-apis.md §2).

Strict like the real protocol:
- 401 for an unknown or expired Bearer token (fake clock), Google's error body;
- the session POST needs X-Upload-Content-Length/-Type and answers 200 with a
  `Location` session URI; it is charged to the quota (`rules="old"`: 1600 of
  the shared 10,000 units; `"new"`: its own bucket of 100 calls a day);
- PUTs to the session carry `Content-Range: bytes a-b/TOTAL`, start at the
  next byte, and every chunk but the last is a multiple of 262,144 bytes
  (400 otherwise); `308` + `Range: bytes=0-N` until the last, then `201` with
  the video resource; `bytes */TOTAL` asks where the session stands;
- `expire_session(id)` (or `session_ttl_s` of fake time) makes it answer 404;
- quota counted per Pacific day of the fake clock, `403 quotaExceeded` when a
  call would go over; reads cost 1, comments.insert 50.
A video exists once an upload completed: `videos(channel)` is what
never-twice tests count.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fakeplatforms import youtube_analytics
from fakeplatforms.growth import grown, grown_all
from fakeplatforms.server import FakeRequest, FakeResponse, FakeServer, json_response, pacific_day
from fakeplatforms.youtube_community import YouTubeCommunity

CHUNK_UNIT = 262_144


@dataclass
class Channel:
    channel_id: str
    title: str
    handle: str
    subscribers: int = 5000
    subscribers_per_hour: float = 5.0


@dataclass
class Session:
    upload_id: str
    channel_id: str
    total: int
    content_type: str
    resource: dict[str, Any]
    created_at: datetime
    received: int = 0
    sha256: Any = field(default_factory=hashlib.sha256)
    video_id: str | None = None
    expired: bool = False


@dataclass
class Video:
    video_id: str
    channel_id: str
    resource: dict[str, Any]
    published_at: datetime
    comments: list[dict[str, Any]] = field(default_factory=list)


class YouTubeFake(YouTubeCommunity):
    """YouTube Data API v3 + uploads under /youtube; the token endpoint at /youtube/token."""

    prefix = "/youtube"

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.clock = server.clock
        self.born = self.clock.now()
        # A video's statistics when it is uploaded, and their growth per fake hour.
        self.stats = {"viewCount": 1500, "likeCount": 120, "commentCount": 7}
        self.stats_per_hour = {"viewCount": 300, "likeCount": 20, "commentCount": 1}
        self.analytics_lag_s = 0.0  # Analytics has a video only this long after upload
        self.analytics_allowed = True  # False: the login lacks yt-analytics.readonly (403)
        self.clients: dict[str, str] = {}
        self.channels: dict[str, Channel] = {}
        self.access: dict[str, tuple[str, datetime]] = {}
        self.refresh: dict[str, str] = {}  # refresh token -> channel id (Google does not rotate)
        self.sessions: dict[str, Session] = {}
        self.video_list: list[Video] = []
        self.rules = "old"
        self.daily_units = 10_000
        self.insert_units = 1600
        self.insert_calls_per_day = 100
        self.used: dict[tuple[str, str], int] = {}  # (pacific day, bucket) -> units
        self.access_ttl_s = 3600.0
        self.session_ttl_s = 7 * 86400.0
        self.refreshes = 0
        self.reply_window_s: float | None = None  # a test's reply window (seconds), else none
        self._video_cls = Video
        p = self.prefix
        server.route("POST", rf"{p}/token", self._token)
        server.route("GET", rf"{p}/youtube/v3/channels", self._channels)
        server.route("POST", rf"{p}/upload/youtube/v3/videos", self._start)
        server.route("PUT", rf"{p}/upload/youtube/v3/videos", self._put)
        server.route("GET", rf"{p}/youtube/v3/playlistItems", self._playlist_items)
        server.route("GET", rf"{p}/youtube/v3/videos", self._videos)
        youtube_analytics.add_routes(self)
        server.route("GET", rf"{p}/youtube/v3/commentThreads", self._threads)
        server.route("POST", rf"{p}/youtube/v3/comments", self._reply)
        server.route("GET", rf"{p}/youtube/v3/comments", self._comments_list)

    @property
    def base(self) -> str:
        return self.server.url + self.prefix

    @property
    def token_url(self) -> str:
        return self.base + "/token"

    # --- set-up for tests ---------------------------------------------------------------

    def add_channel(
        self, handle: str = "maker", *, client_id: str = "yt-client.apps"
    ) -> dict[str, Any]:
        """A channel with fresh tokens; the credentials document `accounts add` takes."""
        with self.server.lock:
            secret = self.clients.setdefault(client_id, "yt-secret-" + secrets.token_hex(8))
            channel_id = "UC" + secrets.token_hex(11)
            self.channels[channel_id] = Channel(channel_id, handle.title(), "@" + handle)
            access = self._issue(channel_id)
            refresh = "1//yt-refresh-" + secrets.token_hex(16)
            self.refresh[refresh] = channel_id
        return {
            "client_id": client_id,
            "client_secret": secret,
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": (self.clock.now() + timedelta(seconds=self.access_ttl_s)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            ),
            "user_id": channel_id,
        }

    def _issue(self, channel_id: str) -> str:
        access = "ya29.fake-" + secrets.token_hex(16)
        self.access[access] = (channel_id, self.clock.now() + timedelta(seconds=self.access_ttl_s))
        return access

    def expire_session(self, upload_id: str | None = None) -> None:
        """Make a session (default: every session) answer 404 from now on."""
        with self.server.lock:
            for session in self.sessions.values():
                if upload_id is None or session.upload_id == upload_id:
                    session.expired = True

    def videos(self, channel_id: str | None = None) -> list[Video]:
        with self.server.lock:
            return [v for v in self.video_list if channel_id is None or v.channel_id == channel_id]

    def units(self, bucket: str = "shared") -> int:
        return self.used.get((pacific_day(self.clock.now()), bucket), 0)

    # --- helpers ---------------------------------------------------------------------------

    def _error(
        self, status: int, reason: str, message: str, domain: str = "global"
    ) -> FakeResponse:
        return json_response(
            status,
            {
                "error": {
                    "code": status,
                    "message": message,
                    "errors": [{"domain": domain, "reason": reason, "message": message}],
                }
            },
        )

    def _auth(self, req: FakeRequest) -> str | FakeResponse:
        found = self.access.get(req.bearer() or "")
        if found is None or found[1] <= self.clock.now():
            return self._error(401, "authError", "Invalid Credentials")
        return found[0]

    def _charge(self, units: int, bucket: str = "shared") -> FakeResponse | None:
        key = (pacific_day(self.clock.now()), bucket)
        limit = self.daily_units if bucket == "shared" else self.insert_calls_per_day
        if self.used.get(key, 0) + units > limit:
            return self._error(
                403,
                "quotaExceeded",
                "The request cannot be completed because you have exceeded your quota.",
                "youtube.quota",
            )
        self.used[key] = self.used.get(key, 0) + units
        return None

    # --- OAuth -------------------------------------------------------------------------------

    def _token(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        form = req.form()
        with self.server.lock:
            if self.clients.get(form.get("client_id", "")) != form.get("client_secret"):
                return json_response(401, {"error": "invalid_client"})
            channel_id = self.refresh.get(form.get("refresh_token", ""))
            if form.get("grant_type") != "refresh_token" or channel_id is None:
                return json_response(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
            self.refreshes += 1
            access = self._issue(channel_id)
        return json_response(
            200,
            {
                "access_token": access,
                "expires_in": int(self.access_ttl_s),
                "token_type": "Bearer",
                "scope": "https://www.googleapis.com/auth/youtube.upload",
            },
        )

    def revoke(self, channel_id: str) -> None:
        with self.server.lock:
            self.refresh = {k: v for k, v in self.refresh.items() if v != channel_id}
            self.access = {k: v for k, v in self.access.items() if v[0] != channel_id}

    # --- channels ---------------------------------------------------------------------------

    def _channels(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            over = self._charge(1)
            if over:
                return over
            c = self.channels[auth]
        return json_response(
            200,
            {
                "items": [
                    {
                        "id": c.channel_id,
                        "snippet": {"title": c.title, "customUrl": c.handle},
                        "statistics": {
                            "subscriberCount": str(
                                grown(
                                    c.subscribers,
                                    c.subscribers_per_hour,
                                    self.born,
                                    self.clock.now(),
                                )
                            )
                        },
                        "contentDetails": {
                            "relatedPlaylists": {"uploads": "UU" + c.channel_id[2:]}
                        },
                    }
                ]
            },
        )

    # --- resumable upload ----------------------------------------------------------------------

    def _start(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        if req.query.get("uploadType") != "resumable":
            return self._error(400, "badRequest", "Only resumable uploads are supported here.")
        resource = req.json() or {}
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            try:
                total = int(req.header("x-upload-content-length") or "")
            except ValueError:
                return self._error(400, "badRequest", "X-Upload-Content-Length is required.")
            content_type = req.header("x-upload-content-type") or ""
            if not (
                content_type.startswith("video/") or content_type == "application/octet-stream"
            ):
                return self._error(400, "badContent", "X-Upload-Content-Type must be video/*.")
            title = str((resource.get("snippet") or {}).get("title") or "")
            if not title or len(title) > 100 or "<" in title or ">" in title:
                return self._error(400, "invalidTitle", "The video title is missing or invalid.")
            if self.rules == "old":
                over = self._charge(self.insert_units)
            else:
                over = self._charge(1, "videos.insert")
            if over:
                return over
            upload_id = "UP" + secrets.token_hex(12)
            self.sessions[upload_id] = Session(
                upload_id, auth, total, content_type, resource, self.clock.now()
            )
        location = (
            f"{self.base}/upload/youtube/v3/videos?uploadType=resumable&upload_id={upload_id}"
        )
        return FakeResponse(200, b"", {"Location": location})

    def _put(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            session = self.sessions.get(req.query.get("upload_id", ""))
            if session is not None and self.clock.now() > session.created_at + timedelta(
                seconds=self.session_ttl_s
            ):
                session.expired = True
        if session is None or session.expired:
            return self._error(404, "notFound", "The upload session does not exist or expired.")
        header = req.header("content-range") or ""
        query = re.fullmatch(r"bytes \*/(\d+)", header)
        if query:
            if int(query[1]) != session.total or req.length != 0:
                return self._error(400, "badRequest", "A status query is bytes */TOTAL, no body.")
            return self._where(session)
        rng = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", header)
        if not rng:
            return self._error(400, "badRequest", "Content-Range is missing or malformed.")
        first, last, total = (int(x) for x in rng.groups())
        length = last - first + 1
        if (
            total != session.total
            or first != session.received
            or length != req.length
            or last >= total
            or (last != total - 1 and length % CHUNK_UNIT)
        ):
            return self._error(
                400,
                "badRequest",
                f"Chunk {first}-{last}/{total} is out of order or not a multiple of 256 KiB.",
            )
        for block in req.iter_body():
            session.sha256.update(block)
        with self.server.lock:
            session.received += length
            return self._where(session)

    def _where(self, session: Session) -> FakeResponse:
        if session.received < session.total:
            headers = {"Range": f"bytes=0-{session.received - 1}"} if session.received else {}
            return FakeResponse(308, b"", headers)
        if session.video_id is None:
            session.video_id = secrets.token_urlsafe(8)[:11]
            resource = dict(session.resource)
            snippet = dict(resource.get("snippet") or {})
            snippet["publishedAt"] = self.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
            snippet["channelId"] = session.channel_id
            self.video_list.append(
                Video(
                    session.video_id,
                    session.channel_id,
                    {**resource, "snippet": snippet},
                    self.clock.now(),
                )
            )
            return json_response(201, self._resource(self.video_list[-1]))
        video = next(v for v in self.video_list if v.video_id == session.video_id)
        return json_response(200, self._resource(video))

    def _resource(self, video: Video) -> dict[str, Any]:
        status = dict(video.resource.get("status") or {})
        status.setdefault("privacyStatus", "public")
        status["uploadStatus"] = "uploaded"
        return {
            "kind": "youtube#video",
            "id": video.video_id,
            "snippet": video.resource.get("snippet") or {},
            "status": status,
            "statistics": {
                k: str(v)
                for k, v in grown_all(
                    self.stats, self.stats_per_hour, video.published_at, self.clock.now()
                ).items()
            },
        }

    # --- reads -------------------------------------------------------------------------------

    def _videos(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        wanted = set(req.query.get("id", "").split(","))
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            over = self._charge(1)
            if over:
                return over
            items = [self._resource(v) for v in self.video_list if v.video_id in wanted]
        return json_response(200, {"items": items})
