"""Sync against the fake platforms over loopback: the account's own videos brought in
once (gone ones marked, never deleted), comments stored once over repeated syncs and
across paging (also while comments arrive between pages), edits kept, deletions marked,
incremental reads, resuming after a throttle, labels on arrival, accounts without an API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from inboxing import add_account, connector, inbox_home, published, rows

from app.inbox.sync import CommentSync, sync_comments, sync_videos
from app.publishing.connect import secrets_file
from storage.inbox import InboxQuery, InboxRepo
from storage.inbox_sync import SyncRepo


def _yt(tmp_path, fake, extra: str = ""):
    ws = inbox_home(tmp_path / "home", fake, extra=extra)
    doc = fake.youtube.add_channel("maker")
    account = add_account(ws, "youtube", doc)
    return ws, account, doc["user_id"]


def test_own_videos_come_in_once_and_vanished_ones_are_marked_gone(tmp_path, fake) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    now = fake.clock.now()
    ids = [
        fake.youtube.add_video(
            channel, f"Tofu #{n}\nthe long description", at=now - timedelta(days=n)
        )
        for n in range(1, 61)
    ]  # 60 videos: two pages of playlistItems
    first = sync_videos(ws, account, connector(ws, account, fake))
    assert (first.imported, first.known, first.gone) == (60, 0, 0)
    pubs = rows(
        ws.store, "SELECT * FROM publications WHERE imported = 1 ORDER BY published_at DESC"
    )
    assert len(pubs) == 60 and pubs[0]["remote_id"] == ids[0] and pubs[0]["state"] == "published"
    post = rows(ws.store, "SELECT * FROM posts WHERE id = ?", pubs[0]["post_id"])[0]
    assert post["status"] == "published" and post["title"] == "Tofu #1"
    assert post["pillar_id"] is None and '"imported"' in post["tags"]
    again = sync_videos(ws, account, connector(ws, account, fake))
    assert (again.imported, again.known) == (0, 60)
    fake.youtube.remove_video(ids[5])
    third = sync_videos(ws, account, connector(ws, account, fake))
    assert third.gone == 1
    gone = rows(ws.store, "SELECT gone_at FROM publications WHERE remote_id = ?", ids[5])
    assert gone and gone[0]["gone_at"] is not None  # marked, the row kept
    assert rows(ws.store, "SELECT count(*) AS n FROM publications")[0]["n"] == 60


def test_published_by_reelroom_is_matched_not_imported_again(tmp_path, fake) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    video = fake.youtube.add_video(channel, "Ours")
    published(ws, account, video)
    result = sync_videos(ws, account, connector(ws, account, fake))
    assert (result.imported, result.known) == (0, 1)


def _thread_fake(fake, channel: str, video: str, tops: int) -> list[str]:
    now = fake.clock.now()
    made = []
    for n in range(tops):
        cid = fake.youtube.add_comment(
            video, f"comment {n}", author=f"fan{n % 7}", at=now - timedelta(minutes=tops - n)
        )
        made.append(cid)
    return made


def test_comments_are_stored_once_over_repeated_syncs_and_across_paging(tmp_path, fake) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    video = fake.youtube.add_video(channel, "Tofu")
    pub = published(ws, account, video)
    tops = _thread_fake(fake, channel, video, 250)  # three pages of commentThreads
    for n in range(8):  # more replies than commentThreads carries inline: comments.list reads them
        fake.youtube.add_comment(video, f"reply {n}", parent=tops[0], author="helper")
    conn = connector(ws, account, fake)
    report = CommentSync(ws, account, conn).run(SyncRepo(ws.store).targets(account.id))
    assert (report.new, report.pages) == (258, 3)
    assert fake.server.seen_paths("GET", r"/youtube/v3/comments$")  # the long thread was read
    again = sync_comments(ws, account, connector=conn, full=True)
    assert (again.new, again.edited, again.deleted) == (0, 0, 0)
    count = rows(ws.store, "SELECT count(*) AS n, count(DISTINCT remote_id) AS d FROM inbox_items")
    assert count[0]["n"] == count[0]["d"] == 258
    replies = rows(
        ws.store, "SELECT parent_id FROM inbox_items WHERE parent_remote_id = ?", tops[0]
    )
    top_row = rows(ws.store, "SELECT id FROM inbox_items WHERE remote_id = ?", tops[0])[0]
    assert len(replies) == 8 and {r["parent_id"] for r in replies} == {top_row["id"]}
    state = SyncRepo(ws.store).state(pub)
    assert state.last_full_at and state.next_sync_at and state.sweep_started is None


def test_comments_arriving_between_pages_are_neither_repeated_nor_skipped(tmp_path, fake) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    video = fake.youtube.add_video(channel, "Tofu")
    published(ws, account, video)
    _thread_fake(fake, channel, video, 230)
    conn = connector(ws, account, fake)
    read = conn.comments
    arrivals = []

    def comments_then_more_arrive(video_id: str, cursor: str | None = None):
        page = read(video_id, cursor)
        arrivals.append(fake.youtube.add_comment(video_id, f"new while paging {len(arrivals)}"))
        return page

    conn.comments = comments_then_more_arrive  # type: ignore[method-assign]
    report = sync_comments(ws, account, connector=conn)
    assert report.new == 230  # the newest-first walk went on below what it had read
    conn.comments = read  # type: ignore[method-assign]
    later = sync_comments(ws, account, connector=conn)  # incremental: the arrivals, once
    assert later.new == len(arrivals) == 3 and later.pages == 1
    total = rows(ws.store, "SELECT count(*) AS n, count(DISTINCT remote_id) AS d FROM inbox_items")
    assert total[0]["n"] == total[0]["d"] == 233


def test_an_edit_keeps_the_old_text_and_a_deletion_is_marked_not_lost(tmp_path, fake) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    video = fake.youtube.add_video(channel, "Tofu")
    published(ws, account, video)
    keep, edit, gone = _thread_fake(fake, channel, video, 3)
    conn = connector(ws, account, fake)
    sync_comments(ws, account, connector=conn)
    fake.youtube.edit_comment(edit, "comment 1 (edited: never mind, found it)")
    fake.youtube.delete_comment(gone)
    report = sync_comments(ws, account, connector=conn, full=True)
    assert (report.new, report.edited, report.deleted) == (0, 1, 1)
    item = rows(ws.store, "SELECT * FROM inbox_items WHERE remote_id = ?", edit)[0]
    assert item["body"].endswith("found it)") and item["edited_at"]
    old = rows(ws.store, "SELECT body FROM inbox_edits WHERE item_id = ?", item["id"])
    assert [o["body"] for o in old] == ["comment 1"]
    lost = rows(ws.store, "SELECT deleted, body FROM inbox_items WHERE remote_id = ?", gone)[0]
    assert lost == {"deleted": 1, "body": "comment 2"}
    listed = InboxRepo(ws.store).listing(InboxQuery(state="all"))
    assert [i.deleted for i in listed if i.remote_id == gone] == [True]
    assert (
        rows(ws.store, "SELECT deleted FROM inbox_items WHERE remote_id = ?", keep)[0]["deleted"]
        == 0
    )


def test_a_throttled_sweep_resumes_from_its_cursor(tmp_path, fake) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    video = fake.youtube.add_video(channel, "Tofu")
    pub = published(ws, account, video)
    _thread_fake(fake, channel, video, 250)
    conn = connector(ws, account, fake)
    throttle = fake.fault("status", r"/commentThreads$", skip=2, times=100, status=429)
    report = sync_comments(ws, account, connector=conn)  # two pages, then 429 until it gives up
    assert report.retry_after and report.new == 200 and "slow down" in report.errors[0]
    state = SyncRepo(ws.store).state(pub)
    assert state.sweep_started and state.resume_cursor
    throttle.times = 0
    resumed = sync_comments(ws, account, connector=connector(ws, account, fake))
    assert (resumed.new, resumed.pages) == (50, 1)  # the third page only


def test_instagram_reads_on_from_where_the_last_sync_ended(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake)
    doc = fake.instagram.add_account("maker")
    account = add_account(ws, "instagram", doc)
    media = fake.instagram.add_media(doc["user_id"], "Reel")
    published(ws, account, media.media_id)
    now = fake.clock.now()
    for n in range(120):  # three pages of 50, oldest first
        top = fake.instagram.add_comment(media, f"c{n}", at=now - timedelta(minutes=200 - n))
        if n % 40 == 0:
            fake.instagram.add_comment(media, f"reply to c{n}", parent=top["id"], author="helper")
    conn = connector(ws, account, fake)
    first = sync_comments(ws, account, connector=conn)
    assert (first.new, first.pages) == (123, 3)
    fake.instagram.add_comment(media, "late one")
    before = len(fake.server.seen_paths("GET", r"/comments$"))
    later = sync_comments(ws, account, connector=conn)
    assert later.new == 1 and len(fake.server.seen_paths("GET", r"/comments$")) - before == 1
    assert rows(ws.store, "SELECT count(DISTINCT remote_id) AS d FROM inbox_items")[0]["d"] == 124


def test_tiktok_business_comments_and_a_personal_account_says_it_has_no_api(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake)
    doc = fake.tiktok.add_creator("maker")
    business = fake.tiktok_business.add_business("maker")
    biz = add_account(ws, "tiktok", {**doc, "business": business})
    video = fake.tiktok.add_video(doc["user_id"], "Tofu")
    fake.tiktok_business.attach_video(business["business_id"], video)
    published(ws, biz, video)
    for n in range(40):  # two pages of 30
        top = fake.tiktok_business.add_comment(video, f"tt {n}")
        if n == 3:
            fake.tiktok_business.add_comment(video, "same", parent=top, author="other")
    fake.tiktok_business.expire_tokens()  # refreshed once, the rotated token stored first
    report = sync_comments(ws, biz, connector=connector(ws, biz, fake))
    assert (report.note, report.new, report.pages) == (None, 41, 2)
    stored = secrets_file(ws).get("tiktok:maker")
    assert stored is not None and stored["business"]["refresh_token"] != business["refresh_token"]
    personal_doc = fake.tiktok.add_creator("solo")
    solo = add_account(ws, "tiktok", personal_doc, handle="solo")
    published(ws, solo, fake.tiktok.add_video(personal_doc["user_id"], "x"))
    none = sync_comments(ws, solo, connector=connector(ws, solo, fake))
    assert none.note and "no comment API" in none.note and none.new == 0
    backlog = {b.handle: b for b in InboxRepo(ws.store).backlogs()}
    assert backlog["solo"].comments_note == none.note and backlog["maker"].comments_note is None


def test_kuaishou_says_it_has_no_comment_api_even_without_videos(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake)
    account = add_account(ws, "kuaishou", fake.kuaishou.add_account("maker"))
    report = sync_comments(ws, account, connector=connector(ws, account, fake))
    assert report.note == "Kuaishou's open platform has no comment API"
    assert not fake.server.seen_paths(pattern="comment")


def test_labels_on_arrival_follow_the_rules_and_the_sender(tmp_path, fake) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    video = fake.youtube.add_video(channel, "Tofu")
    published(ws, account, video)
    now = fake.clock.now()
    texts = [
        ("asker", "What pan is that?"),
        ("fan", "Love this, so good 🔥"),
        ("brand", "Hi! We'd love a paid partnership, who do we talk to"),
        ("bot", "free followers at spam.example.com"),
        ("bot", "hello friend"),  # a sender already labelled spam
        ("angry", "Tried it, too salty and burnt"),
        ("吃货", "怎么做的？求教程"),
    ]
    for n, (author, text) in enumerate(texts):
        fake.youtube.add_comment(video, text, author=author, at=now - timedelta(minutes=10 - n))
    sync_comments(ws, account, connector=connector(ws, account, fake))
    got = {
        r["body"]: r["labels"]
        for r in rows(ws.store, "SELECT body, labels FROM inbox_items ORDER BY id")
    }
    assert got["What pan is that?"] == '["question"]'
    assert got["Love this, so good 🔥"] == '["praise"]'
    assert '"lead"' in got["Hi! We'd love a paid partnership, who do we talk to"]
    assert got["free followers at spam.example.com"] == '["spam"]'
    assert got["hello friend"] == '["spam"]'
    assert got["Tried it, too salty and burnt"] == '["complaint"]'
    assert got["怎么做的？求教程"] == '["question"]'


@pytest.mark.parametrize("full", [False, True])
def test_our_own_reply_synced_back_is_not_triaged(tmp_path, fake, full) -> None:
    ws, account, channel = _yt(tmp_path, fake)
    video = fake.youtube.add_video(channel, "Tofu")
    published(ws, account, video)
    top = fake.youtube.add_comment(video, "how long?")
    fake.youtube.add_comment(video, "8 minutes", parent=top, author="maker")
    sync_comments(ws, account, connector=connector(ws, account, fake), full=full)
    items = InboxRepo(ws.store).listing(InboxQuery(state="all"))
    assert [i.body for i in items] == ["how long?"]
    own = rows(ws.store, "SELECT status, own FROM inbox_items WHERE body = '8 minutes'")
    assert own == [{"status": "done", "own": 1}]
