"""Helpers shared by the connector, worker and CLI publishing tests."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from fakeplatforms import FakePlatforms

from platforms.base import PublishRequest
from platforms.common import ConnectorContext
from platforms.credentials import StoredKeeper, parse_credentials, to_entry
from platforms.http import RetryPolicy
from storage.secrets import SecretsFile

MiB = 1024 * 1024


class Sleeps:
    """A `sleep` that records each wait and moves the fake clock instead of waiting."""

    def __init__(self, fake: FakePlatforms) -> None:
        self.fake = fake
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.fake.clock.advance(seconds)


def make_blob(path: Path, size: int) -> Path:
    """A file of `size` pseudo-random bytes (written a MiB at a time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    block = os.urandom(MiB)
    with path.open("wb") as fh:
        left = size
        while left > 0:
            fh.write(block[: min(MiB, left)])
            left -= MiB
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(MiB), b""):
            digest.update(block)
    return digest.hexdigest()


def endpoints(fake: FakePlatforms, platform: str) -> dict[str, str]:
    url = fake.url
    return {
        "tiktok": {"api_base": f"{url}/tiktok", "business_api_base": f"{url}/tiktok-business"},
        "youtube": {
            "api_base": f"{url}/youtube",
            "analytics_base": f"{url}/youtube-analytics",
            "token_url": f"{url}/youtube/token",
        },
        "instagram": {"api_base": f"{url}/instagram"},
        "kuaishou": {"api_base": f"{url}/kuaishou"},
    }[platform]


def context(
    fake: FakePlatforms,
    platform: str,
    creds_doc: dict[str, Any],
    secrets_path: Path,
    *,
    handle: str = "maker",
    sleeps: Sleeps | None = None,
    quota: Any = None,
    settings: dict[str, Any] | None = None,
    chunk_bytes: int | None = None,
    clock: Any = None,
) -> tuple[ConnectorContext, StoredKeeper]:
    """A connector context for an account whose credentials are in a fresh secrets file."""
    account = f"{platform}:{handle}"
    secrets = SecretsFile(secrets_path)
    secrets.put(account, to_entry(parse_credentials(creds_doc)))
    keeper = StoredKeeper(secrets, account)
    ctx = ConnectorContext(
        account=account,
        endpoints=endpoints(fake, platform),
        keeper=keeper,
        quota=quota,
        settings=settings or {},
        sleep=sleeps or Sleeps(fake),
        policy=RetryPolicy(attempts=4, base_s=0.5, cap_s=2.0),
        chunk_bytes=chunk_bytes,
        clock=clock,
    )
    return ctx, keeper


def request_for(
    file: Path, *, publication_id: int = 1, caption: str = "Crispy tofu in 60 s #tofu", **kw: Any
) -> PublishRequest:
    return PublishRequest(
        publication_id=publication_id,
        file=file,
        size_bytes=file.stat().st_size,
        content_type="video/mp4",
        caption=caption,
        **kw,
    )


def no_progress(_fraction: float) -> None:
    pass


def never_stop() -> bool:
    return False


def ledger(tmp_path: Path) -> Any:
    """A real quota ledger in a fresh workspace database."""
    from storage import Store
    from storage.quota import QuotaRepo

    return QuotaRepo(Store(tmp_path / "quota.db"))


ROOT = Path(__file__).resolve().parents[1]


def reelroom_run(home: Path, *args: str, stdin: str | None = None) -> Any:
    """Run `reelroom --home HOME ARGS…` to the end in its own process."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-m", "app.cli", "--home", str(home), *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def make_clip(path: Path, *, size: str = "360x640", seconds: float = 3.2) -> Path:
    """A short fast-start MP4 every platform's preflight takes (vertical, 24 fps, AAC)."""
    from media import run_ffmpeg

    path.parent.mkdir(parents=True, exist_ok=True)
    run_ffmpeg(
        "-f", "lavfi", "-i", f"testsrc2=s={size}:r=24:d={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ar", "48000", "-b:a", "64k", "-shortest",
        "-movflags", "+faststart", "file:" + str(path),
    )  # fmt: skip
    return path


def publishing_home(root: Path, fake: FakePlatforms, *, extra: str = "") -> Path:
    """A workspace whose platforms point at the fake, with a post (id 1), no spacing."""
    from storage import Store
    from storage.posts import PostRepo

    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(
        '[workspace]\ntimezone = "Europe/Berlin"\n'
        "[worker]\nmax_attempts = 4\n"
        "[publish]\nspacing_minutes = 0\npoll_seconds = 1\n" + extra + fake.config_toml(),
        encoding="utf-8",
    )
    store = Store(root / "reelroom.db")
    PostRepo(store).add("Crispy tofu", status="ready")
    store.close()
    return root


def add_account(home: Path, platform: str, doc: dict[str, Any], handle: str = "@maker") -> None:
    """`reelroom accounts add` with a credentials file (0600) holding `doc`."""
    import json

    creds = home / f"creds-{platform}.json"
    creds.write_text(json.dumps(doc), encoding="utf-8")
    creds.chmod(0o600)
    done = reelroom_run(home, "accounts", "add", platform, handle, "--credentials", str(creds))
    assert done.returncode == 0, done.stderr
    creds.unlink()
