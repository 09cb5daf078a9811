"""Shared fixtures: a fresh workspace in tmp_path, a frozen clock, both engines.

`store` is the contract fixture: every test that takes it runs twice, on a
SQLite file and on a PostgreSQL database (a throwaway server started once per
test process, tests/pg_cluster.py). `workspace` stays on SQLite (the TUI and
CLI tests); `pg_workspace` is the same workspace on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Iterator

import pytest

from app.workspace import Workspace, open_workspace
from storage import Store

FROZEN = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
ENGINES = ("sqlite", "postgres")


def make_workspace(root: Path, zone: str = "UTC", *, url: str = "") -> Workspace:
    """A new workspace under `root` whose config.toml pins the time zone (and database)."""
    root.mkdir(parents=True, exist_ok=True)
    text = f'[workspace]\ntimezone = "{zone}"\n'
    if url:
        text += f'\n[storage]\nurl = "{url}"\n'
    (root / "config.toml").write_text(text, encoding="utf-8")
    return open_workspace(str(root))


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    """One throwaway PostgreSQL server for this test process (xdist: one per worker)."""
    from pg_cluster import Cluster

    cluster = Cluster().start()
    try:
        cluster.make_template()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test; dropped afterwards."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop(url)


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """An empty workspace in UTC (SQLite)."""
    return make_workspace(tmp_path / "home")


@pytest.fixture
def pg_workspace(tmp_path: Path, pg_url: str) -> Iterator[Workspace]:
    """An empty workspace in UTC on PostgreSQL."""
    ws = make_workspace(tmp_path / "pghome", url=pg_url)
    yield ws
    ws.store.close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """Each engine in turn."""
    return str(request.param)


@pytest.fixture
def engine_workspace(engine: str, request: pytest.FixtureRequest) -> Workspace:
    """An empty workspace on the engine of this run."""
    name = "pg_workspace" if engine == "postgres" else "workspace"
    return request.getfixturevalue(name)


@pytest.fixture
def store(engine_workspace: Workspace) -> Store:
    """The empty workspace's database, on each engine in turn."""
    return engine_workspace.store


@pytest.fixture
def frozen_now() -> datetime:
    """The instant every clock-dependent test runs at (a Saturday, 09:00 UTC)."""
    return FROZEN
