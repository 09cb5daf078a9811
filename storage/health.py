"""Read-only health readings of a workspace database, for `reelroom doctor`.

Nothing here migrates, creates or writes: the file is opened with SQLite's
`mode=ro` (or `immutable` when this user cannot write it, so no `-wal`/`-shm`
appears), so a damaged, foreign, read-only or too-new database is described,
never changed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.connection import DamagedDatabase, StoreError, check_is_sqlite, open_for_reading
from storage.dbfile import WriteProblem, identify, write_problem
from storage.migrations import LATEST, read_version

QUICK_CHECK_ROWS = 20


@dataclass(frozen=True)
class DbHealth:
    """What a read-only look at the database file found."""

    path: Path
    size_bytes: int
    schema_version: int
    latest_version: int
    problems: tuple[str, ...]  # lines of PRAGMA quick_check other than "ok"
    applied: tuple[tuple[int, str, str], ...]  # (version, name, applied_at) from `migrations`
    write_problem: WriteProblem | None = None  # this user cannot write it (or its side files)

    @property
    def intact(self) -> bool:
        """quick_check found nothing wrong."""
        return not self.problems

    @property
    def newer(self) -> bool:
        """Written by a newer ReelRoom than this one."""
        return self.schema_version > self.latest_version

    @property
    def behind(self) -> bool:
        """Older than this ReelRoom: migrated (with a backup) on next open."""
        return self.schema_version < self.latest_version


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file.")
    check_is_sqlite(path)
    try:
        return open_for_reading(path)
    except sqlite3.Error as exc:
        raise StoreError(f"{path} cannot be opened read-only: {exc}.") from exc


def _quick_check(conn: sqlite3.Connection, max_rows: int) -> list[str]:
    try:
        rows = conn.execute(f"PRAGMA quick_check({int(max_rows)})").fetchall()
    except sqlite3.DatabaseError as exc:
        return [f"quick_check could not run: {exc}"]
    lines = [str(row[0]) for row in rows]
    return [] if lines == ["ok"] else lines


def _applied(conn: sqlite3.Connection) -> tuple[tuple[int, str, str], ...]:
    try:
        has = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        ).fetchone()
        if not has:
            return ()
        rows = conn.execute("SELECT version, name, applied_at FROM migrations ORDER BY version")
        return tuple((int(r[0]), str(r[1]), str(r[2])) for r in rows)
    except sqlite3.DatabaseError:
        return ()


def schema_version(path: Path) -> int:
    """`PRAGMA user_version` of the file, read without changing it."""
    return inspect(path).schema_version


def quick_check(path: Path, *, max_rows: int = QUICK_CHECK_ROWS) -> list[str]:
    """The problems `PRAGMA quick_check` reports (an empty list when the file is intact)."""
    return list(inspect(path, max_rows=max_rows).problems)


def inspect(path: Path, *, max_rows: int = QUICK_CHECK_ROWS) -> DbHealth:
    """Version, integrity and migration history of the file, read-only.

    Raises StoreError (with a message saying what to do) when the file is not
    a SQLite database or cannot be opened at all, DamagedDatabase when it is
    damaged, and dbfile.ForeignDatabase when it is another application's.
    """
    problem = write_problem(path) if path.is_file() else None
    conn = _read_only(path)
    try:
        try:
            identify(conn, path)
            version = read_version(conn)
        except StoreError:
            raise
        except sqlite3.DatabaseError as exc:
            raise DamagedDatabase(
                f"{path} cannot be read as a SQLite database ({exc}). Move it aside or restore "
                f"a {path.name}.bak-* copy."
            ) from exc
        problems = _quick_check(conn, max_rows)
        applied = _applied(conn)
    finally:
        conn.close()
    return DbHealth(
        path=path,
        size_bytes=path.stat().st_size,
        schema_version=version,
        latest_version=LATEST,
        problems=tuple(problems),
        applied=applied,
        write_problem=problem,
    )
