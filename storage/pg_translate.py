"""SQLite's dialect turned into PostgreSQL's: statements and migration DDL.

Only a PostgreSQL workspace loads this (storage/pg.py, and the migrations
when they run on PostgreSQL); SQLite runs the text as written. `pg_sql`,
once per distinct text (cached):

- turns `?` into `%s` and `:name` into `%(name)s` (and doubles a literal `%`);
- drops SQLite's `INDEXED BY index` hint (PostgreSQL plans for itself);
- turns `x IS ?` / `x IS NOT ?` into `IS [NOT] DISTINCT FROM`;
- turns `LIKE` into `ILIKE` (SQLite's LIKE ignores ASCII case; PostgreSQL's does not);
- turns the scalar `max(a, b)` / `min(a, b)` into `GREATEST` / `LEAST`;
- turns `INSERT OR IGNORE INTO …` into `INSERT INTO … ON CONFLICT DO NOTHING`;
- refuses what has no faithful translation (`INSERT OR REPLACE`, `PRAGMA`,
  `GLOB`, `sqlite_master`) with a message saying what to write instead.

DDL of the numbered migrations is translated by `pg_ddl` (types, identity
keys, text collation, GLOB checks); a step the translation cannot express (a
SQLite table rebuild) ships its own `schema_vN.postgres.sql`.
`cur.lastrowid` works on both engines (the adapter adds `RETURNING` for a
single-row INSERT), but new code should prefer `INSERT … RETURNING id`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from storage.dialect import DialectError

# --- statements ---------------------------------------------------------------------

# String literals, quoted identifiers and comments are copied as they are
# (with `%` doubled for psycopg); everything else is rewritten and scanned.
_LITERALS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*")
_PLACEHOLDERS = re.compile(
    r"(?P<cast>::)|(?P<named>(?<![:\w]):[A-Za-z_]\w*)|(?P<qmark>\?)|(?P<pct>%)"
)
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.I)
_IS_PARAM = re.compile(r"\bIS\s+(NOT\s+)?\?", re.I)
_LIKE = re.compile(r"(?<![\w.])LIKE\b", re.I)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.I)
_RETURNING = re.compile(r"\bRETURNING\b", re.I)
_REFUSED = (
    (
        re.compile(r"^\s*INSERT\s+OR\s+REPLACE\b|^\s*REPLACE\s+INTO\b", re.I),
        "write INSERT … ON CONFLICT (…) DO UPDATE SET … instead of INSERT OR REPLACE",
    ),
    (re.compile(r"^\s*PRAGMA\b", re.I), "PRAGMAs are SQLite's; ask the Store instead"),
    (re.compile(r"\bGLOB\b", re.I), "write LIKE, or a Dialect fragment, instead of GLOB"),
    (re.compile(r"\bCOLLATE\s+NOCASE\b", re.I), "compare lower(a) = lower(b) instead"),
    (
        re.compile(r"\bsqlite_master\b|\bsqlite_schema\b", re.I),
        "read the schema through the Store, not sqlite_master",
    ),
)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+INTO\s+\"?(\w+)\"?", re.I)


@dataclass(frozen=True)
class PgStatement:
    """One statement made ready for psycopg: its text and what the adapter must add."""

    text: str
    insert_table: str | None  # the table of an INSERT without RETURNING (for lastrowid)


@lru_cache(maxsize=4096)
def pg_sql(sql: str) -> PgStatement:
    """The PostgreSQL form of a statement written for both engines (see the module doc)."""
    bare = _LITERALS.sub("''", sql)
    for pattern, advice in _REFUSED:
        if pattern.search(bare):
            raise DialectError(f"not portable to PostgreSQL: {advice}: {sql.strip()[:80]!r}")
    or_ignore = bool(_OR_IGNORE.match(sql))
    text = _OR_IGNORE.sub("INSERT INTO", sql, count=1) if or_ignore else sql
    out: list[str] = []
    pos = 0
    for match in _LITERALS.finditer(text):
        out.append(_rewrite_plain(text[pos : match.start()]))
        out.append(match.group().replace("%", "%%"))
        pos = match.end()
    out.append(_rewrite_plain(text[pos:]))
    result = "".join(out)
    if or_ignore:
        result = _add_on_conflict(result)
    table = None
    head = _INSERT_TABLE.match(result)
    if head and not _RETURNING.search(_LITERALS.sub("''", result)):
        table = head.group(1).lower()
    return PgStatement(result, table)


def _rewrite_plain(chunk: str) -> str:
    """Rewrites outside literals: hints, IS ?, LIKE, then the placeholders."""
    chunk = _INDEXED_BY.sub("", chunk)
    chunk = _IS_PARAM.sub(
        lambda m: "IS DISTINCT FROM ?" if m.group(1) else "IS NOT DISTINCT FROM ?", chunk
    )
    chunk = _LIKE.sub("ILIKE", chunk)
    chunk = _scalar_min_max(chunk)
    return _PLACEHOLDERS.sub(_placeholder, chunk)


_MIN_MAX = re.compile(r"\b(max|min)\s*\(", re.I)


def _scalar_min_max(chunk: str) -> str:
    """SQLite's two-argument max(a, b) / min(a, b) are GREATEST / LEAST in PostgreSQL."""
    out, pos = [], 0
    for match in _MIN_MAX.finditer(chunk):
        depth, i, comma = 1, match.end(), False
        while i < len(chunk) and depth:
            ch = chunk[i]
            depth += ch == "("
            depth -= ch == ")"
            comma = comma or (ch == "," and depth == 1)
            i += 1
        if comma:
            word = "GREATEST" if match.group(1).lower() == "max" else "LEAST"
            out.append(chunk[pos : match.start()] + word + "(")
            pos = match.end()
    out.append(chunk[pos:])
    return "".join(out)


def _placeholder(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "qmark":
        return "%s"
    if kind == "named":
        return f"%({match.group()[1:]})s"
    if kind == "pct":
        return "%%"
    return match.group()


def _add_on_conflict(sql: str) -> str:
    found = _RETURNING.search(sql)
    if found:
        return f"{sql[: found.start()].rstrip()} ON CONFLICT DO NOTHING {sql[found.start() :]}"
    return f"{sql.rstrip().rstrip(';')} ON CONFLICT DO NOTHING"


# --- DDL of the numbered migrations ----------------------------------------------------

_DDL_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b", re.I),
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    # Byte order, as SQLite's BINARY collation: ISO times, ids and names sort alike.
    (re.compile(r"\bTEXT\b", re.I), 'TEXT COLLATE "C"'),
    (re.compile(r"\bGLOB\b", re.I), "SIMILAR TO"),
)


def pg_ddl(sql: str) -> str:
    """A migration statement written for SQLite, in PostgreSQL's DDL.

    Types (INTEGER → BIGINT, REAL → DOUBLE PRECISION, TEXT with byte-order
    collation), `INTEGER PRIMARY KEY` → an identity key, and `GLOB` checks
    (the schema uses only `[…]` classes, which mean the same in SIMILAR TO).
    Literals are left alone.
    """
    out: list[str] = []
    pos = 0
    for match in re.finditer(r"'(?:[^']|'')*'", sql):
        out.append(_ddl_plain(sql[pos : match.start()]))
        out.append(match.group())
        pos = match.end()
    out.append(_ddl_plain(sql[pos:]))
    return "".join(out)


def _ddl_plain(chunk: str) -> str:
    for pattern, replacement in _DDL_RULES:
        chunk = pattern.sub(replacement, chunk)
    return chunk
