"""Opening SQLite connections: ReelRoom's pragmas, read-only opens, file checks.

The low-level half of the storage layer, shared by `storage.db` (the `Store`
handle), `storage.migrations` and `storage.health`; it imports nothing of
ReelRoom's, so those three no longer import each other in a cycle.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class DamagedDatabase(StoreError):
    """The file is damaged or not a database at all: the one case a backup is the answer."""


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
        raise DamagedDatabase(
            f"{path} is not a SQLite database (its first bytes are not a SQLite header). "
            "ReelRoom left it untouched. Move it aside or restore it from a backup "
            "(reelroom.db.bak-*), or point --home at another workspace."
        )


def file_uri(path: Path | str) -> str:
    """A `file:` URI for SQLite with '#', '?', '%' and spaces in the path escaped."""
    return Path(path).absolute().as_uri()


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL, waiting out other processes doing the same.

    Changing the journal mode of a new file needs a lock SQLite does not wait
    for with the busy handler: two processes opening a new workspace at once
    (the TUI and the worker) could fail with "database is locked". Once the
    file is in WAL mode, the pragma is a no-op.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def open_connection(path: Path | str, *, readonly: bool = False) -> sqlite3.Connection:
    """A new sqlite3 connection with ReelRoom's pragmas applied."""
    if readonly:
        conn = sqlite3.connect(
            f"{file_uri(path)}?mode=ro", uri=True, isolation_level=None, check_same_thread=True
        )
    else:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
    conn.row_factory = sqlite3.Row
    return conn


def can_write(path: Path) -> bool:
    """Whether this user may write the file, its existing side files, and create them."""
    sides = (path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))
    return (
        os.access(path, os.W_OK)
        and all(os.access(p, os.W_OK) or not p.exists() for p in sides)  # may vanish meanwhile
        and os.access(path.parent, os.W_OK | os.X_OK)
    )


def open_for_reading(path: Path) -> sqlite3.Connection:
    """A connection that cannot write and leaves no new files behind.

    With no `-wal` file beside the database no other connection is open, so a
    plain connection with `query_only` is used: closing it as the last one
    removes the `-wal`/`-shm` files SQLite makes for a WAL database. With a
    `-wal` present (another process has it open, or one crashed) SQLite's
    `mode=ro` is used, so nothing, not even a checkpoint, reaches the file.
    When this user cannot write the file, its side files or its folder, the
    file is opened `immutable`: SQLite would otherwise create `-wal`/`-shm`
    files it can never remove (with the database's read-only mode), or
    change the mode of empty ones.
    """
    if not can_write(path):
        conn = sqlite3.connect(
            f"{file_uri(path)}?mode=ro&immutable=1", uri=True, isolation_level=None
        )
        conn.row_factory = sqlite3.Row
        return conn
    if path.with_name(path.name + "-wal").exists():
        return open_connection(path, readonly=True)
    conn = sqlite3.connect(f"{file_uri(path)}?mode=rw", uri=True, isolation_level=None)
    conn.execute("PRAGMA query_only = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.row_factory = sqlite3.Row
    return conn
