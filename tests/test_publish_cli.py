"""`reelroom accounts …` and `reelroom publish …` as a person types them (subprocesses),
against the fake platforms: good paths, and bad input refused whole."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from fakeplatforms import FakePlatforms
from publishing import add_account, make_clip, publishing_home, reelroom_run

from media_watch.captions import caption_problems, hashtags, mentions, utf16_units


@pytest.fixture
def home(tmp_path: Path, fake: FakePlatforms) -> Path:
    return publishing_home(tmp_path / "home", fake)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "tofu.mp4")


def listed(home: Path, *args: str) -> list[dict]:
    done = reelroom_run(home, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# --- accounts --------------------------------------------------------------------------


def test_accounts_add_keeps_secrets_in_an_owner_only_file(home, fake) -> None:
    doc = fake.tiktok.add_creator("maker")
    add_account(home, "tiktok", doc)
    secrets = home / "secrets.json"
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert (
        json.loads(secrets.read_text())["accounts"]["tiktok:maker"]["refresh_token"]
        == doc["refresh_token"]
    )
    [row] = listed(home, "accounts", "list")
    assert row["name"] == "tiktok:maker" and row["state"] == "ok" and row["expires_at"]
    assert doc["access_token"] not in json.dumps(row)


def test_accounts_add_asks_each_secret_when_no_file_is_given(home, fake) -> None:
    doc = fake.youtube.add_channel("maker")
    answers = "\n".join(
        [doc["client_id"], doc["client_secret"], doc["refresh_token"], "", "", doc["user_id"]]
    )
    done = reelroom_run(home, "accounts", "add", "youtube", "maker", stdin=answers + "\n")
    assert done.returncode == 0, done.stderr
    assert doc["client_secret"] not in done.stdout + done.stderr
    assert doc["refresh_token"] not in done.stdout + done.stderr
    check = reelroom_run(home, "accounts", "check", "youtube:@maker", "--json")
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["user_id"] == doc["user_id"]
    assert fake.youtube.refreshes == 1  # no access token was given: one was fetched


@pytest.mark.parametrize(
    ("content", "word"),
    [
        ("{not json", "line 1"),
        ('{"acess_token": "x"}', "acess_token"),
        ('{"access_token": "x", "expires_at": "soon"}', "expires_at"),
        ('{"client_id": "x"}', "access_token or a refresh_token"),
    ],
)
def test_bad_credentials_store_nothing(home, content, word) -> None:
    creds = home / "creds.json"
    creds.write_text(content)
    done = reelroom_run(home, "accounts", "add", "tiktok", "maker", "--credentials", str(creds))
    assert done.returncode == 1 and word in done.stderr and "nothing was stored" in done.stderr
    assert listed(home, "accounts", "list") == []
    assert not (home / "secrets.json").exists()


def test_a_secrets_file_others_can_read_is_refused(home, fake) -> None:
    secrets = home / "secrets.json"
    secrets.write_text('{"version": 1, "accounts": {}}')
    secrets.chmod(0o644)
    creds = home / "creds.json"
    creds.write_text(json.dumps(fake.tiktok.add_creator("maker")))
    done = reelroom_run(home, "accounts", "add", "tiktok", "maker", "--credentials", str(creds))
    assert done.returncode == 1 and "chmod 600" in done.stderr
    assert listed(home, "accounts", "list") == []
    assert json.loads(secrets.read_text())["accounts"] == {}


def test_usage_errors_exit_2(home) -> None:
    assert reelroom_run(home, "accounts", "add", "myspace", "x").returncode == 2
    assert reelroom_run(home, "accounts", "add", "tiktok", "@").returncode == 2


def test_check_marks_a_revoked_account_needs_login(home, fake) -> None:
    doc = fake.tiktok.add_creator("maker", privacy_options=["SELF_ONLY"])
    add_account(home, "tiktok", doc)
    ok = reelroom_run(home, "accounts", "check", "tiktok:@maker", "--json")
    assert ok.returncode == 0 and json.loads(ok.stdout)["detail"]["privacy_level_options"] == [
        "SELF_ONLY"
    ]
    fake.tiktok.revoke(doc["user_id"])
    fake.clock.advance(fake.tiktok.access_ttl_s + 1)
    bad = reelroom_run(home, "accounts", "check", "tiktok:maker")
    assert bad.returncode == 1 and "accounts add tiktok maker" in bad.stderr
    [row] = listed(home, "accounts", "list")
    assert row["state"] == "needs_login" and "invalid_grant" in row["error"]
    unknown = reelroom_run(home, "accounts", "check", "tiktok:@nobody")
    assert unknown.returncode == 1 and "no account tiktok:nobody" in unknown.stderr


# --- publish ----------------------------------------------------------------------------


def test_publish_add_list_show_due_without_network(home, fake, clip) -> None:
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    seen_before = len(fake.server.seen)
    done = reelroom_run(
        home, "publish", "add", "--post", "1", "--account", "tiktok:@maker", "--file", str(clip),
        "--at", "2030-01-02T18:00", "--caption", "Crispy tofu 香脆豆腐 😀 #tofu @chef", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    pub = json.loads(done.stdout)
    assert pub["state"] == "scheduled" and pub["scheduled_at"] == "2030-01-02T17:00:00Z"  # Berlin
    assert pub["preflight"]["ok"] and pub["media"]["height"] == 640
    [row] = listed(home, "publish", "list")
    assert set(row) >= {
        "id", "post_id", "account", "state", "scheduled_at", "progress", "remote_id",
        "remote_url", "error", "attempts",
    }  # fmt: skip
    assert listed(home, "publish", "due", "--hours", "1") == []
    assert len(listed(home, "publish", "due", "--hours", "100000")) == 1
    shown = reelroom_run(home, "publish", "show", str(pub["id"]))
    assert "2030-01-02 18:00" in shown.stdout and "preflight: passed" in shown.stdout
    assert len(fake.server.seen) == seen_before  # nothing went to the platform


def test_publish_cancel_retry_now(home, fake, clip) -> None:
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    pid = reelroom_run(
        home, "publish", "add", "--post", "1", "--account", "tiktok:maker", "--file", str(clip)
    ).stdout.strip()
    assert listed(home, "publish", "show", pid)["state"] == "draft"
    now = listed(home, "publish", "now", pid)
    assert now["state"] == "scheduled" and now["job"]["state"] == "queued"
    cancelled = listed(home, "publish", "cancel", pid)
    assert cancelled["state"] == "cancelled" and cancelled["job"]["state"] == "cancelled"
    again = reelroom_run(home, "publish", "cancel", pid)
    assert again.returncode == 1 and "already cancelled" in again.stderr
    retried = listed(home, "publish", "retry", pid)
    assert retried["state"] == "scheduled" and retried["job"]["id"] != now["job"]["id"]
    missing = reelroom_run(home, "publish", "retry", "999")
    assert missing.returncode == 1 and "no publication 999" in missing.stderr


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["--account", "tiktok:@nobody"], 1, ["--account", "no account tiktok:nobody"]),
        (["--account", "tiktok"], 1, ["--account", "PLATFORM:HANDLE"]),
        (["--file", "/no/such.mp4"], 1, ["--file", "does not exist"]),
        (["--at", "tomorrow-ish"], 2, ["--at", "2026-12-01T18:00"]),
        (["--render", "77"], 1, ["--render", "no render job 77"]),
        (["--post", "42"], 1, ["--post", "no post 42"]),
        (["--privacy", "unlisted"], 1, ["--privacy", "public, friends, private"]),
        (["--caption", "😀" * 1101], 1, ["caption is 2202 UTF-16 units", "allows 2200"]),
        (["--caption-file", "/no/caption.txt"], 1, ["--caption-file", "does not exist"]),
    ],
)
def test_bad_publish_input_names_the_field_and_stores_nothing(home, fake, clip, args, code, words):
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    base = {"--post": "1", "--account": "tiktok:maker", "--file": str(clip)}
    if "--render" in args:
        base.pop("--file")
    argv = [x for k, v in base.items() if k not in args for x in (k, v)] + args
    done = reelroom_run(home, "publish", "add", *argv)
    assert done.returncode == code, done.stderr
    for word in words:
        assert word in done.stderr
    assert listed(home, "publish", "list") == []


def test_kuaishou_takes_public_only_and_says_so_when_added(home, fake, clip) -> None:
    add_account(home, "kuaishou", fake.kuaishou.add_account("maker"))
    done = reelroom_run(
        home, "publish", "add", "--post", "1", "--account", "kuaishou:maker", "--file", str(clip),
        "--privacy", "friends",
    )  # fmt: skip
    assert done.returncode == 1
    assert "--privacy" in done.stderr and "use public" in done.stderr
    assert listed(home, "publish", "list") == []


def test_a_file_the_platform_refuses_names_each_problem_and_the_recipe(home, fake, tmp_path):
    add_account(home, "youtube", fake.youtube.add_channel("maker"))
    wide = make_clip(tmp_path / "wide.mp4", size="640x360", seconds=2)
    done = reelroom_run(
        home, "publish", "add", "--post", "1", "--account", "youtube:maker", "--file", str(wide),
        "--caption", "x" * 10 + "<b>",
    )  # fmt: skip
    assert done.returncode == 1
    assert "landscape" in done.stderr and "--recipe shorts" in done.stderr
    assert "< and >" in done.stderr
    assert listed(home, "publish", "list") == []


# --- caption arithmetic ----------------------------------------------------------------


def test_caption_units_count_cjk_and_emoji_right() -> None:
    assert utf16_units("食验室") == 3
    assert utf16_units("😀") == 2
    assert utf16_units("👩‍👩‍👧") == 8  # three emoji, two joiners
    assert caption_problems("tiktok", "食" * 2200) == []
    assert caption_problems("tiktok", "😀" * 1100) == []
    assert caption_problems("tiktok", "😀" * 1100 + "a")
    assert caption_problems("instagram", "😀" * 2200) == []  # Instagram counts characters
    assert caption_problems("instagram", " ".join(f"#t{i}" for i in range(31)))
    assert caption_problems("instagram", " ".join(f"@u{i}" for i in range(21)))
    assert hashtags("做饭 #豆腐 #tofu, and a url http://x.com/#frag") == ["#豆腐", "#tofu"]
    assert mentions("hi @chef.one and mail a@b.c") == ["@chef.one"]
    assert caption_problems("youtube", "", "") == [
        "YouTube needs a title: give --title (or a caption)"
    ]
    assert caption_problems("youtube", "ok", "t" * 101)
