"""Connections to the workspace database: one per thread, WAL, busy_timeout.

`Store` is the handle the rest of ReelRoom passes around. It opens (and
migrates) the file once, then hands out one `sqlite_utils.Database` per
thread, because a sqlite3 connection may only be used by the thread that made
it. Several processes (TUI, watcher, worker) share the file through WAL.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import sqlite_utils


SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


def check_is_sqlite(path: Path) -> None:
    """Refuse a file that exists but is not a SQLite database (never touch it)."""
    if not path.exists():
        return
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise StoreError(
            f"{path} cannot be read ({exc.strerror}). Check its permissions, "
            "or point --home at another workspace."
        ) from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a SQLite database (its first bytes are not a SQLite header). "
            "ReelRoom left it untouched. Move it aside or restore it from a backup "
            "(reelroom.db.bak-*), or point --home at another workspace."
        )


def file_uri(path: Path | str) -> str:
    """A `file:` URI for SQLite with '#', '?', '%' and spaces in the path escaped."""
    return Path(path).absolute().as_uri()


def open_connection(path: Path | str, *, readonly: bool = False) -> sqlite3.Connection:
    """A new sqlite3 connection with ReelRoom's pragmas applied."""
    if readonly:
        conn = sqlite3.connect(f"{file_uri(path)}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=True)
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.row_factory = sqlite3.Row
    return conn


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that cannot write and leaves no new files behind.

    With no `-wal` file beside the database no other connection is open, so a
    plain connection with `query_only` is used: closing it as the last one
    removes the `-wal`/`-shm` files SQLite makes for a WAL database. With a
    `-wal` present (another process has it open, or one crashed) SQLite's
    `mode=ro` is used, so nothing, not even a checkpoint, reaches the file.
    """
    if path.with_name(path.name + "-wal").exists():
        return open_connection(path, readonly=True)
    conn = sqlite3.connect(f"{file_uri(path)}?mode=rw", uri=True, isolation_level=None)
    conn.execute("PRAGMA query_only = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.row_factory = sqlite3.Row
    return conn


class Store:
    """The workspace database, migrated, with a connection per thread."""

    def __init__(self, path: Path | str, *, migrate: bool = True) -> None:
        from storage import migrations

        self.path = Path(path)
        self._local = threading.local()
        check_is_sqlite(self.path)
        try:
            if migrate:
                migrations.migrate(self.path)
            else:
                migrations.check_version(self.path)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} could not be opened: {exc}.") from exc

    @property
    def db(self) -> "sqlite_utils.Database":
        """This thread's connection wrapped by sqlite-utils (imported on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            import sqlite_utils  # kept off the start-up path: ~130 ms of imports

            db = sqlite_utils.Database(self.conn)
            self._local.db = db
        return db

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's raw sqlite3 connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_connection(self.path)
            self._local.conn = conn
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A short write transaction taken with BEGIN IMMEDIATE."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def data_version(self) -> int:
        """`PRAGMA data_version`: changes when another connection commits."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Close this thread's connection (other threads close their own)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None
        self._local.db = None
