"""Team mode: a publication is posted once across two workers on two boxes.

Two homes (two boxes) share one PostgreSQL database and the fake platform server;
the secrets file is copied to the second box as a team would. The first box's
worker is SIGKILLed while the platform's answer to its creating request is held
(the platform has acted: the final chunk made the post). The second box's worker
finds the job stalled (procrastinate's heartbeat stopped), takes it, asks the
platform what it already has, and finishes without posting again.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakeplatforms import FakePlatforms
from publishing import ROOT, add_account, make_clip, reelroom_run

from app.team_worker import STALLED_AFTER_S
from app.workspace import open_workspace
from storage.posts import PostRepo
from storage.publications import PublicationRepo

RECOVERY_WAIT_S = STALLED_AFTER_S + 60  # generous: recovery is due after ~STALLED_AFTER_S


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "tofu.mp4")


def box(root: Path, url: str, fake: FakePlatforms) -> Path:
    """One machine's home: the shared database, the fake's endpoints, no spacing."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(
        '[workspace]\ntimezone = "Europe/Berlin"\n'
        f'[storage]\nurl = "{url}"\n'
        "[worker]\nmax_attempts = 4\n"
        "[publish]\nspacing_minutes = 0\npoll_seconds = 1\n" + fake.config_toml(),
        encoding="utf-8",
    )
    return root


def start_worker(home: Path) -> subprocess.Popen[bytes]:
    log = (home / "worker.err").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--home", str(home), "worker"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


FINAL_STEPS = [
    ("tiktok", r"/tiktok-upload/"),  # the only (so final) chunk: completes the post
    ("youtube", r"/upload/youtube/v3/videos"),  # the final chunk: creates the video
]


@pytest.mark.parametrize(("platform", "path"), FINAL_STEPS, ids=["tiktok", "youtube"])
def test_a_publication_is_posted_once_across_two_workers_when_the_first_dies_mid_answer(
    tmp_path, pg_url, fake, clip, platform, path
):
    first = box(tmp_path / "box1", pg_url, fake)
    second = box(tmp_path / "box2", pg_url, fake)
    ws = open_workspace(str(first))
    PostRepo(ws.store).add("Crispy tofu", status="ready")
    doc = (
        fake.tiktok.add_creator("maker")
        if platform == "tiktok"
        else fake.youtube.add_channel("maker")
    )
    add_account(first, platform, doc)
    shutil.copy2(ws.home.secrets_path, open_workspace(str(second)).home.secrets_path)
    added = reelroom_run(
        first, "publish", "add", "--post", "1", "--account", f"{platform}:maker",
        "--file", str(clip), "--caption", "Crispy tofu #tofu", "--title", "Crispy tofu",
        "--at", "now",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    pub_id = int(added.stdout.strip())
    held = fake.fault(
        "hold", path, method="PUT", when=lambda r: "*" not in (r.header("content-range") or "")
    )
    made = fake.tiktok.posts if platform == "tiktok" else fake.youtube.videos
    dying = start_worker(first)
    try:
        assert held.hit.wait(120), (first / "worker.err").read_text(errors="replace")
        os.kill(dying.pid, signal.SIGKILL)  # the platform acted; the answer never arrives
        dying.wait(30)
    finally:
        if dying.poll() is None:
            dying.kill()
        held.release.set()
    assert len(made()) == 1
    repo = PublicationRepo(ws.store)
    assert repo.must(pub_id).state == "publishing"
    other = start_worker(second)
    try:
        deadline = time.monotonic() + RECOVERY_WAIT_S
        while time.monotonic() < deadline and repo.must(pub_id).state != "published":
            time.sleep(0.5)
    finally:
        stop(other)
    done = repo.must(pub_id)
    assert done.state == "published", (second / "worker.err").read_text(errors="replace")[-3000:]
    assert len(made()) == 1
    assert done.remote_id
    ws.store.close()
