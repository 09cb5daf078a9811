"""Migrations: fresh files, upgrading an older schema with a backup, refusals that touch nothing.

Old databases are made by the real migration code (`migrate(path, target=1)`),
then opened with `Store`, the way a newer ReelRoom meets an older workspace.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from storage import Store, StoreError
from storage.health import inspect
from storage.migrations import LATEST, MIGRATIONS, check_version, migrate

NOW = "2026-03-01T09:00:00Z"


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def all_indexes(path: Path) -> set[str]:
    store = Store(path, migrate=False)
    try:
        return {
            idx.name
            for t in store.db.tables
            for idx in t.indexes
            if not idx.name.startswith("sqlite_autoindex")
        }
    finally:
        store.close()


def dump(path: Path) -> list[str]:
    """The file's whole content as SQL text (schema and rows), plus its version."""
    conn = sqlite3.connect(path)
    try:
        return [
            f"user_version={conn.execute('PRAGMA user_version').fetchone()[0]}",
            *conn.iterdump(),
        ]
    finally:
        conn.close()


def make_v1(path: Path, titles: list[str]) -> None:
    """A schema-v1 database holding a few posts, as an older ReelRoom left it."""
    assert migrate(path, target=1) == [1]
    db = sqlite_utils.Database(path)
    db["posts"].insert_all({"title": t, "created_at": NOW, "updated_at": NOW} for t in titles)
    db.close()


def test_a_new_file_gets_every_migration_recorded(tmp_path):
    path = tmp_path / "reelroom.db"
    store = Store(path)
    assert user_version(path) == LATEST
    history = [(r["version"], r["name"]) for r in store.db["migrations"].rows]
    assert history == [(m.version, m.name) for m in MIGRATIONS]
    assert list(tmp_path.glob("*.bak-*")) == []
    store.close()


def test_upgrading_a_v1_database_keeps_data_and_writes_a_equal_backup(tmp_path):
    path = tmp_path / "reelroom.db"
    make_v1(path, ["早安 vlog", "Recipe #2"])
    old_content = dump(path)
    assert user_version(path) == 1
    assert "posts_planned_at" not in all_indexes(path)

    store = Store(path)
    assert user_version(path) == LATEST
    assert sorted(r["title"] for r in store.db["posts"].rows) == ["Recipe #2", "早安 vlog"]
    assert "posts_planned_at" in all_indexes(path)
    store.close()

    backups = list(tmp_path.glob("reelroom.db.bak-v1-*"))
    assert len(backups) == 1
    # The backup API rewrites the header's change counter, so compare content, not bytes.
    assert dump(backups[0]) == old_content
    assert old_content[0] == "user_version=1" and len(old_content) > 20


def test_migrate_to_a_target_stops_there_and_is_idempotent(tmp_path):
    path = tmp_path / "reelroom.db"
    assert migrate(path, target=1) == [1]
    assert migrate(path, target=1) == []
    assert migrate(path) == [m.version for m in MIGRATIONS[1:]]
    assert migrate(path) == []
    assert user_version(path) == LATEST


def test_a_database_from_a_newer_reelroom_is_refused_untouched(tmp_path):
    path = tmp_path / "reelroom.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer ReelRoom.*99.*Upgrade ReelRoom"):
        Store(path)
    with pytest.raises(StoreError, match="newer"):
        check_version(path)
    assert path.read_bytes() == before
    assert list(tmp_path.glob("*.bak-*")) == []


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "reelroom.db"
    path.write_bytes(b"title,planned\nhello,2026-01-01\n")
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"not a SQLite database.*untouched"):
        Store(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reelroom.db"]


def test_a_failing_step_leaves_the_previous_version_intact(tmp_path):
    path = tmp_path / "reelroom.db"
    make_v1(path, ["survives"])
    # An index of that name already exists, so version 2's last statement fails
    # after its earlier CREATE INDEX statements ran inside the same transaction.
    db = sqlite_utils.Database(path)
    db["events"].create_index(["kind"], index_name="events_at")
    db.close()

    with pytest.raises(StoreError, match="events_at"):
        Store(path)

    assert user_version(path) == 1
    indexes = all_indexes(path)
    assert "events_at" in indexes and "posts_planned_at" not in indexes
    store = Store(path, migrate=False)
    assert [r["version"] for r in store.db["migrations"].rows] == [1]
    assert [r["title"] for r in store.db["posts"].rows] == ["survives"]
    store.close()
    assert inspect(path).intact


def test_check_version_reads_without_creating_anything(tmp_path):
    path = tmp_path / "reelroom.db"
    make_v1(path, [])
    before = path.read_bytes()
    assert check_version(path) == 1
    assert path.read_bytes() == before


def test_health_reads_version_and_history_without_writing(tmp_path):
    path = tmp_path / "reelroom.db"
    make_v1(path, ["a"])
    before = path.read_bytes()
    health = inspect(path)
    assert (health.schema_version, health.latest_version) == (1, LATEST)
    assert health.behind and not health.newer and health.intact
    assert [v for v, _, _ in health.applied] == [1]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reelroom.db"]


def _open_store(path: str, results) -> None:  # runs in a child process
    from storage.db import Store

    try:
        Store(path)
        results.put("ok")
    except Exception as exc:  # the assertion below shows what went wrong
        results.put(repr(exc))


def test_processes_starting_together_on_a_new_home_migrate_once(tmp_path):
    """The TUI and the worker opening a new workspace at the same moment both succeed."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")  # fork starts them close together
    for round_ in range(10):
        path = str(tmp_path / f"race{round_}.db")
        results = ctx.Queue()
        procs = [ctx.Process(target=_open_store, args=(path, results)) for _ in range(4)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(60)
        outcomes = [results.get(timeout=10) for _ in procs]
        assert outcomes == ["ok"] * 4, outcomes
        store = Store(path)
        versions = [r["version"] for r in store.conn.execute("SELECT version FROM migrations")]
        assert versions == [m.version for m in MIGRATIONS]


def test_the_v5_rebuild_keeps_jobs_publications_and_their_references(tmp_path):
    """Version 5 rebuilds jobs and publications: rows, ids and foreign keys survive."""
    path = tmp_path / "reelroom.db"
    assert migrate(path, target=4) == [1, 2, 3, 4]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    with conn:
        conn.execute(
            "INSERT INTO jobs (id, kind, payload_json, run_at, created_at) "
            "VALUES (7, 'render', '{}', ?, ?)",
            (NOW, NOW),
        )
        conn.execute("INSERT INTO renders (job_id, recipe) VALUES (7, 'tiktok')")
        conn.execute(
            "INSERT INTO accounts (id, platform, handle, created_at) VALUES (1, 'tiktok', 'a', ?)",
            (NOW,),
        )
        conn.execute(
            "INSERT INTO posts (id, title, created_at, updated_at) VALUES (3, 'p', ?, ?)",
            (NOW, NOW),
        )
        conn.execute(
            "INSERT INTO publications (id, post_id, account_id, render_job_id, created_at) "
            "VALUES (9, 3, 1, 7, ?)",
            (NOW,),
        )
    conn.close()

    assert migrate(path) == [m.version for m in MIGRATIONS if m.version >= 5]
    store = Store(path)
    conn = store.conn
    assert conn.execute("SELECT render_job_id FROM publications WHERE id = 9").fetchone()[0] == 7
    conn.execute("UPDATE publications SET state = 'processing' WHERE id = 9")
    conn.execute(
        "INSERT INTO jobs (kind, payload_json, run_at, created_at) VALUES ('reply', '{}', ?, ?)",
        (NOW, NOW),
    )
    assert {"jobs_ready", "jobs_claim", "publications_scheduled"} <= all_indexes(path)
    conn.execute("DELETE FROM jobs WHERE id = 7")  # the render row cascades, the link nulls
    assert conn.execute("SELECT count(*) FROM renders").fetchone()[0] == 0
    assert conn.execute("SELECT render_job_id FROM publications").fetchone()[0] is None
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    store.close()


def test_version_7_maps_deal_and_deliverable_words_and_keeps_links(tmp_path: Path) -> None:
    """Version 7 rebuilds deals and deliverables: old words map to the new pipeline,
    fee_cents becomes fee_minor, a deliverable's post moves to deliverable_posts, and
    a done deliverable goes live at its post's first publication."""
    path = tmp_path / "reelroom.db"
    assert migrate(path, target=6) == [1, 2, 3, 4, 5, 6]
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    with conn:
        conn.execute("INSERT INTO partners (id, name, created_at) VALUES (1, 'B', ?)", (NOW,))
        conn.execute(
            "INSERT INTO posts (id, title, created_at, updated_at) VALUES (3, 'p', ?, ?)",
            (NOW, NOW),
        )
        conn.execute(
            "INSERT INTO accounts (id, platform, handle, created_at) VALUES (1, 'tiktok', 'a', ?)",
            (NOW,),
        )
        conn.execute(
            "INSERT INTO publications (id, post_id, account_id, state, published_at, created_at)"
            " VALUES (5, 3, 1, 'published', '2026-02-03T04:05:06Z', ?)",
            (NOW,),
        )
        for deal_id, status in enumerate(
            ("lead", "negotiating", "signed", "delivering", "invoiced", "paid", "cancelled"), 1
        ):
            conn.execute(
                "INSERT INTO deals (id, partner_id, title, fee_cents, status, created_at) "
                "VALUES (?, 1, 't', 150000, ?, ?)",
                (deal_id, status, NOW),
            )
        for item_id, (status, post) in enumerate(
            (("pending", None), ("submitted", 3), ("approved", None), ("done", 3), ("done", None)),
            1,
        ):
            conn.execute(
                "INSERT INTO deliverables (id, deal_id, post_id, description, due_at, status, "
                "created_at) VALUES (?, 1, ?, 'd', '2026-02-10T00:00:00Z', ?, ?)",
                (item_id, post, status, NOW),
            )
    conn.close()

    assert migrate(path, target=7) == [7]
    store = Store(path)
    conn = store.conn
    stages = [r[0] for r in conn.execute("SELECT status FROM deals ORDER BY id")]
    assert stages == [
        "lead",
        "negotiating",
        "contracted",
        "in_production",
        "invoiced",
        "paid",
        "lost",
    ]
    assert conn.execute("SELECT DISTINCT fee_minor FROM deals").fetchall()[0][0] == 150000
    rows = conn.execute("SELECT id, status, live_at FROM deliverables ORDER BY id").fetchall()
    assert [tuple(r) for r in rows] == [
        (1, "to_do", None),
        (2, "draft_sent", None),
        (3, "approved", None),
        (4, "live", "2026-02-03T04:05:06Z"),
        (5, "live", "2026-02-10T00:00:00Z"),
    ]
    links = conn.execute("SELECT deliverable_id, post_id FROM deliverable_posts ORDER BY 1")
    assert [tuple(r) for r in links] == [(2, 3), (4, 3)]
    assert {"deals_partner", "deliverables_due", "deliverable_posts_post"} <= all_indexes(path)
    conn.execute("DELETE FROM deals WHERE id = 1")  # its deliverables and their links cascade
    assert conn.execute("SELECT count(*) FROM deliverable_posts").fetchone()[0] == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
