"""The workspace database handle: one connection per thread, on either engine.

`Store` is the handle the rest of ReelRoom passes around. It opens (and
migrates) the database once, then hands out one connection per thread,
because a sqlite3 connection may only be used by the thread that made it.

`Store(path)` is a SQLite file (the default for one box: several processes
share it through WAL). `Store("postgresql://…")` is a team workspace on
PostgreSQL: the constructor returns a `PgStore` (storage/pg_store.py), which
keeps this same interface — `conn`, `write()`, `data_version()`, `close()`,
`dialect` — so the repositories run unchanged on both. On PostgreSQL `conn`
is a `PgConnection` (storage/pg.py) offering the part of sqlite3.Connection
the repositories use; it is typed as sqlite3.Connection so repository
signatures stay engine-neutral. psycopg is imported only for a PostgreSQL URL.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from storage import migrations
from storage.connection import StoreError, check_is_sqlite, open_connection
from storage.dialect import SQLITE_DIALECT, Dialect, is_postgres_url
from storage.pathmap import NO_MAPPING, PathMap

if TYPE_CHECKING:
    import sqlite_utils


class Store:
    """The workspace database, migrated, with a connection per thread."""

    dialect: Dialect = SQLITE_DIALECT
    # This machine's [[paths]] rules: the footage repository stores canonical
    # paths and hands out local ones (set by app/workspace.py; none: unchanged).
    paths: PathMap = NO_MAPPING

    def __new__(cls, target: Path | str, *, migrate: bool = True) -> Store:
        if cls is Store and is_postgres_url(target):
            from storage.pg_store import PgStore

            return super().__new__(PgStore)
        return super().__new__(cls)

    def __init__(self, target: Path | str, *, migrate: bool = True) -> None:
        self.path: Path | None = Path(target)
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
    def target(self) -> str:
        """What `Store(...)` takes to open this same database again."""
        return str(self.path)

    @property
    def location(self) -> str:
        """Where the database is, for messages (a file path, or a URL without its password)."""
        return str(self.path)

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
            assert self.path is not None
            conn = open_connection(self.path)
            self._local.conn = conn
        return conn

    @contextmanager
    def write(self, *, exclusive: bool = True) -> Iterator[sqlite3.Connection]:
        """A short write transaction taken with BEGIN IMMEDIATE.

        `exclusive=False` tells a PostgreSQL store that the block's statements
        are each self-fenced (single UPDATEs carrying their own conditions), so
        each may commit on its own without queueing behind other writers; SQLite
        always takes the lock and commits the block as one.
        """
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
            assert self.path is not None  # a SQLite store always has its file
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

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"
