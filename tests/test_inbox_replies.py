"""Replies sent by the worker exactly once, against the fake platforms over loopback:
queued, sent, shown in the thread; a dropped answer and a worker SIGKILLed between the
platform acting and the answer never make a second reply; a platform that is down keeps
the reply pending; refusals fail it with the platform's words; the pace per account; undo."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from inboxing import add_account, connector, due_now, inbox_home, published, rows
from publishing import ROOT

from app.handlers import handlers_for
from app.inbox.replies import queue_reply
from app.inbox.sync import sync_comments
from app.worker import Worker
from app.workspace import Workspace
from storage.inbox import InboxError, InboxQuery, InboxRepo
from storage.inbox_replies import ReplyRepo
from storage.inbox_triage import TriageRepo
from storage.jobs import JobQueue
from storage.timefmt import to_db, utcnow
from storage.vocab import JobKind


def run_replies(ws: Workspace) -> None:
    """One in-process worker pass over the due reply jobs."""
    Worker(ws.store, handlers_for(ws, (JobKind.REPLY,)), once=True, idle_poll_s=0.05).run(
        threading.Event()
    )


def youtube_item(tmp_path, fake, extra: str = ""):
    ws = inbox_home(tmp_path / "home", fake, extra=extra)
    doc = fake.youtube.add_channel("maker")
    account = add_account(ws, "youtube", doc)
    video = fake.youtube.add_video(doc["user_id"], "Crispy tofu")
    published(ws, account, video)
    top = fake.youtube.add_comment(video, "How long in the pan?", author="asker")
    sync_comments(ws, account, connector=connector(ws, account, fake))
    [item] = InboxRepo(ws.store).listing(InboxQuery())
    return ws, account, video, top, item


def mine(fake, video: str, top: str) -> list[dict]:
    return [c for c in fake.youtube.comments_of(video) if c.get("parentId") == top]


def test_a_reply_is_sent_once_and_shows_in_the_thread(tmp_path, fake) -> None:
    ws, account, video, top, item = youtube_item(tmp_path, fake)
    reply = queue_reply(ws, item.id, text="About 8 minutes, {not a variable}")
    assert reply.state == "pending" and InboxRepo(ws.store).must(item.id).status == "done"
    run_replies(ws)
    [sent] = mine(fake, video, top)
    assert sent["textOriginal"] == "About 8 minutes, {not a variable}"
    thread = InboxRepo(ws.store).thread(item.id)
    assert thread is not None and thread.item.reply_state == "sent"
    assert [(m.body, m.own) for m in thread.messages][-1] == (sent["textOriginal"], True)
    assert thread.replies[0].remote_id == sent["id"]
    sync_comments(ws, account, connector=connector(ws, account, fake), full=True)
    assert [i.id for i in InboxRepo(ws.store).listing(InboxQuery(state="all"))] == [item.id]
    with pytest.raises(InboxError, match="already got this very reply"):
        queue_reply(ws, item.id, text="About 8 minutes, {not a variable}")


def test_a_dropped_answer_is_looked_up_before_sending_again(tmp_path, fake) -> None:
    ws, _account, video, top, item = youtube_item(tmp_path, fake)
    reply = queue_reply(ws, item.id, text="8 minutes!")
    fake.fault("drop", r"/youtube/v3/comments$", method="POST")  # acts, then hangs up
    run_replies(ws)
    assert len(mine(fake, video, top)) == 1
    waiting = ReplyRepo(ws.store).get(reply.id)
    assert (
        waiting is not None
        and waiting.state == "pending"
        and "tries again" in (waiting.error or "")
    )
    due_now(ws.store)
    run_replies(ws)
    [sent] = mine(fake, video, top)
    settled = ReplyRepo(ws.store).get(reply.id)
    assert settled is not None and settled.state == "sent" and settled.remote_id == sent["id"]
    assert settled.journal.get("found") is True  # found on the platform, not sent again
    assert len(fake.server.seen_paths("POST", r"/youtube/v3/comments$")) == 1


def test_a_platform_that_is_down_keeps_the_reply_pending_until_it_is_back(tmp_path, fake) -> None:
    ws, _account, video, top, item = youtube_item(tmp_path, fake)
    reply = queue_reply(ws, item.id, text="soon")
    down = fake.fault("status", r"/youtube/v3/comments$", method="POST", status=503, times=100)
    for _ in range(3):
        run_replies(ws)
        due_now(ws.store)
    waiting = ReplyRepo(ws.store).get(reply.id)
    assert waiting is not None and waiting.state == "pending" and "503" in (waiting.error or "")
    job = JobQueue(ws.store).get(waiting.job_id or 0)
    assert job is not None and job.state == "queued"  # waiting in the queue, not dead
    down.times = 0
    run_replies(ws)
    assert len(mine(fake, video, top)) == 1
    assert ReplyRepo(ws.store).get(reply.id).state == "sent"  # type: ignore[union-attr]


def test_a_refusal_fails_the_reply_with_the_platforms_words(tmp_path, fake) -> None:
    ws, _account, video, top, item = youtube_item(tmp_path, fake)
    fake.youtube.reply_window_s = 60.0
    fake.clock.advance(3600)
    reply = queue_reply(ws, item.id, text="late answer")
    run_replies(ws)
    failed = ReplyRepo(ws.store).get(reply.id)
    assert failed is not None and failed.state == "failed"
    assert "forbidden" in (failed.error or "")
    back = InboxRepo(ws.store).must(item.id)
    assert (back.status, back.reply_state) == ("new", "failed")
    assert mine(fake, video, top) == []


def test_a_closed_reply_window_is_refused_before_anything_is_queued(tmp_path, fake) -> None:
    ws, _account, _video, _top, item = youtube_item(
        tmp_path, fake, extra="youtube_reply_window_hours = 1\n"
    )
    with ws.store.write() as conn:
        conn.execute(
            "UPDATE inbox_items SET received_at = ? WHERE id = ?",
            (to_db(utcnow() - timedelta(hours=2)), item.id),
        )
    with pytest.raises(InboxError, match="reply window"):
        queue_reply(ws, item.id, text="hi")
    assert rows(ws.store, "SELECT count(*) AS n FROM inbox_replies")[0]["n"] == 0


def test_replies_of_one_account_keep_their_pace(tmp_path, fake) -> None:
    ws, account, video, top, item = youtube_item(
        tmp_path, fake, extra="youtube_reply_gap_seconds = 600\n"
    )
    second_top = fake.youtube.add_comment(video, "And the sauce?", author="b")
    sync_comments(ws, account, connector=connector(ws, account, fake))
    second = next(i for i in InboxRepo(ws.store).listing(InboxQuery()) if i.remote_id == second_top)
    queue_reply(ws, item.id, text="one")
    queue_reply(ws, second.id, text="two")
    run_replies(ws)
    assert len(mine(fake, video, top)) + len(mine(fake, video, second_top)) == 1
    waiting = [j for j in JobQueue(ws.store).list(kind="reply") if j.state == "queued"]
    assert len(waiting) == 1 and waiting[0].run_at > to_db(utcnow() + timedelta(seconds=500))


def test_undo_withdraws_a_reply_that_has_not_left(tmp_path, fake) -> None:
    ws, _account, video, top, item = youtube_item(tmp_path, fake)
    reply = queue_reply(ws, item.id, text="oops", who="ana")
    undone = TriageRepo(ws.store).undo("ana")
    assert undone is not None and undone.action == "reply"
    assert ReplyRepo(ws.store).get(reply.id) is None
    back = InboxRepo(ws.store).must(item.id)
    assert (back.status, back.reply_state) == ("new", None)
    run_replies(ws)
    assert mine(fake, video, top) == []


# --- a real worker process killed mid-request ------------------------------------------


def _setup(platform: str, tmp_path, fake):
    ws = inbox_home(tmp_path / "home", fake)
    if platform == "youtube":
        doc = fake.youtube.add_channel("maker")
        account = add_account(ws, "youtube", doc)
        video = fake.youtube.add_video(doc["user_id"], "Tofu")
        fake.youtube.add_comment(video, "how long?")
        count = lambda: sum(1 for c in fake.youtube.comments_of(video) if c.get("parentId"))  # noqa: E731
        path = r"/youtube/v3/comments$"
    elif platform == "instagram":
        doc = fake.instagram.add_account("maker")
        account = add_account(ws, "instagram", doc)
        media = fake.instagram.add_media(doc["user_id"], "Reel")
        video = media.media_id
        fake.instagram.add_comment(media, "how long?")
        count = lambda: sum(1 for c in media.comments if c["parent_id"])  # noqa: E731
        path = r"/replies$"
    else:
        doc = fake.tiktok.add_creator("maker")
        business = fake.tiktok_business.add_business("maker")
        account = add_account(ws, "tiktok", {**doc, "business": business})
        video = fake.tiktok.add_video(doc["user_id"], "Tofu")
        fake.tiktok_business.attach_video(business["business_id"], video)
        top = fake.tiktok_business.add_comment(video, "how long?")
        count = lambda: len(fake.tiktok_business.replies_to(top))  # noqa: E731
        path = r"/reply/create/$"
    published(ws, account, video)
    sync_comments(ws, account, connector=connector(ws, account, fake))
    [item] = InboxRepo(ws.store).listing(InboxQuery())
    return ws, item, count, path


def _worker(ws: Workspace, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--home", str(ws.home.root), "worker",
         "--lease-seconds", "2", *extra],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.parametrize("platform", ["youtube", "instagram", "tiktok"])
def test_never_twice_after_a_sigkill_between_send_and_record(tmp_path, fake, platform) -> None:
    ws, item, count, path = _setup(platform, tmp_path, fake)
    reply = queue_reply(ws, item.id, text="About 8 minutes!")
    held = fake.fault("hold", path, method="POST")
    worker = _worker(ws)
    try:
        assert held.hit.wait(60), "the worker never reached the reply request"
        os.kill(worker.pid, signal.SIGKILL)  # the platform acted; the answer never arrives
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
        held.release.set()
    assert count() == 1
    pending = ReplyRepo(ws.store).get(reply.id)
    assert pending is not None and pending.state == "pending" and pending.journal["intents"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the killed worker's lease lapses
        job = JobQueue(ws.store).get(pending.job_id or 0)
        if job is not None and (job.lease_until is None or job.lease_until < to_db(utcnow())):
            break
        time.sleep(0.2)
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "--home", str(ws.home.root), "worker", "--once"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    settled = ReplyRepo(ws.store).get(reply.id)
    assert settled is not None and settled.state == "sent" and settled.journal.get("found")
    assert count() == 1  # looked up on the platform, never sent twice
