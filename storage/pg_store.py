"""`PgStore`: the workspace database on PostgreSQL, with `Store`'s interface.

`Store("postgresql://…")` returns one of these. It migrates the database
(storage/pg_migrations.py) under an advisory lock, then hands out one
`PgConnection` per thread. `write()` is BEGIN plus a transaction-level
advisory lock, so writers queue one at a time as they do on SQLite (BEGIN
IMMEDIATE) and a repository's read-then-write inside `write()` keeps its
meaning; `write(exclusive=False)` is for blocks made only of self-fenced
single statements (the job queue's hot path): each statement then commits on
its own, in one round trip, with no queue. `data_version()`
counts LISTEN/NOTIFY messages that every committed change sends.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, cast
from urllib.parse import urlsplit, urlunsplit

from storage import pg_migrations
from storage.connection import StoreError
from storage.db import Store
from storage.dialect import POSTGRES_DIALECT, Dialect
from storage.pg import PgChanges, PgConnection, load_identity

if TYPE_CHECKING:
    import sqlite_utils


def redact(url: str) -> str:
    """The URL with its password replaced by ***, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class PgStore(Store):
    """A PostgreSQL workspace database (see the module doc)."""

    dialect: Dialect = POSTGRES_DIALECT

    def __init__(self, target: Path | str, *, migrate: bool = True) -> None:
        self.path = None
        self.url = str(target)
        self._local = threading.local()
        self._changes: PgChanges | None = None
        self._changes_lock = threading.Lock()
        try:
            first = PgConnection(self.url)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"the PostgreSQL database {self.location} cannot be reached: {exc}. Check "
                "[storage] url in config.toml (or REELROOM_DATABASE_URL), that the server "
                "runs and that this machine may connect."
            ) from exc
        try:
            if migrate:
                pg_migrations.migrate(first, self.location)
            else:
                pg_migrations.check_version(first, self.location)
            self.identity = load_identity(first)
        except sqlite3.DatabaseError as exc:
            first.close()
            raise StoreError(f"{self.location} could not be opened: {exc}.") from exc
        first.identity = self.identity
        self._local.conn = first

    @property
    def target(self) -> str:
        return self.url

    @property
    def location(self) -> str:
        return redact(self.url)

    @property
    def db(self) -> sqlite_utils.Database:
        """Row-level table helpers (storage/table_rows.py) in place of sqlite-utils."""
        tables = getattr(self._local, "db", None)
        if tables is None:
            from storage.table_rows import Tables

            tables = Tables(self)
            self._local.db = tables
        return cast("sqlite_utils.Database", tables)

    @property
    def pg(self) -> PgConnection:
        """This thread's PostgreSQL connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.raw.closed:
            conn = PgConnection(self.url, self.identity)
            self._local.conn = conn
        return cast(PgConnection, conn)

    @property
    def conn(self) -> sqlite3.Connection:
        return cast(sqlite3.Connection, self.pg)

    @contextmanager
    def write(self, *, exclusive: bool = True) -> Iterator[sqlite3.Connection]:
        conn = self.pg
        if not exclusive and not conn.in_transaction:
            # Self-fenced single statements: each commits on its own (one round trip).
            yield cast(sqlite3.Connection, conn)
            return
        conn.begin(exclusive=exclusive)
        try:
            yield cast(sqlite3.Connection, conn)
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()

    def data_version(self) -> int:
        with self._changes_lock:
            if self._changes is None:
                self._changes = PgChanges(self.url)
        return self._changes.version()

    def change_counter(self) -> int:
        """A number that changes whenever anything commits, this process's writes too.

        The NOTIFY listener is a connection of its own, so every commit —
        including this thread's — reaches it: the same as `data_version()`."""
        return self.data_version()

    def close(self) -> None:
        conn: Any = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
        self._local.conn = None
        self._local.db = None

    def close_listener(self) -> None:
        """Stop listening for changes (the TUI's end)."""
        with self._changes_lock:
            if self._changes is not None:
                self._changes.close()
                self._changes = None
