"""Importing footage: walk, examine in parallel, write rows in batches.

`ingest_paths` is the one-shot import behind `reelroom ingest` (and the demo
workspace); the watcher uses the same `Importer` for the files it sees
settle. Per file: the name decides ignored/media; then `examine`
(media_watch/examine.py) runs on a thread pool as wide as the machine: an
unchanged (path, size, mtime) is not looked at again; otherwise the sampled
content key is read and checked, and new content is read in-process by PyAV
(probe fields and poster, no process per file; ffprobe only for what PyAV
cannot read). Rows, and the posters beside them, are written on the calling
thread in short batches. Full hashes (and any poster still missing) are made
by `Background` (media_watch/background.py), off the path to the rows; the
one-shot import waits for them before it returns.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from media_watch import files
from media_watch.background import Background
from media_watch.catalog import Examined, FileOutcome, record
from media_watch.examine import examine
from media_watch.thumbnails import write_poster
from media_watch.tools import require_tool
from storage.db import Store
from storage.footage import FootageRepo
from storage.footage_models import PathState
from storage.timefmt import to_db, utcnow

BATCH_ROWS = 200
BATCH_SECONDS = 0.5
COUNT_KEYS = {
    "imported": "imported",
    "duplicate": "duplicates",
    "moved": "moved",
    "unchanged": "unchanged",
    "rejected": "rejected",
    "ignored": "ignored",
}


@dataclass(frozen=True)
class IngestEvent:
    """Progress: `phase` is 'scan', 'file', 'rows_done', 'background' or 'done'."""

    phase: str
    done: int
    total: int
    file: FileOutcome | None = None


@dataclass
class IngestSummary:
    """What one import did: a row per file, counts, and how long it took."""

    rows: list[FileOutcome] = field(default_factory=list)
    rows_seconds: float = 0.0  # walk + read + database rows and posters
    background_seconds: float = 0.0  # waiting for the full hashes afterwards
    background_failures: list[str] = field(default_factory=list)
    marked_missing: list[str] = field(default_factory=list)  # known paths gone from the folders

    @property
    def counts(self) -> dict[str, int]:
        """imported, duplicates, moved, unchanged, rejected, ignored."""
        out = {name: 0 for name in COUNT_KEYS.values()}
        for row in self.rows:
            out[COUNT_KEYS[row.outcome]] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        """The document `reelroom ingest --json` prints."""
        return {
            **self.counts,
            "files": [r.to_json() for r in self.rows],
            "marked_missing": self.marked_missing,
            "background_failures": self.background_failures,
        }


def _examine_one(
    ffprobe: str, store: Store, path: str, state: PathState | None, poster: bool
) -> Examined:
    """`examine`, with an unexpected error made this file's reason: one file never stops the rest."""
    try:
        return examine(ffprobe, store, path, state, poster=poster)
    except Exception as exc:
        return Examined(path, 0, 0, state, error=f"could not be read ({type(exc).__name__}: {exc})")


class Importer:
    """Examines files on a thread pool and records them in batches."""

    def __init__(
        self,
        store: Store,
        *,
        workers: int | None = None,
        background: Background | None = None,
        thumbs_dir: Path | None = None,
    ) -> None:
        self.store = store
        self.repo = FootageRepo(store)
        self.ffprobe = require_tool("ffprobe")  # the fallback reader
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.background = background
        self.thumbs_dir = thumbs_dir
        self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="probe")

    def close(self) -> None:
        """Stop the probe pool (waits for running probes)."""
        self._pool.shutdown(wait=True)

    def sort_names(self, paths: Iterable[str]) -> tuple[list[str], list[FileOutcome]]:
        """Media paths to examine, and outcome rows for everything skipped."""
        media: list[str] = []
        skipped: list[FileOutcome] = []
        for path in paths:
            if not os.path.lexists(path):
                skipped.append(FileOutcome(path, "rejected", None, "no such file or folder"))
                continue
            cls = files.classify_name(path)
            if cls == "media":
                media.append(path)
            else:
                skipped.append(FileOutcome(path, "ignored", None, files.ignore_reason(cls, path)))
        return media, skipped

    def run(
        self, media: list[str], on_file: Callable[[FileOutcome], None] | None = None
    ) -> list[FileOutcome]:
        """Examine and record these media paths; outcome rows in completion order."""
        states = self.repo.path_states(media)
        pending: set[Future[Examined]] = {self._examine(p, states.get(p)) for p in media}
        outcomes: list[FileOutcome] = []
        buffer: list[Examined] = []
        last_write = time.monotonic()
        while pending:
            done, pending = wait(pending, timeout=BATCH_SECONDS, return_when=FIRST_COMPLETED)
            buffer.extend(f.result() for f in done)
            due = time.monotonic() - last_write >= BATCH_SECONDS
            if buffer and (len(buffer) >= BATCH_ROWS or due or not pending):
                written, again = self.write(buffer)
                pending.update(self._examine(ex.path, ex.state) for ex in again)
                for outcome in written:
                    outcomes.append(outcome)
                    if on_file is not None:
                        on_file(outcome)
                buffer = []
                last_write = time.monotonic()
        return outcomes

    def _examine(self, path: str, state: PathState | None) -> Future[Examined]:
        poster = self.thumbs_dir is not None
        return self._pool.submit(_examine_one, self.ffprobe, self.store, path, state, poster)

    def mark_gone(self, roots: Iterable[Path | str], seen: list[str]) -> list[str]:
        """Known paths inside the given folders that are no longer there → missing."""
        seen_set = set(seen)
        gone: list[str] = []
        for root in roots:
            folder = files.norm(root)
            if os.path.isdir(folder):
                gone.extend(
                    p
                    for p in self.repo.present_paths_under(folder)
                    if p not in seen_set and not os.path.exists(p)
                )
        if gone:
            with self.repo.batch():
                self.repo.mark_missing(gone)
        return sorted(set(gone))

    def write(self, examined: list[Examined]) -> tuple[list[FileOutcome], list[Examined]]:
        """Record a batch in one short transaction, posters included; schedule background
        work. Returns the outcomes, and the files to examine again (catalog.record)."""
        now = to_db(utcnow())
        outcomes: list[FileOutcome] = []
        again: list[Examined] = []
        with self.repo.batch():
            for ex in examined:
                outcome = record(self.repo, ex, now)
                if outcome is None:
                    again.append(ex)
                    continue
                outcomes.append(outcome)
                if outcome.outcome == "imported" and ex.poster is not None:
                    self._keep_poster(outcome.asset_id, ex.poster)
        if self.background is not None:
            for outcome in outcomes:
                if outcome.outcome == "imported" and outcome.asset_id is not None:
                    self.background.want(outcome.asset_id)
        return outcomes, again

    def _keep_poster(self, asset_id: int | None, jpeg: bytes) -> None:
        """Write a poster made while reading; on failure the background makes one later."""
        if asset_id is None or self.thumbs_dir is None:
            return
        try:
            poster = write_poster(self.thumbs_dir, asset_id, jpeg)
        except OSError:
            return
        self.repo.note_thumbnail(asset_id, str(poster))


def ingest_paths(
    store: Store,
    paths: list[Path],
    *,
    thumbs_dir: Path | None = None,
    workers: int | None = None,
    progress: Callable[[IngestEvent], None] | None = None,
    wait_background: bool = True,
) -> IngestSummary:
    """Import files and folders (recursive) into the store; a row per file.

    Raises media_watch.tools.ToolMissing when ffprobe (or, with thumbs_dir,
    ffmpeg) is not installed: they are the fallback for files PyAV cannot
    read. Posters (with thumbs_dir) are written with the rows; full hashes
    start as rows are written and are waited for before this returns; with
    wait_background=False they are skipped (the watcher or the next ingest
    makes them).
    """
    started = time.monotonic()
    width = max(1, workers or os.cpu_count() or 1)
    background = Background(store, thumbs_dir, workers=width) if wait_background else None
    importer = Importer(store, workers=workers, background=background, thumbs_dir=thumbs_dir)
    summary = IngestSummary()
    emit = progress or (lambda event: None)
    try:
        media, skipped = importer.sort_names(files.walk(paths))
        total = len(media) + len(skipped)
        emit(IngestEvent("scan", 0, total))
        summary.rows.extend(skipped)
        for row in skipped:
            emit(IngestEvent("file", len(summary.rows), total, row))

        def on_file(row: FileOutcome) -> None:
            summary.rows.append(row)
            emit(IngestEvent("file", len(summary.rows), total, row))

        importer.run(media, on_file)
        summary.marked_missing = importer.mark_gone(paths, media)
    except BaseException:
        if background is not None:
            background.close(cancel=True)
        raise
    finally:
        importer.close()
    summary.rows_seconds = time.monotonic() - started
    summary.rows.sort(key=lambda row: row.path)
    emit(IngestEvent("rows_done", len(summary.rows), len(summary.rows)))
    if background is not None:
        bg_started = time.monotonic()
        background.catch_up(lambda done, total: emit(IngestEvent("background", done, total)))
        summary.background_failures = background.close()
        summary.background_seconds = time.monotonic() - bg_started
    emit(IngestEvent("done", len(summary.rows), len(summary.rows)))
    return summary
