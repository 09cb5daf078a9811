"""The owner-only secrets file: platform tokens and client secrets, never in the database.

One JSON file in the home (`secrets.json`), readable and writable by its
owner alone:

- created with mode 0600 (the temporary file is opened with that mode, so
  the secrets are never in a file others could read, not even for a moment);
- rewritten atomically: a temporary file beside it, fsync, rename over the
  old one, fsync of the folder; a crash leaves the old file or the new one;
- a write into a file that group or others can read is refused, with the
  chmod that fixes it;
- read-modify-write under an exclusive lock (`flock` on `secrets.json.lock`)
  shared by every process and thread of the workspace, so two processes
  refreshing a rotating token never lose one of the rotations.

It holds `{"version": 1, "accounts": {"PLATFORM:HANDLE": {field: value}}}`
with plain JSON values; platforms/credentials.py turns an entry into
`Credentials`. Nothing here logs, prints or raises a value from the file.
"""

from __future__ import annotations

import fcntl
import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FILE_NAME = "secrets.json"
VERSION = 1
Entry = dict[str, Any]


class SecretsError(Exception):
    """The secrets file cannot be used safely; the message says what to do (never a secret)."""


class _PathLock:
    """A lock for one secrets file: re-entrant in a thread, exclusive across processes."""

    def __init__(self, lock_path: Path) -> None:
        self.lock_path = lock_path
        self.rlock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self.rlock:
            if self.depth == 0:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self.fd = fd
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0 and self.fd is not None:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
                    os.close(self.fd)
                    self.fd = None


_LOCKS: dict[Path, _PathLock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(path: Path) -> _PathLock:
    key = path.absolute()
    with _LOCKS_GUARD:
        lock = _LOCKS.get(key)
        if lock is None:
            lock = _LOCKS[key] = _PathLock(key.with_name(key.name + ".lock"))
        return lock


def others_can_read(mode: int) -> bool:
    """True when a file mode gives group or others any access."""
    return bool(mode & (stat.S_IRWXG | stat.S_IRWXO))


class SecretsFile:
    """The workspace's secrets file: entries keyed by `PLATFORM:HANDLE`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = _lock_for(self.path)

    # --- checks ---------------------------------------------------------------

    def problem(self) -> str | None:
        """Why writing secrets here would be unsafe, or None when it is fine."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as exc:
            return f"{self.path} cannot be read ({exc.strerror})"
        if not stat.S_ISREG(info.st_mode):
            return f"{self.path} is not a regular file; move it aside"
        if info.st_uid != os.getuid():
            return f"{self.path} belongs to another user; move it aside or fix its owner"
        if others_can_read(info.st_mode):
            return (
                f"{self.path} can be read by others (mode {stat.S_IMODE(info.st_mode):04o}); "
                f"nothing was written. Run `chmod 600 {self.path}`, and replace the tokens "
                "in it if others may have read them"
            )
        return None

    def check_writable(self) -> None:
        """Raise SecretsError when a write would be unsafe (group/other access, owner)."""
        problem = self.problem()
        if problem is not None:
            raise SecretsError(problem)

    # --- reading ----------------------------------------------------------------

    def read_all(self) -> dict[str, Entry]:
        """Every entry (an empty dict when there is no file yet)."""
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise SecretsError(f"{self.path} cannot be read ({exc.strerror})") from None
        try:
            doc = json.loads(text)
        except ValueError:
            raise SecretsError(
                f"{self.path} is not valid JSON; restore it from a backup or remove it and "
                "add the accounts again (`reelroom accounts add`)"
            ) from None
        accounts = doc.get("accounts") if isinstance(doc, dict) else None
        if not isinstance(accounts, dict):
            raise SecretsError(f'{self.path} has no "accounts" object; it was not written by us')
        return {str(k): dict(v) for k, v in accounts.items() if isinstance(v, dict)}

    def get(self, key: str) -> Entry | None:
        """One entry, or None."""
        return self.read_all().get(key)

    # --- writing ----------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the file exclusively (other processes and threads wait)."""
        with self._lock.hold():
            yield

    def update(self, key: str, change: Callable[[Entry | None], Entry | None]) -> Entry | None:
        """Replace one entry by `change(old)` (None removes it), atomically, under the lock."""
        with self.locked():
            self.check_writable()
            entries = self.read_all()
            new = change(entries.get(key))
            if new is None:
                entries.pop(key, None)
            else:
                entries[key] = dict(new)
            self._write(entries)
            return new

    def put(self, key: str, entry: Entry) -> None:
        """Store one entry (replacing what was there)."""
        self.update(key, lambda _old: entry)

    def remove(self, key: str) -> None:
        """Forget one entry."""
        self.update(key, lambda _old: None)

    def _write(self, entries: dict[str, Entry]) -> None:
        text = json.dumps({"version": VERSION, "accounts": entries}, indent=2, sort_keys=True)
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
