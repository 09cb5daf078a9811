"""Secrets never leave the secrets file: not the database (its WAL, the step log, events),
not logs/worker.log, not any --json output or message, not any process's argv."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fakeplatforms import FakePlatforms
from publishing import ROOT, add_account, make_clip, publishing_home, reelroom_run


def every_secret(fake: FakePlatforms) -> set[str]:
    """Every token and client secret the fake ever issued (rotated ones included)."""
    found = set(fake.tiktok.access) | set(fake.tiktok.refresh) | set(fake.tiktok.clients.values())
    found |= set(fake.youtube.access) | set(fake.youtube.refresh)
    found |= set(fake.youtube.clients.values())
    return found


def all_argv() -> list[str]:
    texts = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                texts.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                continue
    return texts


def test_secrets_appear_nowhere_but_the_secrets_file(tmp_path, fake) -> None:
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    add_account(home, "youtube", fake.youtube.add_channel("maker"))
    clip = make_clip(tmp_path / "clip.mp4")
    outputs: list[str] = []

    def run(*args: str) -> None:
        done = reelroom_run(home, *args)
        outputs.extend([done.stdout, done.stderr])

    for account in ("tiktok:maker", "youtube:maker"):
        run("publish", "add", "--post", "1", "--account", account, "--file", str(clip),
            "--title", "Tofu", "--caption", "Tofu #tofu", "--at", "now", "--json")  # fmt: skip
    fake.clock.advance(25 * 3600)  # both platforms now refuse the tokens: refresh, rotate
    held = fake.fault("hold", r"/tiktok-upload/", method="PUT")
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
    fake.tiktok.fail_reason = "spam_risk_text"  # one failure, with its message, for good measure
    for args in (
        ("accounts", "list", "--json"),
        ("accounts", "check", "tiktok:maker", "--json"),
        ("accounts", "check", "youtube:maker", "--json"),
        ("publish", "list", "--json"),
        ("publish", "show", "1", "--json"),
        ("publish", "show", "2", "--json"),
        ("publish", "show", "1"),
        ("publish", "due", "--json"),
    ):
        run(*args)
    assert fake.tiktok.refreshes >= 1 and fake.youtube.refreshes >= 1
    secrets = every_secret(fake)
    assert len(secrets) >= 8
    kept = (home / "secrets.json").read_text()
    assert any(s in kept for s in secrets)  # the rotated tokens are in the secrets file
    files = [p for p in home.rglob("*") if p.is_file() and p.name != "secrets.json"]
    assert any(p.name == "worker.log" for p in files) and any(
        p.name == "reelroom.db" for p in files
    )
    haystacks = {str(p): p.read_bytes().decode("utf-8", "replace") for p in files}
    haystacks.update({f"output {i}": text for i, text in enumerate(outputs)})
    haystacks.update({f"argv {i}": text for i, text in enumerate(argv_while_running)})
    for where, text in haystacks.items():
        for secret in secrets:
            assert secret not in text, f"a secret leaked into {where}"
