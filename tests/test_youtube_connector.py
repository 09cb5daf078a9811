"""The YouTube connector against the fake YouTube over loopback: resumable uploads,
resuming after drops and dead sessions, never twice, quota stops, token refresh."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fakeplatforms import FakePlatforms
from publishing import (
    MiB,
    Sleeps,
    context,
    ledger,
    make_blob,
    never_stop,
    no_progress,
    request_for,
    sha256_of,
)

from platforms.base import NeedsLogin, QuotaExhausted, Rejected, RemoteComment, TransientError
from platforms.youtube import YouTubeConnector
from platforms.youtube.quota import pacific_day, scope_of
from storage.publish_journal import MemoryJournal

UNIT = 262_144
SIZE = 10 * UNIT + 12_345  # 4 chunks of 1 MiB (4 units each) would be 3 + a short last


@pytest.fixture
def blob(tmp_path: Path) -> Path:
    return make_blob(tmp_path / "short.mp4", SIZE)


def connector(fake: FakePlatforms, tmp_path: Path, *, settings=None, quota=None, sleeps=None):
    doc = fake.youtube.add_channel("maker")
    ctx, keeper = context(
        fake,
        "youtube",
        doc,
        tmp_path / "secrets.json",
        sleeps=sleeps,
        quota=quota if quota is not None else ledger(tmp_path),
        settings=settings or {},
        chunk_bytes=MiB,
    )
    return YouTubeConnector(ctx), keeper, doc


def chunk_puts(fake: FakePlatforms) -> list:
    return [
        s
        for s in fake.server.seen_paths("PUT", "/upload/youtube/v3/videos")
        if "*" not in s.headers.get("content-range", "*")
    ]


def req(blob: Path, **kw):
    kw.setdefault("title", "Crispy tofu")
    kw.setdefault("width", 1080)
    kw.setdefault("height", 1920)
    kw.setdefault("duration_s", 42.0)
    return request_for(blob, **kw)


def test_a_resumable_upload_in_256_kib_multiples(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(
        req(blob, hashtags=["#tofu", "#shorts"], branded_content=True),
        MemoryJournal(),
        no_progress,
        never_stop,
    )
    [video] = fake.youtube.videos()
    assert result.state == "published" and result.remote_id == video.video_id
    assert result.remote_url == f"https://www.youtube.com/shorts/{video.video_id}"
    session = next(iter(fake.youtube.sessions.values()))
    assert session.sha256.hexdigest() == sha256_of(blob)
    lengths = [s.length for s in chunk_puts(fake)]
    assert lengths == [MiB, MiB, SIZE - 2 * MiB]
    assert all(n % UNIT == 0 for n in lengths[:-1])
    assert [s.status for s in chunk_puts(fake)] == [308, 308, 201]
    assert video.resource["snippet"]["tags"] == ["tofu", "shorts"]
    assert video.resource["paidProductPlacementDetails"] == {"hasPaidProductPlacement": True}
    assert video.resource["status"]["privacyStatus"] == "public"


def test_the_fake_refuses_a_chunk_that_is_not_a_multiple_of_256_kib(fake, tmp_path) -> None:
    doc = fake.youtube.add_channel("x")
    start = httpx.post(
        fake.youtube.base + "/upload/youtube/v3/videos?uploadType=resumable&part=snippet",
        headers={
            "Authorization": f"Bearer {doc['access_token']}",
            "X-Upload-Content-Length": "1000000",
            "X-Upload-Content-Type": "video/mp4",
        },
        json={"snippet": {"title": "t"}},
    )
    bad = httpx.put(
        start.headers["location"],
        content=b"x" * 100_000,
        headers={"Content-Range": "bytes 0-99999/1000000"},
    )
    assert bad.status_code == 400


@pytest.mark.parametrize("action", ["drop", "drop_before", "status"])
def test_an_interrupted_chunk_is_resumed_from_the_confirmed_byte(fake, tmp_path, blob, action):
    conn, _, _ = connector(fake, tmp_path)
    fake.fault(action, r"/upload/youtube/v3/videos", method="PUT", skip=1, status=503)
    journal = MemoryJournal()
    result = conn.publish(req(blob), journal, no_progress, never_stop)
    assert result.state == "published" and len(fake.youtube.videos()) == 1
    ranges = [s.headers["content-range"] for s in chunk_puts(fake)]
    expected_sends = 3 if action == "drop" else 4  # a chunk that landed is never sent again
    assert len(ranges) == expected_sends
    asks = [
        s
        for s in fake.server.seen_paths("PUT")
        if s.headers["content-range"].startswith("bytes */")
    ]
    assert len(asks) == 1  # the session was asked where it stood
    assert next(iter(fake.youtube.sessions.values())).sha256.hexdigest() == sha256_of(blob)


@pytest.mark.parametrize(
    ("method", "skip"),
    [("POST", 0), ("PUT", 2)],
    ids=["session-start", "final-chunk"],
)
def test_never_twice_when_a_creating_answer_is_lost(fake, tmp_path, blob, method, skip) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", r"/upload/youtube/v3/videos", method=method, skip=skip)
    journal = MemoryJournal()
    result = conn.publish(req(blob), journal, no_progress, never_stop)
    assert result.state == "published" and len(fake.youtube.videos()) == 1
    again = conn.publish(req(blob), journal, no_progress, never_stop)
    assert again.remote_id == result.remote_id and len(fake.youtube.videos()) == 1


def test_a_dead_session_after_a_doubtful_last_chunk_finds_the_video(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", r"/upload/youtube/v3/videos", method="PUT", skip=2)
    fake.fault(
        "status",
        r"/upload/youtube/v3/videos",
        method="PUT",
        status=503,
        times=40,
        when=lambda r: "*" in (r.header("content-range") or ""),  # only the status queries
    )
    journal = MemoryJournal()
    with pytest.raises(TransientError):
        conn.publish(req(blob), journal, no_progress, never_stop)
    assert journal.doubtful("final_chunk") and len(fake.youtube.videos()) == 1
    fake.server.faults.clear()
    fake.youtube.expire_session()
    result = conn.publish(req(blob), journal, no_progress, never_stop)
    assert result.state == "published" and len(fake.youtube.videos()) == 1
    assert result.remote_id == fake.youtube.videos()[0].video_id
    assert len(fake.youtube.sessions) == 1  # no new session was started


def test_a_session_that_expires_mid_upload_starts_a_new_one(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    sent = []

    def expire_after_first(fraction: float) -> None:
        sent.append(fraction)
        if len(sent) == 1:
            fake.youtube.expire_session()

    result = conn.publish(req(blob), MemoryJournal(), expire_after_first, never_stop)
    assert result.state == "published" and len(fake.youtube.videos()) == 1
    assert len(fake.youtube.sessions) == 2


def test_quota_stops_before_it_runs_out(fake, tmp_path, blob) -> None:
    quota = ledger(tmp_path)
    settings = {"youtube_insert_own_bucket": False, "youtube_insert_units": 1600}
    conn, _, doc = connector(fake, tmp_path, settings=settings, quota=quota)
    from datetime import UTC, datetime

    quota.charge(scope_of(doc["client_id"]), "shared", pacific_day(datetime.now(UTC)), 9000)
    with pytest.raises(QuotaExhausted) as caught:
        conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)
    assert (
        "9000 of 10000 units" in caught.value.message and "Nothing was sent" in caught.value.message
    )
    assert caught.value.retry_after and caught.value.retry_after > 0
    assert fake.server.seen_paths("POST", "/upload/") == []


def test_quota_exceeded_by_youtube_is_a_clear_failure_not_a_loop(fake, tmp_path, blob) -> None:
    quota = ledger(tmp_path)
    conn, _, doc = connector(
        fake, tmp_path, settings={"youtube_insert_own_bucket": True}, quota=quota
    )
    fake.youtube.rules = "new"
    fake.youtube.insert_calls_per_day = 0  # YouTube's own count says no
    with pytest.raises(QuotaExhausted):
        conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)
    assert len(fake.server.seen_paths("POST", "/upload/")) == 1  # asked once, not again
    with pytest.raises(QuotaExhausted):  # the ledger now knows: no request at all
        conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)
    assert len(fake.server.seen_paths("POST", "/upload/")) == 1


def test_the_insert_bucket_of_the_new_rules(fake, tmp_path, blob) -> None:
    settings = {"youtube_insert_own_bucket": True, "youtube_insert_daily_calls": 1}
    conn, _, _ = connector(fake, tmp_path, settings=settings)
    fake.youtube.rules = "new"
    conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)
    with pytest.raises(QuotaExhausted, match="1 of 1 calls"):
        conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)


def test_an_expired_token_is_refreshed_once(fake, tmp_path, blob) -> None:
    conn, keeper, doc = connector(fake, tmp_path, sleeps=None)
    fake.clock.advance(fake.youtube.access_ttl_s + 10)
    result = conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)
    assert result.state == "published" and fake.youtube.refreshes == 1
    stored = keeper.load()
    assert stored.access_token != doc["access_token"]
    assert stored.refresh_token == doc["refresh_token"]  # Google keeps it


def test_a_revoked_grant_means_log_in_again(fake, tmp_path, blob) -> None:
    conn, _, doc = connector(fake, tmp_path)
    fake.youtube.revoke(doc["user_id"])
    with pytest.raises(NeedsLogin, match="accounts add youtube maker"):
        conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)


def test_friends_only_is_not_a_youtube_privacy(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    with pytest.raises(Rejected, match="unlisted"):
        conn.publish(req(blob, privacy="friends"), MemoryJournal(), no_progress, never_stop)


def test_a_landscape_video_is_said_not_to_be_a_short(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(
        req(blob, width=1920, height=1080), MemoryJournal(), no_progress, never_stop
    )
    assert "watch?v=" in (result.remote_url or "") and "not vertical" in result.message


def test_check_comments_reply_once_and_metrics(fake, tmp_path, blob) -> None:
    conn, _, doc = connector(fake, tmp_path, sleeps=Sleeps(fake))
    info = conn.check()
    assert info.user_id == doc["user_id"] and info.followers == 5000
    result = conn.publish(req(blob), MemoryJournal(), no_progress, never_stop)
    video = fake.youtube.videos()[0]
    video.comments.append(
        {
            "id": "c1",
            "textOriginal": "how long?",
            "authorDisplayName": "fan",
            "publishedAt": "2026-11-28T09:00:00Z",
            "likeCount": 2,
        }
    )
    [comment] = conn.comments(result.remote_id or "").items
    assert comment.body == "how long?"
    journal = MemoryJournal()
    fake.fault("drop", r"/youtube/v3/comments", method="POST")
    with pytest.raises(TransientError):
        conn.reply(comment, "60 seconds!", journal)
    assert len([c for c in video.comments if c.get("parentId")]) == 1  # it landed
    again = conn.reply(comment, "60 seconds!", journal)
    replies = [c for c in video.comments if c.get("parentId") == "c1"]
    assert len(replies) == 1 and again.remote_id == replies[0]["id"]
    [sample] = conn.metrics([result.remote_id or ""])
    assert sample.views == 1500
    assert isinstance(comment, RemoteComment)
