"""The TikTok connector against the fake TikTok over loopback: publishing, resuming,
never twice, throttling, token rotation, chunk rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakeplatforms import FakePlatforms
from fakeplatforms.tiktok import chunk_problem
from publishing import (
    MiB,
    Sleeps,
    context,
    make_blob,
    never_stop,
    no_progress,
    request_for,
    sha256_of,
)

from platforms.base import NeedsLogin, Rejected, TransientError, Unsupported
from platforms.credentials import from_entry
from platforms.tiktok import TikTokConnector
from platforms.tiktok.chunks import plan_chunks
from storage.jobs import JobStopped
from storage.publish_journal import MemoryJournal


@pytest.fixture
def blob(tmp_path: Path) -> Path:
    return make_blob(tmp_path / "cut.mp4", 16 * MiB)  # 5 MiB chunks: 5 + 5 + 6


def connector(fake: FakePlatforms, tmp_path: Path, sleeps: Sleeps | None = None, **creator):
    doc = fake.tiktok.add_creator("maker", **creator)
    ctx, keeper = context(
        fake, "tiktok", doc, tmp_path / "secrets.json", sleeps=sleeps, chunk_bytes=5 * MiB
    )
    return TikTokConnector(ctx), keeper, doc


def puts(fake: FakePlatforms) -> list:
    return fake.server.seen_paths("PUT", "/tiktok-upload/")


def test_direct_post_sends_every_chunk_once_in_order(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert result.state == "published" and result.remote_url.endswith(result.remote_id)
    [post] = fake.tiktok.posts()
    assert post.sha256.hexdigest() == sha256_of(blob)
    assert post.post_info["privacy_level"] == "PUBLIC_TO_EVERYONE"
    assert [s.headers["content-range"] for s in puts(fake)] == [
        f"bytes 0-{5 * MiB - 1}/{16 * MiB}",
        f"bytes {5 * MiB}-{10 * MiB - 1}/{16 * MiB}",
        f"bytes {10 * MiB}-{16 * MiB - 1}/{16 * MiB}",
    ]
    assert all(s.status in (206, 201) for s in puts(fake))


def test_creator_info_comes_before_init_and_is_obeyed(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path, privacy_options=["SELF_ONLY"], comment_disabled=True)
    with pytest.raises(Rejected) as caught:
        conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert "SELF_ONLY" in caught.value.message and "unaudited" in caught.value.message
    result = conn.publish(
        request_for(blob, privacy="private", branded_content=True),
        MemoryJournal(),
        no_progress,
        never_stop,
    )
    assert result.state == "published" and result.remote_url is None
    [post] = fake.tiktok.posts()
    assert post.post_info["disable_comment"] is True
    assert post.post_info["brand_content_toggle"] is True
    paths = [s.path for s in fake.server.seen if s.method == "POST"]
    assert paths.index("/tiktok/v2/post/publish/creator_info/query/") < paths.index(
        "/tiktok/v2/post/publish/video/init/"
    )


def test_a_draft_goes_to_the_inbox(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(request_for(blob, draft=True), MemoryJournal(), no_progress, never_stop)
    assert result.state == "draft" and "inbox" in result.message
    assert fake.tiktok.posts()[0].inbox


def test_a_connection_dropped_mid_upload_is_resumed_not_restarted(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", r"/tiktok-upload/", method="PUT", skip=1)  # 2nd chunk lands, answer lost
    journal = MemoryJournal()
    result = conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert result.state == "published"
    ranges = [s.headers["content-range"] for s in puts(fake)]
    assert len(ranges) == 3 and len(set(ranges)) == 3  # no chunk sent twice
    [post] = fake.tiktok.posts()
    assert post.sha256.hexdigest() == sha256_of(blob)
    assert any("answer lost" in e.note for e in journal.entries)


def test_a_chunk_that_never_arrived_is_sent_again(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop_before", r"/tiktok-upload/", method="PUT", skip=1)
    conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    ranges = [s.headers["content-range"] for s in puts(fake)]
    assert len(ranges) == 4 and ranges[1] == ranges[2]
    assert fake.tiktok.posts()[0].sha256.hexdigest() == sha256_of(blob)


@pytest.mark.parametrize(
    ("path", "method", "skip"),
    [
        (r"/video/init/", "POST", 0),  # init acted, answer lost
        (r"/tiktok-upload/", "PUT", 2),  # the final chunk landed (the post exists), answer lost
    ],
    ids=["init", "final-chunk"],
)
def test_never_twice_when_a_creating_answer_is_lost(fake, tmp_path, blob, path, method, skip):
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", path, method=method, skip=skip)
    journal = MemoryJournal()
    result = conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert result.state == "published"
    assert len(fake.tiktok.posts()) == 1
    assert not journal.doubtful("final_chunk")
    # A later attempt (the job retried) asks first and sends nothing more.
    again = conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert again.state == "published" and len(fake.tiktok.posts()) == 1


def test_never_twice_when_every_round_loses_the_answer(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", r"/tiktok-upload/", method="PUT", skip=2)
    fake.fault("status", r"/status/fetch/", status=503, times=40)  # the platform is unreachable
    journal = MemoryJournal()
    with pytest.raises(TransientError):
        conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert journal.doubtful("final_chunk") and len(fake.tiktok.posts()) == 1
    fake.server.faults.clear()
    result = conn.publish(request_for(blob), journal, no_progress, never_stop)  # next attempt
    assert result.state == "published" and len(fake.tiktok.posts()) == 1
    assert len(puts(fake)) == 3


def test_429_waits_as_asked_then_goes_on(fake, tmp_path, blob) -> None:
    sleeps = Sleeps(fake)
    conn, _, _ = connector(fake, tmp_path, sleeps=sleeps)
    fake.tiktok.limits["init"] = 1
    fake.tiktok.retry_after_header = 60
    conn.publish(request_for(blob, draft=True), MemoryJournal(), no_progress, never_stop)
    conn.publish(request_for(blob, draft=True), MemoryJournal(), no_progress, never_stop)
    assert 60 in sleeps.waits
    assert len(fake.tiktok.posts()) == 2
    statuses = [s.status for s in fake.server.seen_paths("POST", "/inbox/video/init/")]
    assert statuses == [200, 429, 200]


def test_an_expired_token_is_refreshed_once_and_the_rotation_stored(fake, tmp_path, blob) -> None:
    conn, keeper, doc = connector(fake, tmp_path)
    fake.clock.advance(fake.tiktok.access_ttl_s + 60)  # TikTok says expired; our copy does not
    result = conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert result.state == "published"
    assert fake.tiktok.refreshes == 1
    stored = keeper.load()
    assert stored.refresh_token != doc["refresh_token"]  # the rotated one is on disk
    assert stored.access_token != doc["access_token"]
    assert not fake.tiktok.refresh[doc["refresh_token"]].alive  # the old one is dead
    assert fake.tiktok.refresh[stored.refresh_token].alive
    assert from_entry(keeper.secrets.get(keeper.key)) == stored


def test_a_refused_refresh_token_means_log_in_again(fake, tmp_path, blob) -> None:
    conn, _, doc = connector(fake, tmp_path)
    fake.tiktok.revoke(fake.tiktok.access[doc["access_token"]].open_id)
    with pytest.raises(NeedsLogin) as caught:
        conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert "accounts add tiktok maker" in caught.value.message
    assert doc["refresh_token"] not in caught.value.message
    assert fake.tiktok.posts() == []


def test_processing_then_published_with_the_post_id(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.tiktok.processing_s = 120
    fake.tiktok.moderation_s = 600
    journal = MemoryJournal()
    first = conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert first.state == "processing" and first.poll_after
    fake.clock.advance(130)
    assert conn.status(journal).state == "processing"  # complete, the post id not yet public
    fake.clock.advance(600)
    done = conn.status(journal)
    assert done.state == "published" and done.remote_url


def test_a_failed_post_says_why_in_words(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.tiktok.fail_reason = "frame_rate_check_failed"
    result = conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert result.state == "failed" and "23-60 fps" in result.message


def test_the_daily_cap_is_a_clear_stop(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.tiktok.daily_cap = 0
    from platforms.base import QuotaExhausted

    with pytest.raises(QuotaExhausted) as caught:
        conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert "daily post limit" in caught.value.message and caught.value.retry_after


def test_a_stop_request_stops_between_chunks(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    sent: list[float] = []
    with pytest.raises(JobStopped):
        conn.publish(request_for(blob), MemoryJournal(), sent.append, lambda: len(sent) >= 1)
    assert len(puts(fake)) == 1 and fake.tiktok.posts() == []


def test_check_reads_creator_info(fake, tmp_path) -> None:
    conn, _, _ = connector(fake, tmp_path, privacy_options=["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS"])
    info = conn.check()
    assert info.handle == "maker"
    assert info.detail["privacy_level_options"] == ["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS"]


def test_comments_are_unsupported_with_a_reason(fake, tmp_path) -> None:
    conn, _, _ = connector(fake, tmp_path)
    with pytest.raises(Unsupported, match="no comment API"):
        conn.comments("123")


def test_metrics_and_own_videos_come_from_the_display_api(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    [video] = conn.own_videos().items
    assert video.remote_id == result.remote_id
    [sample] = conn.metrics([result.remote_id])
    assert sample.views == 1000 and sample.likes == 100


@pytest.mark.parametrize(
    "size",
    [1, 5 * MiB - 1, 5 * MiB, 10 * MiB, 15 * MiB, 64 * MiB, 64 * MiB + 1, 129 * MiB, 4096 * MiB],
)
def test_our_chunk_plans_keep_tiktoks_rules(size: int) -> None:
    for preferred in (5 * MiB, 10 * MiB, 64 * MiB, 100 * MiB):
        plan = plan_chunks(size, preferred)
        source = {
            "source": "FILE_UPLOAD",
            "video_size": size,
            "chunk_size": plan.chunk_size,
            "total_chunk_count": plan.count,
        }
        assert chunk_problem(source) is None, (size, preferred, plan)
        assert sum(plan.span(i)[1] for i in range(plan.count)) == size


@pytest.mark.parametrize(
    ("size", "chunk", "count"),
    [
        (20 * MiB, 4 * MiB, 5),
        (20 * MiB, 5 * MiB, 3),
        (3 * MiB, 1 * MiB, 3),
        (200 * MiB, 100 * MiB, 2),
    ],
)
def test_the_fake_refuses_wrong_chunk_arithmetic(fake, tmp_path, size, chunk, count) -> None:
    assert chunk_problem(
        {
            "source": "FILE_UPLOAD",
            "video_size": size,
            "chunk_size": chunk,
            "total_chunk_count": count,
        }
    )


def test_a_lapsing_token_is_refreshed_before_it_is_used(fake, tmp_path, blob) -> None:
    doc = fake.tiktok.add_creator("maker")
    doc["expires_at"] = "2020-01-01T00:00:00Z"  # our copy says it has lapsed
    ctx, keeper = context(fake, "tiktok", doc, tmp_path / "secrets.json", chunk_bytes=5 * MiB)
    TikTokConnector(ctx).check()
    assert fake.tiktok.refreshes == 1
    assert [s.status for s in fake.server.seen if s.status == 401] == []  # never sent stale
    assert keeper.load().refresh_token != doc["refresh_token"]


def test_two_sessions_refreshing_at_once_spend_the_refresh_token_once(fake, tmp_path) -> None:
    import threading

    doc = fake.tiktok.add_creator("maker")
    doc["expires_at"] = "2020-01-01T00:00:00Z"
    ctx, _ = context(fake, "tiktok", doc, tmp_path / "secrets.json")
    conns = [TikTokConnector(ctx), TikTokConnector(ctx)]  # two workers, one secrets file
    errors: list[Exception] = []

    def check(conn: TikTokConnector) -> None:
        try:
            conn.check()
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=check, args=(c,)) for c in conns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and fake.tiktok.refreshes == 1
