"""storage/publications.py, publish_journal.py, quota.py and accounts.py on a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage.accounts import AccountError, AccountRepo, parse_name
from storage.jobs import JobQueue
from storage.posts import PostRepo
from storage.publications import NewPublication, PublicationError, PublicationRepo
from storage.publish_journal import PublicationJournal
from storage.quota import QuotaRepo
from storage.timefmt import to_db, utcnow


@pytest.fixture
def setup(store):
    post = PostRepo(store).add("Tofu", status="ready")
    account_id, _ = AccountRepo(store).upsert(
        "tiktok", "@maker", external_id=None, token_expires_at=None
    )
    return PublicationRepo(store), post.id, account_id


def test_one_publication_per_post_and_account(store, setup) -> None:
    repo, post_id, account_id = setup
    first = repo.add(NewPublication(post_id, account_id, "/a.mp4", scheduled_at=utcnow()))
    assert first.state == "scheduled" and first.job_state == "queued"
    assert PostRepo(store).get(post_id).status == "scheduled"
    with pytest.raises(PublicationError, match=f"already has publication {first.id}"):
        repo.add(NewPublication(post_id, account_id, "/b.mp4"))
    assert len(repo.listing()) == 1


def test_spacing_and_cap_are_checked_as_sending_begins(store, setup) -> None:
    repo, post_id, account_id = setup
    other = PostRepo(store).add("Two").id
    now = utcnow()
    a = repo.add(NewPublication(post_id, account_id, "/a.mp4", scheduled_at=now))
    b = repo.add(NewPublication(other, account_id, "/b.mp4", scheduled_at=now))
    started, until, _ = repo.begin_send(a.id, spacing=timedelta(minutes=30), now=now)
    assert started is not None and started.state == "publishing" and started.attempts == 1
    held, until, why = repo.begin_send(b.id, spacing=timedelta(minutes=30), now=now)
    assert held is None and until is not None and until > now and "spacing" in why
    capped, until, why = repo.begin_send(b.id, daily_cap=1, now=now)
    assert capped is None and "daily cap" in why
    later, _, _ = repo.begin_send(b.id, spacing=timedelta(minutes=30), now=now + timedelta(hours=1))
    assert later is not None


def test_cancel_retry_and_a_stuck_publication(store, setup) -> None:
    repo, post_id, account_id = setup
    pub = repo.add(NewPublication(post_id, account_id, "/a.mp4", scheduled_at=utcnow()))
    queue = JobQueue(store)
    [job] = queue.claim("w1", ["publish"], 30)
    repo.begin_send(pub.id)
    asked = repo.cancel(pub.id)  # running: only a request
    assert asked.state == "publishing" and queue.get(job.id).cancel_requested
    queue.fail(job.id, "w1", "boom", retryable=False)  # the job died
    retried = repo.retry(pub.id)  # stuck in publishing: a new job, the journal kept
    assert retried.state == "scheduled" and retried.job_id != job.id
    repo.mark_published(pub.id, "123", "https://x/123")
    with pytest.raises(PublicationError, match="already gone to the platform"):
        repo.cancel(pub.id)
    assert PostRepo(store).get(post_id).status == "published"


def test_a_final_failure_lets_retry_start_afresh(store, setup) -> None:
    repo, post_id, account_id = setup
    pub = repo.add(NewPublication(post_id, account_id, "/a.mp4", scheduled_at=utcnow()))
    journal = PublicationJournal(store, pub.id)
    journal.intend("init", size=10)
    assert journal.doubtful("init")
    journal.record("init", publish_id="p1")
    assert not journal.doubtful("init") and journal.state()["publish_id"] == "p1"
    repo.mark_failed(pub.id, "soft")
    repo.retry(pub.id)
    assert journal.state()["publish_id"] == "p1"  # kept: the platform may have it
    repo.mark_failed(pub.id, "refused", final=True)
    repo.retry(pub.id)
    assert "publish_id" not in journal.state()


def test_edit_moves_the_job_with_the_time(store, setup) -> None:
    repo, post_id, account_id = setup
    pub = repo.add(NewPublication(post_id, account_id, "/a.mp4"))
    assert pub.state == "draft" and pub.job_id is None
    when = utcnow() + timedelta(days=2)
    edited = repo.edit(pub.id, caption="new", scheduled_at=when)
    assert edited.state == "scheduled" and edited.caption == "new"
    assert edited.job_run_at == to_db(when)
    later = when + timedelta(hours=3)
    assert repo.edit(pub.id, scheduled_at=later).job_run_at == to_db(later)


def test_quota_take_stops_at_the_limit(store) -> None:
    quota = QuotaRepo(store)
    assert quota.take("s", "b", "2026-11-28", 6, 10) == 6
    assert quota.take("s", "b", "2026-11-28", 5, 10) is None
    assert quota.take("s", "b", "2026-11-28", 4, 10) == 10
    assert quota.take("s", "b", "2026-11-29", 11, 10) is None
    assert quota.charge("s", "b", "2026-11-28", 3) == 13


def test_account_names() -> None:
    assert parse_name("TikTok:@maker") == ("tiktok", "maker")
    for bad in ("tiktok", "myspace:x", "youtube:@"):
        with pytest.raises(AccountError):
            parse_name(bad)
