"""The fake Kuaishou open platform: rotating OAuth refresh, user_info, start_upload, the
upload gateway (whole, fragments, resume, complete), the multipart publish and the photo
list/info (platform-apis.md §4).

Strict like the real protocol, as far as the notes know it:
- every answer is HTTP 200 with `{"result": 1, ...}`, or `result` ≠ 1 with
  `error_msg`; an unknown or expired access_token (fake clock) is 100200102;
  every open-API call needs `app_id` and `access_token` in the query;
- a refresh rotates the refresh token: the old one is dead at once;
- `start_upload` answers `{upload_token, endpoint}`, the endpoint a host and
  path on this server without a scheme (the client adds `http://`);
- a whole upload must be under 10 MB; fragments are at most 10 MB, non-empty,
  with `fragment_id` 0-based and no gaps (a re-sent fragment must be the same
  bytes); `resume` lists the fragments held; `complete` checks `fragment_count`;
- `publish` is multipart with `caption` and a `cover` image (JPEG/PNG), needs a
  finished upload, and refuses an upload token used before (UNCONFIRMED);
  it answers `{result: 1, video_info: {photo_id, ...}}`;
- the photo list (newest first) and photo info show a photo as soon as it was
  published (so a lost publish answer can be found out). Their paths and
  fields are UNCONFIRMED for the real platform.
A photo exists once publish acted: `photos()` is what never-twice tests count.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from fakeplatforms.growth import grown, grown_all
from fakeplatforms.server import FakeRequest, FakeResponse, FakeServer, json_response

INVALID_TOKEN = 100200102
TEN_MB = 10_000_000


@dataclass
class KsUser:
    open_id: str
    name: str
    fans: int = 3100
    fans_per_hour: float = 4.0


@dataclass
class KsToken:
    open_id: str
    expires_at: datetime
    alive: bool = True


@dataclass
class Upload:
    token: str
    open_id: str
    fragments: dict[int, str] = field(default_factory=dict)  # id -> sha256 of its bytes
    sha256: Any = field(default_factory=hashlib.sha256)
    size: int = 0
    done: bool = False
    used: bool = False


@dataclass
class Photo:
    photo_id: str
    open_id: str
    caption: str
    cover: bytes
    created_at: datetime
    upload: Upload
    counts: dict[str, int] = field(default_factory=dict)
    counts_per_hour: dict[str, float] = field(default_factory=dict)  # growth from created_at


class KuaishouFake:
    """open.kuaishou.com under /kuaishou; the upload gateway under /kuaishou-upload."""

    prefix = "/kuaishou"

    def __init__(self, server: FakeServer) -> None:
        self.server = server
        self.clock = server.clock
        self.born = self.clock.now()
        self.apps: dict[str, str] = {}
        self.users: dict[str, KsUser] = {}
        self.access: dict[str, KsToken] = {}
        self.refresh: dict[str, KsToken] = {}
        self.uploads: dict[str, Upload] = {}
        self.photo_list: list[Photo] = []
        self.access_ttl_s = 48 * 3600.0
        self.refresh_ttl_s = 180 * 86400.0
        self.refreshes = 0
        p, u = self.prefix, "/kuaishou-upload"
        for method in ("GET", "POST"):
            server.route(method, rf"{p}/oauth2/refresh_token", self._refresh)
        server.route("GET", rf"{p}/openapi/user_info", self._user_info)
        server.route("POST", rf"{p}/openapi/photo/start_upload", self._start)
        server.route("POST", rf"{p}/openapi/photo/publish", self._publish)
        server.route("GET", rf"{p}/openapi/photo/list", self._list)
        server.route("GET", rf"{p}/openapi/photo/info", self._info)
        server.route("POST", rf"{u}/api/upload", self._whole)
        server.route("POST", rf"{u}/api/upload/fragment", self._fragment)
        server.route("GET", rf"{u}/api/upload/resume", self._resume)
        server.route("POST", rf"{u}/api/upload/complete", self._complete)

    @property
    def base(self) -> str:
        return self.server.url + self.prefix

    # --- set-up for tests ---------------------------------------------------------------

    def add_account(self, name: str = "maker", *, app_id: str = "ks-app-1") -> dict[str, Any]:
        """An account with fresh tokens; the credentials document `accounts add` takes."""
        with self.server.lock:
            secret = self.apps.setdefault(app_id, "ks-secret-" + secrets.token_hex(8))
            open_id = "ks-open-" + secrets.token_hex(4)
            self.users[open_id] = KsUser(open_id, name)
            access, refresh = self._issue(open_id)
        return {
            "client_id": app_id,
            "client_secret": secret,
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": self.access[access].expires_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "user_id": open_id,
        }

    def add_photo(self, open_id: str, caption: str, *, at: datetime | None = None) -> Photo:
        """A video already on the account (made outside ReelRoom)."""
        with self.server.lock:
            photo = Photo(
                "ks" + secrets.token_hex(6),
                open_id,
                caption,
                b"",
                at or self.clock.now(),
                Upload("made-elsewhere", open_id, done=True, used=True),
            )
            self.photo_list.append(photo)
            return photo

    def photos(self, open_id: str | None = None) -> list[Photo]:
        with self.server.lock:
            return [p for p in self.photo_list if open_id is None or p.open_id == open_id]

    def revoke(self, open_id: str) -> None:
        with self.server.lock:
            for token in [*self.access.values(), *self.refresh.values()]:
                if token.open_id == open_id:
                    token.alive = False

    # --- helpers -----------------------------------------------------------------------------

    def _issue(self, open_id: str) -> tuple[str, str]:
        now = self.clock.now()
        access = "ks-at-" + secrets.token_hex(16)
        refresh = "ks-rt-" + secrets.token_hex(16)
        self.access[access] = KsToken(open_id, now + timedelta(seconds=self.access_ttl_s))
        self.refresh[refresh] = KsToken(open_id, now + timedelta(seconds=self.refresh_ttl_s))
        return access, refresh

    @staticmethod
    def _fail(code: int, message: str) -> FakeResponse:
        return json_response(200, {"result": code, "error_msg": message})

    @staticmethod
    def _ok(**doc: Any) -> FakeResponse:
        return json_response(200, {"result": 1, **doc})

    def _auth(self, req: FakeRequest) -> KsUser | FakeResponse:
        if req.query.get("app_id") not in self.apps:
            return self._fail(100200101, "app_id is missing or unknown")
        token = self.access.get(req.query.get("access_token", ""))
        if token is None or not token.alive or token.expires_at <= self.clock.now():
            return self._fail(INVALID_TOKEN, "access_token is invalid or expired")
        return self.users[token.open_id]

    def _upload_of(self, req: FakeRequest) -> Upload | FakeResponse:
        found = self.uploads.get(req.query.get("upload_token", ""))
        if found is None:
            return self._fail(100200120, "upload_token is invalid")
        return found

    # --- OAuth and account ---------------------------------------------------------------

    def _refresh(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        values = {**req.query, **(req.form() if req.method == "POST" and req.length else {})}
        with self.server.lock:
            if self.apps.get(values.get("app_id", "")) != values.get("app_secret"):
                return self._fail(100200101, "app_id or app_secret is wrong")
            if values.get("grant_type") != "refresh_token":
                return self._fail(100200100, "grant_type must be refresh_token")
            old = self.refresh.get(values.get("refresh_token", ""))
            if old is None or not old.alive or old.expires_at <= self.clock.now():
                return self._fail(100200103, "refresh_token is invalid or expired")
            old.alive = False  # rotation: the old one dies with this answer
            self.refreshes += 1
            access, refresh = self._issue(old.open_id)
        return self._ok(
            access_token=access,
            expires_in=int(self.access_ttl_s),
            refresh_token=refresh,
            refresh_token_expires_in=int(self.refresh_ttl_s),
            open_id=old.open_id,
            scopes=["user_info", "user_video_publish"],
        )

    def _user_info(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            user = self._auth(req)
            if isinstance(user, FakeResponse):
                return user
            return self._ok(user_info={"name": user.name, "sex": "F", "fan": grown(user.fans, user.fans_per_hour, self.born, self.clock.now()), "follow": 12, "head": ""})  # fmt: skip

    # --- upload ------------------------------------------------------------------------------

    def _start(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            user = self._auth(req)
            if isinstance(user, FakeResponse):
                return user
            token = "ks-up-" + secrets.token_hex(12)
            self.uploads[token] = Upload(token, user.open_id)
        host = self.server.url.split("://", 1)[1]
        return self._ok(upload_token=token, endpoint=f"{host}/kuaishou-upload")

    def _whole(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            upload = self._upload_of(req)
            if isinstance(upload, FakeResponse):
                return upload
            if req.length == 0 or req.length >= TEN_MB:
                return self._fail(100200130, "a whole upload must be under 10 MB; use fragments")
            if upload.fragments or upload.done:
                return self._fail(100200131, "this upload already has bytes")
        digest = hashlib.sha256()
        for block in req.iter_body():
            digest.update(block)
        with self.server.lock:
            upload.sha256, upload.size, upload.done = digest, req.length, True
        return self._ok()

    def _fragment(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            upload = self._upload_of(req)
            if isinstance(upload, FakeResponse):
                return upload
            try:
                index = int(req.query.get("fragment_id", ""))
            except ValueError:
                return self._fail(100200132, "fragment_id is required")
            if upload.done:
                return self._fail(100200131, "the upload is complete")
            if index < 0 or index > len(upload.fragments):
                return self._fail(100200133, f"fragment {index} is out of order")
            if req.length == 0 or req.length > TEN_MB:
                return self._fail(100200134, "a fragment must hold 1 byte to 10 MB")
            running = upload.sha256.copy() if index == len(upload.fragments) else None
        own = hashlib.sha256()
        for block in req.iter_body():
            own.update(block)
            if running is not None:
                running.update(block)
        with self.server.lock:
            if running is None:
                if upload.fragments.get(index) != own.hexdigest():
                    return self._fail(100200135, f"fragment {index} differs from the one held")
                return self._ok()
            if index != len(upload.fragments):
                return self._fail(100200133, f"fragment {index} is out of order")
            upload.fragments[index] = own.hexdigest()
            upload.sha256 = running
            upload.size += req.length
        return self._ok()

    def _resume(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            upload = self.uploads.get(req.query.get("upload_token", ""))
            if upload is None:
                return self._ok(existed=False, fragment_index=-1, fragment_list=[])
            held = sorted(upload.fragments)
            return self._ok(existed=bool(held), fragment_index=len(held) - 1, fragment_list=held)

    def _complete(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            upload = self._upload_of(req)
            if isinstance(upload, FakeResponse):
                return upload
            try:
                count = int(req.query.get("fragment_count", ""))
            except ValueError:
                return self._fail(100200136, "fragment_count is required")
            if count != len(upload.fragments) or count == 0:
                return self._fail(100200136, f"fragment_count {count} ≠ {len(upload.fragments)} held")  # fmt: skip
            upload.done = True
        return self._ok()

    # --- publish and photos ---------------------------------------------------------------------

    def _publish(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        fields = _multipart(req)
        with self.server.lock:
            user = self._auth(req)
            if isinstance(user, FakeResponse):
                return user
            upload = self._upload_of(req)
            if isinstance(upload, FakeResponse):
                return upload
            if upload.open_id != user.open_id or not upload.done:
                return self._fail(100200140, "the upload is not finished")
            if upload.used:
                return self._fail(100200141, "the upload_token was published already")
            caption = fields.get("caption", (None, b""))[1].decode("utf-8")
            cover = fields.get("cover")
            if not caption or len(caption) > 500:
                return self._fail(100200142, "caption is required (at most 500 characters)")
            if cover is None or not cover[0] or not cover[1].startswith((b"\xff\xd8", b"\x89PNG")):
                return self._fail(100200143, "cover must be a JPEG or PNG image file")
            upload.used = True
            photo = Photo(
                str(secrets.randbelow(10**15) + 5 * 10**15),
                user.open_id,
                caption,
                cover[1],
                self.clock.now(),
                upload,
            )
            self.photo_list.append(photo)
            return self._ok(video_info=self._photo_doc(photo))

    def _photo_doc(self, photo: Photo) -> dict[str, Any]:
        return {
            "photo_id": photo.photo_id,
            "caption": photo.caption,
            "cover": f"https://p1.kuaishou.example/{photo.photo_id}.jpg",
            "play_url": f"https://v.kuaishou.example/{photo.photo_id}.mp4",
            "create_time": int(photo.created_at.timestamp() * 1000),
            **grown_all(photo.counts, photo.counts_per_hour, photo.created_at, self.clock.now()),
        }

    def _list(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            user = self._auth(req)
            if isinstance(user, FakeResponse):
                return user
            newest = sorted(self.photos(user.open_id), key=lambda p: p.created_at, reverse=True)
            start = int(req.query.get("cursor") or 0)
            count = int(req.query.get("count") or 20)
            page = [self._photo_doc(p) for p in newest[start : start + count]]
            return self._ok(video_list=page, cursor=str(start + count))

    def _info(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            user = self._auth(req)
            if isinstance(user, FakeResponse):
                return user
            photo = next(
                (p for p in self.photos(user.open_id) if p.photo_id == req.query.get("photo_id")),
                None,
            )
            if photo is None:
                return self._fail(100200150, "photo not found")
            return self._ok(video_info=self._photo_doc(photo))


def _multipart(req: FakeRequest) -> dict[str, tuple[str | None, bytes]]:
    """A multipart/form-data body as {name: (filename, bytes)} (empty when it is not one)."""
    kind = req.header("content-type") or ""
    if not kind.startswith("multipart/form-data"):
        req.drain()
        return {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + kind.encode() + b"\r\n\r\n" + req.body
    )
    found: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if name:
            found[str(name)] = (part.get_filename(), payload)
    return found
