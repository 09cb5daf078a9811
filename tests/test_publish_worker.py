"""`reelroom worker` publishing due publications to the fake platforms (real processes):
published with URL and event, processing without holding a slot, spacing and caps,
clear failures, and never twice when a worker is SIGKILLed mid-request."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from publishing import ROOT, add_account, make_clip, publishing_home, reelroom_run

from storage import Store
from storage.jobs import JobQueue
from storage.publications import PublicationRepo
from storage.timefmt import to_db, utcnow


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "tofu.mp4")


def add_pub(home: Path, account: str, clip: Path, *extra: str) -> int:
    done = reelroom_run(
        home, "publish", "add", "--post", "1", "--account", account, "--file", str(clip),
        "--caption", "Crispy tofu #tofu", "--title", "Crispy tofu", "--at", "now", *extra,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


def show(home: Path, pub_id: int) -> dict:
    done = reelroom_run(home, "publish", "show", str(pub_id), "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def worker_once(home: Path, *extra: str) -> subprocess.CompletedProcess:
    done = reelroom_run(home, "worker", "--once", *extra)
    assert done.returncode == 0, done.stderr
    return done


def test_worker_once_publishes_to_tiktok_and_youtube(tmp_path, fake, clip) -> None:
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    add_account(home, "youtube", fake.youtube.add_channel("maker"))
    tt = add_pub(home, "tiktok:maker", clip, "--branded-content")
    yt = add_pub(home, "youtube:maker", clip)
    worker_once(home)
    tiktok, youtube = show(home, tt), show(home, yt)
    assert tiktok["state"] == "published" and "tiktok.com/@maker/video/" in tiktok["remote_url"]
    assert youtube["state"] == "published" and youtube["remote_url"].endswith(youtube["remote_id"])
    assert len(fake.tiktok.posts()) == 1 and len(fake.youtube.videos()) == 1
    assert fake.tiktok.posts()[0].post_info["brand_content_toggle"] is True
    assert [s["step"] for s in tiktok["steps"]][:2] == ["creator_info", "init"]
    store = Store(home / "reelroom.db")
    assert store.conn.execute("SELECT status FROM posts WHERE id = 1").fetchone()[0] == "published"
    kinds = [
        r[0] for r in store.conn.execute("SELECT kind FROM events WHERE entity = 'publication'")
    ]
    assert kinds.count("publication.published") == 2


def test_processing_frees_the_worker_and_is_asked_again(tmp_path, fake, clip) -> None:
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    fake.tiktok.processing_s = 3600
    pub_id = add_pub(home, "tiktok:maker", clip)
    worker_once(home)  # returns: the job waits in the queue, not in a worker
    waiting = show(home, pub_id)
    assert waiting["state"] == "processing" and waiting["job"]["state"] == "queued"
    assert waiting["job"]["run_at"] > to_db(utcnow())
    fake.clock.advance(3700)
    assert reelroom_run(home, "publish", "now", str(pub_id)).returncode == 0  # ask now
    worker_once(home)
    assert show(home, pub_id)["state"] == "published"
    assert len(fake.tiktok.posts()) == 1 and len(fake.server.seen_paths("POST", "/init/")) == 1


def test_spacing_and_daily_cap_hold_publications_back(tmp_path, fake, clip) -> None:
    home = publishing_home(tmp_path / "home", fake)
    (home / "config.toml").write_text(
        (home / "config.toml").read_text().replace("spacing_minutes = 0", "spacing_minutes = 45")
    )
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    first = add_pub(home, "tiktok:maker", clip)
    store = Store(home / "reelroom.db")
    second_post = store.conn.execute(
        "INSERT INTO posts (title, created_at, updated_at) VALUES ('Two', ?, ?) RETURNING id",
        (to_db(utcnow()), to_db(utcnow())),
    ).fetchone()[0]
    done = reelroom_run(
        home, "publish", "add", "--post", str(second_post), "--account", "tiktok:maker",
        "--file", str(clip), "--at", "now",
    )  # fmt: skip
    second = int(done.stdout)
    worker_once(home)
    assert show(home, first)["state"] == "published"
    held = show(home, second)
    assert held["state"] == "scheduled" and "45 minutes' spacing" in held["note"]
    assert held["job"]["run_at"] > to_db(utcnow())
    assert len(fake.tiktok.posts()) == 1


def test_quota_exhausted_is_a_clear_failure_not_a_retry_loop(tmp_path, fake, clip) -> None:
    home = publishing_home(tmp_path / "home", fake, extra="youtube_insert_own_bucket = false\n")
    add_account(home, "youtube", fake.youtube.add_channel("maker"))
    fake.youtube.daily_units = 1000  # YouTube has less than we believe
    pub_id = add_pub(home, "youtube:maker", clip)
    worker_once(home)
    failed = show(home, pub_id)
    assert failed["state"] == "failed" and "quotaExceeded" in failed["error"]
    assert "resets at" in failed["error"] and failed["job"]["state"] == "done"
    worker_once(home)
    assert len(fake.server.seen_paths("POST", "/upload/")) == 1


def test_a_refused_login_marks_the_account_and_fails_clearly(tmp_path, fake, clip) -> None:
    home = publishing_home(tmp_path / "home", fake)
    doc = fake.tiktok.add_creator("maker")
    add_account(home, "tiktok", doc)
    pub_id = add_pub(home, "tiktok:maker", clip)
    fake.tiktok.revoke(doc["user_id"])
    worker_once(home)
    failed = show(home, pub_id)
    assert failed["state"] == "failed" and "accounts add tiktok maker" in failed["error"]
    [account] = json.loads(reelroom_run(home, "accounts", "list", "--json").stdout)
    assert account["state"] == "needs_login"


# --- never twice: a worker killed while its creating request is in flight -----------------


def start_worker(home: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--home", str(home), "worker", "--lease-seconds", "2"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_lease_to_lapse(home: Path, pub_id: int) -> None:
    store = Store(home / "reelroom.db")
    repo, queue = PublicationRepo(store), JobQueue(store)
    pub = repo.must(pub_id)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = queue.get(pub.job_id or 0)
        if job is not None and (job.lease_until is None or job.lease_until < to_db(utcnow())):
            return
        time.sleep(0.2)
    raise AssertionError("the killed worker's lease never lapsed")


CREATING_STEPS = [
    ("tiktok", "POST", r"/v2/post/publish/video/init/"),
    ("tiktok", "PUT", r"/tiktok-upload/"),  # the only (so final) chunk: completes the post
    ("youtube", "POST", r"/upload/youtube/v3/videos"),
    ("youtube", "PUT", r"/upload/youtube/v3/videos"),  # the final chunk: creates the video
]


@pytest.mark.parametrize(
    ("platform", "method", "path"),
    CREATING_STEPS,
    ids=["tt-init", "tt-final", "yt-session", "yt-final"],
)
def test_never_twice_after_sigkill_mid_request(tmp_path, fake, clip, platform, method, path):
    home = publishing_home(tmp_path / "home", fake)
    doc = (
        fake.tiktok.add_creator("maker")
        if platform == "tiktok"
        else fake.youtube.add_channel("maker")
    )
    add_account(home, platform, doc)
    pub_id = add_pub(home, f"{platform}:maker", clip)
    held = fake.fault(
        "hold", path, method=method,
        when=(lambda r: "*" not in (r.header("content-range") or "")) if method == "PUT" else None,
    )  # fmt: skip
    worker = start_worker(home)
    try:
        assert held.hit.wait(60), "the worker never reached the creating request"
        os.kill(worker.pid, signal.SIGKILL)  # the platform acted; the answer never arrives
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
        held.release.set()
    made = fake.tiktok.posts if platform == "tiktok" else fake.youtube.videos
    acted = len(made())
    assert acted == (0 if method == "POST" else 1)  # init/session alone make no post yet
    assert show(home, pub_id)["state"] == "publishing"
    wait_for_lease_to_lapse(home, pub_id)
    worker_once(home)
    done = show(home, pub_id)
    assert done["state"] == "published", done
    assert len(made()) == 1
    assert (
        done["remote_id"]
        in {str(p.post_id) for p in fake.tiktok.posts()}
        | {v.video_id for v in fake.youtube.videos()}
        or platform == "tiktok"
    )
