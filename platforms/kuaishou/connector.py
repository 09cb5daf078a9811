"""The Kuaishou connector (open.kuaishou.com open platform).

- Envelope: `{"result": 1, ...}` is success; anything else is an error with
  `error_msg`. `100200102` (invalid access_token) refreshes once and tries
  again. Kuaishou's rate-limit signals are UNCONFIRMED: only HTTP 429/5xx
  are treated as passing trouble; other results are refusals a person reads.
- Tokens: `/oauth2/refresh_token?app_id&app_secret&refresh_token&
  grant_type=refresh_token` (the HTTP method is UNCONFIRMED; GET as the doc's
  URL form suggests). Refresh tokens rotate: the answer is stored before the
  new access token is used (platforms/auth.py), and the call is never
  repeated blindly (the old refresh token dies with the first answer).
- `access_token` and `app_id` travel as query parameters, as documented;
  the step log redacts the token.
- check = `/openapi/user_info`; own videos = `/openapi/photo/list`; one
  video = `/openapi/photo/info` (both paths and their fields UNCONFIRMED:
  the doc menu names them, the pages were not read). Numbers come from the
  counts a photo carries; a count Kuaishou does not give is None.
- No comment or DM API exists in the doc menu: comments and replies are
  `Unsupported` with that sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from platforms.base import (
    AccountInfo,
    Credentials,
    Journal,
    MetricSample,
    NeedsLogin,
    Page,
    PlatformError,
    Progress,
    PublishRequest,
    PublishResult,
    RateLimited,
    Rejected,
    RemoteComment,
    RemoteVideo,
    StopCheck,
    TransientError,
    Unsupported,
)
from platforms.common import BaseConnector, ConnectorContext
from platforms.http import FileSlice
from platforms.kuaishou.upload import POLL_S, KuaishouPublish

INVALID_TOKEN = 100200102
NO_COMMENTS = "Kuaishou's open platform has no comment API"
PAGE = 20
BRANDED_NOTE = "Kuaishou's open API has no paid-partnership disclosure: mark it in the Kuaishou app"


def doc_of(response: httpx.Response) -> dict[str, Any]:
    try:
        doc = response.json()
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def token_refused(response: httpx.Response) -> bool:
    return _result(doc_of(response)) == INVALID_TOKEN or response.status_code == 401


def _result(doc: dict[str, Any]) -> int | None:
    return _int(doc.get("result"))


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _ms_time(value: Any) -> datetime | None:
    """A Kuaishou time (milliseconds since the epoch), or None."""
    try:
        return datetime.fromtimestamp(int(value) / 1000, UTC) if value else None
    except (TypeError, ValueError, OverflowError):
        return None


class KuaishouConnector(BaseConnector):
    """One Kuaishou account's view of the open platform."""

    platform = "kuaishou"
    label = "Kuaishou"

    def __init__(self, ctx: ConnectorContext) -> None:
        super().__init__(ctx)
        self.base = ctx.endpoints["api_base"].rstrip("/")

    # --- envelope and tokens --------------------------------------------------------------

    def check_answer(self, response: httpx.Response, what: str) -> dict[str, Any]:
        """The answer's JSON when `result` is 1; else the PlatformError it means."""
        doc = doc_of(response)
        code = _result(doc)
        if response.status_code < 300 and code == 1:
            return doc
        words = self.redactor.scrub(str(doc.get("error_msg") or f"HTTP {response.status_code}"))
        text = f"Kuaishou refused {what}: {words}" + (f" (result {code})" if code else "")
        word = f"ks_{code}" if code is not None else f"http_{response.status_code}"
        if code == INVALID_TOKEN:
            raise NeedsLogin(
                f"{text}. Log in again: `reelroom accounts add kuaishou {self.ctx.handle} "
                "--credentials FILE.json`",
                code=word,
            )
        if response.status_code == 429:
            raise RateLimited(text, code=word, retry_after=60.0)
        if response.status_code >= 500:
            raise TransientError(text, code=word)
        raise Rejected(text, code=word)

    def refresh_credentials(self, credentials: Credentials) -> Credentials:
        if not (credentials.client_id and credentials.client_secret):
            raise NeedsLogin(
                "Kuaishou needs the app_id and app_secret to refresh tokens; add them: "
                f"`reelroom accounts add kuaishou {self.ctx.handle} --credentials FILE.json`"
            )
        response = self.http.send(
            "refresh",
            "GET",
            f"{self.base}/oauth2/refresh_token",
            safe=False,  # the refresh token rotates: never sent twice blindly
            params={
                "app_id": credentials.client_id,
                "app_secret": credentials.client_secret,
                "refresh_token": credentials.refresh_token,
                "grant_type": "refresh_token",
            },
        )
        doc = doc_of(response)
        if response.status_code >= 500:
            raise TransientError(f"Kuaishou's token endpoint failed (HTTP {response.status_code})")
        if _result(doc) != 1 or not doc.get("access_token"):
            words = self.redactor.scrub(str(doc.get("error_msg") or f"result {_result(doc)}"))
            raise NeedsLogin(
                f"Kuaishou refused the stored refresh token ({words}); log in again and run "
                f"`reelroom accounts add kuaishou {self.ctx.handle} --credentials FILE.json`",
                code=f"ks_{_result(doc)}",
            )
        now = self.now()
        refresh_life = doc.get("refresh_token_expires_in")
        return Credentials(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            access_token=str(doc["access_token"]),
            refresh_token=str(doc.get("refresh_token") or credentials.refresh_token),
            expires_at=now + timedelta(seconds=float(doc.get("expires_in") or 172800)),
            refresh_expires_at=now + timedelta(seconds=float(refresh_life))
            if refresh_life
            else credentials.refresh_expires_at,
            user_id=str(doc.get("open_id") or credentials.user_id or "") or None,
            issued_at=now,
        )

    def api(
        self,
        step: str,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
        files: dict[str, Any] | None = None,
        safe: bool = True,
        journal: Journal | None = None,
        what: str = "",
    ) -> dict[str, Any]:
        """One open-platform call with access_token and app_id; refreshed once if refused."""
        app_id = self.tokens.credentials.client_id or ""

        def call(token: str) -> httpx.Response:
            return self.http.send(
                step,
                method,
                self.base + path,
                safe=safe,
                log=journal.log if journal else None,
                params={**(params or {}), "access_token": token, "app_id": app_id},
                data=data,
                files=files,
            )

        response = self.tokens.authorized(call, token_refused)
        return self.check_answer(response, what or step)

    def upload_call(
        self,
        step: str,
        url: str,
        params: dict[str, str],
        journal: Journal,
        *,
        content: FileSlice | None = None,
        safe: bool = False,
    ) -> dict[str, Any]:
        """One call to the upload gateway (its upload_token is the credential)."""
        response = self.http.send(
            step,
            "GET" if safe else "POST",
            url,
            safe=safe,  # a fragment's doubt is settled by asking `resume`, not by repeating
            log=journal.log,
            params=params,
            headers={"Content-Type": "application/octet-stream"} if content is not None else None,
            content=content if content is not None else b"",
        )
        return self.check_answer(response, f"the upload ({step})")

    # --- account ---------------------------------------------------------------------------

    def check(self) -> AccountInfo:
        doc = self.api("user_info", "GET", "/openapi/user_info", what="the account check")
        info = doc.get("user_info") or {}
        return AccountInfo(
            user_id=self.tokens.credentials.user_id or "",
            handle=self.ctx.handle,
            display_name=str(info.get("name") or ""),
            followers=_int(info.get("fan")),
            detail={"following": _int(info.get("follow"))},
        )

    # --- publishing ------------------------------------------------------------------------

    def publish(
        self, request: PublishRequest, journal: Journal, progress: Progress, stop: StopCheck
    ) -> PublishResult:
        return self.resuming(
            lambda: KuaishouPublish(self, journal, request, progress, stop).run(), journal
        )

    def status(self, journal: Journal) -> PublishResult:
        state = journal.state()
        if not state.get("upload_token") and not state.get("photo_id"):
            raise PlatformError("nothing was sent to Kuaishou yet", permanent=True)
        return self.resuming(lambda: KuaishouPublish(self, journal).run(), journal)

    def follow(self, photo_id: str, journal: Journal) -> PublishResult:
        """A published photo: live once Kuaishou shows it (publishing is asynchronous)."""
        info = self.photo_info(photo_id, journal)
        if info is None:
            return PublishResult(
                "processing",
                remote_id=photo_id,
                poll_after=POLL_S,
                message="Kuaishou accepted the video and publishes it asynchronously",
            )
        note = BRANDED_NOTE if journal.state().get("branded") else ""
        return PublishResult(
            "published", remote_id=photo_id, remote_url=_page_url(photo_id), message=note
        )

    def photo_info(self, photo_id: str, journal: Journal | None = None) -> dict[str, Any] | None:
        """One photo's fields (UNCONFIRMED path), or None while Kuaishou does not show it."""
        try:
            doc = self.api(
                "photo_info",
                "GET",
                "/openapi/photo/info",
                params={"photo_id": photo_id},
                journal=journal,
                what="the video's details",
            )
        except Rejected:
            return None
        info = doc.get("video_info")
        return info if isinstance(info, dict) else None

    def _photos(self, cursor: str | None, journal: Journal | None = None) -> dict[str, Any]:
        params = {"count": str(PAGE)}
        if cursor:
            params["cursor"] = cursor
        return self.api(
            "photo_list",
            "GET",
            "/openapi/photo/list",
            params=params,
            journal=journal,
            what="the account's videos",
        )

    def find_photo(self, caption: str, since: datetime | None, journal: Journal) -> str | None:
        """Our photo among the newest page of the list: the same caption, made since."""
        for item in self._photos(None, journal).get("video_list") or []:
            made = _ms_time(item.get("create_time"))
            if since is not None and made is not None and made < since:
                continue
            if str(item.get("caption") or "").strip() == caption.strip():
                return str(item.get("photo_id"))
        return None

    # --- own videos, comments, numbers -------------------------------------------------------

    def own_videos(self, cursor: str | None = None) -> Page[RemoteVideo]:
        doc = self._photos(cursor)
        items = list(doc.get("video_list") or [])
        videos = [
            RemoteVideo(
                remote_id=str(item.get("photo_id")),
                caption=str(item.get("caption") or ""),
                created_at=_ms_time(item.get("create_time")),
                url=_page_url(str(item.get("photo_id"))),
                cover_url=item.get("cover"),
            )
            for item in items
        ]
        after = doc.get("cursor")
        return Page(videos, str(after) if after and len(items) >= PAGE else None)

    def comments(self, video_remote_id: str, cursor: str | None = None) -> Page[RemoteComment]:
        raise Unsupported(NO_COMMENTS)

    def reply(self, comment: RemoteComment, text: str, journal: Journal) -> RemoteComment:
        raise Unsupported(NO_COMMENTS)

    def metrics(self, video_remote_ids: Sequence[str]) -> list[MetricSample]:
        """photo/info counts of each photo (one request each; paths and fields
        UNCONFIRMED): views, likes, comments. A photo Kuaishou does not show is left out."""
        samples = []
        for photo_id in video_remote_ids:
            info = self.photo_info(photo_id)
            if info is None:
                continue
            samples.append(
                MetricSample(
                    video_remote_id=photo_id,
                    captured_at=self.now(),
                    views=_int(info.get("view_count")),
                    likes=_int(info.get("like_count")),
                    comments=_int(info.get("comment_count")),
                )
            )
        return samples


def _page_url(photo_id: str) -> str:
    """The public page of a photo (the URL form is UNCONFIRMED; Kuaishou's web uses it)."""
    return f"https://www.kuaishou.com/short-video/{photo_id}"
