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

from storage import migrations
from storage.connection import StoreError, check_is_sqlite, open_connection

if TYPE_CHECKING:
    import sqlite_utils


class Store:
    """The workspace database, migrated, with a connection per thread."""

    def __init__(self, path: Path | str, *, migrate: bool = True) -> None:
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
    def db(self) -> sqlite_utils.Database:
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

    def change_counter(self) -> int:
        """A number that changes whenever anything commits, this thread's own writes too.

        It is `PRAGMA data_version` read on a second connection of this thread
        that never writes, so a commit on this thread's working connection
        counts as "another connection" (plain `data_version` misses those)."""
        watch = getattr(self._local, "watch", None)
        if watch is None:
            watch = open_connection(self.path)
            self._local.watch = watch
        return watch.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """Close this thread's connections (other threads close their own)."""
        for name in ("conn", "watch"):
            conn = getattr(self._local, name, None)
            if conn is not None:
                conn.close()
            setattr(self._local, name, None)
        self._local.db = None
