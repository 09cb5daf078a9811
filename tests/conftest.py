"""Shared fixtures and helpers: workspaces, the App under test, the fake platforms, waiting.

- `workspace` / `store`: an empty workspace in tmp_path (UTC); `make_workspace`
  for one in another zone. `demo_workspace`: the demo seeded at FROZEN in
  Asia/Shanghai with no clips (what the snapshots and Renders tests show).
- `make_app(ws, *tabs)`: the real App (its stylesheets, its keys) with only
  those tabs, clock frozen at FROZEN, data_version polling off unless asked.
  `demo_app`: that App on `demo_workspace`, with the tabs the test module
  names in DEMO_TABS (every tab when it names none).
- `settle(pilot)`: until no worker is left after a refresh (a handled message
  may start another); the way to wait for a pane to read and paint.
- `Messages` (the `messages` fixture): pass as `run_test(message_hook=…)`;
  `await messages.until(check)` re-checks as each message is dispatched, for
  what another process or a poll brings in.
- `wait_for(check)`: a bounded poll for tests of threads and processes.
- `reelroom(home, *args)`: the command as its own process.
- `fake`: the fake platform server on loopback (tests/fakeplatforms/).

Both engines: `store` is the contract fixture — every test that takes it runs
twice, on a SQLite file and on a PostgreSQL database (a throwaway server
started once per test process by `pg_cluster`, tests/pg_cluster.py; `pg_url`
is a fresh migrated database per test). `workspace` stays on SQLite (the TUI
and CLI tests); `pg_workspace` is the same empty workspace on PostgreSQL,
`engine_workspace` each in turn.

Rows written straight into tables live in tests/rows.py; no test module
imports another.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from fakeplatforms import fake  # noqa: F401  (the fake platform server fixture)
from textual.message import Message
from textual.worker import WorkerCancelled

from app.tabs import TABS, TabSpec
from app.tui import ReelRoomApp
from app.workspace import Workspace, open_workspace
from storage import Store

FROZEN = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
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
def pg_cluster() -> Iterator[Any]:
    """One throwaway PostgreSQL server for this test process (xdist: one per worker)."""
    from pg_cluster import Cluster

    cluster = Cluster().start()
    try:
        cluster.make_template()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: Any) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test; dropped afterwards."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop(url)


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursors never blink in tests: a snapshot must not depend on the blink phase."""
    from textual.widgets import Input, TextArea

    def steady_input(self: Input) -> None:
        self._cursor_visible = True

    def steady_area(self: TextArea) -> None:
        self._cursor_visible = True

    monkeypatch.setattr(Input, "_toggle_cursor", steady_input)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", steady_area)


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
    return request.getfixturevalue("pg_workspace" if engine == "postgres" else "workspace")


@pytest.fixture
def store(engine_workspace: Workspace) -> Store:
    """The empty workspace's database, on each engine in turn (the contract suite)."""
    return engine_workspace.store


@pytest.fixture
def frozen_now() -> datetime:
    """The instant every clock-dependent test runs at (a Saturday, 09:00 UTC)."""
    return FROZEN


@pytest.fixture
def demo_workspace(tmp_path: Path) -> Workspace:
    """The demo seeded at FROZEN in Asia/Shanghai, without real clips."""
    from app.demo.seed import seed_demo

    ws = make_workspace(tmp_path / "home", zone="Asia/Shanghai")
    seed_demo(ws.store, ws.home, now=FROZEN, make_clips=False, zone=ws.config.zone)
    return ws


# --- the App -----------------------------------------------------------------


def make_app(
    ws: Workspace, *tabs: str | TabSpec, poll_interval: float | None = None
) -> ReelRoomApp:
    """The App on `ws` with these tabs (registry ids or specs; none: every tab), in that
    order, the clock frozen at FROZEN and data_version polling off unless asked."""
    specs = tuple(
        tab if isinstance(tab, TabSpec) else next(s for s in TABS if s.id == tab) for tab in tabs
    )
    return ReelRoomApp(ws, clock=lambda: FROZEN, poll_interval=poll_interval, tabs=specs or TABS)


@pytest.fixture
def demo_app(request: pytest.FixtureRequest, demo_workspace: Workspace) -> ReelRoomApp:
    """The App on the demo workspace with the module's DEMO_TABS (default: every tab)."""
    return make_app(demo_workspace, *getattr(request.module, "DEMO_TABS", ()))


async def settle(pilot: Any, limit: int = 50) -> None:
    """Until no worker is left running after a refresh: every read started (also by a
    handled message, a built tab or a mounted pane) has posted and been shown."""
    app = pilot.app
    for _ in range(limit):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive read replaced by a newer one
            continue
        await pilot.pause()
        if all(worker.is_finished for worker in app.workers):
            return


class Messages:
    """Every message the App dispatches, once each (a `run_test(message_hook=…)` hook;
    a bubbling message is dispatched at every node it passes)."""

    def __init__(self) -> None:
        self.seen: list[Message] = []
        self._ids: set[int] = set()
        self._dispatched = asyncio.Event()

    def __call__(self, message: Message) -> None:
        if id(message) not in self._ids:  # `seen` keeps it alive, so its id stays its own
            self._ids.add(id(message))
            self.seen.append(message)
        self._dispatched.set()

    def of(self, kind: type[Any]) -> list[Any]:
        """The messages of one kind, oldest first."""
        return [m for m in self.seen if isinstance(m, kind)]

    async def until(self, check: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Wait until `check()` holds, re-checked as each message is dispatched;
        its answer after `timeout` (a generous bound, not a timing test)."""

        async def watch() -> None:
            while not check():
                self._dispatched.clear()
                await self._dispatched.wait()

        try:
            await asyncio.wait_for(watch(), timeout)
        except TimeoutError:
            pass
        return check()


@pytest.fixture
def messages() -> Messages:
    """A message log to hand to `run_test(message_hook=messages)`."""
    return Messages()


# --- threads and processes ---------------------------------------------------


def wait_for(check: Callable[[], bool], timeout: float = 20.0, step: float = 0.05) -> bool:
    """Poll `check` until it is true or `timeout` passes (a generous bound); its last answer."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(step)
    return check()


def reelroom(home: Path, *args: str) -> subprocess.Popen[str]:
    """Start `reelroom --home HOME ARGS…` as its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--home", str(home), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
