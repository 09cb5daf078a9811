"""Numbers from the fake platforms: `reelroom metrics sync` and the worker's `metrics` jobs.

Publications go out through `reelroom worker --once` (real processes, the fake
platforms on loopback); the fakes' numbers grow as their clock advances, and
every fetch is a new snapshot next to the old ones.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fakeplatforms import FakePlatforms
from publishing import add_account, make_clip, publishing_home, reelroom_run

from storage import Store
from storage.timefmt import from_db, to_db, utcnow

PLATFORMS = ("tiktok", "youtube", "instagram", "kuaishou")


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "tofu.mp4")


def run(home: Path, *args: str) -> str:
    done = reelroom_run(home, *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def published_home(tmp_path: Path, fake: FakePlatforms, clip: Path) -> Path:
    """A workspace with the post published on every platform's fake."""
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    add_account(home, "youtube", fake.youtube.add_channel("maker"))
    add_account(home, "instagram", fake.instagram.add_account("maker"))
    add_account(home, "kuaishou", fake.kuaishou.add_account("maker"))
    for platform in PLATFORMS:
        run(
            home, "publish", "add", "--post", "1", "--account", f"{platform}:maker",
            "--file", str(clip), "--caption", "Crispy tofu #tofu", "--title", "Crispy tofu",
            "--at", "now",
        )  # fmt: skip
    run(home, "worker", "--once")
    [media] = fake.instagram.media()
    media.insights = {"views": 300, "reach": 250, "likes": 20, "comments": 2, "shares": 1, "saved": 4, "total_interactions": 27}  # fmt: skip
    media.insights_per_hour = {"views": 90, "likes": 6}
    [photo] = fake.kuaishou.photos()
    photo.counts = {"view_count": 800, "like_count": 40, "comment_count": 3}
    photo.counts_per_hour = {"view_count": 120}
    return home


def snapshots(home: Path) -> dict[str, list[dict]]:
    store = Store(home / "reelroom.db")
    rows = store.conn.execute(
        "SELECT a.platform, s.* FROM metric_snapshots s JOIN publications p "
        "ON p.id = s.publication_id JOIN accounts a ON a.id = p.account_id "
        "ORDER BY a.platform, s.captured_at"
    ).fetchall()
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(r["platform"], []).append(dict(r))
    store.close()
    return out


def test_sync_fetches_every_platform_and_numbers_grow_with_the_fake_clock(
    tmp_path, fake, clip
) -> None:
    home = published_home(tmp_path, fake, clip)
    first = json.loads(run(home, "metrics", "sync", "--json"))["accounts"]
    assert {a["account"]: (a["asked"], a["added"]) for a in first} == {
        f"{p}:maker": (1, 1) for p in PLATFORMS
    }
    assert all(a["followers"] for a in first)
    fake.clock.advance(3 * 3600)
    # Snapshot times are whole UTC seconds and one publication keeps one snapshot per
    # second: the second sync must start in a later second than the first.
    time.sleep(1.05 - time.time() % 1)
    run(home, "metrics", "sync")
    snaps = snapshots(home)
    for platform in PLATFORMS:
        before, after = snaps[platform]
        assert after["views"] > before["views"], platform
        assert after["captured_at"] > before["captured_at"]
        assert {before["source"], after["source"]} == {"sync"}
    tiktok, youtube = snaps["tiktok"][-1], snaps["youtube"][-1]
    assert tiktok["shares"] is not None and tiktok["saves"] is None  # TikTok gives no saves
    assert youtube["avg_view_pct"] == 72.5 and youtube["watch_time_s"] > 0
    assert youtube["followers_gained"] is not None and youtube["shares"] is None
    instagram = snaps["instagram"][-1]
    assert (instagram["saves"], instagram["reach"], instagram["total_interactions"]) == (4, 250, 27)
    assert snaps["kuaishou"][-1]["saves"] is None and snaps["kuaishou"][-1]["shares"] is None
    store = Store(home / "reelroom.db")
    followers = store.conn.execute(
        "SELECT count(*), count(DISTINCT account_id) FROM account_snapshots"
    ).fetchone()
    assert tuple(followers) == (8, 4)
    grew = store.conn.execute(
        "SELECT sum(follower_change) FROM metric_buckets WHERE follower_change IS NOT NULL"
    ).fetchone()[0]
    assert grew > 0  # the fakes' follower counts grow with their clock
    latest = store.conn.execute("SELECT sum(snapshots) FROM metric_pubs").fetchone()[0]
    assert latest == 8


def test_analytics_refused_leaves_those_numbers_empty(tmp_path, fake, clip) -> None:
    home = published_home(tmp_path, fake, clip)
    fake.youtube.analytics_allowed = False
    run(home, "metrics", "sync", "--account", "youtube:maker")
    [snap] = snapshots(home)["youtube"]
    assert snap["views"] >= 1500 and snap["watch_time_s"] is None and snap["avg_view_pct"] is None


def test_the_worker_follows_a_short_on_its_schedule_with_one_job_per_account(
    tmp_path, fake, clip
) -> None:
    home = published_home(tmp_path, fake, clip)
    store = Store(home / "reelroom.db")
    waiting = (
        "SELECT id, run_at, payload_json FROM jobs WHERE kind = 'metrics' AND state = 'queued'"
    )
    jobs = store.conn.execute(waiting).fetchall()
    assert len(jobs) == 4  # the publish handler asked for each account's first fetch
    soon = to_db(utcnow())
    for job in jobs:  # about an hour after going out; nothing runs before
        assert job["run_at"] > soon
    run(home, "worker", "--once")
    assert store.conn.execute("SELECT count(*) FROM metric_snapshots").fetchone()[0] == 0
    store.conn.execute("UPDATE jobs SET run_at = ? WHERE kind = 'metrics'", (soon,))
    run(home, "worker", "--once")  # run early: nothing is due yet, so nothing is asked
    assert store.conn.execute("SELECT count(*) FROM metric_snapshots").fetchone()[0] == 0
    assert len(store.conn.execute(waiting).fetchall()) == 4
    # An hour later (the publications went out 61 minutes ago): each is due.
    for pub_id, at in store.conn.execute("SELECT id, published_at FROM publications").fetchall():
        earlier = to_db(from_db(at) - timedelta(minutes=61))
        store.conn.execute(
            "UPDATE publications SET published_at = ? WHERE id = ?", (earlier, pub_id)
        )
    soon = to_db(utcnow())
    store.conn.execute(
        "UPDATE jobs SET run_at = ? WHERE kind = 'metrics' AND state = 'queued'", (soon,)
    )
    run(home, "worker", "--once")
    assert store.conn.execute("SELECT count(*) FROM metric_snapshots").fetchone()[0] == 4
    done = store.conn.execute(
        "SELECT count(*) FROM jobs WHERE kind = 'metrics' AND state = 'done'"
    ).fetchone()[0]
    assert done == 8
    nexts = store.conn.execute(waiting).fetchall()
    assert len(nexts) == 4 and {json.loads(j["payload_json"])["account_id"] for j in nexts} == {
        1, 2, 3, 4,
    }  # fmt: skip
    for job in nexts:  # hourly in the first 48 hours
        wait = from_db(job["run_at"]) - from_db(soon)
        assert 50 * 60 < wait.total_seconds() < 70 * 60
    run(home, "worker", "--once")  # a worker start adds no second job per account
    assert len(store.conn.execute(waiting).fetchall()) == 4
