"""The publish queue as the Publish tab reads it: keyset pages by time, drafts last."""

from __future__ import annotations

from datetime import timedelta

from conftest import FROZEN
from rows import add_account, add_post, add_publication

from storage import Store
from storage.publish_queue import PublishQueueRepo, QueueQuery, key_of


def _queue(store: Store) -> tuple[list[int], int, int]:
    tiktok, youtube = add_account(store, "tiktok", "maker"), add_account(store, "youtube", "c")
    ids = []
    for i in range(25):
        post = add_post(store, f"Post {i}", "ready")
        when = None if i >= 22 else FROZEN + timedelta(hours=i - 10)
        state = "draft" if when is None else ("published" if i < 10 else "scheduled")
        out = when if state == "published" else None
        ids.append(add_publication(store, post, tiktok if i % 2 else youtube, state, when, out))
    return ids, tiktok, youtube


def test_pages_walk_the_queue_both_ways_with_drafts_last(store: Store) -> None:
    ids, tiktok, _ = _queue(store)
    repo = PublishQueueRepo(store)
    everything = QueueQuery()
    walked, after = [], None
    while True:
        page = repo.page(everything, after=after, limit=7)
        walked += [p.id for p in page]
        if len(page) < 7:
            break
        after = key_of(page[-1])
    assert walked == ids  # by time, then the three without a time
    back = repo.page(everything, after=key_of(repo.page(everything, limit=25)[-1]), backwards=True)
    assert [p.id for p in back] == ids[-2::-1]
    assert [p.id for p in repo.page(everything, backwards=True, limit=3)] == ids[:-4:-1]
    around = repo.page(everything, after=repo.key_at(FROZEN), limit=2)
    assert [p.id for p in around] == ids[10:12]  # at or after FROZEN
    only = QueueQuery(states=("scheduled",), account_id=tiktok)
    assert {p.id for p in repo.page(only)} == {ids[i] for i in range(11, 22, 2)}
    assert repo.count(only) == 6 and repo.count(everything) == 25
    assert repo.counts() == {"published": 10, "scheduled": 12, "draft": 3}
    assert repo.counts(tiktok)["scheduled"] == 6
