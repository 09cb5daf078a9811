"""Where SQLite and PostgreSQL differ: the one place the storage layer forks.

Repositories write SQL once, in the dialect both engines agree on (ANSI
joins, `ON CONFLICT`, `RETURNING`, ISO-8601 text times compared as text,
`?` placeholders), and run it through `store.conn.execute(sql, params)`. On
SQLite the text goes to sqlite3 untouched. On PostgreSQL the connection
adapter (storage/pg.py) translates every statement through
`storage.pg_translate.pg_sql` (and the migrations their DDL through
`pg_ddl`); that module holds the rewriting and what it refuses, and only
PostgreSQL workspaces load it.

Where a repository needs a construct the engines spell differently it asks
the store's `Dialect` for the fragment (`group_concat`, `shift_days`) —
a short list kept here.

This module imports nothing but the standard library: the SQLite path never
loads the PostgreSQL driver, nor the translation's patterns.
"""

from __future__ import annotations

from dataclasses import dataclass

SQLITE = "sqlite"
POSTGRES = "postgres"


class DialectError(Exception):
    """A statement uses SQLite-only syntax that has no faithful PostgreSQL form."""


def is_postgres_url(target: object) -> bool:
    """Whether a store target names a PostgreSQL database (a URL, not a file)."""
    text = str(target)
    return text.startswith(("postgresql://", "postgres://"))


@dataclass(frozen=True)
class Dialect:
    """The fragments of SQL the two engines spell differently."""

    name: str

    @property
    def postgres(self) -> bool:
        return self.name == POSTGRES

    def group_concat(self, expr: str, sep: str) -> str:
        """Concatenate `expr` of a group with the separator `sep` (a SQL string literal)."""
        if self.postgres:
            return f"string_agg(({expr})::text, {sep})"
        return f"group_concat({expr}, {sep})"

    def shift_days(self, column: str, days: int) -> str:
        """A stored UTC text time moved by `days` (negative: earlier), still stored text."""
        if self.postgres:
            return (
                f"to_char(({column})::timestamptz AT TIME ZONE 'UTC' + interval '{int(days)} days',"
                ' \'YYYY-MM-DD"T"HH24:MI:SS"Z"\')'
            )
        return f"strftime('%Y-%m-%dT%H:%M:%SZ', {column}, '{int(days):+d} days')"

    @property
    def ordered_join(self) -> str:
        """An inner join (with ON) that SQLite's planner must take in the order written
        (SQLite's CROSS JOIN); PostgreSQL plans it itself."""
        return "JOIN" if self.postgres else "CROSS JOIN"

    def resync_ids(self, table: str, column: str = "id") -> str | None:
        """After rows were written with explicit ids: the statement that moves the
        id sequence past them (None on SQLite, whose rowids need nothing)."""
        if not self.postgres:
            return None
        return (
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"coalesce(max({column}), 0) + 1, false) FROM {table}"
        )


SQLITE_DIALECT = Dialect(SQLITE)
POSTGRES_DIALECT = Dialect(POSTGRES)


def dialect_of(conn: object) -> Dialect:
    """The dialect of a connection (a sqlite3 connection, or storage.pg's PgConnection)."""
    found = getattr(conn, "dialect", None)
    return found if isinstance(found, Dialect) else SQLITE_DIALECT
