"""Storage: connection pragmas per thread, write transactions, and the schema's constraints.

Rows are written with `store.db[table]` calls (no SQL text): sqlite-utils on a
real SQLite file in tmp_path, storage/table_rows.py on PostgreSQL; every test
that takes `store` runs on both engines, and every constraint is checked by a
write the schema must refuse, with the same error class and wording on both.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime

import pytest

from storage import Store
from storage.models import JOB_STATES, POST_STATUSES, PUBLICATION_STATES
from storage.posts import PostRepo

NOW = "2026-03-01T09:00:00Z"


@pytest.fixture
def sqlite_store(tmp_path) -> Store:
    s = Store(tmp_path / "reelroom.db")
    yield s
    s.close()


def add(store: Store, table: str, **row) -> int:
    return store.db[table].insert(row).last_pk


def account(store: Store, handle: str = "chan", platform: str = "tiktok") -> int:
    return add(store, "accounts", platform=platform, handle=handle, created_at=NOW)


def post(store: Store, title: str = "Morning vlog", **extra) -> int:
    return add(store, "posts", title=title, created_at=NOW, updated_at=NOW, **extra)


def asset(store: Store, name: str = "a.mp4", **extra) -> int:
    return add(store, "assets", kind="video", name=name, size_bytes=10, imported_at=NOW, **extra)


def job(store: Store, **extra) -> int:
    return add(store, "jobs", kind="render", run_at=NOW, created_at=NOW, **extra)


def count(store: Store, table: str) -> int:
    return store.db[table].count


# --- connections -------------------------------------------------------------


def pragmas(conn: sqlite3.Connection) -> tuple[str, int, int]:
    return (
        conn.execute("PRAGMA journal_mode").fetchone()[0],
        conn.execute("PRAGMA busy_timeout").fetchone()[0],
        conn.execute("PRAGMA foreign_keys").fetchone()[0],
    )


def test_every_thread_gets_its_own_connection_with_wal_busy_timeout_and_foreign_keys(
    sqlite_store,
):
    store = sqlite_store
    seen: dict[str, object] = {}

    def work() -> None:
        seen["pragmas"] = pragmas(store.conn)
        seen["conn"] = store.conn
        store.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert pragmas(store.conn) == ("wal", 5000, 1)
    assert seen["pragmas"] == ("wal", 5000, 1)
    assert seen["conn"] is not store.conn


def test_connection_is_reused_within_a_thread(store):
    assert store.conn is store.conn
    seen: dict[str, object] = {}

    def work() -> None:
        seen["conn"] = store.conn
        store.close()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen["conn"] is not store.conn


def test_write_rolls_back_when_the_block_raises(store):
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            store.db["pillars"].insert({"name": "Recipes", "created_at": NOW})
            assert conn.in_transaction
            raise RuntimeError("stop")
    assert count(store, "pillars") == 0
    assert not store.conn.in_transaction


def test_write_commits_so_another_connection_sees_it(store):
    other = Store(store.target)
    before = other.data_version()
    with store.write():
        store.db["pillars"].insert({"name": "Recipes", "created_at": NOW})
    assert other.db["pillars"].count == 1
    # SQLite reads data_version at once; PostgreSQL's NOTIFY arrives a moment later.
    deadline = time.monotonic() + 10
    while other.data_version() == before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert other.data_version() != before
    other.close()


def test_own_writes_and_reads_leave_data_version_alone_until_someone_commits(store):
    other = Store(store.target)
    first = other.data_version()
    other.conn.execute("SELECT count(*) FROM posts").fetchone()
    time.sleep(0.05)
    assert other.data_version() == first
    other.close()


def test_a_second_store_on_the_same_file_does_not_migrate_again(tmp_path):
    first = Store(tmp_path / "reelroom.db")
    PostRepo(first).add("kept")
    first.close()
    second = Store(tmp_path / "reelroom.db")
    assert [p.title for p in PostRepo(second).list()] == ["kept"]
    assert list(tmp_path.glob("reelroom.db.bak-*")) == []
    second.close()


# --- vocabularies (CHECK ... IN) ---------------------------------------------


@pytest.mark.parametrize("status", POST_STATUSES)
def test_post_statuses_of_the_vocabulary_are_accepted(store, status):
    post_id = post(store, status=status)
    assert store.db["posts"].get(post_id)["status"] == status


@pytest.mark.parametrize(
    "table,column,bad",
    [
        ("posts", "status", "drafted"),
        ("accounts", "platform", "myspace"),
        ("jobs", "state", "paused"),
        ("jobs", "kind", "email"),
        ("assets", "kind", "pdf"),
        ("assets", "status", "lost"),
    ],
)
def test_values_outside_a_vocabulary_are_refused(store, table, column, bad):
    makers = {
        "posts": lambda **kw: post(store, **kw),
        "accounts": lambda **kw: add(
            store, "accounts", handle="x", created_at=NOW, **{"platform": "tiktok", **kw}
        ),
        "jobs": lambda **kw: add(
            store, "jobs", run_at=NOW, created_at=NOW, **{"kind": "render", **kw}
        ),
        "assets": lambda **kw: add(
            store, "assets", name="a", size_bytes=1, imported_at=NOW, **{"kind": "video", **kw}
        ),
    }
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        makers[table](**{column: bad})
    assert count(store, table) == 0


def test_publication_states_and_job_states_match_the_model_vocabulary(store):
    acc, p = account(store), post(store)
    for state in PUBLICATION_STATES:
        extra = {"published_at": NOW} if state == "published" else {}
        pub = add(
            store, "publications", post_id=p, account_id=acc, state=state, created_at=NOW, **extra
        )
        store.db["publications"].delete(pub)
    for state in JOB_STATES:
        extra = {"lease_owner": "w1"} if state == "running" else {}
        store.db["jobs"].delete(job(store, state=state, **extra))
    assert count(store, "publications") == 0 and count(store, "jobs") == 0


# --- foreign keys, cascades, set null ---------------------------------------


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        add(store, "scripts", post_id=999, updated_at=NOW)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        add(store, "publications", post_id=post(store), account_id=42, created_at=NOW)


def test_deleting_a_post_cascades_to_script_shots_and_publications(store):
    p, acc = post(store), account(store)
    script = add(store, "scripts", post_id=p, body="hook", updated_at=NOW)
    add(store, "script_revisions", script_id=script, body="v1", created_at=NOW)
    add(store, "shots", post_id=p, number=1)
    add(store, "publications", post_id=p, account_id=acc, created_at=NOW)
    store.db["posts"].delete(p)
    for table in ("scripts", "script_revisions", "shots", "publications"):
        assert count(store, table) == 0, table
    assert count(store, "accounts") == 1


def test_deleting_a_pillar_or_post_sets_references_to_null(store):
    pillar = add(store, "pillars", name="Recipes", created_at=NOW)
    p = post(store, pillar_id=pillar)
    a = asset(store, post_id=p)
    store.db["pillars"].delete(pillar)
    assert store.db["posts"].get(p)["pillar_id"] is None
    store.db["posts"].delete(p)
    assert store.db["assets"].get(a)["post_id"] is None


def test_deleting_a_job_cascades_to_its_render_and_nulls_the_publication(store):
    j = job(store)
    add(store, "renders", job_id=j, recipe="vertical")
    pub = add(
        store,
        "publications",
        post_id=post(store),
        account_id=account(store),
        render_job_id=j,
        created_at=NOW,
    )
    store.db["jobs"].delete(j)
    assert count(store, "renders") == 0
    assert store.db["publications"].get(pub)["render_job_id"] is None


# --- UNIQUE -------------------------------------------------------------------


def test_one_publication_per_post_and_account(store):
    p, acc = post(store), account(store)
    add(store, "publications", post_id=p, account_id=acc, created_at=NOW)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        add(store, "publications", post_id=p, account_id=acc, created_at=NOW)
    add(store, "publications", post_id=p, account_id=account(store, "second"), created_at=NOW)
    assert count(store, "publications") == 2


def test_inbox_remote_id_is_unique_per_account(store):
    acc, other = account(store), account(store, "other", "youtube")
    row = dict(kind="comment", remote_id="c-1", author="fan", body="好看！", received_at=NOW)
    add(store, "inbox_items", account_id=acc, **row)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        add(store, "inbox_items", account_id=acc, **row)
    add(store, "inbox_items", account_id=other, **row)
    assert count(store, "inbox_items") == 2


def test_an_asset_path_belongs_to_one_asset(store):
    a, b = asset(store, "a.mp4"), asset(store, "b.mp4")
    row = dict(
        path="/footage/a.mp4", size_bytes=10, mtime_ns=1, first_seen_at=NOW, last_seen_at=NOW
    )
    add(store, "asset_paths", asset_id=a, **row)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        add(store, "asset_paths", asset_id=b, **row)


def test_account_handle_is_unique_per_platform(store):
    account(store, "chan", "tiktok")
    account(store, "chan", "youtube")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        account(store, "chan", "tiktok")


# --- row CHECKs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "rotation,ok",
    [(0, True), (90, True), (180, True), (270, True), (45, False), (-90, False), (360, False)],
)
def test_asset_rotation_is_a_quarter_turn(store, rotation, ok):
    if ok:
        assert store.db["assets"].get(asset(store, rotation=rotation))["rotation"] == rotation
    else:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            asset(store, rotation=rotation)


def test_rejected_asset_needs_a_reason(store):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        asset(store, status="rejected")
    asset(store, status="rejected", reason="ffprobe could not read it")
    assert count(store, "assets") == 1


@pytest.mark.parametrize(
    "progress,ok",
    [
        (0.0, True),
        (0.5, True),
        (1.0, True),
        (None, True),
        (-0.01, False),
        (1.01, False),
        (50, False),
    ],
)
def test_job_progress_is_a_fraction(store, progress, ok):
    if ok:
        assert store.db["jobs"].get(job(store, progress=progress))["progress"] == progress
    else:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            job(store, progress=progress)


def test_a_running_job_needs_a_lease_owner(store):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        job(store, state="running")
    j = job(store)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        store.db["jobs"].update(j, {"state": "running"})
    store.db["jobs"].update(j, {"state": "running", "lease_owner": "worker-1"})
    assert store.db["jobs"].get(j)["state"] == "running"


def test_a_published_publication_needs_published_at(store):
    p, acc = post(store), account(store)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        add(store, "publications", post_id=p, account_id=acc, state="published", created_at=NOW)
    add(
        store,
        "publications",
        post_id=p,
        account_id=acc,
        state="published",
        published_at=NOW,
        created_at=NOW,
    )


@pytest.mark.parametrize(
    "local_time,ok",
    [
        ("09:30", True),
        ("23:59", True),
        ("00:00", True),
        ("9:30", False),
        ("09:60", False),
        ("0930", False),
        ("09:30:00", False),
        ("ab:cd", False),
    ],
)
def test_posting_slot_time_is_hh_mm(store, local_time, ok):
    acc = account(store)
    if ok:
        add(store, "posting_slots", account_id=acc, weekday=1, local_time=local_time)
    else:
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            add(store, "posting_slots", account_id=acc, weekday=1, local_time=local_time)


def test_posting_slot_weekday_range(store):
    acc = account(store)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        add(store, "posting_slots", account_id=acc, weekday=7, local_time="10:00")


def test_blank_titles_are_refused(store):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        post(store, title="   ")


def test_refused_write_inside_a_transaction_leaves_earlier_rows_of_it_out(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.write():
            post(store, title="first")
            post(store, title="second", status="bogus")
    assert count(store, "posts") == 0


# --- the repository on top ----------------------------------------------------


def test_post_repo_stores_utc_and_reads_back_aware_times(store):
    planned = datetime(2026, 3, 1, 18, 30, tzinfo=UTC)
    added = PostRepo(store).add("新品开箱 unboxing", planned_at=planned, tags=["日常"])
    assert store.db["posts"].get(added.id)["planned_at"] == "2026-03-01T18:30:00Z"
    assert added.planned_at == planned
    with pytest.raises(ValueError, match="status"):
        PostRepo(store).add("x", status="done")
