"""The Instagram connector against the fake Instagram over loopback: Reels containers and
the resumable rupload, resuming, never twice, the publishing limit, throttles, token
refresh, comments, replies and insights."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from fakeplatforms import FakePlatforms
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

from platforms.base import NeedsLogin, QuotaExhausted, RateLimited, Rejected, TransientError
from platforms.credentials import from_entry
from platforms.instagram import InstagramConnector
from storage.jobs import JobStopped
from storage.publish_journal import MemoryJournal

SIZE = 2 * MiB + 12_345  # three rupload POSTs of 1 MiB, 1 MiB and the rest


@pytest.fixture
def blob(tmp_path: Path) -> Path:
    return make_blob(tmp_path / "reel.mp4", SIZE)


def connector(fake: FakePlatforms, tmp_path: Path, *, sleeps=None, age_s=0.0, clock=True, **kw):
    doc = fake.instagram.add_account("maker", age_s=age_s, **kw)
    ctx, keeper = context(
        fake,
        "instagram",
        doc,
        tmp_path / "secrets.json",
        sleeps=sleeps,
        chunk_bytes=MiB,
        clock=fake.clock.now if clock else None,
    )
    return InstagramConnector(ctx), keeper, doc


def ruploads(fake: FakePlatforms) -> list:
    return fake.server.seen_paths("POST", "/instagram-rupload/")


def container(fake: FakePlatforms):
    [only] = fake.instagram.containers.values()
    return only


def test_a_reel_goes_container_rupload_limit_publish_permalink(fake, tmp_path, blob) -> None:
    conn, _, doc = connector(fake, tmp_path)
    progress: list[float] = []
    result = conn.publish(request_for(blob), MemoryJournal(), progress.append, never_stop)
    [media] = fake.instagram.media()
    assert result.state == "published" and result.remote_id == media.media_id
    assert result.remote_url == media.permalink
    assert media.caption == "Crispy tofu in 60 s #tofu"
    assert container(fake).sha256.hexdigest() == sha256_of(blob)
    sent = ruploads(fake)
    assert [s.headers["offset"] for s in sent] == ["0", str(MiB), str(2 * MiB)]
    assert {s.headers["file_size"] for s in sent} == {str(SIZE)}
    assert all(s.headers["authorization"] == f"OAuth {doc['access_token']}" for s in sent)
    assert [s.status for s in sent] == [200, 200, 200] and progress[-1] == 1.0
    paths = [s.path for s in fake.server.seen]
    limit = next(i for i, p in enumerate(paths) if p.endswith("/content_publishing_limit"))
    publish = next(i for i, p in enumerate(paths) if p.endswith("/media_publish"))
    assert limit < publish  # the limit is read before publishing
    create = fake.server.seen_paths("POST", r"/instagram/\d+/media$")[0]
    assert create.query == {}  # parameters and token went in the form body, not the URL


def test_the_fake_rupload_is_strict_about_its_headers(fake, tmp_path) -> None:
    doc = fake.instagram.add_account("x")
    made = httpx.post(
        f"{fake.instagram.base}/{doc['user_id']}/media",
        data={
            "media_type": "REELS",
            "upload_type": "resumable",
            "access_token": doc["access_token"],
        },
    ).json()
    assert set(made) == {"id", "uri"}
    bare = httpx.post(made["uri"], content=b"x" * 10, headers={"offset": "0", "file_size": "10"})
    assert bare.status_code == 401
    auth = {"Authorization": f"OAuth {doc['access_token']}"}
    no_size = httpx.post(made["uri"], content=b"x" * 10, headers={**auth, "offset": "0"})
    assert no_size.json()["debug_info"]["retriable"] is False
    gap = httpx.post(made["uri"], content=b"x", headers={**auth, "offset": "5", "file_size": "10"})
    assert gap.status_code == 400
    video = httpx.post(
        f"{fake.instagram.base}/{doc['user_id']}/media",
        data={"media_type": "VIDEO", "access_token": doc["access_token"]},
    )
    assert video.json()["error"]["code"] == 100  # VIDEO is retired: REELS only


@pytest.mark.parametrize("action", ["drop", "drop_before", "retriable"])
def test_a_dropped_upload_is_resumed_from_the_confirmed_offset(fake, tmp_path, blob, action):
    conn, _, _ = connector(fake, tmp_path)
    if action == "retriable":
        confirmed: list[float] = []

        def second_chunk(fraction: float) -> None:
            confirmed.append(fraction)
            if len(confirmed) == 1:  # the next POST answers debug_info.retriable
                fake.instagram.retriable_failures = 1

        progress = second_chunk
    else:
        fake.fault(action, r"/instagram-rupload/", method="POST", skip=1)
        progress = no_progress
    journal = MemoryJournal()
    result = conn.publish(request_for(blob), journal, progress, never_stop)
    assert result.state == "published" and len(fake.instagram.media()) == 1
    offsets = [s.headers["offset"] for s in ruploads(fake)]
    assert offsets == ["0", str(MiB), str(MiB), str(2 * MiB)]  # the doubtful one again, not 0
    assert container(fake).sha256.hexdigest() == sha256_of(blob)
    asks = fake.server.seen_paths("GET", rf"/instagram/{container(fake).container_id}$")
    assert len(asks) >= 2  # the container was asked before resuming


@pytest.mark.parametrize(
    ("path", "containers"),
    [(r"/instagram/\d+/media$", 2), (r"/media_publish$", 1)],
    ids=["container", "media_publish"],
)
def test_never_twice_when_a_creating_answer_is_lost(fake, tmp_path, blob, path, containers):
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", path, method="POST")
    journal = MemoryJournal()
    result = conn.publish(request_for(blob), journal, no_progress, never_stop)
    [media] = fake.instagram.media()
    assert result.state == "published" and result.remote_id == media.media_id
    assert len(fake.instagram.containers) == containers  # a lost empty container is harmless
    assert not journal.doubtful("media_publish")
    again = conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert again.remote_id == media.media_id and len(fake.instagram.media()) == 1
    assert len(fake.server.seen_paths("POST", "/media_publish$")) == 1


def test_never_twice_when_instagram_cannot_be_asked_until_the_next_attempt(fake, tmp_path, blob):
    conn, _, _ = connector(fake, tmp_path)
    fake.fault("drop", r"/media_publish$", method="POST")
    fake.fault("status", r"/instagram/\d+$", method="GET", status=503, times=40, skip=1)
    journal = MemoryJournal()
    with pytest.raises(TransientError):
        conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert journal.doubtful("media_publish") and len(fake.instagram.media()) == 1
    fake.server.faults.clear()
    result = conn.publish(request_for(blob), journal, no_progress, never_stop)  # next attempt
    [media] = fake.instagram.media()
    assert result.state == "published" and result.remote_id == media.media_id
    assert result.remote_url == media.permalink
    assert len(fake.server.seen_paths("POST", "/media_publish$")) == 1
    assert len(ruploads(fake)) == 3  # nothing uploaded again


def test_processing_then_published_by_status(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.instagram.processing_s = 120
    journal = MemoryJournal()
    first = conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert first.state == "processing" and first.poll_after and fake.instagram.media() == []
    assert conn.status(journal).state == "processing"
    fake.clock.advance(130)
    done = conn.status(journal)
    assert done.state == "published" and len(fake.instagram.media()) == 1


def test_a_processing_error_is_said_in_instagrams_words(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.instagram.fail_processing = True
    result = conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert result.state == "failed" and "frame rate" in result.message


def test_an_expired_container_is_replaced(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.instagram.processing_s = 10**6
    journal = MemoryJournal()
    assert conn.publish(request_for(blob), journal, no_progress, never_stop).state == "processing"
    fake.clock.advance(25 * 3600)
    expired = conn.status(journal)
    assert expired.state == "failed" and "expired" in expired.message
    fake.instagram.processing_s = 0
    result = conn.publish(request_for(blob), journal, no_progress, never_stop)  # a retry
    assert result.state == "published" and len(fake.instagram.containers) == 2
    assert len(fake.instagram.media()) == 1


def test_the_publishing_limit_is_a_clear_stop_not_a_loop(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    fake.instagram.quota_total = 1
    conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    journal = MemoryJournal()
    with pytest.raises(QuotaExhausted) as caught:
        conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert "publishing limit" in caught.value.message and "1 of 1" in caught.value.message
    assert "content_publishing_limit" in caught.value.message and caught.value.retry_after
    assert len(fake.server.seen_paths("POST", "/media_publish$")) == 1
    uploads = len(ruploads(fake))
    with pytest.raises(QuotaExhausted):  # the next attempt: no upload again, no publish
        conn.publish(request_for(blob), journal, no_progress, never_stop)
    assert len(ruploads(fake)) == uploads and len(fake.instagram.media()) == 1


def test_the_fake_enforces_quota_total_at_media_publish(fake, tmp_path, blob) -> None:
    conn, _, doc = connector(fake, tmp_path)
    fake.instagram.processing_s = 10**6
    journal = MemoryJournal()
    conn.publish(request_for(blob), journal, no_progress, never_stop)
    fake.instagram.processing_s = 0
    fake.instagram.quota_total = 0
    refused = httpx.post(
        f"{fake.instagram.base}/{doc['user_id']}/media_publish",
        data={"creation_id": journal.state()["container_id"], "access_token": doc["access_token"]},
    ).json()["error"]
    assert (refused["code"], refused["error_subcode"]) == (9, 2207042)


def test_throttles_wait_the_regain_time_of_the_usage_header(fake, tmp_path, blob) -> None:
    sleeps = Sleeps(fake)
    conn, _, _ = connector(fake, tmp_path, sleeps=sleeps)
    fake.instagram.throttle(code=17, minutes=1)
    assert conn.check().handle == "maker"
    assert sleeps.waits == [60.0]
    throttled = [s for s in fake.server.seen if s.status == 400]
    assert throttled and "retry-after" not in {k.lower() for k in throttled[0].headers}
    fake.instagram.throttle(code=4, minutes=30)
    with pytest.raises(RateLimited) as caught:
        conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert caught.value.retry_after == 1800.0  # too long to sleep: the job waits in the queue
    assert fake.instagram.media() == []


def test_a_day_old_token_is_refreshed_once_and_stored(fake, tmp_path, blob) -> None:
    conn, keeper, doc = connector(fake, tmp_path, age_s=25 * 3600)
    result = conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert result.state == "published" and fake.instagram.refreshes == 1
    stored = keeper.load()
    assert stored.access_token != doc["access_token"]
    assert from_entry(keeper.secrets.get(keeper.key)) == stored
    assert all(s.headers["authorization"] == f"OAuth {stored.access_token}" for s in ruploads(fake))
    conn.check()
    assert fake.instagram.refreshes == 1  # a fresh token is not refreshed again


def test_a_young_token_is_not_refreshed(fake, tmp_path) -> None:
    conn, keeper, doc = connector(fake, tmp_path, age_s=3600)
    conn.check()
    assert fake.instagram.refreshes == 0 and keeper.load().access_token == doc["access_token"]


def test_a_refused_token_is_refreshed_once_then_a_login_is_asked(fake, tmp_path, blob) -> None:
    conn, _, doc = connector(fake, tmp_path, age_s=2 * 86400, clock=False)
    fake.instagram.revoke(doc["user_id"])
    with pytest.raises(NeedsLogin) as caught:
        conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    assert "accounts add instagram maker" in caught.value.message
    assert doc["access_token"] not in caught.value.message
    assert len(fake.server.seen_paths("GET", "/refresh_access_token")) == 1
    assert fake.instagram.containers == {}


def test_a_stop_request_stops_between_chunks(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    sent: list[float] = []
    with pytest.raises(JobStopped):
        conn.publish(request_for(blob), MemoryJournal(), sent.append, lambda: len(sent) >= 1)
    assert len(ruploads(fake)) == 1 and fake.instagram.media() == []


def test_only_public_reels(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    with pytest.raises(Rejected, match="public"):
        conn.publish(request_for(blob, privacy="private"), MemoryJournal(), no_progress, never_stop)


def test_check_own_videos_comments_reply_once_and_metrics(fake, tmp_path, blob) -> None:
    conn, _, doc = connector(fake, tmp_path)
    info = conn.check()
    assert info.user_id == doc["user_id"] and info.followers == 800
    result = conn.publish(request_for(blob), MemoryJournal(), no_progress, never_stop)
    [video] = conn.own_videos().items
    assert video.remote_id == result.remote_id and video.url == result.remote_url
    media = fake.instagram.media()[0]
    top = fake.instagram.add_comment(media, "how long in the pan?")
    fake.instagram.add_comment(media, "same question", parent=top["id"])
    comments = conn.comments(media.media_id).items
    assert [(c.body, c.parent_remote_id, c.can_reply) for c in comments] == [
        ("how long in the pan?", None, True),
        ("same question", top["id"], False),
    ]
    with pytest.raises(Rejected, match="top-level"):
        conn.reply(comments[1], "hi", MemoryJournal())
    journal = MemoryJournal()
    fake.fault("drop", r"/replies$", method="POST")
    with pytest.raises(TransientError):
        conn.reply(comments[0], "About 8 minutes!", journal)
    again = conn.reply(comments[0], "About 8 minutes!", journal)
    mine = [c for c in media.comments if c["text"] == "About 8 minutes!"]
    assert len(mine) == 1 and again.remote_id == mine[0]["id"]
    [none_yet] = conn.metrics([media.media_id])  # code 10: not enough viewers
    assert none_yet.views is None and none_yet.likes is None
    media.insights = {"views": 1500, "reach": 900, "likes": 0, "saved": 4}
    [sample] = conn.metrics([media.media_id])
    assert (sample.views, sample.reach, sample.likes, sample.saves) == (1500, 900, 0, 4)
    assert sample.shares is None and sample.comments is None  # missing is None, never 0


def test_no_secret_reaches_the_step_log_or_the_log(fake, tmp_path, blob, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="reelroom.platforms")
    conn, keeper, doc = connector(fake, tmp_path, age_s=25 * 3600)
    fake.fault("drop", r"/media_publish$", method="POST")
    journal = MemoryJournal()
    conn.publish(request_for(blob), journal, no_progress, never_stop)
    text = "\n".join(f"{e.path} {e.note}" for e in journal.entries) + caplog.text
    text += repr(journal.state())
    for secret in (doc["access_token"], keeper.load().access_token):
        assert secret and secret not in text


def test_branded_content_is_said_to_need_the_app(fake, tmp_path, blob) -> None:
    conn, _, _ = connector(fake, tmp_path)
    result = conn.publish(
        request_for(blob, branded_content=True), MemoryJournal(), no_progress, never_stop
    )
    assert result.state == "published" and "paid-partnership" in result.message
