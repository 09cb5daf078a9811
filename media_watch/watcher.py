"""`reelroom watch`: watched folders → footage rows, a file once it is complete.

Built on watchfiles. A media-named file becomes *pending* when an event
names it; it is imported once its size and mtime held still for the settle
window and it can be read, through the same `Importer` as
`reelroom ingest`. A deleted file marks its path absent (the asset 'missing'
when no path is left); a rename is a delete plus an add whose content key is
known, so the asset's path is moved. At start, and every few minutes, each
folder is reconciled against the database (files that arrived while we were
down are imported); so is each folder once a watch has begun, for what came
between the last look and the watch. A folder that vanishes has its files marked missing and
is watched again when it comes back. The process announces itself in
`processes` and heartbeats there.

The watcher keeps to the folders the walk enters (media_watch/files.py): it
watches each of them on its own, not recursively, because a recursive watch
follows symlinked folders out of the watched tree (and round a `ln -s .`
loop). A new or removed folder restarts the watch on the new set; an event
reached through a symlinked or hidden folder is dropped. A file name that is
not UTF-8 makes watchfiles fail the whole batch of events: the folders are
then reconciled (the walk reads such names) and watched again.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import watchfiles

from media_watch import files
from media_watch.background import Background
from media_watch.catalog import FileOutcome
from media_watch.ingest import Importer
from storage.db import Store
from storage.footage import FootageRepo
from storage.processes import HEARTBEAT_S, ProcessRepo
from storage.timefmt import to_db, utcnow

TICK_MS = 200
RECONCILE_EVERY_S = 300.0


def _utf8(path: str) -> bool:
    """Whether watchfiles can take this folder (its name is UTF-8); others wait for reconcile."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass
class Pending:
    """A file seen changing: its last (size, mtime) and since when it held."""

    size: int
    mtime_ns: int
    since: float


class Watcher:
    """Watches folders and imports complete footage until `stop` is set."""

    def __init__(
        self,
        store: Store,
        folders: Iterable[Path | str],
        *,
        settle_s: float = 2.0,
        force_polling: bool = False,
        thumbs_dir: Path | None = None,
        workers: int | None = None,
        reconcile_every_s: float = RECONCILE_EVERY_S,
        on_outcome: Callable[[FileOutcome], None] | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.folders = list(dict.fromkeys(files.norm(f) for f in folders))
        self.settle_s = settle_s
        self.force_polling = force_polling
        self.thumbs_dir = thumbs_dir
        self.workers = workers
        self.reconcile_every_s = reconcile_every_s
        self.on_outcome = on_outcome or (lambda outcome: None)
        self.on_note = on_note or (lambda text: None)
        self.repo = FootageRepo(store)
        self.pending: dict[str, Pending] = {}
        self.last_import_at: str | None = None
        self.imported = 0
        self._present: list[str] = []
        self._dirs: set[str] = set()  # the folders watched now (each on its own)
        self._dirs_changed = False

    # --- the loop -----------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Announce, reconcile, watch; on stop, finish and remove the process row."""
        background = Background(self.store, self.thumbs_dir)
        self.importer = Importer(
            self.store, workers=self.workers, background=background, thumbs_dir=self.thumbs_dir
        )
        procs = ProcessRepo(self.store)
        self.proc_id = procs.announce("watch", self._info())
        self._beat_at = time.monotonic()
        try:
            background.queue_pending()
            self._present = self._check_folders([])
            self._reconciled_at = time.monotonic()
            while not stop.is_set():
                if not self._present:
                    stop.wait(TICK_MS / 1000)
                    self._tick(procs)
                    continue
                self._watch(stop, procs)
        finally:
            self.importer.close()
            background.close(cancel=True)
            procs.remove(self.proc_id)

    def _watch(self, stop: threading.Event, procs: ProcessRepo) -> None:
        """Watch the present folders until stop, or until the folder set changes."""
        watching = list(self._present)
        dirs = [d for f in watching for d in files.walk_dirs(f) if _utf8(d)]
        self._dirs, self._dirs_changed = set(dirs), False
        if not dirs:
            stop.wait(TICK_MS / 1000)
            self._tick(procs)
            return
        first = True  # watchfiles watches from its first yield on
        try:
            for changes in watchfiles.watch(
                *dirs,
                watch_filter=None,
                debounce=500,
                step=50,
                rust_timeout=TICK_MS,
                yield_on_timeout=True,
                stop_event=stop,
                force_polling=self.force_polling,
                ignore_permission_denied=True,
                raise_interrupt=False,
                recursive=False,
            ):
                if first:  # what arrived after the last look and before the watch began
                    for folder in watching:
                        self.reconcile(folder)
                    first = False
                self._handle(changes)
                self._tick(procs)
                if stop.is_set() or self._present != watching or self._dirs_changed:
                    return
        except RuntimeError as exc:  # watchfiles: a name it cannot decode, a folder gone
            self.on_note(f"watching restarts after: {exc}")
            for folder in self._present:
                self.reconcile(folder)
            self._tick(procs)

    def _tick(self, procs: ProcessRepo) -> None:
        """Import what settled, notice folders coming and going, heartbeat."""
        self._present = self._check_folders(self._present)
        self._import_settled()
        now = time.monotonic()
        if now - self._reconciled_at >= self.reconcile_every_s:
            for folder in self._present:
                self.reconcile(folder)
            self._reconciled_at = now
        if now - self._beat_at >= HEARTBEAT_S:
            procs.heartbeat(self.proc_id, self._info())
            self._beat_at = now

    def _info(self) -> dict[str, object]:
        return {
            "folders": self.folders,
            "present": self._present,
            "settle_s": self.settle_s,
            "force_polling": self.force_polling,
            "last_import_at": self.last_import_at,
            "imported": self.imported,
            "pending": len(self.pending),
        }

    # --- folders --------------------------------------------------------------

    def _check_folders(self, before: list[str]) -> list[str]:
        """The folders that exist now; reconcile newcomers, mark vanished ones."""
        now_present = [f for f in self.folders if os.path.isdir(f)]
        for folder in now_present:
            if folder not in before:
                self.on_note(f"watching {folder}")
                self.reconcile(folder)
        for folder in self.folders:
            if folder in before and folder not in now_present:
                self.on_note(f"{folder} is gone; its files are marked missing until it is back")
                self._forget(folder)
        return now_present

    def _forget(self, folder: str) -> None:
        for path in [p for p in self.pending if files.is_under(p, folder)]:
            del self.pending[path]
        with self.repo.batch():
            self.repo.mark_missing(self.repo.present_paths_under(folder))

    def reconcile(self, folder: str) -> None:
        """Compare a folder with the database: import new/changed, mark gone as missing."""
        on_disk = [p for p in files.walk([folder]) if files.classify_name(p) == "media"]
        states = self.repo.path_states(on_disk)
        gone = set(self.repo.present_paths_under(folder)) - set(on_disk)
        if gone:
            with self.repo.batch():
                self.repo.mark_missing(sorted(gone))
        ready: list[str] = []
        wall = time.time()
        for path in on_disk:
            try:
                st = os.stat(path)
            except OSError:
                continue
            state = states.get(path)
            if (
                state is not None
                and state.present
                and state.size_bytes == st.st_size
                and state.mtime_ns == st.st_mtime_ns
            ):
                continue
            if wall - st.st_mtime >= self.settle_s:
                ready.append(path)  # untouched for a whole settle window already
            else:
                self._note_change(path)
        self._import(ready)

    # --- events ---------------------------------------------------------------

    def _inside(self, path: str) -> bool:
        """Whether the walk of a watched folder reaches `path` (no symlinked folder on the way)."""
        return any(files.reached_by_walk(path, folder) for folder in self._present)

    def _handle(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        changes = {(c, files.norm(p)) for c, p in changes}
        changes = {(c, p) for c, p in changes if self._inside(p)}
        deleted = [p for change, p in changes if change == watchfiles.Change.deleted]
        if deleted:
            self._deleted(deleted)
            if any(p in self._dirs for p in deleted):
                self._dirs_changed = True
        for change, path in sorted(changes, key=lambda c: c[1]):
            if change == watchfiles.Change.deleted:
                continue
            if os.path.isdir(path):
                if os.path.islink(path) or files.is_hidden_dir(os.path.basename(path)):
                    continue  # symlinked and hidden folders are not followed, as in the walk
                if path not in self._dirs:
                    self._dirs_changed = True  # watch it (and what it holds) from now on
                for inner in files.walk([path]):
                    if files.classify_name(inner) == "media":
                        self._note_change(inner)
            elif files.classify_name(path) == "media":
                self._note_change(path)

    def _deleted(self, paths: list[str]) -> None:
        gone: list[str] = []
        for path in paths:
            path = files.norm(path)
            if os.path.exists(path):
                continue  # deleted and re-created within the batch
            self.pending.pop(path, None)
            gone.append(path)
            gone.extend(self.repo.present_paths_under(path))
        if gone:
            with self.repo.batch():
                self.repo.mark_missing(gone)

    def _note_change(self, path: str) -> None:
        path = files.norm(path)
        try:
            st = os.stat(path)
        except OSError:
            self.pending.pop(path, None)
            return
        old = self.pending.get(path)
        if old is None or (old.size, old.mtime_ns) != (st.st_size, st.st_mtime_ns):
            self.pending[path] = Pending(st.st_size, st.st_mtime_ns, time.monotonic())

    def _import_settled(self) -> None:
        now = time.monotonic()
        ready: list[str] = []
        for path, pend in list(self.pending.items()):
            try:
                st = os.stat(path)
            except OSError:
                del self.pending[path]
                continue
            if (st.st_size, st.st_mtime_ns) != (pend.size, pend.mtime_ns):
                self.pending[path] = Pending(st.st_size, st.st_mtime_ns, now)
            elif now - pend.since >= self.settle_s:
                ready.append(path)
                del self.pending[path]
        self._import(ready)

    def _import(self, paths: list[str]) -> None:
        if not paths:
            return
        for outcome in self.importer.run(sorted(paths)):
            if outcome.outcome in ("imported", "duplicate", "moved"):
                self.imported += 1
                self.last_import_at = to_db(utcnow())
            self.on_outcome(outcome)
