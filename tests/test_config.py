"""config.toml: the defaults file, strict reading with file:line:key messages, and a CLI that refuses to start on a bad one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.config import AccountConfig, Config, ConfigError, load_config, write_default
from app.config.defaults import default_text
from app.config.settings import PlatformsSettings, WorkspaceSettings

REELROOM = str(Path(sys.executable).with_name("reelroom"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_file_is_written_once_and_parses_to_the_defaults(tmp_path):
    path = tmp_path / "config.toml"
    assert write_default(path) is True
    text = path.read_text("utf-8")
    config = load_config(path)
    assert config == Config(workspace=WorkspaceSettings(timezone=config.workspace.timezone))
    ZoneInfo(config.workspace.timezone)  # a real zone name
    assert f'timezone = "{config.workspace.timezone}"' in text
    assert write_default(path) is False
    assert path.read_text("utf-8") == text


def test_a_missing_file_means_defaults(tmp_path):
    config = load_config(tmp_path / "config.toml")
    assert (config.watch.settle_seconds, config.worker.concurrency, config.accounts) == (2.0, 1, ())
    assert not (tmp_path / "config.toml").exists()


def test_a_full_file_is_read_with_accounts_and_zone(tmp_path):
    path = write(
        tmp_path,
        """
[workspace]
timezone = "Asia/Shanghai"

[watch]
folders = ["/srv/footage", "/media/卡1"]
settle_seconds = 5
force_polling = true

[worker]
concurrency = 2
lease_seconds = 120
max_attempts = 5

[[accounts]]
platform = "kuaishou"
handle = "@美食频道"

[[accounts]]
platform = "youtube"
handle = "cooking"
base_url = "http://127.0.0.1:9000"
""",
    )
    config = load_config(path)
    assert config.zone == ZoneInfo("Asia/Shanghai")
    assert config.watch.folders == ("/srv/footage", "/media/卡1")
    assert (config.watch.settle_seconds, config.watch.force_polling) == (5.0, True)
    assert (config.worker.concurrency, config.worker.lease_seconds, config.worker.max_attempts) == (
        2,
        120,
        5,
    )
    assert config.accounts == (
        AccountConfig("kuaishou", "美食频道"),
        AccountConfig("youtube", "cooking", "http://127.0.0.1:9000"),
    )


def test_bad_toml_names_the_file_and_line(tmp_path):
    path = write(tmp_path, '[workspace]\ntimezone = "UTC"\n\n[watch\nfolders = []\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message and "line 4" in message and "not valid TOML" in message


@pytest.mark.parametrize(
    "text,line,words",
    [
        (
            '[workspace]\ntimezone = "UTC"\ncolour = "red"\n',
            3,
            ["unknown key 'colour'", "[workspace]"],
        ),
        ("[watch]\nfolders = []\n\n[render]\nthreads = 2\n", 4, ["unknown section [render]"]),
        (
            '[worker]\n# how many\nconcurrency = "two"\n',
            3,
            ["[worker] concurrency", "whole number", "'two'"],
        ),
        ("[watch]\nforce_polling = 1\n", 2, ["force_polling", "true or false"]),
        ("[worker]\nlease_seconds = true\n", 2, ["lease_seconds", "whole number"]),
        ("[watch]\nsettle_seconds = 0\n", 2, ["settle_seconds", "greater than 0"]),
        ('[watch]\nfolders = ["/ok", 3]\n', 2, ["folders", "3"]),
        ('\n[workspace]\ntimezone = "Mars/Olympus"\n', 3, ["'Mars/Olympus'", "IANA time zone"]),
        (
            '[[accounts]]\nplatform = "tiktok"\nhandle = "a"\n\n[[accounts]]\nplatform = "myspace"\nhandle = "b"\n',
            6,
            ["platform 'myspace'", "tiktok, youtube, instagram, kuaishou"],
        ),
        (
            '[[accounts]]\nplatform = "tiktok"\nhandle = "a"\n\n[[accounts]]\nplatform = "youtube"\ntoken = "x"\nhandle = "b"\n',
            7,
            ["unknown key 'token'", "#2"],
        ),
        ('[[accounts]]\nplatform = "tiktok"\n', 1, ["needs handle"]),
        ("[worker]\nconcurrency = 100000\n", 2, ["[worker] concurrency", "at most 64", "100000"]),
        ("[watch]\nsettle_seconds = nan\n", 2, ["settle_seconds", "greater than 0", "nan"]),
        ("[watch]\nsettle_seconds = inf\n", 2, ["settle_seconds", "at most 3600", "infinity"]),
        (
            "[worker]\nmax_attempts = 99999999999999999999\n",
            2,
            ["max_attempts", "at most 100", "99999999999999999999"],
        ),
        ("[scripts]\nwords_per_minute = 5\n", 2, ["words_per_minute", "at least 30"]),
        ('[platforms.tiktok]\napi_base = ""\n', 2, ["[platforms.tiktok] api_base", "empty"]),
        ('[platforms.tiktok]\napi_host = "x"\n', 2, ["unknown key 'api_host'", "api_base"]),
        ('[platforms.myspace]\napi_base = "x"\n', 1, ["unknown section [platforms.myspace]"]),
    ],
)
def test_each_bad_value_names_file_line_and_key(tmp_path, text, line, words):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path}:{line}:"), message
    for word in words:
        assert word in message, (word, message)


def test_a_config_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b'[workspace]\ntimezone = "\xff\xfe"\n')
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(path)


def test_the_cli_refuses_to_start_on_a_bad_config_and_leaves_it_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    config = home / "config.toml"
    config.write_text(
        '[workspace]\ntimezone = "UTC"\n\n[worker]\nconcurency = 2\n', encoding="utf-8"
    )
    before = config.read_bytes()
    env = {k: v for k, v in os.environ.items() if k != "REELROOM_HOME"}
    done = subprocess.run(
        [REELROOM, "--home", str(home), "posts", "list", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert f"{config}:5:" in done.stderr and "concurency" in done.stderr
    assert config.read_bytes() == before
    assert not (home / "reelroom.db").exists()


def test_platform_hosts_default_to_the_real_hosts_and_can_point_at_a_fake(tmp_path):
    assert load_config(tmp_path / "none.toml").platforms == PlatformsSettings()
    assert PlatformsSettings().tiktok.api_base == "https://open.tiktokapis.com"
    assert PlatformsSettings().youtube.token_url == "https://oauth2.googleapis.com/token"
    path = write(
        tmp_path,
        '[platforms.youtube]\napi_base = "http://127.0.0.1:8123"\n'
        '[platforms.kuaishou]\napi_base = "http://127.0.0.1:8124"\n',
    )
    config = load_config(path)
    assert config.platforms.youtube.api_base == "http://127.0.0.1:8123"
    assert config.platforms.youtube.analytics_base == "https://youtubeanalytics.googleapis.com"
    assert config.platforms.kuaishou.api_base == "http://127.0.0.1:8124"
    assert config.platforms.tiktok.api_base == "https://open.tiktokapis.com"


def test_the_default_text_reads_back_as_the_defaults_for_any_zone(tmp_path):
    for zone in ("UTC", "Asia/Shanghai", "America/Los_Angeles"):
        path = tmp_path / f"{zone.replace('/', '_')}.toml"
        path.write_text(default_text(zone), encoding="utf-8")
        assert load_config(path) == Config(workspace=WorkspaceSettings(timezone=zone))
