"""PostgreSQL connections that behave like ReelRoom's sqlite3 connections.

Imported only when a store's URL is PostgreSQL (psycopg never loads on the
SQLite path). `PgConnection` wraps one psycopg connection in autocommit mode
and offers what the repositories use of sqlite3: `execute` / `executemany`
returning a cursor with `fetchone`, `fetchall`, iteration, `rowcount` and
`lastrowid`; rows readable by index and by name (`PgRow`, like sqlite3.Row);
`in_transaction`; `close`. Every statement goes through `pg_translate.pg_sql`.

Errors come out as the DB-API exceptions of the sqlite3 module, worded as
SQLite words constraint failures ("UNIQUE constraint failed: …"), so code
and tests that catch `sqlite3.IntegrityError` behave the same on both
engines. NUMERIC results (sum, avg over integers) load as int or float, as
SQLite returns them; Python booleans are stored as 0/1 like SQLite's.

`PgChanges` is the PostgreSQL side of `Store.data_version()`: a listening
connection counting the notifications the change triggers send on commit.
"""

from __future__ import annotations

import sqlite3
import struct
import threading
from typing import Any, Iterable, Iterator, Sequence

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus
from psycopg.rows import RowMaker

from storage.dialect import POSTGRES_DIALECT
from storage.pg_translate import pg_sql

CHANGES_CHANNEL = "reelroom_changes"
# Every write transaction of `Store.write()` takes this transaction-level
# advisory lock first: writers queue one at a time, as SQLite's BEGIN
# IMMEDIATE makes them, so a repository's read-then-write stays safe.
WRITE_LOCK_KEY = 0x5265656C  # "Reel"
CONNECT_TIMEOUT_S = 10
# A session left idle inside a transaction (its process frozen, or cut off by
# the network) is ended by the server after this long, so the locks it holds
# (the write queue's advisory lock, row locks) come free for everyone else.
IDLE_IN_TRANSACTION_MS = 15_000


class PgRow:
    """A result row readable as row[0] and row["name"], like sqlite3.Row."""

    __slots__ = ("_names", "_values")

    def __init__(self, names: dict[str, int], values: Sequence[Any]) -> None:
        self._names = names
        self._values = values

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return self._values[self._names[key]]
            except KeyError:
                return self._values[self._names[key.lower()]]
        return self._values[key]

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PgRow):
            return tuple(self._values) == tuple(other._values)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._values))

    def keys(self) -> list[str]:
        return list(self._names)

    def __repr__(self) -> str:
        return f"PgRow({dict(zip(self._names, self._values, strict=False))!r})"


def _row_factory(cursor: psycopg.Cursor[Any]) -> RowMaker[PgRow]:
    names = {c.name: i for i, c in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> PgRow:
        return PgRow(names, values)

    return make


class _NumericLoader(Loader):
    """NUMERIC as int when whole, else float (sum/avg of integers, as SQLite gives)."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if "." not in text and "e" not in text.lower() and text not in ("NaN", "Infinity"):
            return int(text)
        return float(text)


class _BoolDumper(Dumper):
    """True/False stored as 1/0: the schema's flags are integers, as in SQLite."""

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _BoolBinaryDumper(Dumper):
    format = psycopg.pq.Format.BINARY

    def dump(self, obj: Any) -> bytes:
        return struct.pack("!q", 1 if obj else 0)


def translate_error(exc: psycopg.Error) -> sqlite3.DatabaseError:
    """The sqlite3 exception (and SQLite's wording) for a psycopg error."""
    diag = exc.diag
    message = (diag.message_primary or str(exc)).strip()
    detail = f" ({diag.message_detail})" if diag.message_detail else ""
    if isinstance(exc, pg_errors.UniqueViolation):
        return sqlite3.IntegrityError(f"UNIQUE constraint failed: {diag.constraint_name}{detail}")
    if isinstance(exc, pg_errors.CheckViolation):
        return sqlite3.IntegrityError(f"CHECK constraint failed: {diag.constraint_name}")
    if isinstance(exc, pg_errors.ForeignKeyViolation):
        return sqlite3.IntegrityError(f"FOREIGN KEY constraint failed: {message}{detail}")
    if isinstance(exc, pg_errors.NotNullViolation):
        return sqlite3.IntegrityError(
            f"NOT NULL constraint failed: {diag.table_name}.{diag.column_name}"
        )
    if isinstance(exc, psycopg.IntegrityError):
        return sqlite3.IntegrityError(message + detail)
    if isinstance(exc, psycopg.OperationalError):
        return sqlite3.OperationalError(message + detail)
    if isinstance(exc, (psycopg.ProgrammingError, psycopg.DataError)):
        return sqlite3.OperationalError(message + detail)
    return sqlite3.DatabaseError(message + detail)


def connect(url: str, *, application: str = "reelroom") -> psycopg.Connection[PgRow]:
    """A psycopg connection in autocommit mode with ReelRoom's adapters."""
    try:
        raw = psycopg.connect(
            url,
            autocommit=True,
            row_factory=_row_factory,
            connect_timeout=CONNECT_TIMEOUT_S,
            application_name=application,
            options=f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}",
        )
    except psycopg.Error as exc:
        raise translate_error(exc) from exc
    raw.adapters.register_loader("numeric", _NumericLoader)
    raw.adapters.register_dumper(bool, _BoolDumper)
    raw.adapters.register_dumper(bool, _BoolBinaryDumper)
    return raw


class PgCursor:
    """The part of sqlite3.Cursor the repositories use."""

    def __init__(self, cur: psycopg.Cursor[PgRow], lastrowid: int | None = None) -> None:
        self._cur = cur
        self.lastrowid = lastrowid

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self) -> Any:
        return self._cur.description

    def fetchone(self) -> PgRow | None:
        if self._cur.description is None:
            return None
        return self._cur.fetchone()

    def fetchall(self) -> list[PgRow]:
        if self._cur.description is None:
            return []
        return self._cur.fetchall()

    def fetchmany(self, size: int = 1) -> list[PgRow]:
        if self._cur.description is None:
            return []
        return self._cur.fetchmany(size)

    def __iter__(self) -> Iterator[PgRow]:
        if self._cur.description is None:
            return iter(())
        return iter(self._cur)

    def close(self) -> None:
        self._cur.close()


class PgConnection:
    """One PostgreSQL connection with sqlite3.Connection's manners (see the module doc)."""

    dialect = POSTGRES_DIALECT

    def __init__(self, url: str, identity: dict[str, str] | None = None) -> None:
        self.url = url
        self.raw = connect(url)
        # table -> its identity column, for `lastrowid` of a plain INSERT.
        self.identity = identity if identity is not None else {}

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> PgCursor:
        stmt = pg_sql(sql)
        text = stmt.text
        key = self.identity.get(stmt.insert_table) if stmt.insert_table else None
        if key is not None:
            text = f"{text.rstrip().rstrip(';')} RETURNING {key}"
        cur = self.raw.cursor()
        try:
            cur.execute(text, params)
        except psycopg.Error as exc:
            raise translate_error(exc) from exc
        if key is None:
            return PgCursor(cur)
        row = cur.fetchone()
        return PgCursor(cur, None if row is None else row[0])

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | dict[str, Any]]) -> PgCursor:
        stmt = pg_sql(sql)
        cur = self.raw.cursor()
        try:
            cur.executemany(stmt.text, seq)
        except psycopg.Error as exc:
            raise translate_error(exc) from exc
        return PgCursor(cur)

    def begin(self, *, exclusive: bool) -> None:
        """BEGIN; with `exclusive`, queue behind other writers (BEGIN IMMEDIATE's promise)."""
        sql = f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})" if exclusive else "BEGIN"
        try:
            self.raw.execute(sql)
        except psycopg.Error as exc:
            raise translate_error(exc) from exc

    def commit(self) -> None:
        try:
            self.raw.execute("COMMIT")
        except psycopg.Error as exc:
            raise translate_error(exc) from exc

    def rollback(self) -> None:
        if self.raw.closed:
            return
        try:
            self.raw.execute("ROLLBACK")
        except psycopg.Error as exc:
            raise translate_error(exc) from exc

    def close(self) -> None:
        self.raw.close()


def load_identity(conn: PgConnection) -> dict[str, str]:
    """{table: identity column} of the public schema (ReelRoom's `INTEGER PRIMARY KEY`s)."""
    rows = conn.raw.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND is_identity = 'YES'"
    ).fetchall()
    return {r[0]: r[1] for r in rows}


class PgChanges:
    """Counts committed changes of other connections: LISTEN on the change channel.

    `version()` drains what has arrived without waiting; a lost connection is
    opened again and counts as a change (something may have been missed).
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._count = 0
        self._lock = threading.Lock()
        self._conn: psycopg.Connection[PgRow] | None = None

    def version(self) -> int:
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self.url, application="reelroom-listen")
                    self._conn.execute(f"LISTEN {CHANGES_CHANNEL}")
                    self._count += 1
                for _ in self._conn.notifies(timeout=0):
                    self._count += 1
            except psycopg.Error:
                self._close()
                self._count += 1
            return self._count

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
        self._conn = None

    def close(self) -> None:
        with self._lock:
            self._close()
