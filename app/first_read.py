"""Today's first read, done in a process of its own while the App starts.

`reelroom` spends its first few hundred milliseconds on one core: importing
Textual, then building the App. Today's first read needs none of that: its
queries, laying out the rows, and Babel loading its locale data to show an
overdue invoice's amount (together 40-50 ms on a large workspace, all of it
in the way of the first frame when the pane reads as it mounts). So
`EarlyRead.start` forks right after the workspace is opened, before Textual
is imported, and the child reads Today on another core and writes the
result, pickled, to a pipe; the Today pane takes it as it mounts
(`EarlyRead.result`).

The child opens its own connection (no connection is open in the parent when
it forks: `start` checks, and forks only while the process has one thread),
only reads, and leaves with `os._exit`, so nothing of the parent is flushed or
closed twice. It reads once the parent has taken PRAGMA data_version, which
the App polls from: a commit made meanwhile is either in the read or seen by
the polling. Whatever goes wrong — no fork on this system, a PostgreSQL
workspace, a crash, a read slower than `WAIT_S` — the result is None and the
pane reads Today itself as before. Nothing is written, so nothing can be
lost or done twice.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from app.workspace import Workspace
from storage.timefmt import utcnow

if TYPE_CHECKING:
    from app.tui import ReelRoomApp
    from screens.today.reading import TodayRead


def launch(
    workspace: Workspace,
    app_type: Callable[[], type[ReelRoomApp]] | None = None,
    **run_options: Any,
) -> int:
    """Open the TUI on `workspace` as `reelroom` does; the exit status. Today's first
    read starts in a child first, then Textual is imported and the App runs.
    (bench/startup.py starts it this very way: `app_type` returns the App class to
    run, defined once Textual is imported; `run_options` go to App.run.)"""
    early = EarlyRead.start(workspace)
    try:
        from app.tui import ReelRoomApp, run  # Textual is imported only here

        app = app_type() if app_type is not None else ReelRoomApp
        return run(workspace, app, early_read=early, **run_options)
    finally:
        if early is not None:
            early.close()


WAIT_S = 0.25  # how long the pane waits for the child's read as it mounts
CHUNK = 1 << 16


class EarlyRead:
    """A forked child reading Today; `result()` once, then `close()`."""

    def __init__(self, pid: int, fd: int, data_version: int | None) -> None:
        self.pid = pid
        self._fd: int | None = fd
        # PRAGMA data_version, read before the child reads (it waits for it): the
        # App polls from there, so a commit during or after the read refreshes Today.
        self.data_version = data_version

    @classmethod
    def start(
        cls, workspace: Workspace, *, clock: Callable[[], datetime] = utcnow
    ) -> EarlyRead | None:
        """Fork a child that reads Today, or None when that is not safe here."""
        path = workspace.store.path
        if not _can_fork() or path is None:
            return None  # PostgreSQL: the pane reads Today itself
        if _has_open(path):
            return None  # a connection of ours is open: SQLite must not cross a fork
        read_fd, write_fd = os.pipe()
        go_read, go_write = os.pipe()  # the child reads only once the version is taken
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            os.close(go_write)
            _child(workspace, path, clock, write_fd, go_read)
        os.close(write_fd)
        os.close(go_read)
        try:
            version: int | None = workspace.store.change_counter()
        except Exception:  # the App reads it as it mounts; the child reads anyway
            version = None
        finally:
            os.write(go_write, b"go")
            os.close(go_write)
        return cls(pid, read_fd, version)

    def result(self, timeout: float = WAIT_S) -> TodayRead | None:
        """The child's read, waiting at most `timeout`; None if it failed or is late
        (then it is stopped). Only the first call can return a read."""
        fd, self._fd = self._fd, None
        if fd is None:
            return None
        data = bytearray()
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    self._stop()
                    return None
                chunk = os.read(fd, CHUNK)
                if not chunk:
                    break
                data += chunk
        finally:
            os.close(fd)
        if not self._reap() or not data:
            return None
        try:
            read: TodayRead = pickle.loads(bytes(data))
        except Exception:
            return None
        return read

    def close(self) -> None:
        """Stop the child if its read was never taken, and collect it."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self._stop()

    def _stop(self) -> None:
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()

    def _reap(self) -> bool:
        """Collect the child; True when it exited cleanly."""
        if not self.pid:
            return False
        pid, self.pid = self.pid, 0
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return False
        return os.waitstatus_to_exitcode(status) == 0


def _can_fork() -> bool:
    # Linux only (a fork without exec is unsafe with macOS's system libraries),
    # and only while this is the process's one thread: a lock held by another
    # thread at the fork would stay held in the child for ever.
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def _has_open(path: Path) -> bool:
    """Whether this process has a file open beside the database (or cannot tell)."""
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return True
    stem = str(path.resolve())
    for name in names:
        try:
            target = os.readlink(f"/proc/self/fd/{name}")
        except OSError:
            continue  # the listing's own descriptor, closed since
        if target.startswith(stem):  # the file, its -wal, -shm or -journal
            return True
    return False


def _child(
    workspace: Workspace, path: Path, clock: Callable[[], datetime], write_fd: int, go_fd: int
) -> None:
    """Read Today once the parent has taken its data_version (`go_fd` is written or
    closed), write the read pickled to `write_fd`, leave with os._exit."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c is the App's to take
        from app.deal_settings import lead_times
        from screens.today.reading import read_today
        from storage.db import Store
        from storage.today import TodayRepo

        os.read(go_fd, 2)  # a commit from now on is also seen by the App's polling
        config = workspace.config
        repo = TodayRepo(Store(path, migrate=False), leads=lead_times(config))
        read = read_today(repo, clock(), config.zone, config.deals.locale)
        data = memoryview(pickle.dumps(read, pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(write_fd, data) :]
        code = 0
    except BaseException:  # any failure: the pane reads Today itself
        pass
    finally:
        os._exit(code)
