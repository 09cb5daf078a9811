"""`reelroom worker` publishing to the fake Instagram and Kuaishou (real processes):
published with the permalink, never twice when a worker is SIGKILLed while a creating
request is in flight after the platform acted, and no secret anywhere but the secrets file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from fakeplatforms import FakePlatforms
from publishing import ROOT, add_account, make_clip, publishing_home, reelroom_run
from test_publish_secrets import all_argv
from test_publish_worker import add_pub, show, start_worker, wait_for_lease_to_lapse, worker_once


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "tofu.mp4")


def made(fake: FakePlatforms, platform: str) -> list[str]:
    if platform == "instagram":
        return [m.media_id for m in fake.instagram.media()]
    return [p.photo_id for p in fake.kuaishou.photos()]


def account_doc(fake: FakePlatforms, platform: str, **kw: float) -> dict:
    if platform == "instagram":
        return fake.instagram.add_account("maker", **kw)
    return fake.kuaishou.add_account("maker")


def test_worker_once_publishes_to_instagram_and_kuaishou(tmp_path, fake, clip) -> None:
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "instagram", fake.instagram.add_account("maker"))
    add_account(home, "kuaishou", fake.kuaishou.add_account("maker"))
    ig = add_pub(home, "instagram:maker", clip)
    ks = add_pub(home, "kuaishou:maker", clip)
    worker_once(home)
    reel, photo = show(home, ig), show(home, ks)
    [media] = fake.instagram.media()
    [kphoto] = fake.kuaishou.photos()
    assert reel["state"] == "published" and reel["remote_url"] == media.permalink
    assert photo["state"] == "published" and photo["remote_id"] == kphoto.photo_id
    assert kphoto.cover.startswith(b"\xff\xd8")  # a frame of the clip, taken by ffmpeg
    steps = [s["step"] for s in reel["steps"]]
    assert steps.index("publishing_limit") < steps.index("media_publish")


CREATING_STEPS = [
    ("instagram", "POST", r"/instagram/\d+/media$"),  # the container (harmless when lost)
    ("instagram", "POST", r"/media_publish$"),  # the reel itself
    ("kuaishou", "POST", r"/openapi/photo/publish"),  # the photo itself
]


@pytest.mark.parametrize(
    ("platform", "method", "path"), CREATING_STEPS, ids=["ig-container", "ig-publish", "ks-publish"]
)
def test_never_twice_after_sigkill_mid_request(tmp_path, fake, clip, platform, method, path):
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, platform, account_doc(fake, platform))
    pub_id = add_pub(home, f"{platform}:maker", clip)
    held = fake.fault("hold", path, method=method)
    worker = start_worker(home)
    try:
        assert held.hit.wait(60), "the worker never reached the creating request"
        os.kill(worker.pid, signal.SIGKILL)  # the platform acted; the answer never arrives
        worker.wait(30)
    finally:
        if worker.poll() is None:
            worker.kill()
        held.release.set()
    acted = made(fake, platform)
    assert len(acted) == (0 if path.endswith("media$") else 1)
    assert show(home, pub_id)["state"] == "publishing"
    wait_for_lease_to_lapse(home, pub_id)
    worker_once(home)
    done = show(home, pub_id)
    assert done["state"] == "published", done
    assert made(fake, platform) == [done["remote_id"]]  # exactly one post, and it is ours
    if not path.endswith("media$"):
        assert done["remote_id"] == acted[0]


def every_secret(fake: FakePlatforms) -> set[str]:
    found = set(fake.instagram.tokens) | set(fake.kuaishou.access) | set(fake.kuaishou.refresh)
    return found | set(fake.kuaishou.apps.values())


def test_meta_secrets_appear_nowhere_but_the_secrets_file(tmp_path, fake, clip) -> None:
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "instagram", fake.instagram.add_account("maker", age_s=25 * 3600))
    add_account(home, "kuaishou", fake.kuaishou.add_account("maker"))
    outputs: list[str] = []

    def run(*args: str) -> None:
        done = reelroom_run(home, *args)
        outputs.extend([done.stdout, done.stderr])

    for account in ("instagram:maker", "kuaishou:maker"):
        run("publish", "add", "--post", "1", "--account", account, "--file", str(clip),
            "--caption", "Tofu #tofu", "--at", "now", "--json")  # fmt: skip
    fake.clock.advance(49 * 3600)  # Kuaishou refuses its token now: refresh and rotate
    held = fake.fault("hold", r"/kuaishou-upload/", method="POST")
    worker = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--home", str(home), "worker", "--once"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert held.hit.wait(60)
        argv_while_running = all_argv()
    finally:
        held.release.set()
    out, err = worker.communicate(timeout=120)
    outputs += [out, err]
    for args in (
        ("accounts", "list", "--json"),
        ("accounts", "check", "instagram:maker", "--json"),
        ("accounts", "check", "kuaishou:maker", "--json"),
        ("publish", "list", "--json"),
        ("publish", "show", "1", "--json"),
        ("publish", "show", "2"),
    ):
        run(*args)
    assert fake.instagram.refreshes == 1 and fake.kuaishou.refreshes == 1
    assert len(fake.instagram.media()) == 1 and len(fake.kuaishou.photos()) == 1
    secrets = every_secret(fake)
    kept = (home / "secrets.json").read_text()
    assert any(s in kept for s in secrets)
    files = [p for p in home.rglob("*") if p.is_file() and p.name != "secrets.json"]
    haystacks = {str(p): p.read_bytes().decode("utf-8", "replace") for p in files}
    haystacks.update({f"output {i}": text for i, text in enumerate(outputs)})
    haystacks.update({f"argv {i}": text for i, text in enumerate(argv_while_running)})
    for where, text in haystacks.items():
        for secret in secrets:
            assert secret not in text, f"a secret leaked into {where}"
