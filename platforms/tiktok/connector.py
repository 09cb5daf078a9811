"""The TikTok connector: creator_info, init, chunked PUTs, status; refresh; Display API.

Publishing (reference/platform-apis.md §1.3–1.6), never twice:

1. If the journal holds a `publish_id`, ask its status first: done → report;
   bytes missing → resume the PUTs from TikTok's `uploaded_bytes`.
2. Otherwise creator_info (privacy options, max duration, comment/duet/
   stitch), then init — Direct Post with a privacy the creator allows, or an
   inbox upload for a draft — intended in the journal before it is sent.
   An init whose answer was lost cannot be looked up (TikTok lists no
   publish ids); it is harmless, as a FILE_UPLOAD init posts nothing until
   its bytes arrive and its upload URL lapses, so init is sent again.
3. The chunks go in order with Content-Range; the last one (which completes
   the post) is intended before it is sent. A dropped connection goes back
   to step 1 within the same call: resumed, not restarted.
4. Status: PUBLISH_COMPLETE (with the public post id when TikTok gives it),
   SEND_TO_USER_INBOX (a draft), FAILED (the reason in words), or still
   processing (the job asks again later, holding no worker).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any, Sequence

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
    QuotaExhausted,
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
from platforms.tiktok.business import REPLY_LIMIT, BusinessComments
from platforms.tiktok.chunks import DEFAULT_CHUNK, ChunkPlan, plan_chunks
from platforms.tiktok.words import IN_PROGRESS, fail_reason, privacy_level

POLL_S = 10.0
UPLOAD_TYPES = {".mp4": "video/mp4", ".mov": "video/quicktime", ".webm": "video/webm"}
NO_COMMENTS = (
    "TikTok gives personal accounts no comment API (only a comment count); a business "
    "account's comments come through TikTok's API for Business: add its connection "
    "(`business` in the credentials of `reelroom accounts add`)"
)


class TikTokConnector(BaseConnector):
    """One TikTok creator's view of the Content Posting and Display APIs."""

    platform = "tiktok"
    label = "TikTok"
    comments_order = "newest"  # the API for Business sorted by create_time desc (UNCONFIRMED)
    reply_limit = REPLY_LIMIT

    def __init__(self, ctx: ConnectorContext) -> None:
        super().__init__(ctx)
        self.base = ctx.endpoints["api_base"].rstrip("/")
        self.chunk_bytes = ctx.chunk_bytes or DEFAULT_CHUNK
        self._business_client: BusinessComments | None = None

    # --- envelope and tokens ----------------------------------------------------------

    def _data(self, response: httpx.Response, what: str) -> dict[str, Any]:
        """The `data` of a v2 answer, or the PlatformError its `error` names."""
        try:
            doc = response.json()
        except ValueError:
            doc = {}
        error = doc.get("error") if isinstance(doc, dict) else None
        code = (error or {}).get("code") or f"http_{response.status_code}"
        if response.status_code < 300 and code == "ok":
            return dict(doc.get("data") or {})
        message = self.redactor.scrub(str((error or {}).get("message") or ""))
        text = f"TikTok refused {what}: {fail_reason(code)}" + (f" — {message}" if message else "")
        if code == "rate_limit_exceeded" or response.status_code == 429:
            raise RateLimited(text, code=code, retry_after=60.0)
        if code in ("spam_risk_too_many_posts", "spam_risk_too_many_pending_share"):
            raise QuotaExhausted(text, code=code, retry_after=86400.0)
        if code in ("access_token_invalid", "scope_not_authorized", "auth_removed"):
            raise NeedsLogin(
                f"{text}. Log in again: `reelroom accounts add tiktok {self.ctx.handle} "
                "--credentials FILE.json`",
                code=code,
            )
        if response.status_code >= 500:
            raise TransientError(text, code=code)
        raise Rejected(text, code=code)

    def refresh_credentials(self, credentials: Credentials) -> Credentials:
        if not (credentials.client_id and credentials.client_secret):
            raise NeedsLogin(
                "TikTok needs the app's client_key and client_secret to refresh tokens; add "
                f"them: `reelroom accounts add tiktok {self.ctx.handle} --credentials FILE.json`"
            )
        response = self.http.send(
            "refresh",
            "POST",
            f"{self.base}/v2/oauth/token/",
            safe=False,  # the refresh token rotates: never sent twice blindly
            data={
                "client_key": credentials.client_id,
                "client_secret": credentials.client_secret,
                "grant_type": "refresh_token",
                "refresh_token": credentials.refresh_token,
            },
        )
        doc = _json(response)
        if response.status_code >= 400 or "access_token" not in doc:
            code = str(doc.get("error") or f"http_{response.status_code}")
            if code in ("invalid_grant", "invalid_client") or response.status_code in (400, 401):
                raise NeedsLogin(
                    f"TikTok refused the stored refresh token ({code}); log in again and run "
                    f"`reelroom accounts add tiktok {self.ctx.handle} --credentials FILE.json`",
                    code=code,
                )
            raise TransientError(f"TikTok's token endpoint failed ({code})", code=code)
        now = datetime.now(UTC)
        return Credentials(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            access_token=doc["access_token"],
            refresh_token=doc.get("refresh_token") or credentials.refresh_token,
            expires_at=now + timedelta(seconds=float(doc.get("expires_in") or 3600)),
            refresh_expires_at=now + timedelta(seconds=float(doc["refresh_expires_in"]))
            if doc.get("refresh_expires_in")
            else credentials.refresh_expires_at,
            user_id=doc.get("open_id") or credentials.user_id,
            issued_at=now,
            business=credentials.business,
        )

    def _post(
        self,
        step: str,
        path: str,
        *,
        body: Any = None,
        safe: bool,
        journal: Journal | None = None,
        what: str = "",
    ) -> dict[str, Any]:
        response = self.authed(
            step,
            "POST",
            self.base + path,
            safe=safe,
            log=journal.log if journal else None,
            headers={"Content-Type": "application/json; charset=UTF-8"},
            content=_dumps(body) if body is not None else b"",
            refused=_token_refused,
        )
        return self._data(response, what or step)

    # --- account ----------------------------------------------------------------------

    def creator_info(self, journal: Journal | None = None) -> dict[str, Any]:
        return self._post(
            "creator_info",
            "/v2/post/publish/creator_info/query/",
            safe=True,
            journal=journal,
            what="the creator info",
        )

    def check(self) -> AccountInfo:
        info = self.creator_info()
        return AccountInfo(
            user_id=self.tokens.credentials.user_id or "",
            handle=str(info.get("creator_username") or self.ctx.handle),
            display_name=str(info.get("creator_nickname") or ""),
            detail={
                "privacy_level_options": info.get("privacy_level_options") or [],
                "max_video_post_duration_sec": info.get("max_video_post_duration_sec"),
                "comment_disabled": info.get("comment_disabled"),
                "duet_disabled": info.get("duet_disabled"),
                "stitch_disabled": info.get("stitch_disabled"),
            },
        )

    # --- publishing ---------------------------------------------------------------------

    def publish(
        self, request: PublishRequest, journal: Journal, progress: Progress, stop: StopCheck
    ) -> PublishResult:
        return self.resuming(lambda: self._publish_once(request, journal, progress, stop), journal)

    def _publish_once(
        self, request: PublishRequest, journal: Journal, progress: Progress, stop: StopCheck
    ) -> PublishResult:
        state = journal.state()
        if state.get("publish_id"):
            status = self._status(str(state["publish_id"]), journal)
            sent = int(status.get("uploaded_bytes") or 0)
            if status.get("status") not in IN_PROGRESS or sent >= request.size_bytes:
                journal.record("final_chunk")
                return self._result(status, journal)
            plan = ChunkPlan(request.size_bytes, int(state["chunk_size"]), int(state["chunks"]))
            resumable = sent == 0 or (sent % plan.chunk_size == 0 and sent < plan.size)
            if state.get("upload_url") and not state.get("expired") and resumable:
                url = str(state["upload_url"])
                return self._upload(request, plan, url, sent, journal, progress, stop)
        elif journal.doubtful("init"):
            journal.record("init", lost_init=True)  # see the module docstring: harmless
        self.check_stop(stop)
        plan = plan_chunks(request.size_bytes, self.chunk_bytes)
        body = self._init_body(request, plan, journal)
        path = (
            "/v2/post/publish/inbox/video/init/"
            if request.draft
            else "/v2/post/publish/video/init/"
        )
        journal.intend(
            "init",
            size=plan.size,
            chunk_size=plan.chunk_size,
            chunks=plan.count,
            privacy=request.privacy,
            expired=False,
        )
        data = self._post("init", path, body=body, safe=False, journal=journal, what="the upload")
        journal.record(
            "init",
            publish_id=data["publish_id"],
            upload_url=data["upload_url"],
            confirmed_bytes=0,
        )
        return self._upload(request, plan, str(data["upload_url"]), 0, journal, progress, stop)

    def _init_body(
        self, request: PublishRequest, plan: ChunkPlan, journal: Journal
    ) -> dict[str, Any]:
        source = {
            "source": "FILE_UPLOAD",
            "video_size": plan.size,
            "chunk_size": plan.chunk_size,
            "total_chunk_count": plan.count,
        }
        if request.draft:
            return {"source_info": source}
        info = self.creator_info(journal)
        limit = info.get("max_video_post_duration_sec")
        if limit and request.duration_s and request.duration_s > float(limit):
            raise Rejected(
                f"the video is {request.duration_s:.0f} s; this creator may post at most "
                f"{limit} s on TikTok. Trim it, or publish it as a draft",
                code="duration_check_failed",
            )
        try:
            privacy = privacy_level(request.privacy, list(info.get("privacy_level_options") or []))
        except ValueError as exc:
            raise Rejected(str(exc), code="privacy_level_option_mismatch") from None
        post: dict[str, Any] = {
            "title": request.caption,
            "privacy_level": privacy,
            "disable_comment": bool(info.get("comment_disabled")) or not request.allow_comments,
            "disable_duet": bool(info.get("duet_disabled")),
            "disable_stitch": bool(info.get("stitch_disabled")),
            "brand_content_toggle": bool(request.branded_content),
            "brand_organic_toggle": False,
        }
        if request.cover_time_ms is not None:
            post["video_cover_timestamp_ms"] = request.cover_time_ms
        return {"post_info": post, "source_info": source}

    def _upload(
        self,
        request: PublishRequest,
        plan: ChunkPlan,
        url: str,
        start: int,
        journal: Journal,
        progress: Progress,
        stop: StopCheck,
    ) -> PublishResult:
        content_type = UPLOAD_TYPES.get(request.file.suffix.lower(), request.content_type)
        for index in range(plan.index_of(start) if start else 0, plan.count):
            self.check_stop(stop)
            first, length = plan.span(index)
            final = index == plan.count - 1
            if final:
                journal.intend("final_chunk")
            response = self.http.send(
                "chunk",
                "PUT",
                url,
                safe=False,  # TikTok's answer to a repeated chunk is unknown: ask status instead
                log=journal.log,
                headers={
                    "Content-Type": content_type,
                    "Content-Range": f"bytes {first}-{first + length - 1}/{plan.size}",
                },
                content=FileSlice(request.file, first, length),
            )
            if response.status_code == 404:
                journal.record("init", expired=True)
                raise TransientError("TikTok's upload URL has lapsed; starting a new upload")
            if response.status_code not in (200, 201, 206):
                self._data(response, f"chunk {index + 1} of {plan.count}")
            journal.record("final_chunk" if final else "chunk", confirmed_bytes=first + length)
            progress((first + length) / plan.size)
        return self._result(self._status(str(journal.state()["publish_id"]), journal), journal)

    def _status(self, publish_id: str, journal: Journal | None) -> dict[str, Any]:
        return self._post(
            "status",
            "/v2/post/publish/status/fetch/",
            body={"publish_id": publish_id},
            safe=True,
            journal=journal,
            what="the status query",
        )

    def _result(self, status: dict[str, Any], journal: Journal) -> PublishResult:
        word = str(status.get("status") or "")
        state = journal.state()
        publish_id = str(state.get("publish_id") or "")
        size = max(1, int(state.get("size") or 1))
        if word == "FAILED":
            return PublishResult(
                "failed", remote_id=publish_id, message=fail_reason(status.get("fail_reason"))
            )
        if word == "SEND_TO_USER_INBOX":
            return PublishResult(
                "draft",
                remote_id=publish_id,
                message="sent to the creator's TikTok inbox; finish posting it in the app",
            )
        if word == "PUBLISH_COMPLETE":
            ids = [str(i) for i in status.get("publicaly_available_post_id") or []]
            if ids:
                return PublishResult(
                    "published",
                    remote_id=ids[0],
                    remote_url=f"https://www.tiktok.com/@{self.ctx.handle}/video/{ids[0]}",
                )
            if state.get("privacy", "public") != "public":
                return PublishResult(
                    "published",
                    remote_id=publish_id,
                    message="posted; TikTok gives no public link to a post that is not public",
                )
            return PublishResult(
                "processing",
                remote_id=publish_id,
                poll_after=POLL_S * 3,
                message="posted; waiting for TikTok's moderation to give the public post id",
            )
        return PublishResult(
            "processing",
            remote_id=publish_id,
            poll_after=POLL_S,
            progress=min(1.0, int(status.get("uploaded_bytes") or 0) / size),
            message="TikTok is processing the upload",
        )

    def status(self, journal: Journal) -> PublishResult:
        publish_id = journal.state().get("publish_id")
        if not publish_id:
            raise PlatformError("nothing was sent to TikTok yet", permanent=True)
        return self._result(self._status(str(publish_id), journal), journal)

    # --- Display API ------------------------------------------------------------------

    def own_videos(self, cursor: str | None = None) -> Page[RemoteVideo]:
        fields = "id,title,video_description,create_time,share_url,duration,cover_image_url"
        body: dict[str, Any] = {"max_count": 20}
        if cursor:
            body["cursor"] = int(cursor)
        data = self._post("video_list", f"/v2/video/list/?fields={fields}", body=body, safe=True)
        videos = [
            RemoteVideo(
                remote_id=str(v.get("id")),
                caption=str(v.get("video_description") or v.get("title") or ""),
                created_at=datetime.fromtimestamp(int(v["create_time"]), UTC)
                if v.get("create_time")
                else None,
                url=v.get("share_url"),
                duration_s=float(v["duration"]) if v.get("duration") is not None else None,
                cover_url=v.get("cover_image_url"),
            )
            for v in data.get("videos") or []
        ]
        more = data.get("has_more") and data.get("cursor")
        return Page(videos, str(data["cursor"]) if more else None)

    def _business(self) -> BusinessComments:
        """The API for Business client, when the account has a business connection."""
        business = self.tokens.credentials.business
        if not business:
            raise Unsupported(NO_COMMENTS)
        if self._business_client is None:
            self._business_client = BusinessComments(self, business)
        return self._business_client

    def comments(self, video_remote_id: str, cursor: str | None = None) -> Page[RemoteComment]:
        """Comments of a business account's video (API for Business); personal: Unsupported."""
        return self._business().comments(video_remote_id, cursor)

    def reply(self, comment: RemoteComment, text: str, journal: Journal) -> RemoteComment:
        """A reply once, through the API for Business; personal accounts: Unsupported."""
        return self._business().reply(comment, text, journal)

    metrics_batch = 20  # video/query takes up to 20 ids

    def metrics(self, video_remote_ids: Sequence[str]) -> list[MetricSample]:
        """view, like, comment and share counts (the Display API has no saves or watch time)."""
        ids = list(video_remote_ids)[: self.metrics_batch]
        if not ids:
            return []
        fields = "id,view_count,like_count,comment_count,share_count"
        data = self._post(
            "video_query",
            f"/v2/video/query/?fields={fields}",
            body={"filters": {"video_ids": ids}},
            safe=True,
        )
        now = self.now()
        return [
            MetricSample(
                video_remote_id=str(v.get("id")),
                captured_at=now,
                views=_int(v.get("view_count")),
                likes=_int(v.get("like_count")),
                comments=_int(v.get("comment_count")),
                shares=_int(v.get("share_count")),
            )
            for v in data.get("videos") or []
        ]

    def followers(self) -> int | None:
        """follower_count of user/info (scope user.info.stats)."""
        response = self.authed(
            "user_info",
            "GET",
            f"{self.base}/v2/user/info/",
            safe=True,
            params={"fields": "open_id,follower_count"},
            refused=_token_refused,
        )
        data = self._data(response, "the user info")
        return _int((data.get("user") or {}).get("follower_count"))


def _token_refused(response: httpx.Response) -> bool:
    if response.status_code != 401:
        return False
    code = str((_json(response).get("error") or {}).get("code") or "")
    return code in ("access_token_invalid", "")


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        doc = response.json()
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _dumps(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None
