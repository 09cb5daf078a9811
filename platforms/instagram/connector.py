"""The Instagram connector (Instagram API with Instagram Login, graph.instagram.com).

- Tokens: a long-lived user token, no refresh token. It is refreshed with
  `GET /refresh_access_token?grant_type=ig_refresh_token` once it is at least
  24 h old (Instagram refuses younger ones) and before it lapses; each refresh
  lasts 60 days more. A token Instagram refuses (code 190) is refreshed once;
  when that fails too, a person must log in again. A proactive refresh that
  fails for another reason keeps the still-valid token.
- The access token travels as the documented `access_token` parameter (in the
  form body of POSTs, so not in their URLs); the step log redacts it.
- Throttles (codes 4/17/32/613/800xx) wait `estimated_time_to_regain_access`
  from `X-Business-Use-Case-Usage` (graph.py); there is no Retry-After.
- Publishing is reels.py. Own videos: `/{ig-user-id}/media`; comments:
  `/{media}/comments` and `/{comment}/replies`; replies only to top-level
  comments, once; numbers: media insights, None where Instagram gives none.
- Calls are unversioned (the app's default Graph version); put a version in
  `api_base` (e.g. `https://graph.instagram.com/v21.0`) to pin one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
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
)
from platforms.common import BaseConnector, ConnectorContext
from platforms.http import StepSink
from platforms.instagram.graph import (
    NOT_ENOUGH_VIEWERS,
    doc_of,
    raise_for,
    throttle_wait,
    token_refused,
)
from platforms.instagram.reels import ReelsPublish, caption_key

TOKEN_MIN_AGE = timedelta(hours=24)
TOKEN_LIFE_S = 60 * 86400  # what a refresh gives when Instagram's answer does not say
REFRESH_WINDOW = timedelta(days=30)  # token age unknown: refresh when this close to lapsing
# The paid-partnership label has no field in our notes for IG-Login Reels containers.
BRANDED_NOTE = (
    "Instagram's API (as ReelRoom knows it) sets no paid-partnership label: "
    "add it to the reel in the Instagram app"
)
REPLY_LIMIT = 2200  # characters of a comment (UNCONFIRMED; the caption's limit)
METRICS = ("views", "reach", "likes", "comments", "shares", "saved", "total_interactions")
COMMENT_FIELDS = "id,text,timestamp,username,like_count,hidden"
MEDIA_FIELDS = "id,caption,media_type,media_product_type,permalink,timestamp,thumbnail_url"


def _time(text: Any) -> datetime | None:
    if not text:
        return None
    value = str(text)
    if value[-5:-4] in "+-" and value[-3] != ":":  # Graph writes +0000
        value = value[:-2] + ":" + value[-2:]
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class InstagramConnector(BaseConnector):
    """One Instagram professional account's view of the Graph API."""

    platform = "instagram"
    label = "Instagram"
    needs_refresh_token = False
    comments_order = "oldest"  # the moderation guide's example lists oldest first (UNCONFIRMED)
    reply_limit = REPLY_LIMIT

    def __init__(self, ctx: ConnectorContext) -> None:
        super().__init__(ctx, throttle=throttle_wait)
        self.base = ctx.endpoints["api_base"].rstrip("/")
        self._refresh_failed = False

    # --- tokens -----------------------------------------------------------------------------

    def refresh_due(self, credentials: Credentials, now: datetime) -> bool:
        """A day-old token is refreshed (each refresh adds 60 days); younger ones cannot be."""
        if self._refresh_failed or not credentials.access_token:
            return False
        if credentials.issued_at is not None:
            return now - credentials.issued_at >= TOKEN_MIN_AGE
        return credentials.expires_at is not None and credentials.expires_at - now < REFRESH_WINDOW

    def refresh_credentials(self, credentials: Credentials) -> Credentials:
        token = credentials.access_token
        if not token:
            raise NeedsLogin(self._login_again("no access token is stored"))
        now = self.now()
        if credentials.issued_at is not None and now - credentials.issued_at < TOKEN_MIN_AGE:
            if self._still_valid(credentials, now):
                self._refresh_failed = True
                return credentials
            raise NeedsLogin(self._login_again("the token lapses before it can be refreshed"))
        try:
            response = self.http.send(
                "refresh",
                "GET",
                f"{self.base}/refresh_access_token",
                safe=True,  # the old token stays valid: asking again is harmless
                params={"grant_type": "ig_refresh_token", "access_token": token},
            )
        except (TransientError, RateLimited):
            if self._still_valid(credentials, now):
                self._refresh_failed = True
                return credentials
            raise
        doc = doc_of(response)
        if response.status_code >= 300 or not doc.get("access_token"):
            if token_refused(response):
                raise NeedsLogin(self._login_again("Instagram refused the token (code 190)"))
            if self._still_valid(credentials, now):
                self._refresh_failed = True  # keep using it; try again another day
                return credentials
            self.graph_error(response, "the token refresh")
        return Credentials(
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            access_token=str(doc["access_token"]),
            expires_at=now + timedelta(seconds=float(doc.get("expires_in") or TOKEN_LIFE_S)),
            user_id=credentials.user_id,
            issued_at=now,
        )

    def _still_valid(self, credentials: Credentials, now: datetime) -> bool:
        return credentials.expires_at is None or credentials.expires_at > now + timedelta(minutes=5)

    def _login_again(self, why: str) -> str:
        return (
            f"{self.ctx.account}: {why}; get a new long-lived token and run "
            f"`reelroom accounts add instagram {self.ctx.handle} --credentials FILE.json`"
        )

    # --- calls ------------------------------------------------------------------------------

    def graph_error(self, response: httpx.Response, what: str) -> None:
        raise_for(response, what, self.redactor, self.ctx.handle)

    def graph(
        self,
        step: str,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        safe: bool = True,
        log: StepSink | None = None,
        what: str = "",
    ) -> dict[str, Any]:
        """One Graph call with the account's token (refreshed once on code 190); its JSON."""
        url = f"{self.base}/{path.lstrip('/')}"

        def call(token: str) -> httpx.Response:
            values = {**(params or {}), "access_token": token}
            if method == "GET":
                return self.http.send(step, method, url, safe=safe, log=log, params=values)
            return self.http.send(step, method, url, safe=safe, log=log, data=values)

        response = self.tokens.authorized(call, token_refused)
        if response.status_code >= 300 or "error" in doc_of(response):
            self.graph_error(response, what or step)
        return doc_of(response)

    def user_path(self) -> str:
        """The account's Graph node: its stored Instagram user id, else `me`."""
        return self.tokens.credentials.user_id or "me"

    # --- account ----------------------------------------------------------------------------

    def check(self) -> AccountInfo:
        doc = self.graph(
            "me",
            "GET",
            "me",
            params={"fields": "user_id,username,name,account_type,followers_count,media_count"},
            what="the account check",
        )
        return AccountInfo(
            user_id=str(doc.get("user_id") or doc.get("id") or ""),
            handle=str(doc.get("username") or self.ctx.handle),
            display_name=str(doc.get("name") or ""),
            followers=_int(doc.get("followers_count")),
            detail={"account_type": doc.get("account_type"), "media_count": doc.get("media_count")},
        )

    # --- publishing -------------------------------------------------------------------------

    def publish(
        self, request: PublishRequest, journal: Journal, progress: Progress, stop: StopCheck
    ) -> PublishResult:
        return self.resuming(
            lambda: ReelsPublish(self, journal, request, progress, stop).run(), journal
        )

    def status(self, journal: Journal) -> PublishResult:
        state = journal.state()
        if not state.get("container_id") and not state.get("media_id"):
            raise PlatformError("nothing was sent to Instagram yet", permanent=True)
        return self.resuming(lambda: ReelsPublish(self, journal).run(), journal)

    def container_status(self, container: str, journal: Journal) -> dict[str, Any]:
        return self.graph(
            "container_status",
            "GET",
            container,
            params={"fields": "status_code,status"},
            log=journal.log,
            what="the container's status",
        )

    def published(self, media_id: str, journal: Journal) -> PublishResult:
        """The published reel, its permalink read back (kept in the journal)."""
        state = journal.state()
        url = state.get("remote_url")
        if not url:
            doc = self.graph(
                "permalink",
                "GET",
                media_id,
                params={"fields": "permalink"},
                log=journal.log,
                what="the reel's permalink",
            )
            url = doc.get("permalink")
            if url:
                journal.record("permalink", remote_url=str(url))
        note = BRANDED_NOTE if state.get("branded") else ""
        return PublishResult("published", remote_id=media_id, remote_url=url or None, message=note)

    def find_media(self, key: str, since: datetime | None, journal: Journal) -> str | None:
        """A reel among the account's newest media with this caption (digest), made since."""
        doc = self.graph(
            "find_media",
            "GET",
            f"{self.user_path()}/media",
            params={"fields": "id,caption,timestamp", "limit": "25"},
            log=journal.log,
            what="the account's media",
        )
        for item in doc.get("data") or []:
            made = _time(item.get("timestamp"))
            if since is not None and made is not None and made < since:
                continue
            if caption_key(str(item.get("caption") or "")) == key:
                return str(item.get("id"))
        return None

    # --- own videos, comments, numbers ------------------------------------------------------

    def own_videos(self, cursor: str | None = None) -> Page[RemoteVideo]:
        params = {"fields": MEDIA_FIELDS, "limit": "25"}
        if cursor:
            params["after"] = cursor
        doc = self.graph("media", "GET", f"{self.user_path()}/media", params=params)
        videos = [
            RemoteVideo(
                remote_id=str(item.get("id")),
                caption=str(item.get("caption") or ""),
                created_at=_time(item.get("timestamp")),
                url=item.get("permalink"),
                cover_url=item.get("thumbnail_url"),
            )
            for item in doc.get("data") or []
            if item.get("media_type") == "VIDEO"
        ]
        return Page(videos, _next_cursor(doc))

    def _comment(self, item: dict[str, Any], video: str, parent: str | None) -> RemoteComment:
        return RemoteComment(
            remote_id=str(item.get("id")),
            video_remote_id=video,
            author=str(item.get("username") or ""),
            body=str(item.get("text") or ""),
            created_at=_time(item.get("timestamp")),
            parent_remote_id=parent,
            like_count=_int(item.get("like_count")),
            can_reply=parent is None and not item.get("hidden"),
            hidden=bool(item.get("hidden")),
        )

    def _replies(self, comment_id: str, log: StepSink | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        params = {"fields": COMMENT_FIELDS, "limit": "50"}
        while True:
            doc = self.graph("replies", "GET", f"{comment_id}/replies", params=params, log=log)
            found += list(doc.get("data") or [])
            after = _next_cursor(doc)
            if after is None:
                return found
            params = {**params, "after": after}

    def comments(self, video_remote_id: str, cursor: str | None = None) -> Page[RemoteComment]:
        """A page of top-level comments (oldest first), each with its replies: the first
        page of replies comes expanded in the same call, later ones from /replies."""
        params = {"fields": f"{COMMENT_FIELDS},replies{{{COMMENT_FIELDS}}}", "limit": "50"}
        if cursor:
            params["after"] = cursor
        doc = self.graph("comments", "GET", f"{video_remote_id}/comments", params=params)
        found: list[RemoteComment] = []
        for item in doc.get("data") or []:
            top = self._comment(item, video_remote_id, None)
            found.append(top)
            nested = item.get("replies") if isinstance(item.get("replies"), dict) else {}
            replies = list(nested.get("data") or [])
            if _next_cursor(nested) is not None:
                replies = self._replies(top.remote_id)
            for reply in replies:
                found.append(self._comment(reply, video_remote_id, top.remote_id))
        return Page(found, _next_cursor(doc))

    def reply(self, comment: RemoteComment, text: str, journal: Journal) -> RemoteComment:
        """Reply once to a top-level comment; after a doubt its replies are read first."""
        if comment.parent_remote_id:
            raise Rejected("Instagram takes replies to top-level comments only", code="not_top")
        if comment.hidden:
            raise Rejected("Instagram takes no replies to a hidden comment", code="hidden")
        if journal.doubtful("reply"):
            for item in self._replies(comment.remote_id, journal.log):
                if str(item.get("text") or "") == text:
                    journal.record("reply", remote_id=str(item.get("id")), found=True)
                    return self._comment(item, comment.video_remote_id, comment.remote_id)
        journal.intend("reply")
        doc = self.graph(
            "reply",
            "POST",
            f"{comment.remote_id}/replies",
            params={"message": text},
            safe=False,
            log=journal.log,
            what="the reply",
        )
        journal.record("reply", remote_id=str(doc.get("id")))
        return RemoteComment(
            remote_id=str(doc.get("id")),
            video_remote_id=comment.video_remote_id,
            author=self.ctx.handle,
            body=text,
            created_at=self.now(),
            parent_remote_id=comment.remote_id,
            can_reply=False,
        )

    def metrics(self, video_remote_ids: Sequence[str]) -> list[MetricSample]:
        """Insights of each reel (one request each): views, reach, likes, comments,
        shares, saved, total_interactions; a number Instagram leaves out stays empty
        and a reel with too few viewers (code 10) has none yet."""
        samples = []
        for media_id in video_remote_ids:
            samples.append(self._insights(media_id))
        return samples

    def _insights(self, media_id: str) -> MetricSample:
        now = self.now()
        try:
            doc = self.graph(
                "insights",
                "GET",
                f"{media_id}/insights",
                params={"metric": ",".join(METRICS)},
                what="the reel's insights",
            )
        except Rejected as exc:
            if exc.code == f"ig_{NOT_ENOUGH_VIEWERS}":
                return MetricSample(video_remote_id=media_id, captured_at=now)  # no numbers yet
            raise
        values: dict[str, int | None] = {}
        for row in doc.get("data") or []:
            values[str(row.get("name"))] = _metric_value(row)
        interactions = values.get("total_interactions")
        return MetricSample(
            video_remote_id=media_id,
            captured_at=now,
            views=values.get("views"),
            reach=values.get("reach"),
            likes=values.get("likes"),
            comments=values.get("comments"),
            shares=values.get("shares"),
            saves=values.get("saved"),
            extra={} if interactions is None else {"total_interactions": float(interactions)},
        )


def _metric_value(row: dict[str, Any]) -> int | None:
    """One insights row's number: `total_value.value`, else the last of `values` (None: none)."""
    total = row.get("total_value")
    if isinstance(total, dict) and total.get("value") is not None:
        return _int(total["value"])
    values = [v for v in row.get("values") or [] if isinstance(v, dict)]
    return _int(values[-1].get("value")) if values else None


def _next_cursor(doc: dict[str, Any]) -> str | None:
    """The `after` cursor of a Graph page, when a next page exists."""
    paging = doc.get("paging") or {}
    after = (paging.get("cursors") or {}).get("after")
    return str(after) if after and paging.get("next") else None
