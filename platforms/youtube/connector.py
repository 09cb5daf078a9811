"""The YouTube connector: Google OAuth refresh, channel check, uploads, comments, numbers.

Every Data API call is charged to the quota meter (quota.py) before it is
sent; errors come back as Google's `{"error": {"code", "errors": [{"reason"}]}}`
and are turned into the platforms.base family: quotaExceeded and
uploadLimitExceeded stop clearly (no retry loop), rateLimitExceeded waits,
401 refreshes once, 5xx and dropped connections are transient.
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
    QuotaExhausted,
    RateLimited,
    Rejected,
    RemoteComment,
    RemoteVideo,
    StopCheck,
    TransientError,
)
from platforms.common import BaseConnector, ConnectorContext
from platforms.http import StepSink, retry_after_seconds
from platforms.youtube.quota import QuotaMeter, QuotaRules, scope_of
from platforms.youtube.upload import ResumableUpload, result_for, uploaded_since

THROTTLE_REASONS = ("rateLimitExceeded", "userRateLimitExceeded")
# Lifetime numbers: reports from the day YouTube opened (that the API takes a
# start before the channel existed is UNCONFIRMED; clients do it).
LIFETIME_START = "2005-02-14"
ANALYTICS_METRICS = (
    "views,estimatedMinutesWatched,averageViewDuration,averageViewPercentage,subscribersGained"
)
REPLY_LIMIT = 10_000  # characters of a comment (commentTextTooLong beyond; UNCONFIRMED number)


def _reason(response: httpx.Response) -> str:
    try:
        doc = response.json()
    except ValueError:
        return ""
    error = doc.get("error") if isinstance(doc, dict) else None
    if not isinstance(error, dict):
        return str(error or "")
    errors = error.get("errors") or [{}]
    return str(errors[0].get("reason") or error.get("status") or "")


def _throttle(response: httpx.Response) -> float | None:
    """rateLimitExceeded (403 or 429; Retry-After UNCONFIRMED): wait as asked, else 60 s."""
    if response.status_code in (403, 429) and _reason(response) in THROTTLE_REASONS:
        return retry_after_seconds(response) or 60.0
    return None


def _time(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


class YouTubeConnector(BaseConnector):
    """One channel's view of the YouTube Data API."""

    platform = "youtube"
    label = "YouTube"
    comments_order = "newest"  # commentThreads with order=time
    reply_limit = REPLY_LIMIT

    def __init__(self, ctx: ConnectorContext) -> None:
        super().__init__(ctx, throttle=_throttle)
        self.base = ctx.endpoints["api_base"].rstrip("/")
        self.analytics_base = str(ctx.endpoints.get("analytics_base") or "").rstrip("/")
        self.token_url = ctx.endpoints["token_url"]
        self.meter = QuotaMeter(
            ctx.quota,
            scope_of(ctx.keeper.load().client_id),
            QuotaRules.from_settings(ctx.settings),
        )
        self._uploads: str | None = None
        self._next: str | None = None

    # --- errors and tokens -----------------------------------------------------------------

    def raise_for(self, response: httpx.Response, what: str, *, method: str = "") -> None:
        """Raise the PlatformError an error answer means."""
        reason = _reason(response)
        status = response.status_code
        text = f"YouTube refused {what}: HTTP {status} {reason}".rstrip()
        if reason in ("quotaExceeded", "dailyLimitExceeded"):
            raise self.meter.exhausted(method or "videos.list")
        if reason == "uploadLimitExceeded":
            raise QuotaExhausted(
                f"{text}: the channel reached its daily upload limit; retry in 24 hours",
                code=reason,
                retry_after=86400.0,
            )
        if reason in THROTTLE_REASONS:
            raise RateLimited(text, code=reason, retry_after=60.0)
        if status >= 500:
            raise TransientError(text, code=reason or f"http_{status}")
        raise Rejected(text, code=reason or f"http_{status}")

    def refresh_credentials(self, credentials: Credentials) -> Credentials:
        if not (credentials.client_id and credentials.client_secret):
            raise NeedsLogin(
                "YouTube needs the OAuth client_id and client_secret to refresh tokens; add them: "
                f"`reelroom accounts add youtube {self.ctx.handle} --credentials FILE.json`"
            )
        response = self.http.send(
            "refresh",
            "POST",
            self.token_url,
            safe=True,  # Google does not rotate refresh tokens: asking again is harmless
            data={
                "client_id": credentials.client_id,
                "client_secret": credentials.client_secret,
                "refresh_token": credentials.refresh_token,
                "grant_type": "refresh_token",
            },
        )
        try:
            doc = response.json()
        except ValueError:
            doc = {}
        if response.status_code >= 400 or "access_token" not in doc:
            code = str(doc.get("error") or f"http_{response.status_code}")
            if code in ("invalid_grant", "invalid_client", "unauthorized_client"):
                raise NeedsLogin(
                    f"Google refused the stored refresh token ({code}: expired or revoked); "
                    "log in again and run "
                    f"`reelroom accounts add youtube {self.ctx.handle} --credentials FILE.json`",
                    code=code,
                )
            raise TransientError(f"Google's token endpoint failed ({code})", code=code)
        now = datetime.now(UTC)
        return Credentials(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            access_token=doc["access_token"],
            refresh_token=doc.get("refresh_token") or credentials.refresh_token,
            expires_at=now + timedelta(seconds=float(doc.get("expires_in") or 3600)),
            refresh_expires_at=credentials.refresh_expires_at,
            user_id=credentials.user_id,
            issued_at=now,
            business=credentials.business,
        )

    def api(
        self,
        method: str,
        verb: str,
        path: str,
        *,
        params: dict[str, Any],
        json: Any = None,
        log: StepSink | None = None,
        safe: bool = True,
    ) -> dict[str, Any]:
        """One Data API call, its quota spent first; the answer's JSON."""
        self.meter.spend(method)
        response = self.authed(
            method,
            verb,
            f"{self.base}/youtube/v3/{path}",
            safe=safe,
            log=log,
            params=params,
            json=json,
        )
        if response.status_code >= 300:
            self.raise_for(response, method, method=method)
        return dict(response.json())

    # --- account ----------------------------------------------------------------------------

    def check(self) -> AccountInfo:
        doc = self.api(
            "channels.list",
            "GET",
            "channels",
            params={"part": "snippet,statistics,contentDetails", "mine": "true"},
        )
        items = doc.get("items") or []
        if not items:
            raise Rejected("the token works but the Google account has no YouTube channel")
        channel = items[0]
        snippet = channel.get("snippet") or {}
        subs = (channel.get("statistics") or {}).get("subscriberCount")
        return AccountInfo(
            user_id=str(channel.get("id")),
            handle=str(snippet.get("customUrl") or self.ctx.handle).lstrip("@"),
            display_name=str(snippet.get("title") or ""),
            followers=int(subs) if subs is not None else None,
        )

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, request: PublishRequest, journal: Journal, progress: Progress, stop: StopCheck
    ) -> PublishResult:
        return self.resuming(
            lambda: ResumableUpload(self, request, journal, progress, stop).run(), journal
        )

    def status(self, journal: Journal) -> PublishResult:
        video_id = journal.state().get("remote_id")
        if not video_id:
            raise PlatformError("nothing was uploaded to YouTube yet", permanent=True)
        return result_for({"id": video_id}, None)

    def find_upload(self, request: PublishRequest, journal: Journal) -> str | None:
        """The channel's upload made by a doubtful last chunk, if YouTube has it."""
        since = _time(journal.state().get("final_at")) or datetime.now(UTC) - timedelta(days=1)
        title = (request.title or request.caption.split("\n")[0]).strip()[:100]
        for item in self._upload_items(log=journal.log):
            snippet = item.get("snippet") or {}
            if snippet.get("title") == title and uploaded_since(item, since):
                return str((snippet.get("resourceId") or {}).get("videoId"))
        return None

    def _uploads_playlist(self, log: StepSink | None = None) -> str:
        if self._uploads is None:
            doc = self.api(
                "channels.list",
                "GET",
                "channels",
                params={"part": "contentDetails", "mine": "true"},
                log=log,
            )
            items = doc.get("items") or [{}]
            related = (items[0].get("contentDetails") or {}).get("relatedPlaylists") or {}
            self._uploads = str(related.get("uploads") or "")
        return self._uploads

    def _upload_items(
        self, cursor: str | None = None, log: StepSink | None = None
    ) -> list[dict[str, Any]]:
        params = {"part": "snippet", "playlistId": self._uploads_playlist(log), "maxResults": "50"}
        if cursor:
            params["pageToken"] = cursor
        doc = self.api("playlistItems.list", "GET", "playlistItems", params=params, log=log)
        self._next = doc.get("nextPageToken")
        return list(doc.get("items") or [])

    # --- own videos, comments, numbers -------------------------------------------------------

    def own_videos(self, cursor: str | None = None) -> Page[RemoteVideo]:
        items = self._upload_items(cursor)
        videos = [
            RemoteVideo(
                remote_id=str((s.get("resourceId") or {}).get("videoId")),
                caption="\n".join(x for x in (s.get("title"), s.get("description")) if x),
                created_at=_time(s.get("publishedAt")),
                url=f"https://www.youtube.com/shorts/{(s.get('resourceId') or {}).get('videoId')}",
            )
            for s in (item.get("snippet") or {} for item in items)
        ]
        return Page(videos, self._next)

    def comments(self, video_remote_id: str, cursor: str | None = None) -> Page[RemoteComment]:
        """A page of comment threads, newest first, each with all its replies.

        commentThreads carries only some replies inline; when a thread's
        totalReplyCount says there are more, comments.list(parentId) reads them all.
        """
        params = {
            "part": "snippet,replies",
            "videoId": video_remote_id,
            "maxResults": "100",
            "order": "time",
            "textFormat": "plainText",
        }
        if cursor:
            params["pageToken"] = cursor
        doc = self.api("commentThreads.list", "GET", "commentThreads", params=params)
        found: list[RemoteComment] = []
        for thread in doc.get("items") or []:
            snippet = thread.get("snippet") or {}
            top = snippet.get("topLevelComment") or {}
            top_id = str(top.get("id"))
            can_reply = bool(snippet.get("canReply", True))
            found.append(self._comment(top, video_remote_id, None, can_reply))
            inline = (thread.get("replies") or {}).get("comments") or []
            total = int(snippet.get("totalReplyCount") or len(inline))
            replies = inline if total <= len(inline) else self._replies(top_id)
            for reply in replies:
                found.append(self._comment(reply, video_remote_id, top_id, False))
        return Page(found, doc.get("nextPageToken"))

    def _replies(self, parent_id: str, log: StepSink | None = None) -> list[dict[str, Any]]:
        """Every reply of a top-level comment (comments.list, a page at a time)."""
        found: list[dict[str, Any]] = []
        params = {
            "part": "snippet",
            "parentId": parent_id,
            "maxResults": "100",
            "textFormat": "plainText",
        }
        while True:
            doc = self.api("comments.list", "GET", "comments", params=params, log=log)
            found += list(doc.get("items") or [])
            token = doc.get("nextPageToken")
            if not token:
                return found
            params = {**params, "pageToken": str(token)}

    @staticmethod
    def _comment(
        item: dict[str, Any], video: str, parent: str | None, can_reply: bool
    ) -> RemoteComment:
        s = item.get("snippet") or {}
        return RemoteComment(
            remote_id=str(item.get("id")),
            video_remote_id=video,
            author=str(s.get("authorDisplayName") or ""),
            body=str(s.get("textOriginal") or s.get("textDisplay") or ""),
            created_at=_time(s.get("publishedAt")),
            parent_remote_id=parent or s.get("parentId"),
            like_count=s.get("likeCount"),
            updated_at=_time(s.get("updatedAt")),
            can_reply=can_reply,
        )

    def reply(self, comment: RemoteComment, text: str, journal: Journal) -> RemoteComment:
        """Reply once: after a doubt, every reply of the comment is read for ours first."""
        if comment.parent_remote_id:
            raise Rejected("YouTube takes replies to top-level comments only", code="not_top")
        if len(text) > REPLY_LIMIT:
            raise Rejected(
                f"the reply is {len(text)} characters; YouTube takes at most {REPLY_LIMIT}",
                code="commentTextTooLong",
            )
        if journal.doubtful("reply"):
            for existing in self._replies(comment.remote_id, log=journal.log):
                body = (existing.get("snippet") or {}).get("textOriginal")
                if body == text:
                    journal.record("reply", remote_id=str(existing.get("id")), found=True)
                    return self._comment(
                        existing, comment.video_remote_id, comment.remote_id, False
                    )
        journal.intend("reply")
        doc = self.api(
            "comments.insert",
            "POST",
            "comments",
            params={"part": "snippet"},
            json={"snippet": {"parentId": comment.remote_id, "textOriginal": text}},
            log=journal.log,
            safe=False,
        )
        journal.record("reply", remote_id=str(doc.get("id")))
        return self._comment(doc, comment.video_remote_id, comment.remote_id, False)

    metrics_batch = 50  # videos.list takes up to 50 ids

    def metrics(self, video_remote_ids: Sequence[str]) -> list[MetricSample]:
        """Data API statistics (views, likes, comments: live) joined with the Analytics
        API's lifetime numbers per video (watch time, average view duration and
        percentage, subscribers gained: these lag by a day or two and stay empty
        until YouTube has them, or when the login lacks yt-analytics.readonly)."""
        ids = list(video_remote_ids)[: self.metrics_batch]
        if not ids:
            return []
        doc = self.api(
            "videos.list", "GET", "videos", params={"part": "statistics", "id": ",".join(ids)}
        )
        now = self.now()
        found = [str(item.get("id")) for item in doc.get("items") or []]
        more = self._analytics(found, now) if found else {}
        samples = []
        for item in doc.get("items") or []:
            stats = item.get("statistics") or {}
            extra = more.get(str(item.get("id")), {})
            minutes = extra.get("estimatedMinutesWatched")
            samples.append(
                MetricSample(
                    video_remote_id=str(item.get("id")),
                    captured_at=now,
                    views=_int(stats.get("viewCount")),
                    likes=_int(stats.get("likeCount")),
                    comments=_int(stats.get("commentCount")),
                    watch_time_s=None if minutes is None else float(minutes) * 60,
                    avg_view_s=_float(extra.get("averageViewDuration")),
                    avg_view_pct=_float(extra.get("averageViewPercentage")),
                    followers_gained=_int(extra.get("subscribersGained")),
                )
            )
        return samples

    def _analytics(self, ids: Sequence[str], now: datetime) -> dict[str, dict[str, Any]]:
        """reports.query with dimensions=video over the videos' lifetime (platform-apis.md
        §2.6; host UNCONFIRMED). Its own quota, not the Data API's units."""
        if not self.analytics_base:
            return {}
        response = self.authed(
            "reports.query",
            "GET",
            f"{self.analytics_base}/v2/reports",
            safe=True,
            params={
                "ids": "channel==MINE",
                "startDate": LIFETIME_START,
                "endDate": (now + timedelta(days=1)).date().isoformat(),
                "metrics": ANALYTICS_METRICS,
                "dimensions": "video",
                "filters": "video==" + ",".join(ids),
                "maxResults": str(len(ids)),
            },
        )
        if response.status_code == 403 and _reason(response) not in THROTTLE_REASONS:
            return {}  # no yt-analytics.readonly in this login: those numbers stay empty
        if response.status_code >= 300:
            self.raise_for(response, "the analytics report")
        doc = response.json()
        names = [str(h.get("name")) for h in doc.get("columnHeaders") or []]
        out: dict[str, dict[str, Any]] = {}
        for row in doc.get("rows") or []:
            values = dict(zip(names, row, strict=False))
            out[str(values.get("video"))] = values
        return out


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None
