"""Row-level helpers by table name: the part of sqlite-utils a PostgreSQL store offers.

`store.db` is sqlite-utils on a SQLite store (bulk work, tests). A
PostgreSQL store hands out `Tables` instead, with the same spelling for the
few calls ReelRoom and its tests make — `db[table]` / `db.table(name)`,
`.insert(row).last_pk` (or `.last_rowid`),
`insert_all`, `get`, `update`, `delete`, `count`, `rows`, `rows_where`,
`table_names()` — written in plain SQL through the store's connection, so it
runs on either engine. Names are checked to be plain identifiers.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from storage.db import Store

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class NotFoundError(KeyError):
    """`get` found no row with that key."""


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"{name!r} is not a plain SQL identifier")
    return name


class TableRows:
    """One table's rows."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.name = _ident(name)
        self.last_pk: Any = None
        self.last_rowid: Any = None

    @contextmanager
    def _tx(self) -> Iterator[Any]:
        """The caller's open transaction, or a short one of our own."""
        conn = self.store.conn
        if conn.in_transaction:
            yield conn
        else:
            with self.store.write() as tx:
                yield tx

    @property
    def pk(self) -> str:
        identity: dict[str, str] = getattr(self.store, "identity", {})
        return identity.get(self.name, "id")

    def insert(self, row: dict[str, Any]) -> TableRows:
        """Insert one row; `last_pk` is its key."""
        cols = [_ident(c) for c in row]
        marks = ", ".join("?" for _ in cols)
        sql = f"INSERT INTO {self.name} ({', '.join(cols)}) VALUES ({marks}) RETURNING {self.pk}"
        with self._tx() as conn:
            found = conn.execute(sql, tuple(row.values())).fetchone()
            if self.pk in row:
                self._resync(conn)
        self.last_pk = self.last_rowid = None if found is None else found[0]
        return self

    def insert_all(self, rows: Iterable[dict[str, Any]]) -> TableRows:
        """Insert many rows in one transaction."""
        for row in rows:
            self.insert(row)
        return self

    def _resync(self, conn: Any) -> None:
        sql = self.store.dialect.resync_ids(self.name, self.pk)
        if sql:
            conn.execute(sql)

    def get(self, pk: Any) -> dict[str, Any]:
        """The row with this key, as a dict; NotFoundError when there is none."""
        row = self.store.conn.execute(
            f"SELECT * FROM {self.name} WHERE {self.pk} = ?", (pk,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"{self.name} has no row {pk!r}")
        return dict(zip(row.keys(), row, strict=True))

    def update(self, pk: Any, values: dict[str, Any]) -> TableRows:
        """Set columns of the row with this key."""
        sets = ", ".join(f"{_ident(c)} = ?" for c in values)
        with self._tx() as conn:
            conn.execute(
                f"UPDATE {self.name} SET {sets} WHERE {self.pk} = ?", (*values.values(), pk)
            )
        return self

    def delete(self, pk: Any) -> TableRows:
        """Delete the row with this key."""
        with self._tx() as conn:
            conn.execute(f"DELETE FROM {self.name} WHERE {self.pk} = ?", (pk,))
        return self

    @property
    def count(self) -> int:
        return int(self.store.conn.execute(f"SELECT count(*) FROM {self.name}").fetchone()[0])

    @property
    def rows(self) -> Iterator[dict[str, Any]]:
        return self.rows_where()

    def rows_where(
        self, where: str | None = None, where_args: Iterable[Any] = (), order_by: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Rows as dicts, optionally filtered and ordered (SQL fragments written by the caller)."""
        sql = f"SELECT * FROM {self.name}"
        if where:
            sql += f" WHERE {where}"
        sql += f" ORDER BY {order_by or self.pk}"
        for row in self.store.conn.execute(sql, tuple(where_args)).fetchall():
            yield dict(zip(row.keys(), row, strict=True))


class Tables:
    """`db[table]` for a PostgreSQL store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, name: str) -> TableRows:
        return TableRows(self.store, name)

    def table(self, name: str) -> TableRows:
        """`db.table(name)`, as sqlite-utils spells `db[name]` too."""
        return TableRows(self.store, name)

    def table_names(self) -> list[str]:
        rows = self.store.conn.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]
