"""The demo's publish queue in detail: files and facts, and a few publications on their way.

`publication_rows` gives every demo publication what the Publish tab shows
of it: the file of its post's finished render, that file's facts (as a
probe would give them), a passed preflight, the title YouTube needs, when
it was sent — and each scheduled one its queued publish job, as `publish
add` gives it. `extra_publications` adds, relative to now, one publication
in each state the plain demo lacks — `processing` (uploaded to YouTube, its
job waiting to ask again), `failed` (Instagram refused the container, with
the step log of every request) and `cancelled` — plus the step log of the
latest TikTok publication. `account_rows` marks the Kuaishou account as
needing a login (Today lists it with the command that fixes it). Nothing
here draws from the demo's shared random generator, so every other table
stays as it was; all of it is deterministic for a given `now`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.demo.activity import PUBLICATION_COLS
from app.demo.posts import ContentPlan, PlanPost
from app.demo.scale import DemoTime
from media_watch.preflight import LIMITS, PLATFORM_PRESET

RELEASE_COLS = (
    *PUBLICATION_COLS,
    "file_path",
    "media_json",
    "preflight_json",
    "title",
    "attempts",
    "started_at",
    "updated_at",
    "progress",
    "note",
    "journal_json",
    "job_id",
    "job_seq",
)
ACCOUNT_EXTRA_COLS = ("auth_state", "auth_error", "checked_at", "token_expires_at")
STEP_COLS = (
    "id",
    "publication_id",
    "at",
    "step",
    "method",
    "path",
    "status",
    "elapsed_ms",
    "note",
)
NEEDS_LOGIN = "kuaishou"
LOGIN_ERROR = (
    "Kuaishou refused the refresh token (invalid_grant: refresh_token expired); "
    "log in again and store the new tokens"
)
MB = 1_000_000


@dataclass(frozen=True)
class Extra:
    """The rows `extra_publications` adds (columns RELEASE_COLS, JOB_COLS, STEP_COLS)."""

    publications: list[tuple]
    jobs: list[tuple]
    steps: list[tuple]


def media_of(post: PlanPost) -> dict[str, Any]:
    """The facts a probe gives of the post's 1080x1920 render (30 fps, H.264/AAC, fast start)."""
    seconds = float(post.target_seconds) + 0.04
    return {
        "duration_s": seconds,
        "size_bytes": int(seconds * 0.56 * MB),
        "width": 1080,
        "height": 1920,
        "fps": 30.0,
        "container": "mp4",
        "video_codec": "h264",
        "audio_codec": "aac",
        "sample_rate": 48000,
        "faststart": True,
    }


def preflight_of(platform: str, media: dict[str, Any]) -> dict[str, Any]:
    """A passed preflight, as `publish add` stores it."""
    preset = PLATFORM_PRESET[platform]
    return {
        "preset": preset,
        "ok": True,
        "problems": [],
        "checked": media,
        "source": LIMITS[preset].source,
        "caption": {"ok": True, "problems": []},
    }


def _with_file(row: tuple, post: PlanPost, platform: str, outputs: dict[int, str | None]) -> tuple:
    """A publication row (PUBLICATION_COLS) with the columns the Publish tab reads."""
    values = dict(zip(PUBLICATION_COLS, row, strict=True))
    render = values["render_job_id"]
    path = outputs.get(render) if render is not None else None
    media = media_of(post) if path else {}
    state = values["state"]
    sent = state in ("published", "failed")
    return (
        *row,
        path,
        json.dumps(media),
        json.dumps(preflight_of(platform, media)) if path else None,
        post.title if platform == "youtube" else "",
        1 if sent else 0,
        values["scheduled_at"] if sent else None,
        values["published_at"] or _failed_at(values) or values["created_at"],
        1.0 if state == "published" else None,
        None,
        "{}",
        None,
        0,
    )


def _failed_at(values: dict[str, Any]) -> str | None:
    """When a failed demo publication failed: a few minutes after its time."""
    if values["state"] != "failed" or not values["scheduled_at"]:
        return None
    moment = datetime.fromisoformat(values["scheduled_at"]) + timedelta(minutes=6)
    return DemoTime.db(moment)


def publication_rows(
    pubs: list[tuple],
    plan: ContentPlan,
    render_rows: list[tuple],
    platform_of: dict[int, str],
    t: DemoTime,
    first_job: int,
) -> tuple[list[tuple], list[tuple]]:
    """Every demo publication with its file, facts, preflight and title (RELEASE_COLS),
    and the queued publish job of each scheduled one (JOB_COLS), as `publish add` makes."""
    posts = {p.id: p for p in plan.posts}
    outputs = {r[0]: r[5] for r in render_rows}  # RENDER_COLS: job_id … output_path
    rows, jobs, job_id = [], [], first_job
    job_col, seq_col = RELEASE_COLS.index("job_id"), RELEASE_COLS.index("job_seq")
    for row in pubs:
        full = list(_with_file(row, posts[row[1]], platform_of[row[2]], outputs))
        if row[6] == "scheduled":
            jobs.append(_job_row(job_id, row[0], "queued", row[5], 0, row[11]))
            full[job_col], full[seq_col], job_id = job_id, 1, job_id + 1
        rows.append(tuple(full))
    return rows, jobs


def _job_row(
    job_id: int, pub_id: int, state: str, run_at: str | None, attempts: int, created: str | None
) -> tuple:
    """A publish job (JOB_COLS) of one publication."""
    return (
        job_id,
        "publish",
        state,
        0,
        json.dumps({"publication_id": pub_id}),
        f"publish:{pub_id}:1",
        run_at,
        attempts,
        3,
        0,
        None,
        None,
        created,
        created if attempts else None,
        None,
    )


def account_rows(rows: list[tuple], t: DemoTime) -> list[tuple]:
    """The account rows with their login state: Kuaishou needs a login."""
    out = []
    for row in rows:
        platform = row[1]
        expires = t.db(t.now + timedelta(days=20))
        if platform == NEEDS_LOGIN:
            out.append((*row, "needs_login", LOGIN_ERROR, t.db(t.ago(hours=3)), None))
        else:
            out.append((*row, "ok", None, t.db(t.ago(hours=5)), expires))
    return out


def _pick(plan: ContentPlan, taken: set[tuple[int, str]], platform: str, status: str) -> PlanPost:
    """The latest post of `status` (before now for published) without a `platform` publication."""
    fits = [p for p in plan.posts if p.status == status and (p.id, platform) not in taken]
    return max(fits, key=lambda p: (p.planned_at, p.id))


class _Builder:
    """Collects the extra rows, giving ids from the next free ones."""

    def __init__(self, t: DemoTime, ids: dict[str, int], first_pub: int, first_job: int) -> None:
        self.t = t
        self.pub_id, self.job_id, self.step_id = first_pub, first_job, ids["publication_steps"]
        self.extra = Extra([], [], [])

    def steps(self, pub_id: int, start: datetime, entries: list[tuple]) -> None:
        """(seconds after start, step, method, path, status, ms, note) → step rows."""
        for offset, step, method, path, status, ms, note in entries:
            at = self.t.db(start + timedelta(seconds=offset))
            self.extra.steps.append(
                (self.step_id, pub_id, at, step, method, path, status, ms, note)
            )
            self.step_id += 1

    def job(self, pub_id: int, state: str, run_at: datetime, attempts: int) -> int:
        job_id, self.job_id = self.job_id, self.job_id + 1
        created = self.t.db(self.t.ago(minutes=12))
        self.extra.jobs.append(
            _job_row(job_id, pub_id, state, self.t.db(run_at), attempts, created)
        )
        return job_id


def extra_publications(
    t: DemoTime,
    plan: ContentPlan,
    pubs: list[tuple],
    ids: dict[str, int],
    first_job: int,
    render_rows: list[tuple],
) -> Extra:
    """Publications processing, failed and cancelled, and step logs (see the module doc)."""
    platform_of = {v: k for k, v in plan.account_ids.items()}
    taken = {(row[1], platform_of[row[2]]) for row in pubs}
    outputs = {r[4]: r[5] for r in render_rows if r[5]}  # post_id → an output path
    b = _Builder(t, ids, ids["publications"] + len(pubs), first_job)

    def add(post: PlanPost, platform: str, state: str, **cols: Any) -> int:
        pub_id, b.pub_id = b.pub_id, b.pub_id + 1
        taken.add((post.id, platform))
        media = media_of(post)
        path = outputs.get(post.id) or f"/srv/reelroom/renders/post-{post.id}-{platform}.mp4"
        base = dict.fromkeys(RELEASE_COLS)
        base.update(
            id=pub_id,
            post_id=post.id,
            account_id=plan.account_ids[platform],
            caption=post.caption,
            state=state,
            created_at=t.db(t.ago(hours=3)),
            file_path=path,
            media_json=json.dumps(media),
            preflight_json=json.dumps(preflight_of(platform, media)),
            title=post.title if platform == "youtube" else "",
            attempts=0,
            journal_json="{}",
            job_seq=0,
            branded_content=0,
        )
        base.update(cols)
        b.extra.publications.append(tuple(base[c] for c in RELEASE_COLS))
        return pub_id

    # Uploaded to YouTube 8 minutes ago; YouTube is still processing it.
    post = _pick(plan, taken, "youtube", "published")
    start = t.ago(minutes=8)
    pub_id = b.pub_id
    job_id = b.job(pub_id, "queued", t.now + timedelta(minutes=1), 1)
    add(
        post,
        "youtube",
        "processing",
        scheduled_at=t.db(t.ago(minutes=9)),
        started_at=t.db(start),
        updated_at=t.db(t.ago(minutes=2)),
        attempts=1,
        progress=1.0,
        remote_id="Qd7mR2xWv0s",
        note="YouTube is processing the video (uploadStatus uploaded, processingStatus processing)",
        journal_json=json.dumps({"video_id": "Qd7mR2xWv0s", "polls": 2}),
        job_id=job_id,
        job_seq=1,
    )
    size = json.loads(b.extra.publications[-1][RELEASE_COLS.index("media_json")])["size_bytes"]
    b.steps(
        pub_id,
        start,
        [
            (0, "token", "POST", "/token", 200, 212.4, "access token refreshed"),
            (1, "session", "POST", "/upload/youtube/v3/videos?uploadType=resumable", 200, 388.0, ""),
            (2, "chunk", "PUT", "/upload/youtube/v3/videos?upload_id=…", 308, 2810.5, "Range 0-8388607"),
            (5, "chunk", "PUT", "/upload/youtube/v3/videos?upload_id=…", 308, 2764.1, "Range 0-16777215"),
            (8, "chunk", "PUT", "/upload/youtube/v3/videos?upload_id=…", 200, 1932.7, f"{size} bytes, video Qd7mR2xWv0s"),
            (70, "processing", "GET", "/youtube/v3/videos?part=status,processingDetails&id=Qd7mR2xWv0s", 200, 141.2, "processingStatus processing"),
            (370, "processing", "GET", "/youtube/v3/videos?part=status,processingDetails&id=Qd7mR2xWv0s", 200, 133.9, "processingStatus processing"),
        ],
    )  # fmt: skip

    # Instagram refused the Reels container 50 minutes ago, after the upload.
    post = _pick(plan, taken, "instagram", "published")
    start = t.ago(minutes=56)
    pub_id = add(
        post,
        "instagram",
        "failed",
        scheduled_at=t.db(t.ago(minutes=57)),
        started_at=t.db(start),
        updated_at=t.db(t.ago(minutes=50)),
        attempts=1,
        progress=1.0,
        error=(
            "Instagram could not process the video: container status ERROR "
            "(2207026: unsupported video format); render it with the built-in `reels` "
            "recipe and publish that file"
        ),
        journal_json=json.dumps({"container_id": "17960012345678901", "final": True}),
    )
    b.steps(
        pub_id,
        start,
        [
            (0, "limit", "GET", "/v21.0/17841400000000042/content_publishing_limit", 200, 160.3, "quota_usage 3 of 50"),
            (1, "container", "POST", "/v21.0/17841400000000042/media", 200, 512.8, "container 17960012345678901"),
            (2, "upload", "POST", "/rupload/v21.0/17960012345678901", 200, 8120.6, "whole file, offset 0"),
            (65, "status", "GET", "/v21.0/17960012345678901?fields=status_code,status", 200, 118.4, "IN_PROGRESS"),
            (370, "status", "GET", "/v21.0/17960012345678901?fields=status_code,status", 200, 121.0, "ERROR: 2207026"),
        ],
    )  # fmt: skip

    # Planned for the second post going out; cancelled on YouTube this morning.
    upcoming = [plan.anchor("going_out_2"), plan.anchor("going_out_1")] + sorted(
        (p for p in plan.posts if p.status == "scheduled"), key=lambda p: (p.planned_at, p.id)
    )
    post, platform = next(
        (p, name)
        for p in upcoming
        for name in ("youtube", "instagram", "tiktok", "kuaishou")
        if (p.id, name) not in taken
    )
    add(
        post,
        platform,
        "cancelled",
        scheduled_at=t.db(post.planned_at),
        updated_at=t.db(t.ago(hours=2)),
    )

    # The step log of the latest TikTok publication that went out.
    latest = max(
        (row for row in pubs if row[6] == "published" and platform_of[row[2]] == "tiktok"),
        key=lambda row: (row[9], row[0]),
    )
    sent = datetime.fromisoformat(latest[9]) - timedelta(seconds=40)
    b.steps(
        latest[0],
        sent,
        [
            (0, "creator_info", "POST", "/v2/post/publish/creator_info/query/", 200, 301.7, "privacy PUBLIC_TO_EVERYONE"),
            (1, "init", "POST", "/v2/post/publish/video/init/", 200, 455.2, "2 chunks of 10000000 bytes"),
            (2, "chunk", "PUT", "/upload/?upload_id=…", 206, 3012.9, "bytes 0-9999999"),
            (6, "chunk", "PUT", "/upload/?upload_id=…", 201, 2554.0, "bytes 10000000-end"),
            (38, "status", "POST", "/v2/post/publish/status/fetch/", 200, 188.6, "PUBLISH_COMPLETE"),
        ],
    )  # fmt: skip
    return b.extra
