"""The `reelroom` command run as a real subprocess: exit codes, stdout/stderr discipline, bad input, doctor.

The console script is found beside sys.executable, so a fresh .venv (CI) is
what gets tested. Every bad-input case also checks that nothing that existed
was changed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rich.cells import cell_len

from storage import Store
from storage.posts import PostRepo

REELROOM = str(Path(sys.executable).with_name("reelroom"))
CHECK_NAMES = [
    "home",
    "ffmpeg",
    "ffprobe",
    "encoders",
    "filters",
    "database",
    "schema",
    "config",
    "disk",
]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REELROOM_HOME", "REELROOM_FFMPEG", "REELROOM_FFPROBE")
    }
    return subprocess.run(
        [REELROOM, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**base, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under folder with its bytes (None for folders)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def home(tmp_path) -> Path:
    """A workspace made by the CLI itself, with two posts in it."""
    root = tmp_path / "home"
    done = run("--home", str(root), "posts", "list", "--json")
    assert done.returncode == 0, done.stderr
    store = Store(root / "reelroom.db")
    repo = PostRepo(store)
    repo.add("Morning vlog", planned_at=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    repo.add("新品开箱：耳机", status="scripting", tags=["评测"])
    store.close()
    return root


def disk_failed(doc: dict) -> bool:
    return any(c["name"] == "disk" and c["status"] == "fail" for c in doc["checks"])


# --- usage errors: exit 2, message on stderr, nothing on stdout -----------------


@pytest.mark.parametrize(
    "args,words",
    [
        (["publish-everything"], ["invalid choice", "publish-everything", "--help"]),
        (["--verbose"], ["unrecognized arguments", "--verbose"]),
        (["posts", "list", "--all"], ["unrecognized arguments", "--all"]),
        (["posts"], ["required", "SUBCOMMAND"]),
        (["doctor", "--jsn"], ["unrecognized arguments", "--jsn"]),
    ],
)
def test_usage_errors_exit_2_with_a_message_and_empty_stdout(tmp_path, args, words):
    done = run("--home", str(tmp_path / "h"), *args)
    assert done.returncode == 2
    assert done.stdout == ""
    for word in words:
        assert word in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "h").exists()


def test_a_bad_date_is_a_usage_error_naming_the_flag(home):
    done = run("--home", str(home), "posts", "list", "--from", "next tuesday")
    assert done.returncode == 2 and done.stdout == ""
    assert "--from" in done.stderr and "YYYY-MM-DD" in done.stderr


def test_help_exits_0():
    done = run("--help")
    assert done.returncode == 0
    assert "doctor" in done.stdout and "posts" in done.stdout


# --- --json: one document on stdout ------------------------------------------------


def test_posts_list_json_is_one_document_with_utc_times(home):
    done = run("--home", str(home), "posts", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    posts = json.loads(done.stdout)
    assert [p["title"] for p in posts] == ["Morning vlog", "新品开箱：耳机"]
    assert posts[0]["planned_at"].startswith("2026-03-02T01:00:00")
    assert posts[1]["status"] == "scripting" and posts[1]["tags"] == ["评测"]


def test_home_can_come_after_the_command_or_from_the_environment(home):
    after = run("posts", "list", "--json", "--home", str(home))
    from_env = run("posts", "list", "--json", env={"REELROOM_HOME": str(home)})
    assert after.returncode == from_env.returncode == 0
    assert json.loads(after.stdout) == json.loads(from_env.stdout)
    assert len(json.loads(after.stdout)) == 2


def test_plain_listing_aligns_cjk_titles_and_reports_on_stderr(home):
    done = run("--home", str(home), "posts", "list")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    # the TITLE column starts at the same terminal cell on every line
    starts = [
        cell_len(line[: line.index(word)])
        for line, word in zip(lines, ["TITLE", "Morning", "新品"], strict=False)
    ]
    assert len(set(starts)) == 1, lines
    assert "2 posts" in done.stderr


# --- bad homes and databases: exit 1, a message, nothing changed -------------------


def test_a_home_that_is_a_file_is_refused_untouched(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("my notes\n")
    done = run("--home", str(file), "posts", "list", "--json")
    assert done.returncode == 1 and done.stdout == ""
    assert "is a file, not a folder" in done.stderr and "--home" in done.stderr
    assert file.read_text() == "my notes\n"


def test_a_home_under_a_file_cannot_be_created_and_says_so(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("my notes\n")
    done = run("--home", str(file / "ws"), "posts", "list")
    assert done.returncode == 1 and done.stdout == ""
    assert "cannot be created" in done.stderr and "--home DIR" in done.stderr
    assert file.read_text() == "my notes\n"


def test_a_database_that_is_not_sqlite_is_refused_untouched(tmp_path):
    root = tmp_path / "home"
    root.mkdir()
    db = root / "reelroom.db"
    db.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 50)
    before = db.read_bytes()
    done = run("--home", str(root), "posts", "list", "--json")
    assert done.returncode == 1 and done.stdout == ""
    assert str(db) in done.stderr and "not a SQLite database" in done.stderr
    assert db.read_bytes() == before
    assert not (root / "config.toml").exists()
    assert not list(root.glob("reelroom.db?*"))


def test_a_database_from_a_newer_reelroom_is_refused_untouched(home):
    conn = sqlite3.connect(home / "reelroom.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = snapshot(home)
    done = run("--home", str(home), "posts", "list")
    assert done.returncode == 1 and done.stdout == ""
    assert "newer ReelRoom" in done.stderr and "99" in done.stderr
    assert snapshot(home) == before


# --- doctor -----------------------------------------------------------------------


def test_doctor_json_on_a_healthy_home(home):
    before = snapshot(home)
    done = run("--home", str(home), "doctor", "--json")
    doc = json.loads(done.stdout)
    assert [c["name"] for c in doc["checks"]] == CHECK_NAMES
    assert done.returncode == (1 if disk_failed(doc) else 0)
    assert doc["ok"] is (done.returncode == 0)
    statuses = {c["name"]: c["status"] for c in doc["checks"]}
    assert {k: v for k, v in statuses.items() if k != "disk"} == dict.fromkeys(
        CHECK_NAMES[:-1], "ok"
    )
    assert all(set(c) == {"name", "status", "detail", "action"} for c in doc["checks"])
    assert snapshot(home) == before


def test_doctor_plain_output_is_aligned_with_glyphs(home):
    done = run("--home", str(home), "doctor")
    lines = [line for line in done.stdout.splitlines() if not line.startswith(" ")]
    assert [line.split()[1] for line in lines] == CHECK_NAMES
    assert all(line[0] in "✓!✗" for line in lines)
    detail_columns = {
        cell_len(line[: line.index(line.split()[2], 2 + len(line.split()[1]))]) for line in lines
    }
    assert len(detail_columns) == 1, lines
    assert "ffmpeg version" in done.stdout


def test_doctor_names_a_missing_ffmpeg_and_the_install_command(home):
    done = run("--home", str(home), "doctor", env={"REELROOM_FFMPEG": str(home / "no-ffmpeg")})
    assert done.returncode == 1
    assert "✗ ffmpeg" in done.stdout
    assert "REELROOM_FFMPEG" in done.stdout and "apt-get install ffmpeg" in done.stdout


def test_doctor_with_ffmpeg_not_on_path(home, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    done = run("--home", str(home), "doctor", "--json", env={"PATH": str(empty)})
    assert done.returncode == 1
    doc = json.loads(done.stdout)
    by_name = {c["name"]: c for c in doc["checks"]}
    assert by_name["ffmpeg"]["status"] == by_name["ffprobe"]["status"] == "fail"
    assert "apt-get install ffmpeg" in by_name["ffmpeg"]["action"]
    assert by_name["encoders"]["status"] == "warn"
    assert doc["ok"] is False


def test_doctor_reports_a_broken_workspace_without_touching_it(tmp_path):
    root = tmp_path / "home"
    root.mkdir()
    (root / "reelroom.db").write_bytes(b"\x00garbage" * 100)
    (root / "config.toml").write_text('[workspace]\ntimezone = "Mars/Olympus"\n')
    before = snapshot(root)
    done = run("--home", str(root), "doctor", "--json")
    assert done.returncode == 1
    by_name = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert by_name["database"]["status"] == "fail"
    assert "not a SQLite database" in by_name["database"]["detail"]
    assert by_name["config"]["status"] == "fail"
    assert f"{root / 'config.toml'}:2:" in by_name["config"]["detail"]
    assert by_name["config"]["action"]
    assert snapshot(root) == before


def test_doctor_reports_a_newer_schema_and_an_older_one_without_migrating(home):
    conn = sqlite3.connect(home / "reelroom.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = snapshot(home)
    done = run("--home", str(home), "doctor", "--json")
    schema = {c["name"]: c for c in json.loads(done.stdout)["checks"]}["schema"]
    assert done.returncode == 1 and schema["status"] == "fail" and "99" in schema["detail"]
    assert snapshot(home) == before

    conn = sqlite3.connect(home / "reelroom.db")
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    before = snapshot(home)
    doc = json.loads(run("--home", str(home), "doctor", "--json").stdout)
    schema = {c["name"]: c for c in doc["checks"]}["schema"]
    assert schema["status"] == "warn" and "version 1" in schema["detail"]
    assert snapshot(home) == before


def test_doctor_on_a_missing_home_warns_and_creates_nothing(tmp_path):
    root = tmp_path / "not-yet"
    done = run("--home", str(root), "doctor", "--json")
    doc = json.loads(done.stdout)
    statuses = {c["name"]: c["status"] for c in doc["checks"]}
    assert statuses["home"] == "warn" and statuses["database"] == "warn"
    assert done.returncode == (1 if disk_failed(doc) else 0)
    assert not root.exists()


def test_doctor_on_a_home_that_is_a_file_fails(tmp_path):
    file = tmp_path / "home"
    file.write_text("x")
    done = run("--home", str(file), "doctor")
    assert done.returncode == 1
    assert "✗ home" in done.stdout and "is a file" in done.stdout
    assert file.read_text() == "x"


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg installed")
def test_doctor_names_the_ffmpeg_version_it_found(home):
    doc = json.loads(run("--home", str(home), "doctor", "--json").stdout)
    ffmpeg = {c["name"]: c for c in doc["checks"]}["ffmpeg"]
    version = subprocess.run(
        ["ffmpeg", "-version"], capture_output=True, text=True, timeout=30
    ).stdout.split(" Copyright")[0]
    assert ffmpeg["detail"].startswith(version)


def test_a_home_path_with_spaces_hash_question_mark_and_cjk_works_twice(tmp_path):
    root = tmp_path / "素材 #2 ?final"
    for _ in range(2):
        done = run("--home", str(root), "posts", "list", "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == []
    doc = json.loads(run("--home", str(root), "doctor", "--json").stdout)
    statuses = {c["name"]: c["status"] for c in doc["checks"]}
    assert statuses["database"] == statuses["schema"] == "ok"
    assert sorted(p.name for p in tmp_path.iterdir()) == [root.name]


def test_a_damaged_database_gets_a_message_not_a_traceback_and_doctor_names_it(home):
    db = home / "reelroom.db"
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[page:] = b"\x5a" * (len(data) - page)  # keep the header page, wreck every other page
    db.write_bytes(bytes(data))
    before = snapshot(home)
    done = run("--home", str(home), "posts", "list", "--json")
    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "malformed" in done.stderr and "reelroom doctor" in done.stderr
    assert snapshot(home) == before

    doc = json.loads(run("--home", str(home), "doctor", "--json").stdout)
    database = {c["name"]: c for c in doc["checks"]}["database"]
    assert database["status"] == "fail" and "malformed" in database["detail"]
    assert ".bak-" in database["action"]
    assert snapshot(home) == before


def test_doctor_while_another_process_has_the_database_open(home):
    store = Store(home / "reelroom.db")
    PostRepo(store).add("written, still in the WAL")
    db_bytes = (home / "reelroom.db").read_bytes()
    assert (home / "reelroom.db-wal").exists()
    doc = json.loads(run("--home", str(home), "doctor", "--json").stdout)
    statuses = {c["name"]: c["status"] for c in doc["checks"]}
    assert statuses["database"] == statuses["schema"] == "ok"
    assert (home / "reelroom.db").read_bytes() == db_bytes
    assert PostRepo(store).count() == 3
    store.close()
