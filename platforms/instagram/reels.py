"""Publishing a Reel (reference/platform-apis.md §3.2–3.3), never twice.

1. A journal with a `media_id` is done (the permalink is read if missing).
2. A journal with a `container_id` asks the container first
   (`GET /{container}?fields=status_code,status`):
   - PUBLISHED → the reel is out (a `media_publish` whose answer was lost):
     it is looked up among the account's newest media, never published again;
   - FINISHED → publish (after reading the publishing limit);
   - IN_PROGRESS with bytes still to send → the upload resumes from the last
     byte Instagram confirmed; with every byte sent → still processing;
   - ERROR → failed, with Instagram's words; EXPIRED (not published within
     24 h) → a new container.
3. A new container: `POST /{ig-user-id}/media` with `media_type=REELS` and
   `upload_type=resumable` answers `{id, uri}`. A create whose answer was lost
   left an empty container that expires unpublished: harmless, so it is
   created again (noted in the journal).
4. The upload: POSTs to the `uri` as given, `Authorization: OAuth {token}`,
   `offset` and `file_size` headers and the raw bytes, streamed from disk.
   `{"success": true}` confirms the bytes; `debug_info.retriable` decides
   between trying again and giving up. Sending the file in several POSTs, and
   re-POSTing from the last confirmed offset after a drop, is UNCONFIRMED:
   the notes know the headers, not the resume rule. A chunk of
   `chunk_bytes` (default 8 MiB) at least the file size sends one POST from
   offset 0, the documented form.
5. The publishing limit (`content_publishing_limit`: quota_usage of
   quota_total over quota_duration) is read before `media_publish`; a full
   one is a clear stop naming it. `media_publish` is intended in the journal
   before it is sent; its doubt is settled by the container's status.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from platforms.base import (
    Journal,
    Progress,
    PublishRequest,
    PublishResult,
    QuotaExhausted,
    Rejected,
    StopCheck,
    TransientError,
)
from platforms.http import FileSlice
from platforms.instagram.graph import doc_of, token_refused

if TYPE_CHECKING:
    from platforms.instagram.connector import InstagramConnector

DEFAULT_CHUNK = 8 * 1024 * 1024
POLL_S = 30.0
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def caption_key(caption: str) -> str:
    """A short digest of a caption (the journal keeps this, not the text)."""
    return hashlib.sha256(caption.strip().encode("utf-8")).hexdigest()[:16]


class ReelsPublish:
    """One publication's way through containers, rupload and media_publish."""

    def __init__(
        self,
        conn: InstagramConnector,
        journal: Journal,
        request: PublishRequest | None = None,
        progress: Progress | None = None,
        stop: StopCheck | None = None,
    ) -> None:
        self.conn = conn
        self.journal = journal
        self.request = request
        self.progress = progress or (lambda _f: None)
        self.stop = stop or (lambda: False)

    # --- the state machine ------------------------------------------------------------

    def run(self) -> PublishResult:
        state = self.journal.state()
        if state.get("media_id"):
            return self.conn.published(str(state["media_id"]), self.journal)
        container = str(state.get("container_id") or "")
        if container and not state.get("container_expired"):
            status = self.conn.container_status(container, self.journal)
            code = str(status.get("status_code") or "")
            if code == "PUBLISHED":
                return self._find_published()
            if code == "FINISHED":
                return self._publish(container)
            if code == "ERROR":
                words = str(status.get("status") or "no reason given")
                return PublishResult(
                    "failed", message=f"Instagram could not process the video: {words}"
                )
            if code == "EXPIRED":
                self.journal.record("container", container_expired=True)
            else:  # IN_PROGRESS
                sent = int(state.get("confirmed_bytes") or 0)
                total = int(state.get("size") or 0)
                if sent >= total > 0:
                    return self._processing(status)
                if self.request is None:
                    return self._processing(status)
                return self._upload(container, str(state["upload_uri"]), sent)
        if self.request is None:
            return PublishResult(
                "failed",
                message="Instagram's container expired before the reel was published "
                "(24 h); retry the publication to upload it again",
            )
        return self._new_container(self.request)

    def _new_container(self, request: PublishRequest) -> PublishResult:
        self.conn.check_stop(self.stop)
        if request.privacy != "public":
            raise Rejected(
                f"Instagram Reels have no {request.privacy!r} privacy through the API; "
                "publish it public",
                code="privacy",
            )
        if self.journal.doubtful("container"):
            self.journal.record("container", lost_container=True)  # an empty one: harmless
        params: dict[str, Any] = {
            "media_type": "REELS",
            "upload_type": "resumable",
            "caption": request.caption,
            "share_to_feed": "true",
        }
        if request.cover_time_ms is not None:
            params["thumb_offset"] = str(request.cover_time_ms)
        self.journal.intend(
            "container",
            size=request.size_bytes,
            caption_key=caption_key(request.caption),
            container_expired=False,
            confirmed_bytes=0,
            branded=request.branded_content,
        )
        doc = self.conn.graph(
            "container",
            "POST",
            f"{self.conn.user_path()}/media",
            params=params,
            safe=False,
            log=self.journal.log,
            what="the Reels container",
        )
        if not doc.get("id") or not doc.get("uri"):
            raise Rejected("Instagram created no resumable container (no id/uri in its answer)")
        self.journal.record(
            "container",
            container_id=str(doc["id"]),
            upload_uri=str(doc["uri"]),
            created_at=self.conn.now().strftime(STAMP),
        )
        return self._upload(str(doc["id"]), str(doc["uri"]), 0)

    # --- rupload ---------------------------------------------------------------------

    def _upload(self, container: str, uri: str, start: int) -> PublishResult:
        request = self.request
        assert request is not None
        total = request.size_bytes
        chunk = max(1, self.conn.ctx.chunk_bytes or DEFAULT_CHUNK)
        offset = start
        while offset < total:
            self.conn.check_stop(self.stop)
            length = min(chunk, total - offset)

            def call(token: str, first: int = offset, size: int = length) -> httpx.Response:
                return self.conn.http.send(
                    "rupload",
                    "POST",
                    uri,
                    safe=False,  # after a doubt the container is asked first
                    log=self.journal.log,
                    headers={
                        "Authorization": f"OAuth {token}",
                        "offset": str(first),
                        "file_size": str(total),
                        "Content-Type": "application/octet-stream",
                    },
                    content=FileSlice(request.file, first, size),
                )

            answer = self.conn.tokens.authorized(call, token_refused)
            doc = doc_of(answer)
            if answer.status_code >= 300 or doc.get("success") is not True:
                self._refused_chunk(answer, doc)
            offset += length
            self.journal.record("rupload", confirmed_bytes=offset)
            self.progress(offset / total)
        return self._after_upload(container)

    def _refused_chunk(self, answer: httpx.Response, doc: dict[str, Any]) -> None:
        found = doc.get("debug_info")
        info: dict[str, Any] = found if isinstance(found, dict) else {}
        words = self.conn.redactor.scrub(
            str(info.get("message") or info.get("type") or f"HTTP {answer.status_code}")
        )
        if info.get("retriable") is True:
            raise TransientError(f"Instagram's upload asked us to try again: {words}")
        if token_refused(answer):
            self.conn.graph_error(answer, "the upload")
        raise Rejected(f"Instagram refused the upload: {words}", code="rupload")

    def _after_upload(self, container: str) -> PublishResult:
        status = self.conn.container_status(container, self.journal)
        code = str(status.get("status_code") or "")
        if code == "FINISHED":
            return self._publish(container)
        if code in ("ERROR", "EXPIRED"):
            return self.run()
        return self._processing(status)

    def _processing(self, status: dict[str, Any]) -> PublishResult:
        words = str(status.get("status") or "").strip()
        return PublishResult(
            "processing",
            poll_after=POLL_S,
            progress=1.0,
            message="Instagram is processing the video" + (f" ({words})" if words else ""),
        )

    # --- media_publish --------------------------------------------------------------------

    def _publish(self, container: str) -> PublishResult:
        self.conn.check_stop(self.stop)
        self.check_limit()
        self.journal.intend("media_publish", publish_at=self.conn.now().strftime(STAMP))
        doc = self.conn.graph(
            "media_publish",
            "POST",
            f"{self.conn.user_path()}/media_publish",
            params={"creation_id": container},
            safe=False,
            log=self.journal.log,
            what="publishing the reel",
        )
        media_id = str(doc.get("id") or "")
        if not media_id:
            raise TransientError("Instagram's answer to media_publish had no media id")
        self.journal.record("media_publish", media_id=media_id)
        return self.conn.published(media_id, self.journal)

    def check_limit(self) -> None:
        """Raise QuotaExhausted, naming the limit, when no post is left in the 24 h window."""
        doc = self.conn.graph(
            "publishing_limit",
            "GET",
            f"{self.conn.user_path()}/content_publishing_limit",
            params={"fields": "quota_usage,config"},
            log=self.journal.log,
            what="the publishing limit",
        )
        rows = doc.get("data") or [{}]
        row = rows[0] if isinstance(rows[0], dict) else {}
        config = row.get("config") or {}
        usage, total = row.get("quota_usage"), config.get("quota_total")
        if usage is None or total is None:
            return  # not given: media_publish will say so itself
        window_h = float(config.get("quota_duration") or 86400) / 3600
        if int(usage) >= int(total):
            raise QuotaExhausted(
                f"Instagram's publishing limit is reached: {usage} of {total} posts in the last "
                f"{window_h:.0f} h (content_publishing_limit). Nothing was published; the "
                "uploaded reel waits in its container for up to 24 h — retry the publication "
                "once an older post leaves the window",
                code="content_publishing_limit",
                retry_after=3600.0,
            )

    def _find_published(self) -> PublishResult:
        """The container says PUBLISHED: find its media among the newest, never publish again."""
        state = self.journal.state()
        since = _parse(state.get("publish_at")) or _parse(state.get("created_at"))
        found = self.conn.find_media(str(state.get("caption_key") or ""), since, self.journal)
        if found is not None:
            self.journal.record("media_publish", media_id=found)
            return self.conn.published(found, self.journal)
        self.journal.record("media_publish", published_unlisted=True)
        return PublishResult(
            "processing",
            poll_after=POLL_S,
            message="Instagram says the reel is published; its media is not listed yet",
        )


def _parse(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")) - timedelta(minutes=2)
    except ValueError:
        return None
