"""Is this file a ReelRoom database, and may this user write it and its side files?

Both questions are answered before anything opens the file for writing
(which would switch it to WAL and change its header):

- `identify` reads `PRAGMA application_id` (`APPLICATION_ID`, set when a
  workspace is created and by migration 8 for older ones). A file with
  another application id, or with none and no ReelRoom history, belongs to
  someone else and is refused untouched. A file with no id but ReelRoom's
  own `migrations` history is a workspace made before the id existed.
- `write_problem` looks at the database, its `-wal`/`-shm`/`-journal` side
  files and the folder: SQLite needs to write all of them. The message names
  each file and the exact command that fixes it; nothing here advises
  restoring a backup, because nothing here is damaged.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from storage.connection import StoreError

APPLICATION_ID = int.from_bytes(b"Reel", "big")  # 0x5265656C, at offset 68 of the header
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
_FIRST_MIGRATION = (1, "every area of the product")


class ForeignDatabase(StoreError):
    """A SQLite file that is not a ReelRoom workspace (left untouched)."""


def side_files(path: Path) -> list[Path]:
    """The side files SQLite keeps beside `path` that exist now."""
    return [p for p in (path.with_name(path.name + s) for s in SIDE_SUFFIXES) if p.exists()]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    row = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return row is not None


def _reelroom_history(conn: sqlite3.Connection) -> bool:
    """Whether the file holds ReelRoom's own migration record (made before the id existed)."""
    if not _has_table(conn, "migrations"):
        return False
    try:
        row = conn.execute("SELECT version, name FROM migrations WHERE version = 1").fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None and (row[0], row[1]) == _FIRST_MIGRATION


def is_empty(conn: sqlite3.Connection) -> bool:
    """No schema at all (a new file, or one SQLite made empty)."""
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def identify(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse (ForeignDatabase) a file that is not a ReelRoom workspace; reads only.

    Every reading is made in one read transaction: another process creating
    the workspace at the same moment is seen before or after its first
    migration step, never half-way (empty schema but tables, say).
    """
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        _identify(conn, path)
    finally:
        if own and conn.in_transaction:
            conn.execute("COMMIT")


def _identify(conn: sqlite3.Connection, path: Path) -> None:
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id == APPLICATION_ID:
        return
    if app_id != 0:
        raise ForeignDatabase(
            f"{path} is a SQLite database of another application (application_id "
            f"{app_id:#010x}), not a ReelRoom workspace. ReelRoom left it untouched. "
            "Point --home at a ReelRoom workspace folder, or move that file elsewhere."
        )
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if user_version == 0 and is_empty(conn):
        return  # nothing in it yet: a new workspace
    if user_version > 0 and _reelroom_history(conn):
        return  # a ReelRoom workspace from before the application id
    raise ForeignDatabase(
        f"{path} is a SQLite database, but not a ReelRoom workspace (it has no ReelRoom "
        "application id and no ReelRoom migration history). ReelRoom left it untouched. "
        "Point --home at a ReelRoom workspace folder, or move that file elsewhere."
    )


def _owner(st: os.stat_result) -> str:
    try:
        import pwd

        return pwd.getpwuid(st.st_uid).pw_name
    except (ImportError, KeyError):
        return f"uid {st.st_uid}"


def _me() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):
        return "$USER"


@dataclass(frozen=True)
class WriteProblem:
    """Why this user cannot write the workspace database, and the commands that fix it."""

    detail: str
    fix: str

    def message(self) -> str:
        """Both, as one paragraph."""
        return f"{self.detail} {self.fix}"


def write_problem(path: Path) -> WriteProblem | None:
    """Why this user cannot write the database, its side files or its folder; None when it can.

    The answer names every file at fault and the command that fixes it.
    """
    folder = path.parent
    stats: dict[Path, os.stat_result] = {}
    for p in (path, *side_files(path)):
        if os.access(p, os.R_OK | os.W_OK):
            continue
        try:
            stats[p] = p.stat()
        except OSError:  # a side file removed meanwhile by another process
            continue
    unwritable = list(stats)
    folder_ok = os.access(folder, os.W_OK | os.X_OK)
    if not unwritable and folder_ok:
        return None
    me = os.getuid() if hasattr(os, "getuid") else None
    foreign = [p for p in unwritable if me is not None and stats[p].st_uid != me]
    details: list[str] = []
    fixes: list[str] = []
    if unwritable:
        modes = ", ".join(f"{p.name} {stat.filemode(stats[p].st_mode)}" for p in unwritable)
        details.append(
            f"{_plural(unwritable)} not writable by this user ({modes}); SQLite must write "
            "the database and its -wal/-shm files, even to read a WAL database."
        )
        if foreign:
            owners = ", ".join(sorted({_owner(stats[p]) for p in foreign}))
            fixes.append(
                f"{_plural(foreign, 'belongs', 'belong')} to {owners}: run ReelRoom as that "
                f"user, or take {'it' if len(foreign) == 1 else 'them'} over with "
                f"`sudo chown {_me()} {' '.join(str(p) for p in foreign)}`."
            )
        fixes.append(f"Run `chmod u+rw {' '.join(str(p) for p in unwritable)}`.")
    if not folder_ok:
        details.append(
            f"The folder {folder} is not writable by this user, and SQLite creates the "
            "-wal/-shm files there."
        )
        fixes.append(f"Run `chmod u+wx {folder}`.")
    return WriteProblem(" ".join(details), " ".join(fixes))


def _plural(paths: list[Path], one: str = "is", many: str = "are") -> str:
    if len(paths) == 1:
        return f"{paths[0]} {one}"
    return f"{', '.join(str(p) for p in paths)} {many}"


_DAMAGED = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_ACCESS = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")


def error_message(exc: sqlite3.Error, path: Path) -> str:
    """What a SQLite error on the workspace database means, and what to do.

    Only a damaged file (SQLite says corrupt / not a database) is pointed at
    its backups; a permission, lock or disk problem says what to change.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(_DAMAGED):
        return (
            f"{path} is damaged ({exc}). Run `reelroom doctor` to check it; stop ReelRoom, "
            f"move the file aside and restore the newest {path.name}.bak-* copy beside it."
        )
    if name.startswith(_ACCESS) or "readonly" in str(exc):
        problem = write_problem(path) if path.exists() else None
        return f"{path} cannot be written ({exc}). " + (
            problem.message()
            if problem
            else "Check the permissions of the file, its -wal/-shm files and its folder."
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return (
            f"{path} is busy ({exc}): another ReelRoom process holds a long write. "
            "Try again in a moment."
        )
    if name.startswith("SQLITE_FULL"):
        return f"the disk holding {path} is full ({exc}). Free some space and try again."
    return f"{path} could not be used ({exc}). Run `reelroom doctor` to check the workspace."
