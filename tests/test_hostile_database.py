"""Issue 15, items 5 and 10: read-only and foreign databases.

Item 5 runs as an unprivileged user (nobody, when the tests run as root):
a read-only database, or read-only -wal/-shm files beside it, are named by
`doctor` with the exact command that fixes them; doctor leaves no side file
behind; no message advises restoring a backup. Item 10: a SQLite file that
is not a ReelRoom workspace is refused byte-identical by every command and
by doctor, and a workspace made before the application id gets it.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from hostile import open_folder, run, run_unprivileged

from storage import Store
from storage.dbfile import APPLICATION_ID
from storage.migrations import migrate


@pytest.fixture
def shared_home():
    folder = open_folder("rr-readonly-")
    yield folder / "home"
    shutil.rmtree(folder, ignore_errors=True)


def _doctor(home: Path) -> dict:
    done = run_unprivileged("--home", str(home), "doctor", "--json")
    assert done.returncode == 1, done.stderr
    return json.loads(done.stdout)


def test_item5_a_read_only_database_is_named_with_the_fix_and_gets_no_side_files(shared_home):
    made = run_unprivileged("--home", str(shared_home), "posts", "add", "--title", "kept")
    assert made.returncode == 0, made.stderr
    db = shared_home / "reelroom.db"
    db.chmod(0o444)
    before = db.read_bytes()
    doc = _doctor(shared_home)
    (database,) = [c for c in doc["checks"] if c["name"] == "database"]
    assert database["status"] == "fail"
    assert "not writable" in database["detail"] and f"chmod u+rw {db}" in database["action"]
    assert not list(shared_home.glob("reelroom.db-*")), "doctor left side files"
    listed = run_unprivileged("--home", str(shared_home), "posts", "list")
    assert listed.returncode == 1
    assert f"chmod u+rw {db}" in listed.stderr
    for text in (json.dumps(doc), listed.stderr):
        assert "backup" not in text and "restore" not in text
    assert db.read_bytes() == before


def test_item5_read_only_side_files_are_named_and_no_message_advises_a_backup(shared_home):
    made = run_unprivileged("--home", str(shared_home), "posts", "add", "--title", "kept")
    assert made.returncode == 0, made.stderr
    db = shared_home / "reelroom.db"
    owner = db.stat()
    for suffix, size in (("-wal", 0), ("-shm", 32768)):  # what a read-only open used to leave
        side = shared_home / f"reelroom.db{suffix}"
        side.write_bytes(b"\0" * size)
        shutil.chown(side, owner.st_uid, owner.st_gid)
        side.chmod(0o444)
    doc = _doctor(shared_home)
    (database,) = [c for c in doc["checks"] if c["name"] == "database"]
    assert database["status"] == "fail"
    assert f"chmod u+rw {db}-wal {db}-shm" in database["action"]
    added = run_unprivileged("--home", str(shared_home), "posts", "add", "--title", "more")
    assert added.returncode == 1
    assert f"chmod u+rw {db}-wal {db}-shm" in added.stderr
    for text in (json.dumps(doc), added.stderr):
        assert "backup" not in text and "restore" not in text
    for side in shared_home.glob("reelroom.db-*"):
        assert side.stat().st_mode & 0o777 == 0o444  # doctor changed nothing
        side.chmod(0o644)
    again = run_unprivileged("--home", str(shared_home), "posts", "add", "--title", "more")
    assert again.returncode == 0, again.stderr


def _foreign(root: Path, app_id: int = 0) -> Path:
    root.mkdir(parents=True)
    db = root / "reelroom.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE posts (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO posts (body) VALUES ('theirs')")
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.commit()
    conn.close()
    return db


@pytest.mark.parametrize("app_id", [0, 0x12345678])
def test_item10_a_foreign_sqlite_file_is_refused_byte_identical(tmp_path, app_id):
    root = tmp_path / "home"
    db = _foreign(root, app_id)
    before = db.read_bytes()
    for args in (("posts", "list"), ("posts", "add", "--title", "x"), ("posts", "list", "--json")):
        done = run("--home", str(root), *args)
        assert done.returncode == 1 and done.stdout == ""
        assert "not a ReelRoom workspace" in done.stderr and "untouched" in done.stderr
        assert db.read_bytes() == before
    doctor = run("--home", str(root), "doctor", "--json")
    (database,) = [c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "database"]
    assert database["status"] == "fail" and "not a ReelRoom workspace" in database["detail"]
    assert "migrate" not in doctor.stdout
    assert db.read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == ["reelroom.db"]  # nothing made beside it


def test_item10_new_workspaces_carry_the_id_and_older_ones_get_it(tmp_path):
    fresh = Store(tmp_path / "new.db")
    fresh.close()
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    old = tmp_path / "old.db"
    migrate(old, target=5)
    conn = sqlite3.connect(old)
    conn.execute("PRAGMA application_id = 0")  # as ReelRoom made them before the id existed
    conn.commit()
    conn.close()
    Store(old).close()
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
