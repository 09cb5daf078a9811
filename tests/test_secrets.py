"""storage/secrets.py and platforms/credentials.py: the owner-only secrets file."""

from __future__ import annotations

import json
import os
import stat
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from platforms.base import Credentials
from platforms.credentials import (
    CredentialsError,
    StoredKeeper,
    from_entry,
    parse_credentials,
    to_entry,
)
from storage.secrets import SecretsError, SecretsFile


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_created_owner_only_and_rewritten_atomically(tmp_path: Path) -> None:
    old_umask = os.umask(0o000)  # even a permissive umask gives 0600
    try:
        secrets = SecretsFile(tmp_path / "secrets.json")
        secrets.put("tiktok:maker", {"access_token": "tok-1"})
    finally:
        os.umask(old_umask)
    assert mode(tmp_path / "secrets.json") == 0o600
    inode = (tmp_path / "secrets.json").stat().st_ino
    secrets.put("youtube:maker", {"access_token": "tok-2"})
    assert (tmp_path / "secrets.json").stat().st_ino != inode  # replaced by rename
    assert mode(tmp_path / "secrets.json") == 0o600
    assert set(secrets.read_all()) == {"tiktok:maker", "youtube:maker"}
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_file_others_can_read_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"version": 1, "accounts": {"a:b": {"access_token": "keep"}}}))
    path.chmod(0o644)
    with pytest.raises(SecretsError) as caught:
        SecretsFile(path).put("tiktok:maker", {"access_token": "new-secret-value"})
    assert "chmod 600" in str(caught.value) and "new-secret-value" not in str(caught.value)
    assert json.loads(path.read_text())["accounts"] == {"a:b": {"access_token": "keep"}}


def test_concurrent_updates_lose_nothing(tmp_path: Path) -> None:
    secrets = SecretsFile(tmp_path / "secrets.json")

    def bump(n: int) -> None:
        for _ in range(20):
            secrets.update(
                "acct",
                lambda old: {"n": (old or {}).get("n", 0) + 1},  # read-modify-write
            )

    threads = [threading.Thread(target=bump, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert secrets.get("acct") == {"n": 80}


def test_a_damaged_file_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    path.write_text("{not json")
    path.chmod(0o600)
    with pytest.raises(SecretsError, match="not valid JSON"):
        SecretsFile(path).read_all()


def test_credentials_round_trip_through_the_keeper(tmp_path: Path) -> None:
    keeper = StoredKeeper(SecretsFile(tmp_path / "secrets.json"), "tiktok:maker")
    creds = Credentials(
        client_id="ck",
        client_secret="cs-123456",
        access_token="at-123456",
        refresh_token="rt-123456",
        expires_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        user_id="open-1",
        business={"app_id": "b1"},
    )
    keeper.save(creds)
    assert keeper.load() == creds
    with keeper.hold():
        keeper.save(Credentials(access_token="at-2"))  # re-entrant inside its own hold
    assert keeper.load().access_token == "at-2"
    assert from_entry(to_entry(creds)) == creds


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ([], "(file)"),
        ({"acess_token": "x"}, "acess_token"),
        ({"access_token": 5}, "access_token"),
        ({"access_token": "  "}, "access_token"),
        ({"expires_at": "tomorrow"}, "expires_at"),
        ({"business": {"app_key": "x"}}, "business.app_key"),
    ],
)
def test_bad_credentials_name_the_field(doc: object, field: str) -> None:
    with pytest.raises(CredentialsError) as caught:
        parse_credentials(doc)
    assert caught.value.field == field


def test_good_credentials_parse() -> None:
    creds = parse_credentials(
        {"access_token": "a", "refresh_token": "r", "expires_at": "2026-12-01T10:00:00+01:00"}
    )
    assert creds.expires_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
