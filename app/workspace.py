"""Opening a workspace: home folder, config, database — all or nothing."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Config, load_config, write_default
from app.home import Home, resolve_home
from storage import Store
from storage.migrations import check_workspace_file


@dataclass
class Workspace:
    """An open workspace: where it lives, its settings, its database."""

    home: Home
    config: Config
    store: Store


def open_workspace(home_arg: str | None, *, create: bool = True) -> Workspace:
    """Resolve, prepare and open a workspace.

    Raises HomeError, ConfigError or StoreError with a message for the user;
    in every case nothing that already existed has been modified.
    """
    home = Home(resolve_home(home_arg))
    # A file that is not SQLite, another application's, or too new is refused
    # untouched, before anything is created beside it.
    if home.db_path.is_file():
        check_workspace_file(home.db_path)
    home.prepare()
    if create:
        write_default(home.config_path)
    config = load_config(home.config_path)
    store = Store(home.db_path)
    return Workspace(home=home, config=config, store=store)
