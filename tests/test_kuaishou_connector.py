"""The Kuaishou connector against the fake Kuaishou over loopback: start_upload, whole and
fragmented uploads with resume, the multipart publish with a cover, never twice, rotating
token refresh, photos and numbers."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from fakeplatforms import FakePlatforms
from publishing import (
    MiB,
    context,
    make_blob,
    make_clip,
    never_stop,
    no_progress,
    request_for,
    sha256_of,
)

from platforms.base import NeedsLogin, Rejected, Unsupported
from platforms.kuaishou import KuaishouConnector
from platforms.kuaishou.upload import LIST_GRACE_S, MAX_FRAGMENT, fragment_size, topics_inline
from storage.jobs import JobStopped
from storage.publish_journal import MemoryJournal

SIZE = 3 * MiB + 54_321  # four 1 MiB fragments: 1 + 1 + 1 + the rest
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 60 + b"\xff\xd9"


@pytest.fixture
def blob(tmp_path: Path) -> Path:
    return make_blob(tmp_path / "cut.mp4", SIZE)


@pytest.fixture
def cover(tmp_path: Path) -> Path:
    path = tmp_path / "cover.jpg"
    path.write_bytes(JPEG)
    return path


def connector(fake: FakePlatforms, tmp_path: Path, *, clock=True, chunk=MiB):
    doc = fake.kuaishou.add_account("maker")
    ctx, keeper = context(
        fake,
        "kuaishou",
        doc,
        tmp_path / "secrets.json",
        chunk_bytes=chunk,
        clock=fake.clock.now if clock else None,
    )
    return KuaishouConnector(ctx), keeper, doc


def req(blob: Path, cover: Path | None, **kw):
    return request_for(blob, cover_path=cover, hashtags=["tofu", "#dinner"], **kw)


def fragments(fake: FakePlatforms) -> list:
    return fake.server.seen_paths("POST", "/kuaishou-upload/api/upload/fragment")


def test_fragments_in_order_then_complete_then_publish(fake, tmp_path, blob, cover) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(req(blob, cover), MemoryJournal(), no_progress, never_stop)
    [photo] = fake.kuaishou.photos()
    assert result.state == "published" and result.remote_id == photo.photo_id
    assert result.remote_url and photo.photo_id in result.remote_url
    assert photo.upload.sha256.hexdigest() == sha256_of(blob)
    assert [s.query["fragment_id"] for s in fragments(fake)] == ["0", "1", "2", "3"]
    assert [s.length for s in fragments(fake)] == [MiB, MiB, MiB, SIZE - 3 * MiB]
    [complete] = fake.server.seen_paths("POST", "/api/upload/complete")
    assert complete.query["fragment_count"] == "4"
    assert photo.caption == "Crispy tofu in 60 s #tofu #dinner"  # topics inline, once each
    assert photo.cover == JPEG
    start = fake.server.seen_paths("POST", "/openapi/photo/start_upload")[0]
    assert fragments(fake)[0].path.startswith("/kuaishou-upload/")  # the endpoint as given
    assert start.query["app_id"] == "ks-app-1"


def test_a_small_file_goes_whole_with_a_cover_taken_from_the_video(fake, tmp_path) -> None:
    clip = make_clip(tmp_path / "clip.mp4")
    conn, _, _ = connector(fake, tmp_path, chunk=None)
    result = conn.publish(request_for(clip), MemoryJournal(), no_progress, never_stop)
    [photo] = fake.kuaishou.photos()
    assert result.state == "published" and photo.upload.sha256.hexdigest() == sha256_of(clip)
    assert len(fake.server.seen_paths("POST", "/kuaishou-upload/api/upload$")) == 1
    assert fragments(fake) == []
    assert photo.cover.startswith(b"\xff\xd8") and len(photo.cover) > 1000  # a real JPEG frame


@pytest.mark.parametrize(("action", "sends"), [("drop", 4), ("drop_before", 5)])
def test_a_dropped_fragment_is_resumed_not_restarted(fake, tmp_path, blob, cover, action, sends):
    conn, _, _ = connector(fake, tmp_path)
    fake.fault(action, r"/api/upload/fragment", method="POST", skip=1)
    journal = MemoryJournal()
    result = conn.publish(req(blob, cover), journal, no_progress, never_stop)
    assert result.state == "published" and len(fake.kuaishou.photos()) == 1
    ids = [s.query["fragment_id"] for s in fragments(fake)]
    assert len(ids) == sends and ids[0] == "0" and ids.count("0") == 1  # never from the start
    assert len(fake.server.seen_paths("GET", "/api/upload/resume")) == 1
    assert len(fake.server.seen_paths("POST", "/start_upload")) == 1
    assert fake.kuaishou.photos()[0].upload.sha256.hexdigest() == sha256_of(blob)


def test_the_fake_refuses_wrong_fragments_and_counts(fake, tmp_path) -> None:
    doc = fake.kuaishou.add_account("x")
    auth = {"access_token": doc["access_token"], "app_id": doc["client_id"]}
    start = httpx.post(f"{fake.kuaishou.base}/openapi/photo/start_upload", params=auth).json()
    up = f"http://{start['endpoint']}/api/upload"
    token = {"upload_token": start["upload_token"]}
    gap = httpx.post(f"{up}/fragment", params={**token, "fragment_id": "1"}, content=b"x")
    assert gap.json()["result"] != 1 and "order" in gap.json()["error_msg"]
    big = httpx.post(
        f"{up}/fragment", params={**token, "fragment_id": "0"}, content=b"x" * (10_000_001)
    )
    assert big.json()["result"] != 1
    httpx.post(f"{up}/fragment", params={**token, "fragment_id": "0"}, content=b"x")
    wrong = httpx.post(f"{up}/complete", params={**token, "fragment_count": "2"})
    assert wrong.json()["result"] != 1
    whole = httpx.post(up, params=token, content=b"x" * 10_000_000)
    assert whole.json()["result"] != 1


@pytest.mark.parametrize("preferred", [None, 1, MiB, 10 * MiB, 64 * MiB])
def test_we_never_plan_a_fragment_over_10_mb(preferred) -> None:
    assert 1 <= fragment_size(preferred) <= MAX_FRAGMENT == 10_000_000


def test_never_twice_when_the_publish_answer_is_lost(fake, tmp_path, blob, cover) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", r"/openapi/photo/publish", method="POST")
    journal = MemoryJournal()
    result = conn.publish(req(blob, cover), journal, no_progress, never_stop)
    [photo] = fake.kuaishou.photos()
    assert result.state == "published" and result.remote_id == photo.photo_id
    assert not journal.doubtful("publish")
    again = conn.publish(req(blob, cover), journal, no_progress, never_stop)
    assert again.remote_id == photo.photo_id and len(fake.kuaishou.photos()) == 1
    assert len(fake.server.seen_paths("POST", "/openapi/photo/publish")) == 1


def test_a_publish_that_never_landed_waits_then_asks_a_person(fake, tmp_path, blob, cover) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop_before", r"/openapi/photo/publish", method="POST")
    journal = MemoryJournal()
    first = conn.publish(req(blob, cover), journal, no_progress, never_stop)
    assert first.state == "processing" and "photo list" in first.message
    assert fake.kuaishou.photos() == [] and journal.doubtful("publish")
    assert conn.status(journal).state == "processing"  # the list may still lag
    fake.clock.advance(LIST_GRACE_S + 60)
    stopped = conn.status(journal)
    assert stopped.state == "failed" and "Nothing more was sent" in stopped.message
    assert fake.kuaishou.photos() == []
    retried = conn.publish(req(blob, cover), journal, no_progress, never_stop)  # a person's retry
    assert retried.state == "published" and len(fake.kuaishou.photos()) == 1
    assert len(fake.server.seen_paths("POST", "/start_upload")) == 1  # the same upload token
    assert len(fragments(fake)) == 4


def test_an_invalid_token_is_refreshed_once_and_the_rotation_stored(
    fake, tmp_path, blob, cover
) -> None:
    conn, keeper, doc = connector(fake, tmp_path, clock=False)
    fake.clock.advance(fake.kuaishou.access_ttl_s + 60)  # Kuaishou says expired; our copy not
    result = conn.publish(req(blob, cover), MemoryJournal(), no_progress, never_stop)
    assert result.state == "published" and fake.kuaishou.refreshes == 1
    stored = keeper.load()
    assert (
        stored.refresh_token != doc["refresh_token"] and stored.access_token != doc["access_token"]
    )
    assert not fake.kuaishou.refresh[doc["refresh_token"]].alive  # the old one is dead
    assert fake.kuaishou.refresh[stored.refresh_token or ""].alive
    refreshes = fake.server.seen_paths(None, "/oauth2/refresh_token")
    assert len(refreshes) == 1


def test_a_refused_refresh_token_means_log_in_again(fake, tmp_path, blob, cover) -> None:
    conn, _, doc = connector(fake, tmp_path)
    fake.kuaishou.revoke(doc["user_id"])
    with pytest.raises(NeedsLogin) as caught:
        conn.publish(req(blob, cover), MemoryJournal(), no_progress, never_stop)
    assert "accounts add kuaishou maker" in caught.value.message
    assert doc["refresh_token"] not in caught.value.message
    assert fake.kuaishou.photos() == []


def test_no_privacy_but_public_through_the_open_api(fake, tmp_path, blob, cover) -> None:
    conn, _, _ = connector(fake, tmp_path)
    with pytest.raises(Rejected, match="privacy"):
        conn.publish(req(blob, cover, privacy="friends"), MemoryJournal(), no_progress, never_stop)


def test_a_stop_request_stops_between_fragments(fake, tmp_path, blob, cover) -> None:
    conn, _, _ = connector(fake, tmp_path)
    sent: list[float] = []
    with pytest.raises(JobStopped):
        conn.publish(req(blob, cover), MemoryJournal(), sent.append, lambda: len(sent) >= 1)
    assert len(fragments(fake)) == 1 and fake.kuaishou.photos() == []


def test_check_own_videos_metrics_and_no_comments(fake, tmp_path, blob, cover) -> None:
    conn, _, doc = connector(fake, tmp_path)
    info = conn.check()
    assert info.user_id == doc["user_id"] and info.followers == 3100
    result = conn.publish(req(blob, cover), MemoryJournal(), no_progress, never_stop)
    [video] = conn.own_videos().items
    assert video.remote_id == result.remote_id and video.created_at is not None
    photo = fake.kuaishou.photos()[0]
    photo.counts = {"like_count": 42, "view_count": 900}
    [sample] = conn.metrics([photo.photo_id])
    assert (sample.views, sample.likes, sample.comments) == (900, 42, None)
    with pytest.raises(Unsupported, match="no comment API"):
        conn.comments(photo.photo_id)
    with pytest.raises(Unsupported, match="no comment API"):
        conn.reply(None, "hi", MemoryJournal())  # type: ignore[arg-type]


def test_topics_are_inline_once() -> None:
    assert topics_inline("Tofu #Tofu", ["tofu", "#crispy", "crispy", ""]) == "Tofu #Tofu #crispy"


def test_no_secret_reaches_the_step_log_or_the_log(fake, tmp_path, blob, cover, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="reelroom.platforms")
    conn, keeper, doc = connector(fake, tmp_path, clock=False)
    fake.clock.advance(fake.kuaishou.access_ttl_s + 60)
    fake.fault("drop", r"/openapi/photo/publish", method="POST")
    journal = MemoryJournal()
    conn.publish(req(blob, cover), journal, no_progress, never_stop)
    text = "\n".join(f"{e.path} {e.note}" for e in journal.entries) + caplog.text
    stored = keeper.load()
    for secret in (
        doc["access_token"],
        doc["refresh_token"],
        doc["client_secret"],
        stored.access_token,
        stored.refresh_token,
    ):
        assert secret and secret not in text and secret not in repr(journal.state())


def test_branded_content_is_said_to_need_the_app(fake, tmp_path, blob, cover) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(
        req(blob, cover, branded_content=True), MemoryJournal(), no_progress, never_stop
    )
    assert result.state == "published" and "paid-partnership" in result.message
