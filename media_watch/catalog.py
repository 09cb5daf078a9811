"""Recording one examined file: imported, duplicate, moved, unchanged or rejected.

`record` runs inside the importer's write transaction and decides, from what
the database already holds, what a file is:
- same (path, size, mtime) as before → unchanged (nothing re-read);
- content key already known (and its bytes checked by `examine`) → another
  path of that asset (duplicate), or, when one of the asset's old paths is
  gone, that path moved here (moved); a file examined as new whose sampled
  key another file of the same run has just taken is handed back (None) to
  be examined again, so that its bytes are checked too;
- new content → a new asset, or the same asset updated in place when its
  only file was rewritten;
- unreadable / not media / truncated → a rejected asset with the reason.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

from media_watch.files import kind_from_name
from media_watch.probe import ProbeResult
from storage.footage import FootageRepo
from storage.footage_models import MEDIA_COLUMNS, PathState


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file, as `ingest --json` lists it."""

    path: str
    outcome: str  # imported / duplicate / moved / unchanged / rejected / ignored
    asset_id: int | None
    reason: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "outcome": self.outcome,
            "asset_id": self.asset_id,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Examined:
    """A media file after the parallel stage: stat, key, probe or error."""

    path: str
    size: int
    mtime_ns: int
    state: PathState | None
    unchanged: bool = False
    key: str | None = None
    probe: ProbeResult | None = None
    error: str | None = None
    verified: bool = False  # `key` is known to stand for these very bytes
    full_hash: str | None = None  # this file's, when it had to be read whole
    asset_hash: tuple[int, str] | None = None  # a known asset's full hash, computed on the way
    poster: bytes | None = None  # JPEG made while reading new content
    reader: str | None = None  # "pyav" or "ffprobe"


def media_columns(probe: ProbeResult) -> dict[str, Any]:
    """ProbeResult → the asset columns it fills."""
    values = asdict(probe)
    values["media_created_at"] = values.pop("created_at")
    values["vfr"] = int(values["vfr"])
    return {col: values[col] for col in MEDIA_COLUMNS}


def record(repo: FootageRepo, ex: Examined, now: str) -> FileOutcome | None:
    """Write what one examined file is; inside repo.batch(). None: examine it again."""
    st = ex.state
    if ex.unchanged and st is not None:
        repo.touch_path(ex.path, now)
        reason = st.reason if st.status == "rejected" else None
        return FileOutcome(ex.path, "unchanged", st.asset_id, reason)
    if ex.error is not None:
        return _record_rejected(repo, ex, ex.error, now)
    assert ex.key is not None
    if ex.asset_hash is not None:
        repo.note_full_hash(*ex.asset_hash)
    existing = repo.asset_for_key(ex.key)
    if existing is not None and not ex.verified:
        return None  # taken by another file of this run since: its bytes must be checked
    if existing is not None:
        return _record_known(repo, ex, existing, now)
    if ex.probe is None:  # the known content changed under us while probing
        return FileOutcome(
            ex.path,
            "rejected",
            None,
            "its content changed while it was imported; run the import again",
        )
    return _record_new(repo, ex, ex.probe, now)


def _release_old(repo: FootageRepo, st: PathState | None) -> None:
    """The path now belongs to another asset: tidy the one it left."""
    if st is None:
        return
    if st.status == "rejected" and repo.drop_if_pathless(st.asset_id):
        return
    repo.refresh_status([st.asset_id])


def _owns_alone(repo: FootageRepo, st: PathState | None) -> bool:
    return st is not None and repo.count_paths(st.asset_id) == 1


def _record_rejected(repo: FootageRepo, ex: Examined, reason: str, now: str) -> FileOutcome:
    kind, name = kind_from_name(ex.path), os.path.basename(ex.path)
    if _owns_alone(repo, ex.state):
        assert ex.state is not None
        asset_id = ex.state.asset_id
        repo.replace_media(
            asset_id,
            kind=kind,
            name=name,
            content_key=None,
            size_bytes=ex.size,
            media={},
            status="rejected",
            reason=reason,
        )
    else:
        asset_id = repo.insert_asset(
            kind=kind,
            name=name,
            content_key=None,
            size_bytes=ex.size,
            media={},
            imported_at=now,
            status="rejected",
            reason=reason,
        )
    repo.add_path(asset_id, ex.path, ex.size, ex.mtime_ns, now)
    if ex.state is not None and ex.state.asset_id != asset_id:
        _release_old(repo, ex.state)
    return FileOutcome(ex.path, "rejected", asset_id, reason)


def _record_known(repo: FootageRepo, ex: Examined, asset_id: int, now: str) -> FileOutcome:
    st = ex.state
    if st is not None and st.asset_id == asset_id:  # touched, same bytes
        repo.add_path(asset_id, ex.path, ex.size, ex.mtime_ns, now)
        return FileOutcome(ex.path, "unchanged", asset_id, None)
    for old in repo.paths_of(asset_id):
        if old.path != ex.path and (not old.present or not os.path.exists(old.path)):
            repo.move_path(old.path, ex.path, ex.size, ex.mtime_ns, now)
            repo.set_name(asset_id, os.path.basename(ex.path))
            _release_old(repo, st)
            return FileOutcome(ex.path, "moved", asset_id, f"moved from {old.path}")
    repo.add_path(asset_id, ex.path, ex.size, ex.mtime_ns, now)
    _release_old(repo, st)
    return FileOutcome(ex.path, "duplicate", asset_id, f"same content as asset {asset_id}")


def _record_new(repo: FootageRepo, ex: Examined, probe: ProbeResult, now: str) -> FileOutcome:
    name = os.path.basename(ex.path)
    media = media_columns(probe)
    if _owns_alone(repo, ex.state):
        assert ex.state is not None
        asset_id = ex.state.asset_id
        repo.replace_media(
            asset_id,
            kind=probe.kind,
            name=name,
            content_key=ex.key,
            size_bytes=ex.size,
            media=media,
            full_hash=ex.full_hash,
        )
    else:
        asset_id = repo.insert_asset(
            kind=probe.kind,
            name=name,
            content_key=ex.key,
            size_bytes=ex.size,
            media=media,
            imported_at=now,
            full_hash=ex.full_hash,
        )
    repo.add_path(asset_id, ex.path, ex.size, ex.mtime_ns, now)
    if ex.state is not None and ex.state.asset_id != asset_id:
        _release_old(repo, ex.state)
    return FileOutcome(ex.path, "imported", asset_id, None)
