"""Rows as plain sequences, on either engine.

The roll-ups and the chart queries read tens of thousands of rows at a time;
on SQLite a cursor without `sqlite3.Row` gives plain tuples, several times
cheaper to make. On PostgreSQL the connection adapter's rows (storage/pg.py)
index and unpack the same way, so `tuples(conn)` is the connection itself.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Protocol


class Executes(Protocol):
    """What the metrics queries call: `execute(sql, args)` → rows to iterate or fetch."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


def tuples(conn: sqlite3.Connection) -> Executes:
    """Something to `execute` on whose rows are plain sequences (tuples on SQLite)."""
    if isinstance(conn, sqlite3.Connection):
        cur = conn.cursor()
        cur.row_factory = None
        return cur
    # PostgreSQL's adapter (storage/pg.py): its rows index and unpack alike
    return conn
