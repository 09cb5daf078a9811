"""Work done after an import, off its path: full-file hashes and missing poster frames.

A thread pool in the importing/watching process (half the cores for the
watcher; `reelroom ingest`, which a person waits for, uses them all) takes
asset ids as their rows are written, reads from the database what each still
needs, and updates the row when done: the full BLAKE3 hash of every new asset
(media_watch/identity.py) and a poster for a video that got none while it was
read (media_watch/thumbnails.py). `catch_up` also picks up whatever an earlier
run left undone, and waits for everything queued.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Callable

from media_watch.identity import full_hash
from media_watch.thumbnails import ThumbnailError, make_poster
from media_watch.tools import require_tool
from storage.db import Store
from storage.footage import FootageRepo
from storage.footage_models import BackgroundTask


class Background:
    """Hashes and posters on a thread pool; rows updated as each finishes."""

    def __init__(self, store: Store, thumbs_dir: Path | None, workers: int | None = None) -> None:
        self.store = store
        self.thumbs_dir = thumbs_dir
        self.ffmpeg = require_tool("ffmpeg") if thumbs_dir is not None else None
        self._pool = ThreadPoolExecutor(
            max(1, workers or (os.cpu_count() or 2) // 2), thread_name_prefix="background"
        )
        self._lock = threading.Lock()
        self._queued: set[int] = set()
        self._futures: set[Future[None]] = set()
        self.failures: list[str] = []

    def want(self, asset_id: int) -> Future[None] | None:
        """Queue an asset (ignored when it is already queued)."""
        with self._lock:
            if asset_id in self._queued:
                return None
            self._queued.add(asset_id)
            future = self._pool.submit(self._run, asset_id)
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def catch_up(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Do everything still pending in the database, and wait for all queued work."""
        tasks = FootageRepo(self.store).pending_background(thumbnails=self.thumbs_dir is not None)
        for task in tasks:
            self.want(task.asset_id)
        with self._lock:
            futures = list(self._futures)
        for done, _ in enumerate(as_completed(futures), start=1):
            if progress is not None:
                progress(done, len(futures))

    def queue_pending(self) -> None:
        """Queue everything still pending in the database; do not wait."""
        repo = FootageRepo(self.store)
        for task in repo.pending_background(thumbnails=self.thumbs_dir is not None):
            self.want(task.asset_id)

    def close(self, cancel: bool = False) -> list[str]:
        """Wait for running work (queued work too unless cancel); failure messages."""
        self._pool.shutdown(wait=True, cancel_futures=cancel)
        return list(self.failures)

    def _run(self, asset_id: int) -> None:
        try:
            repo = FootageRepo(self.store)
            for task in repo.pending_background(
                thumbnails=self.thumbs_dir is not None, asset_id=asset_id
            ):
                self._do(repo, task)
        except Exception as exc:  # a failed hash/poster must not stop the others
            with self._lock:
                self.failures.append(f"asset {asset_id}: {exc}")
        finally:
            with self._lock:
                self._queued.discard(asset_id)

    def _do(self, repo: FootageRepo, task: BackgroundTask) -> None:
        if task.needs_hash:
            try:
                repo.set_full_hash(task.asset_id, full_hash(task.path))
            except OSError as exc:
                raise RuntimeError(f"cannot hash {task.path}: {exc.strerror}") from exc
        if task.needs_thumbnail and self.ffmpeg and self.thumbs_dir is not None:
            try:
                poster = make_poster(
                    self.ffmpeg, task.path, self.thumbs_dir, task.asset_id, task.duration_s
                )
            except ThumbnailError as exc:
                raise RuntimeError(str(exc)) from exc
            repo.set_thumbnail(task.asset_id, str(poster))
