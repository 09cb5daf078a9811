"""Forward-only numbered migrations, recorded in the database.

The steps are numbered once for both engines. On SQLite `PRAGMA
user_version` holds the schema version and the `migrations` table the
history; storage/pg_migrations.py runs the same steps on PostgreSQL
(`Migration.postgres_statements`: the SQLite DDL translated by
storage/pg_translate.py, or the step's own `schema_vN.postgres.sql`). Before an existing database is migrated, a backup copy is written
next to it. A database written by a newer ReelRoom is refused untouched, and
so is a SQLite file that is not a ReelRoom workspace (storage/dbfile.py):
it is identified read-only before anything switches it to WAL. Every SQLite
step sets `PRAGMA application_id`, so a new file is marked as ReelRoom's from
its first transaction and an older workspace by its next migration (8).
"""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from storage.connection import (
    StoreError,
    check_is_sqlite,
    file_uri,
    open_connection,
    open_for_reading,
)
from storage.dbfile import APPLICATION_ID, identify


@dataclass(frozen=True)
class Migration:
    """One step of the schema: version N brings a database from N-1 to N."""

    version: int
    name: str
    sql_file: str
    # True when the step rebuilds tables (new table, copy, drop, rename): it
    # runs with foreign keys off, as SQLite prescribes, and is checked with
    # `PRAGMA foreign_key_check` before it commits.
    rebuilds: bool = False
    # "module:function" run after the SQL, inside the same transaction, with the
    # connection: for a step that computes rows (e.g. roll-ups from the data
    # already there). Imported only when the step runs; it writes SQL both
    # engines accept, like any storage code.
    python: str | None = None

    def sql(self) -> str:
        """The migration's SQL text."""
        from importlib import resources  # only to migrate: not when a current file is opened

        return resources.files("storage").joinpath(self.sql_file).read_text("utf-8")

    @property
    def postgres_file(self) -> str:
        """The PostgreSQL form of this step, when it cannot be translated (a rebuild)."""
        return self.sql_file.replace(".sql", ".postgres.sql")

    def postgres_statements(self) -> list[str]:
        """The step's statements for PostgreSQL: its own file, or the SQLite DDL translated.

        A rebuild (new table, copy, drop, rename) cannot be translated: foreign
        keys of other tables would follow the dropped table in PostgreSQL. Such a
        step ships `schema_vN.postgres.sql` (ALTER TABLE … in place);
        tests/test_engines.py checks that every rebuild has one.
        """
        from importlib import resources

        from storage.pg_translate import pg_ddl

        own = resources.files("storage").joinpath(self.postgres_file)
        if own.is_file():
            return _statements(own.read_text("utf-8"))
        if self.rebuilds:
            raise ValueError(
                f"migration {self.version} rebuilds tables and has no {self.postgres_file}"
            )
        return [pg_ddl(s) for s in _statements(self.sql()) if not s.upper().startswith("PRAGMA")]

    def run_python(self, conn: sqlite3.Connection) -> None:
        """Run the step's Python part, if it has one."""
        if self.python is None:
            return
        module, _, name = self.python.partition(":")
        getattr(importlib.import_module(module), name)(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "every area of the product", "schema_v1.sql"),
    Migration(2, "indexes for hot reads", "schema_v2.sql"),
    Migration(3, "job queue claim-order index", "schema_v3.sql"),
    Migration(4, "footage sort and shoot-day indexes", "schema_v4.sql"),
    Migration(5, "job kinds and publication states for release", "schema_v5.sql", rebuilds=True),
    Migration(6, "release: login state, publish queue, step log, quotas", "schema_v6.sql"),
    Migration(
        7,
        "deals: pipeline and deliverable states, posts, invoices, reports, disclosure override",
        "schema_v7.sql",
        rebuilds=True,
    ),
    Migration(8, "application id; import keys of posts", "schema_v8.sql"),
    Migration(
        9, "community: inbox sync, triage, replies, imported videos", "schema_v9.sql", rebuilds=True
    ),
    Migration(
        10,
        "numbers: nullable metrics, follower counts, roll-ups",
        "schema_v10.sql",
        rebuilds=True,
        python="storage.metrics.writer:rebuild_rollups",
    ),
    Migration(11, "renders by post", "schema_v11.sql"),
)
LATEST = MIGRATIONS[-1].version


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the file (0 for a new, empty file)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _refuse_newer(path: Path, version: int) -> None:
    if version > LATEST:
        raise StoreError(
            f"{path} was written by a newer ReelRoom (schema version {version}; this "
            f"ReelRoom knows up to {LATEST}). It was not touched. Upgrade ReelRoom, "
            "or point --home at another workspace."
        )


def check_version(path: Path) -> int:
    """Read the version without changing anything; refuse newer and foreign files."""
    conn = open_for_reading(path) if path.exists() else open_connection(path)
    try:
        identify(conn, path)
        version = read_version(conn)
    finally:
        conn.close()
    _refuse_newer(path, version)
    return version


def check_workspace_file(path: Path) -> None:
    """Refuse, untouched, a file at `path` that is not a usable ReelRoom database.

    Not SQLite, another application's SQLite file, or a newer ReelRoom's: each
    raises StoreError saying what to do. A missing or empty file passes.
    """
    check_is_sqlite(path)
    if path.exists() and path.stat().st_size > 0:
        check_version(path)


def backup(path: Path, version: int) -> Path:
    """A consistent copy of the file (SQLite's backup API) before migrating."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.bak-v{version}-{stamp}")
    src = sqlite3.connect(f"{file_uri(path)}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


def _statements(sql: str) -> list[str]:
    """A migration's SQL split into complete statements (comments dropped)."""
    out, buf = [], ""
    for line in sql.splitlines():
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"migration SQL ends inside a statement: {buf.strip()[:60]!r}")
    return out


def migrate(path: Path, *, target: int = LATEST) -> list[int]:
    """Bring the file at `path` up to `target`; return the versions applied."""
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        version = check_version(path)
    else:
        version = 0
    if version >= target:
        return []
    if existed and version > 0:
        backup(path, version)
    conn = open_connection(path)
    applied: list[int] = []
    step = MIGRATIONS[0]
    try:
        for step in MIGRATIONS:
            if step.version <= version or step.version > target:
                continue
            # One transaction per step, and the version is read again inside
            # it: two processes starting on a new home at once (the TUI and
            # the worker, say) must not both apply a step.
            if step.rebuilds:
                conn.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction
            conn.execute("BEGIN IMMEDIATE")
            if read_version(conn) >= step.version:
                conn.execute("COMMIT")
                conn.execute("PRAGMA foreign_keys = ON")
                continue
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for statement in _statements(step.sql()):
                conn.execute(statement)
            step.run_python(conn)
            if step.rebuilds:
                broken = conn.execute("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise sqlite3.IntegrityError(
                        f"{len(broken)} row(s) would lose their reference, e.g. "
                        f"{broken[0][0]} row {broken[0][1]} -> {broken[0][2]}"
                    )
            conn.execute(
                "INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (step.version, step.name, _now()),
            )
            conn.execute(f"PRAGMA user_version = {step.version}")
            conn.execute("COMMIT")
            conn.execute("PRAGMA foreign_keys = ON")
            applied.append(step.version)
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        kept = applied[-1] if applied else version
        raise StoreError(
            f"{path}: upgrading the schema to version {step.version} ({step.name}) failed: "
            f"{exc}. The file was left at version {kept}, unchanged by that step"
            + (", and a backup copy is beside it" if existed and version > 0 else "")
            + ". Run `reelroom doctor`, and report this with the message above."
        ) from exc
    finally:
        conn.close()
    return applied
