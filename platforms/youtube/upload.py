"""YouTube's resumable upload protocol (reference/platform-apis.md §2.2), never twice.

1. A journal with a `session_uri` asks the session first (`PUT`, empty body,
   `Content-Range: bytes */TOTAL`): 200/201 → the video exists, done;
   308 → resume from the byte after its `Range`; 404 → the session is dead.
2. A dead session whose last chunk was in doubt may have made the video:
   the channel's newest uploads are searched (same title, uploaded since the
   doubt) before anything is sent again; otherwise a new session starts.
   A session POST whose answer was lost left a session with no bytes, which
   makes no video: a new one is harmless (its quota is spent again).
3. Chunks are multiples of 256 KiB (the last takes the rest), each PUT with
   `Content-Range: bytes a-b/TOTAL`, streamed from disk. The last one is
   intended in the journal before it is sent; every confirmed byte is
   recorded. A dropped connection or a 5xx goes back to step 1 (resumed,
   not restarted).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx

from platforms.base import (
    Journal,
    Progress,
    PublishRequest,
    PublishResult,
    Rejected,
    StopCheck,
    TransientError,
)
from platforms.http import FileSlice

if TYPE_CHECKING:
    from platforms.youtube.connector import YouTubeConnector

CHUNK_UNIT = 262_144
DEFAULT_CHUNK = 32 * CHUNK_UNIT  # 8 MiB
SHORT_MAX_S = 180.0
PRIVACY = {"public": "public", "private": "private", "unlisted": "unlisted"}


def chunk_size(preferred: int | None) -> int:
    """A chunk size that is a positive multiple of 256 KiB."""
    wanted = preferred or DEFAULT_CHUNK
    return max(CHUNK_UNIT, wanted - wanted % CHUNK_UNIT)


def confirmed(response: httpx.Response) -> int:
    """Bytes the session holds, from a 308's `Range: bytes=0-N` (none: 0)."""
    found = re.fullmatch(r"bytes=0-(\d+)", response.headers.get("range", ""))
    return int(found[1]) + 1 if found else 0


def metadata(request: PublishRequest) -> dict[str, Any]:
    """The video resource sent with the session: title, description, tags, privacy, flags."""
    privacy = PRIVACY.get(request.privacy)
    if privacy is None:
        raise Rejected(
            f"YouTube has no {request.privacy!r} privacy; use public, unlisted or private",
            code="invalidPrivacyStatus",
        )
    title = (request.title or request.caption.split("\n")[0]).strip()[:100]
    tags = [t.lstrip("#") for t in request.hashtags if t.strip("#")]
    return {
        "snippet": {
            "title": title,
            "description": request.caption,
            "tags": tags,
            "categoryId": "22",
        },
        "status": {"privacyStatus": privacy, "selfDeclaredMadeForKids": False},
        # The paid-promotion disclosure; its field name is from the API reference's
        # video resource, not from our notes: UNCONFIRMED.
        "paidProductPlacementDetails": {"hasPaidProductPlacement": bool(request.branded_content)},
    }


def is_short(request: PublishRequest) -> bool | None:
    """True for square/vertical and ≤ 3 minutes (YouTube's rule for a Short); None if unknown."""
    if not (request.width and request.height and request.duration_s):
        return None
    return request.width <= request.height and request.duration_s <= SHORT_MAX_S


def result_for(video: dict[str, Any], request: PublishRequest | None) -> PublishResult:
    video_id = str(video.get("id"))
    short = is_short(request) if request is not None else None
    if short is False:
        return PublishResult(
            "published",
            remote_id=video_id,
            remote_url=f"https://www.youtube.com/watch?v={video_id}",
            message="uploaded as a regular video: it is not vertical/square and 3 minutes or less",
        )
    return PublishResult(
        "published", remote_id=video_id, remote_url=f"https://www.youtube.com/shorts/{video_id}"
    )


class ResumableUpload:
    """One publication's upload through one connector."""

    def __init__(
        self,
        conn: YouTubeConnector,
        request: PublishRequest,
        journal: Journal,
        progress: Progress,
        stop: StopCheck,
    ) -> None:
        self.conn = conn
        self.request = request
        self.journal = journal
        self.progress = progress
        self.stop = stop
        self.total = request.size_bytes

    def run(self) -> PublishResult:
        state = self.journal.state()
        start = 0
        uri = str(state.get("session_uri") or "")
        if uri and not state.get("session_dead"):
            answer = self._ask(uri)
            if answer.status_code in (200, 201):
                return self._done(answer)
            if answer.status_code == 308:
                start = confirmed(answer)
            else:  # 404: the session is gone
                self.journal.record("session", session_dead=True)
                uri = ""
        if not uri or self.journal.state().get("session_dead"):
            if self.journal.doubtful("final_chunk"):
                found = self.conn.find_upload(self.request, self.journal)
                if found is not None:
                    self.journal.record("final_chunk", remote_id=found)
                    return result_for({"id": found}, self.request)
                self.journal.record("final_chunk", searched=True)
            uri, start = self._new_session(), 0
        return self._send(uri, start)

    def _ask(self, uri: str) -> httpx.Response:
        answer = self.conn.http.send(
            "session_status",
            "PUT",
            uri,
            safe=True,
            log=self.journal.log,
            headers={"Content-Length": "0", "Content-Range": f"bytes */{self.total}"},
            content=b"",
        )
        if answer.status_code not in (200, 201, 308, 404):
            self.conn.raise_for(answer, "the upload session's status")
        return answer

    def _new_session(self) -> str:
        body = metadata(self.request)
        self.conn.meter.spend("videos.insert")
        self.journal.intend("session", session_dead=False, confirmed_bytes=0)
        answer = self.conn.authed(
            "session",
            "POST",
            f"{self.conn.base}/upload/youtube/v3/videos",
            safe=False,
            log=self.journal.log,
            params={
                "uploadType": "resumable",
                "part": "snippet,status,paidProductPlacementDetails",
            },
            headers={
                "Content-Type": "application/json; charset=UTF-8",
                "X-Upload-Content-Length": str(self.total),
                "X-Upload-Content-Type": self.request.content_type or "video/*",
            },
            json=body,
        )
        location = answer.headers.get("location")
        if answer.status_code != 200 or not location:
            self.conn.raise_for(answer, "the upload session", method="videos.insert")
        self.journal.record("session", session_uri=location, confirmed_bytes=0)
        return str(location)

    def _send(self, uri: str, start: int) -> PublishResult:
        size = chunk_size(self.conn.ctx.chunk_bytes)
        offset = start
        while True:
            self.conn.check_stop(self.stop)
            length = min(size, self.total - offset)
            final = offset + length >= self.total
            if final:
                now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                self.journal.intend("final_chunk", final_at=now)
            answer = self.conn.http.send(
                "chunk",
                "PUT",
                uri,
                safe=False,  # after any doubt the session is asked, never a blind repeat
                log=self.journal.log,
                headers={
                    "Content-Type": self.request.content_type or "video/*",
                    "Content-Range": f"bytes {offset}-{offset + length - 1}/{self.total}",
                },
                content=FileSlice(self.request.file, offset, length),
            )
            if answer.status_code in (200, 201):
                return self._done(answer)
            if answer.status_code == 404:
                self.journal.record("chunk", session_dead=True)
                raise TransientError(
                    "YouTube's upload session expired; asking before sending again"
                )
            if answer.status_code != 308:
                self.conn.raise_for(answer, "a chunk of the upload")
            held = confirmed(answer)
            self.journal.record("chunk", confirmed_bytes=held)
            self.progress(held / self.total)
            if held <= offset:
                raise TransientError("YouTube kept none of the chunk; asking the session again")
            offset = held

    def _done(self, answer: httpx.Response) -> PublishResult:
        video = answer.json()
        self.journal.record("final_chunk", remote_id=str(video.get("id")))
        self.progress(1.0)
        return result_for(video, self.request)


def uploaded_since(item: dict[str, Any], since: datetime) -> bool:
    """A playlist item published at or after `since` (a minute of clock skew allowed)."""
    text = str((item.get("snippet") or {}).get("publishedAt") or "")
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return when >= since - timedelta(minutes=1)
