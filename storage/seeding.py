"""Bulk writes for seeding a workspace (the demo), and the `meta` key/value table.

Plain functions taking a `Store`, or the connection of a write transaction
opened by `bulk_session`. Rows are written with `executemany` in one large
transaction; `bulk_session` may relax durability pragmas for the duration of
a big load and always restores them afterwards.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from storage.db import Store
from storage.dialect import dialect_of

# Every table the demo fills, parents before children.
SEEDED_TABLES: tuple[str, ...] = (
    "pillars",
    "accounts",
    "posts",
    "scripts",
    "script_revisions",
    "shots",
    "assets",
    "asset_paths",
    "jobs",
    "renders",
    "publications",
    "publication_steps",
    "inbox_items",
    "saved_replies",
    "metric_snapshots",
    "account_snapshots",
    "partners",
    "deals",
    "deliverables",
    "deliverable_posts",
    "invoices",
    "posting_slots",
    "events",
)
# Tables whose rows mean "somebody already works in this workspace".
WORK_TABLES: tuple[str, ...] = ("posts", "pillars", "publications", "inbox_items", "deals")

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
# Relaxed only while a bulk load runs; the previous values are put back.
_BULK_PRAGMAS = {"synchronous": "OFF", "cache_size": "-65536", "temp_store": "MEMORY"}


def _check_ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a plain SQL identifier")
    return name


def _check_table(table: str) -> str:
    if table not in SEEDED_TABLES and table != "meta":
        raise ValueError(f"{table!r} is not a table the seeder writes")
    return table


# --- meta -----------------------------------------------------------------------


def get_meta(store: Store, key: str) -> str | None:
    """The value stored under `key` in `meta`, or None."""
    row = store.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row["value"]


def get_meta_in(conn: sqlite3.Connection, key: str) -> str | None:
    """`get_meta` on the connection of an open transaction."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store `value` under `key` (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def put_meta(store: Store, key: str, value: str) -> None:
    """Store `value` under `key` in its own short transaction."""
    with store.write() as conn:
        set_meta(conn, key, value)


# --- reading state ----------------------------------------------------------------


def table_counts(store: Store, tables: Sequence[str] = SEEDED_TABLES) -> dict[str, int]:
    """Row count of each table, in the order given."""
    conn = store.conn
    return {
        t: conn.execute(f"SELECT count(*) FROM {_check_table(t)}").fetchone()[0] for t in tables
    }


def work_rows_in(conn: sqlite3.Connection) -> dict[str, int]:
    """Tables of WORK_TABLES that hold rows, with their counts (empty: a fresh workspace)."""
    found: dict[str, int] = {}
    for table in WORK_TABLES:
        n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if n:
            found[table] = n
    return found


def next_ids(conn: sqlite3.Connection, tables: Iterable[str]) -> dict[str, int]:
    """The first free integer id of each table (max(id) + 1), read in the transaction."""
    out: dict[str, int] = {}
    for table in tables:
        key = {"renders": "job_id", "deliverable_posts": "deliverable_id"}.get(table, "id")
        row = conn.execute(f"SELECT coalesce(max({key}), 0) FROM {_check_table(table)}").fetchone()
        out[table] = int(row[0]) + 1
    return out


# --- writing ------------------------------------------------------------------------


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> int:
    """INSERT every row (tuples in `columns` order) with executemany; returns rows written."""
    cols = ", ".join(_check_ident(c) for c in columns)
    marks = ", ".join("?" for _ in columns)
    cur = conn.executemany(f"INSERT INTO {_check_table(table)} ({cols}) VALUES ({marks})", rows)
    return max(cur.rowcount, 0)


@contextmanager
def bulk_session(store: Store, *, relax: bool = False) -> Iterator[sqlite3.Connection]:
    """One BEGIN IMMEDIATE transaction for a big load.

    With `relax`, durability pragmas are loosened, a rollback journal replaces
    the WAL when no other connection has the file open, and foreign keys are not
    checked row by row during the load (the data is regenerable demo data);
    instead the whole database is checked with `PRAGMA foreign_key_check`
    before commit and any dangling reference rolls everything back. The
    pragmas (and WAL) are restored afterwards.
    """
    if store.dialect.postgres:
        # No pragmas or journal to relax; foreign keys stay on (rows go in parents
        # first), and the id sequences move past the explicit ids afterwards.
        with store.write() as tx:
            yield tx
            for table in SEEDED_TABLES:
                resync = store.dialect.resync_ids(table, "job_id" if table == "renders" else "id")
                if resync:
                    tx.execute(resync)
        return
    conn = store.conn
    saved: dict[str, int] = {}
    if relax:
        for name, value in _BULK_PRAGMAS.items():
            saved[name] = int(conn.execute(f"PRAGMA {name}").fetchone()[0])
            conn.execute(f"PRAGMA {name} = {value}")
        saved["foreign_keys"] = int(conn.execute("PRAGMA foreign_keys").fetchone()[0])
        conn.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
        journal = _leave_wal(conn)
    try:
        with store.write() as tx:
            yield tx
            if relax:
                _check_references(tx)
    finally:
        for name, saved_value in saved.items():
            conn.execute(f"PRAGMA {name} = {saved_value}")
        if relax:
            if journal == "wal":
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            else:
                _back_to_wal(conn)


def _back_to_wal(conn: sqlite3.Connection) -> None:
    """Return to WAL; if another process opened the file meanwhile, its own
    connection (and every later one) switches the file back to WAL on open."""
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass


def _leave_wal(conn: sqlite3.Connection) -> str:
    """Use a rollback journal for the load when no one else has the file open
    (pages are then written once, not to the WAL and again at checkpoint);
    returns the journal mode in force."""
    try:
        return str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower()
    except sqlite3.OperationalError:  # another connection holds the file: stay in WAL
        return "wal"


def _check_references(conn: sqlite3.Connection) -> None:
    bad = conn.execute("PRAGMA foreign_key_check").fetchmany(3)
    if bad:
        shown = "; ".join(f"{r[0]} row {r[1]} -> {r[2]}" for r in bad)
        raise sqlite3.IntegrityError(f"bulk load left dangling references ({shown}); rolled back")


def drop_indexes(conn: sqlite3.Connection, tables: Sequence[str]) -> list[str]:
    """Drop the explicit (non-constraint) indexes of `tables` inside the caller's
    transaction; returns their CREATE statements for `create_indexes`."""
    sqls: list[str] = []
    if dialect_of(conn).postgres:  # PostgreSQL builds its indexes as rows arrive
        return sqls
    for table in tables:
        rows = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
            "AND sql IS NOT NULL ORDER BY name",
            (_check_table(table),),
        ).fetchall()
        for name, sql in rows:
            conn.execute(f'DROP INDEX "{_check_ident(name)}"')
            sqls.append(sql)
    return sqls


def create_indexes(conn: sqlite3.Connection, sqls: Sequence[str]) -> None:
    """Re-create indexes dropped by `drop_indexes` (a bulk load sorts once instead
    of updating them row by row)."""
    for sql in sqls:
        conn.execute(sql)


def link_assets_to_post(store: Store, asset_ids: Sequence[int], post_id: int) -> int:
    """Attach assets to a post (assets.post_id); returns how many rows changed."""
    if not asset_ids:
        return 0
    with store.write() as conn:
        cur = conn.executemany(
            "UPDATE assets SET post_id = ? WHERE id = ? AND post_id IS NOT ?",
            [(post_id, a, post_id) for a in asset_ids],
        )
        return max(cur.rowcount, 0)


def post_exists(store: Store, post_id: int) -> bool:
    """Whether a post with this id exists."""
    row = store.conn.execute("SELECT 1 FROM posts WHERE id = ?", (post_id,)).fetchone()
    return row is not None
