"""The numbered migrations on PostgreSQL, and what team mode adds around them.

The same steps as SQLite (storage/migrations.py), each in its own
transaction; PostgreSQL's DDL is transactional, so a failing step leaves the
database as it was. The schema version is the highest row of `migrations`
(there is no user_version). A session advisory lock makes processes starting
together on a new database apply each step once. A database written by a
newer ReelRoom is refused untouched.

After the steps, three things team mode needs are put in place when missing
(idempotent, cheap to check on every open):

- procrastinate's schema (its own `schema.sql` from the pinned package), the
  queue that delivers ReelRoom's jobs to workers (storage/pg_jobs.py);
- an index finding the deliveries of one ReelRoom job;
- a statement trigger on every ReelRoom table that sends NOTIFY on commit,
  which `Store.data_version()` counts (the TUI's refresh signal).
"""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from storage.connection import StoreError
from storage.migrations import LATEST, MIGRATIONS
from storage.pg import CHANGES_CHANNEL, PgConnection

MIGRATE_LOCK_KEY = 0x52524D47  # "RRMG"
NOTIFY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION reelroom_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANGES_CHANNEL}', TG_TABLE_NAME);
    RETURN NULL;
END
$$"""
DELIVERY_INDEX = (
    "CREATE INDEX IF NOT EXISTS reelroom_deliveries ON procrastinate_jobs "
    "(((args->>'job_id')::bigint)) WHERE status IN ('todo', 'doing')"
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_version(conn: PgConnection) -> int:
    """The schema version of the database (0 for a new, empty one)."""
    raw = conn.raw
    row = raw.execute("SELECT to_regclass('migrations')").fetchone()
    if row is None or row[0] is None:
        return 0
    found = raw.execute("SELECT coalesce(max(version), 0) FROM migrations").fetchone()
    return int(found[0]) if found else 0


def _refuse_newer(location: str, version: int) -> None:
    if version > LATEST:
        raise StoreError(
            f"{location} was written by a newer ReelRoom (schema version {version}; this "
            f"ReelRoom knows up to {LATEST}). It was not touched. Upgrade ReelRoom on this "
            "machine (every machine of a team runs the same version)."
        )


def check_version(conn: PgConnection, location: str) -> int:
    """Read the version without changing anything; refuse a newer database."""
    version = read_version(conn)
    _refuse_newer(location, version)
    return version


def migrate(conn: PgConnection, location: str, *, target: int = LATEST) -> list[int]:
    """Bring the database up to `target` and put team mode's extras in place."""
    raw = conn.raw
    raw.execute("SELECT pg_advisory_lock(%s)", (MIGRATE_LOCK_KEY,))
    applied: list[int] = []
    step = MIGRATIONS[0]
    try:
        version = check_version(conn, location)
        for step in MIGRATIONS:
            if step.version <= version or step.version > target:
                continue
            with raw.transaction():
                for statement in step.postgres_statements():
                    raw.execute(statement)
                # the step's Python part (roll-ups) through the adapter, which speaks sqlite3's API
                step.run_python(conn)  # type: ignore[arg-type]
                raw.execute(
                    "INSERT INTO migrations (version, name, applied_at) VALUES (%s, %s, %s)",
                    (step.version, step.name, _now()),
                )
            applied.append(step.version)
        if target >= LATEST:
            ensure_extras(conn)
    except Exception as exc:
        if isinstance(exc, StoreError):
            raise
        raise StoreError(
            f"{location}: upgrading the schema to version {step.version} ({step.name}) "
            f"failed: {exc}. That step was rolled back; the database is at version "
            f"{applied[-1] if applied else read_version(conn)}. Report this with the message above."
        ) from exc
    finally:
        raw.execute("SELECT pg_advisory_unlock(%s)", (MIGRATE_LOCK_KEY,))
    return applied


def procrastinate_schema() -> str:
    """procrastinate's schema.sql from the installed package (found, not imported)."""
    spec = importlib.util.find_spec("procrastinate")
    if spec is None or not spec.submodule_search_locations:
        raise StoreError(
            "team mode needs the procrastinate package; run ./rr setup (or pip install "
            "the pinned requirements) on this machine."
        )
    return (Path(next(iter(spec.submodule_search_locations))) / "sql" / "schema.sql").read_text(
        "utf-8"
    )


def our_tables(conn: PgConnection) -> list[str]:
    """ReelRoom's tables (procrastinate's own are left out)."""
    rows = conn.raw.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename NOT LIKE 'procrastinate%%' ORDER BY tablename"
    ).fetchall()
    return [r[0] for r in rows]


def ensure_extras(conn: PgConnection) -> None:
    """procrastinate's schema, the deliveries index and the change triggers (when missing)."""
    raw = conn.raw
    found = raw.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
    if found is None or found[0] is None:
        with raw.transaction():
            raw.execute(procrastinate_schema())
    raw.execute(DELIVERY_INDEX)
    missing = raw.execute(
        "SELECT t.tablename FROM pg_tables t WHERE t.schemaname = current_schema() "
        "AND t.tablename NOT LIKE 'procrastinate%%' AND NOT EXISTS (SELECT 1 FROM pg_trigger g "
        "WHERE g.tgrelid = (quote_ident(t.schemaname) || '.' || quote_ident(t.tablename))::regclass "
        "AND g.tgname = 'reelroom_changes')"
    ).fetchall()
    if not missing:
        return
    with raw.transaction():
        raw.execute(NOTIFY_FUNCTION)
        for (table,) in missing:
            raw.execute(
                f"CREATE TRIGGER reelroom_changes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION reelroom_notify_change()'
            )
