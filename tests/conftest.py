"""Shared fixtures: a fresh workspace in tmp_path, a frozen clock, the fake platforms.

Kept small on purpose; fixtures of one area live in that area's test module.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakeplatforms import fake  # noqa: F401  (the fake platform server fixture)

from app.workspace import Workspace, open_workspace
from storage import Store

FROZEN = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def make_workspace(root: Path, zone: str = "UTC") -> Workspace:
    """A new workspace under `root` whose config.toml pins the time zone."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text(f'[workspace]\ntimezone = "{zone}"\n', encoding="utf-8")
    return open_workspace(str(root))


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """An empty workspace in UTC."""
    return make_workspace(tmp_path / "home")


@pytest.fixture
def store(workspace: Workspace) -> Store:
    """The empty workspace's database."""
    return workspace.store


@pytest.fixture
def frozen_now() -> datetime:
    """The instant every clock-dependent test runs at (a Saturday, 09:00 UTC)."""
    return FROZEN
