"""The workspace folder: where it is, what it holds, and making it usable.

`--home DIR`, else `$REELROOM_HOME`, else the platform's user data dir. It
holds `reelroom.db`, `config.toml`, `thumbs/`, `renders/`, `logs/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from storage.dbfile import write_problem

SUBDIRS = ("thumbs", "renders", "logs")


class HomeError(Exception):
    """The home folder cannot be used; the message says what to do."""


def default_home() -> Path:
    """Where a workspace lives when neither --home nor $REELROOM_HOME says."""
    return Path(platformdirs.user_data_dir("reelroom", appauthor=False))


def resolve_home(arg: str | None) -> Path:
    """--home, else $REELROOM_HOME, else the user data dir."""
    if arg:
        return Path(arg).expanduser().absolute()
    env = os.environ.get("REELROOM_HOME")
    if env:
        return Path(env).expanduser().absolute()
    return default_home()


@dataclass(frozen=True)
class Home:
    """Paths inside one workspace folder."""

    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / "reelroom.db"

    @property
    def config_path(self) -> Path:
        return self.root / "config.toml"

    @property
    def secrets_path(self) -> Path:
        """The owner-only secrets file (platform tokens; storage/secrets.py)."""
        return self.root / "secrets.json"

    @property
    def thumbs(self) -> Path:
        return self.root / "thumbs"

    @property
    def renders(self) -> Path:
        return self.root / "renders"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def exists(self) -> bool:
        """Whether the folder holds a workspace database already."""
        return self.db_path.exists()

    def prepare(self) -> None:
        """Create the folder and its sub-folders; refuse one we cannot write."""
        root = self.root
        if root.exists() and not root.is_dir():
            raise HomeError(
                f"The home {root} is a file, not a folder. Pass --home with a folder "
                "(it is created if missing), or set REELROOM_HOME."
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
            for name in SUBDIRS:
                (root / name).mkdir(exist_ok=True)
        except OSError as exc:
            raise HomeError(
                f"The home {root} cannot be created ({exc.strerror}). Pick a folder you can "
                "write with --home DIR or REELROOM_HOME, or fix its permissions."
            ) from exc
        if not os.access(root, os.W_OK | os.X_OK):
            raise HomeError(
                f"The home {root} is not writable by this user. Pick a folder you can "
                "write with --home DIR or REELROOM_HOME, or fix its permissions "
                f"(for example: chmod u+w {root})."
            )
        db = self.db_path
        problem = write_problem(db) if db.exists() else None
        if problem:
            raise HomeError(f"{problem.message()} Or point --home at another workspace.")
