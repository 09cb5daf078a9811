"""Publishing to Kuaishou (reference/platform-apis.md §4), never twice.

1. `start_upload` answers `{upload_token, endpoint}`; the upload goes to that
   endpoint as given (`http://{endpoint}` when it has no scheme, per the doc).
2. A file under 10 MB (and within one fragment) goes whole:
   `POST /api/upload?upload_token` with the raw bytes. A larger one goes in
   fragments of at most 10 MB (8 MiB by default), in order, each
   `POST /api/upload/fragment?upload_token&fragment_id={0-based}`, then
   `POST /api/upload/complete?upload_token&fragment_count={n}`. After a
   dropped connection `GET /api/upload/resume` lists the fragments Kuaishou
   holds and only the missing ones are sent (resumed, not restarted). None of
   these make a post, so their doubts are settled by asking, then sending.
3. `photo/publish` (multipart: caption with inline #topics, cover image) is
   the one creating step: intended in the journal before it is sent. After a
   doubt the account's photo list (`/openapi/photo/list`, path UNCONFIRMED) is
   searched for our caption since the intent. Found → done. Not found → the
   publication waits (processing) while the list may still lag behind an
   asynchronous publish (`LIST_GRACE_S`); past it, a follow-up (status) stops
   and asks a person, and a publish attempt (a person's retry, or the job's)
   sends again with the same upload token.
4. Publishing is asynchronous: after the answer the photo is followed
   (`/openapi/photo/info`, UNCONFIRMED) until Kuaishou shows it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

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
from platforms.kuaishou.cover import cover_bytes

if TYPE_CHECKING:
    from platforms.kuaishou.connector import KuaishouConnector

WHOLE_LIMIT = 10_000_000  # "< 10 MB" read strictly (decimal MB)
MAX_FRAGMENT = 10_000_000
DEFAULT_FRAGMENT = 8 * 1024 * 1024
LIST_GRACE_S = 600.0
POLL_S = 30.0
STAMP = "%Y-%m-%dT%H:%M:%SZ"


def fragment_size(preferred: int | None) -> int:
    """The fragment size: the preferred one, never over Kuaishou's 10 MB."""
    return max(1, min(preferred or DEFAULT_FRAGMENT, MAX_FRAGMENT))


def topics_inline(caption: str, hashtags: list[str]) -> str:
    """The caption with every hashtag it lacks appended inline as `#topic`."""
    text = caption.strip()
    lower = text.lower()
    extra = []
    for tag in hashtags:
        word = "#" + tag.strip().lstrip("#")
        if len(word) > 1 and word.lower() not in lower and word not in extra:
            extra.append(word)
    return (text + " " + " ".join(extra)).strip() if extra else text


def upload_base(endpoint: str) -> str:
    """The upload gateway as given: `http://` added only when it has no scheme (the doc's form)."""
    base = endpoint.strip().rstrip("/")
    return base if "://" in base else f"http://{base}"


class KuaishouPublish:
    """One publication's way through start_upload, the upload and photo/publish."""

    def __init__(
        self,
        conn: KuaishouConnector,
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

    def run(self) -> PublishResult:
        state = self.journal.state()
        if state.get("photo_id"):
            return self.conn.follow(str(state["photo_id"]), self.journal)
        if self.journal.doubtful("publish") or state.get("publish_lost"):
            settled = self._settle_doubt(state)
            if settled is not None:
                return settled
        request = self.request
        if request is None:
            return PublishResult("processing", poll_after=POLL_S, message="not published yet")
        if request.privacy != "public":
            raise Rejected(
                f"Kuaishou's open API has no {request.privacy!r} privacy; publish it public "
                "and change it in the Kuaishou app",
                code="privacy",
            )
        token = str(state.get("upload_token") or "")
        resumed = bool(token)  # an earlier round started this upload: ask what arrived
        if not token:
            token = self._start()
        if not self.journal.state().get("upload_done"):
            self._upload(request, token, resumed)
        return self._publish(request, token)

    # --- the doubt of a publish --------------------------------------------------------------

    def _settle_doubt(self, state: Any) -> PublishResult | None:
        since = _time(state.get("publish_at"))
        caption = str(state.get("caption") or "")
        found = self.conn.find_photo(caption, since_with_skew(since), self.journal)
        if found is not None:
            self.journal.record("publish", photo_id=found, publish_lost=False)
            return self.conn.follow(found, self.journal)
        age = (self.conn.now() - since).total_seconds() if since else LIST_GRACE_S
        if age < LIST_GRACE_S and not state.get("publish_lost"):
            return PublishResult(
                "processing",
                poll_after=POLL_S,
                message="the answer to the publish was lost; waiting for Kuaishou's photo list "
                "to show whether it landed before sending anything again",
            )
        if self.request is None:
            self.journal.record("publish", publish_lost=True)
            return PublishResult(
                "failed",
                message="Kuaishou's answer to the publish was lost and the photo has not "
                f"appeared in the account's list after {LIST_GRACE_S / 60:.0f} minutes. Nothing "
                "more was sent: check the Kuaishou app, and retry the publication only if the "
                "video is not there",
            )
        self.journal.record("publish", publish_lost=False, resent_after_doubt=True)
        return None

    # --- upload ---------------------------------------------------------------------------------

    def _start(self) -> str:
        self.conn.check_stop(self.stop)
        doc = self.conn.api(
            "start_upload", "POST", "/openapi/photo/start_upload", journal=self.journal
        )
        token, endpoint = doc.get("upload_token"), doc.get("endpoint")
        if not token or not endpoint:
            raise Rejected("Kuaishou's start_upload gave no upload_token/endpoint")
        self.journal.record(
            "start_upload",
            upload_token=str(token),
            endpoint=str(endpoint),
            upload_done=False,
            fragments_sent=0,
        )
        return str(token)

    def _upload(self, request: PublishRequest, token: str, resumed: bool) -> None:
        base = upload_base(str(self.journal.state()["endpoint"]))
        size = fragment_size(self.conn.ctx.chunk_bytes)
        total = request.size_bytes
        if total < WHOLE_LIMIT and total <= size:
            self.conn.check_stop(self.stop)
            self.conn.upload_call(
                "upload",
                f"{base}/api/upload",
                {"upload_token": token},
                self.journal,
                content=FileSlice(request.file, 0, total),
            )
            self.journal.record("upload", upload_done=True)
            self.progress(1.0)
            return
        count = -(-total // size)
        held = self._held(base, token) if resumed else set()
        for index in range(count):
            if index in held:
                continue
            self.conn.check_stop(self.stop)
            first = index * size
            length = min(size, total - first)
            self.conn.upload_call(
                "fragment",
                f"{base}/api/upload/fragment",
                {"upload_token": token, "fragment_id": str(index)},
                self.journal,
                content=FileSlice(request.file, first, length),
            )
            self.journal.record("fragment", fragments_sent=index + 1)
            self.progress((first + length) / total)
        self.conn.upload_call(
            "complete",
            f"{base}/api/upload/complete",
            {"upload_token": token, "fragment_count": str(count)},
            self.journal,
        )
        self.journal.record("complete", upload_done=True)

    def _held(self, base: str, token: str) -> set[int]:
        """The fragments Kuaishou holds (resume); an unknown upload starts over."""
        doc = self.conn.upload_call(
            "resume", f"{base}/api/upload/resume", {"upload_token": token}, self.journal, safe=True
        )
        if doc.get("existed") is False and self.journal.state().get("fragments_sent"):
            self.journal.record("start_upload", upload_token="", fragments_sent=0)
            raise TransientError("Kuaishou no longer knows the upload; starting a new one")
        listed = doc.get("fragment_list")
        if isinstance(listed, list):
            return {int(i) for i in listed}
        if doc.get("existed") and doc.get("fragment_index") is not None:
            return set(range(int(doc["fragment_index"]) + 1))
        return set()

    # --- publish ----------------------------------------------------------------------------------

    def _publish(self, request: PublishRequest, token: str) -> PublishResult:
        self.conn.check_stop(self.stop)
        caption = topics_inline(request.caption, list(request.hashtags))
        cover = cover_bytes(
            request.file, cover_path=request.cover_path, at_ms=request.cover_time_ms
        )
        self.journal.intend(
            "publish",
            caption=caption,
            publish_at=self.conn.now().strftime(STAMP),
            branded=request.branded_content,
        )
        doc = self.conn.api(
            "publish",
            "POST",
            "/openapi/photo/publish",
            params={"upload_token": token},
            data={"caption": caption},
            files={"cover": ("cover.jpg", cover, "image/jpeg")},
            safe=False,
            journal=self.journal,
            what="the publish",
        )
        info = doc.get("video_info") or {}
        photo_id = str(info.get("photo_id") or "")
        if not photo_id:
            raise TransientError("Kuaishou's publish answer had no photo_id; asking its list")
        self.journal.record("publish", photo_id=photo_id)
        return self.conn.follow(photo_id, self.journal)


def _time(text: Any) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None


def since_with_skew(moment: datetime | None) -> datetime | None:
    """A search start two minutes early (clocks differ)."""
    return moment - timedelta(minutes=2) if moment else None
