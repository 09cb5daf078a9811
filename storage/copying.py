"""Copying a workspace's database to another engine (or file), checked row for row.

`copy_workspace(source, target)` writes every table of a migrated source
store into a target store that must be empty (just migrated, no rows),
parents before children (the order comes from the foreign keys), keeping
every id, then moves the target's id sequences past them. Each table is then
checked on both sides: the row count and an order-independent checksum of
the rows' contents (values as JSON, hashed, summed), so a difference in any
value of any row fails the copy. `migrations` (each database records its own)
and `processes` (live processes of the source, gone in the target) are not
copied. Nothing outside the database is touched: the secrets file, config and
media stay where they are.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterator

from storage.db import Store
from storage.migrations import LATEST

SKIPPED = ("migrations", "processes")
CHUNK = 2000
_MOD = 2**256


class CopyError(Exception):
    """The copy cannot be made or did not come out equal; the message says why."""


@dataclass(frozen=True)
class TableCopy:
    """One table: rows in the source and the target, and whether their contents agree."""

    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def equal(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


def table_names(store: Store) -> list[str]:
    """Every ReelRoom table of the store (procrastinate's own are left out)."""
    if store.dialect.postgres:
        sql = (
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename NOT LIKE 'procrastinate%' ORDER BY tablename"
        )
    else:
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite%' ORDER BY name"
        )
    return [r[0] for r in store.conn.execute(sql).fetchall()]


def parents_of(store: Store, table: str) -> set[str]:
    """Tables `table` refers to by foreign key (itself left out)."""
    if store.dialect.postgres:
        rows = store.conn.execute(
            "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc "
            "JOIN information_schema.constraint_column_usage ccu "
            "ON ccu.constraint_name = tc.constraint_name "
            "AND ccu.constraint_schema = tc.constraint_schema "
            "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = ? "
            "AND tc.table_schema = current_schema()",
            (table,),
        ).fetchall()
    else:
        rows = store.conn.execute(
            'SELECT DISTINCT "table" FROM pragma_foreign_key_list(?)', (table,)
        ).fetchall()
    return {r[0] for r in rows} - {table}


def columns_of(store: Store, table: str) -> list[str]:
    """The table's columns in their declared order."""
    row = store.conn.execute(f"SELECT * FROM {table} LIMIT 1")
    return [d[0] for d in row.description]


def copy_order(store: Store) -> list[str]:
    """The tables to copy, each after every table it refers to."""
    tables = [t for t in table_names(store) if t not in SKIPPED]
    deps = {t: parents_of(store, t) & set(tables) for t in tables}
    order: list[str] = []
    while deps:
        ready = sorted(t for t, parents in deps.items() if not parents - set(order))
        if not ready:
            raise CopyError(f"the foreign keys of {', '.join(sorted(deps))} form a cycle")
        order.extend(ready)
        for t in ready:
            del deps[t]
    return order


def _rows(store: Store, table: str, cols: list[str]) -> Iterator[list[Any]]:
    cur = store.conn.execute(
        f"SELECT {', '.join(cols)} FROM {table} ORDER BY {', '.join(str(i + 1) for i in range(len(cols)))}"
    )
    while True:
        batch = cur.fetchmany(CHUNK)
        if not batch:
            return
        for row in batch:
            yield list(row)


def checksum(store: Store, table: str, cols: list[str]) -> tuple[int, str]:
    """(rows, content checksum): the sum of each row's SHA-256, so row order does not matter.

    Columns are read in name order: an engine whose migration added a column in
    place (PostgreSQL) and one that rebuilt the table (SQLite) hold the same
    columns in different positions, and must give the same checksum.
    """
    total, count = 0, 0
    for row in _rows(store, table, sorted(cols)):
        text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        total = (total + int(hashlib.sha256(text.encode()).hexdigest(), 16)) % _MOD
        count += 1
    return count, f"{total:064x}"


def _check_empty(target: Store, tables: list[str]) -> None:
    for table in tables:
        if target.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            raise CopyError(
                f"{target.location} is not empty (table {table} holds rows); a workspace is "
                "copied only into an empty database. Create a new one (createdb) or remove it."
            )


def copy_workspace(source: Store, target: Store) -> list[TableCopy]:
    """Copy every table of `source` into the empty `target` and check both sides."""
    order = copy_order(source)
    missing = set(order) - set(table_names(target))
    if missing:
        raise CopyError(
            f"{target.location} lacks the tables {', '.join(sorted(missing))}: it was made by "
            f"another ReelRoom version (this one writes schema version {LATEST})."
        )
    _check_empty(target, order)
    with target.write() as conn:
        for table in order:
            cols = columns_of(source, table)
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
            batch: list[list[Any]] = []
            for row in _rows(source, table, cols):
                batch.append(row)
                if len(batch) >= CHUNK:
                    conn.executemany(sql, batch)
                    batch = []
            if batch:
                conn.executemany(sql, batch)
            key = getattr(target, "identity", {}).get(table)
            resync = target.dialect.resync_ids(table, key) if key else None
            if resync:
                conn.execute(resync)
    if target.dialect.postgres:
        from storage import pg_jobs

        pg_jobs.redeliver_orphans(target, limit=1_000_000)
    report = []
    for table in order:
        cols = columns_of(source, table)
        n_src, sum_src = checksum(source, table, cols)
        n_dst, sum_dst = checksum(target, table, cols)
        report.append(TableCopy(table, n_src, n_dst, sum_src, sum_dst))
    bad = [r for r in report if not r.equal]
    if bad:
        raise CopyError(
            "the copy differs from the source in "
            + ", ".join(f"{r.table} ({r.source_rows} → {r.target_rows} rows)" for r in bad)
            + f"; {target.location} is incomplete: drop it and copy again."
        )
    return report
