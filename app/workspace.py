"""Opening a workspace: home folder, config, database — all or nothing.

The database is the SQLite file in the home, unless `REELROOM_DATABASE_URL`
or `[storage] url` in config.toml names a PostgreSQL database (team mode);
the home then still holds config.toml, secrets, thumbs/, renders/ and logs/
of this machine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from app.config import Config, load_config, write_default
from app.home import Home, resolve_home
from storage import Store
from storage.migrations import check_workspace_file
from storage.pathmap import PathMap

DATABASE_URL_ENV = "REELROOM_DATABASE_URL"


@dataclass
class Workspace:
    """An open workspace: where it lives, its settings, its database."""

    home: Home
    config: Config
    store: Store

    @property
    def paths(self) -> PathMap:
        """This machine's [[paths]] rules (stored paths <-> where files are here)."""
        return self.config.path_map()


def database_target(home: Home, config: Config) -> str:
    """The database of the workspace: a PostgreSQL URL, or the SQLite file's path."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip() or config.storage.url
    return url or str(home.db_path)


def open_workspace(home_arg: str | None, *, create: bool = True) -> Workspace:
    """Resolve, prepare and open a workspace.

    Raises HomeError, ConfigError or StoreError with a message for the user;
    in every case nothing that already existed has been modified.
    """
    home = Home(resolve_home(home_arg))
    # A file that is not SQLite, another application's, or too new is refused
    # untouched, before anything is created beside it (unless the workspace is
    # a PostgreSQL one named in the environment: then the file is not used).
    if home.db_path.is_file() and not os.environ.get(DATABASE_URL_ENV, "").strip():
        check_workspace_file(home.db_path)
    home.prepare()
    if create:
        write_default(home.config_path)
    config = load_config(home.config_path)
    store = Store(database_target(home, config))
    store.paths = config.path_map()
    return Workspace(home=home, config=config, store=store)
