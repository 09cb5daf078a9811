"""Examining one media file on a pool thread: stat, content key, identity check, media read.

`examine` finds out, without writing anything, what the importer needs to
record a file:
- the same (path, size, mtime) as stored → unchanged, nothing is read;
- empty or unreadable → the reason;
- the sampled content key (media_watch/identity.py). When a known asset holds
  it, `check_known` makes sure this file has that asset's bytes: trusted when
  one of the asset's paths is gone from disk and had this size and mtime (a
  rename or a move keeps both), else the full hashes are compared (the asset's is computed
  from one of its files when it has none yet; with neither, the sampled key
  decides). Different bytes → this file's key becomes its full hash, looked
  up in turn;
- new content → `read_media`.

`read_media` reads the file in-process with PyAV (media_watch/avprobe.py):
the probe fields and, when posters are wanted, the poster. When PyAV cannot
open or parse the file, ffprobe reads it instead: a file ffprobe can read is
imported with ffprobe's fields (its poster is made later by `Background`,
through ffmpeg if PyAV cannot decode it either), and a file neither can read
is rejected with ffprobe's reason, the words it always had.
`REELROOM_READER=ffprobe` sends every file through ffprobe (a way out should
PyAV ever misread some camera's files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from media_watch.avprobe import AVReadError, pyav_enabled, read_with_pyav
from media_watch.catalog import Examined
from media_watch.identity import algorithm_of, content_key, full_hash, full_hashes, split_key
from media_watch.probe import ProbeError, ProbeResult, probe_file
from storage.db import Store
from storage.footage import FootageRepo
from storage.footage_models import AssetPath, PathState


@dataclass(frozen=True)
class MediaRead:
    """Probe fields, the poster (JPEG) when made, and which reader gave them."""

    probe: ProbeResult
    poster: bytes | None
    reader: str  # "pyav" or "ffprobe"


def read_media(ffprobe: str, path: str, size: int, *, poster: bool = False) -> MediaRead:
    """PyAV in-process, ffprobe when PyAV cannot; ProbeError (ffprobe's reason) when neither."""
    if size == 0:
        raise ProbeError("empty file (0 bytes)")
    if not pyav_enabled():
        return MediaRead(probe_file(ffprobe, path, size), None, "ffprobe")
    try:
        got = read_with_pyav(path, size, poster=poster)
    except AVReadError:
        return MediaRead(probe_file(ffprobe, path, size), None, "ffprobe")
    return MediaRead(got.probe, got.poster, "pyav")


@dataclass(frozen=True)
class KnownCheck:
    """Whether a file has a known asset's bytes, and the hashes read to find out."""

    same: bool
    full_hash: str | None = None  # this file's (BLAKE3), when it was read whole
    asset_hash: str | None = None  # the asset's, when it had none and one was computed


def _unchanged_on_disk(path: str, size: int, mtime_ns: int) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (size, mtime_ns)


def _moved_here(known: AssetPath, size: int, mtime_ns: int) -> bool:
    """A rename or move: the old path is gone and size and mtime came along."""
    if (known.size_bytes, known.mtime_ns) != (size, mtime_ns):
        return False
    return not known.present or not os.path.lexists(known.path)


def check_known(
    repo: FootageRepo, path: str, size: int, mtime_ns: int, asset_id: int
) -> KnownCheck:
    """Does the file at `path` hold the bytes of `asset_id`, whose sampled key it shares?"""
    paths = repo.paths_of(asset_id)
    if any(_moved_here(p, size, mtime_ns) for p in paths):
        return KnownCheck(True)
    stored = repo.full_hash_of(asset_id)
    computed = None
    if stored is None:
        for known in paths:
            if known.path != path and _unchanged_on_disk(
                known.path, known.size_bytes, known.mtime_ns
            ):
                try:
                    stored = computed = full_hash(known.path)
                except OSError:
                    continue
                break
    if stored is None:
        return KnownCheck(True)  # nothing left to compare with: the sampled key decides
    algorithm = algorithm_of(stored)
    mine = full_hashes(path, ("blake3", algorithm))
    return KnownCheck(mine[algorithm] == stored, mine["blake3"], computed)


def dangling_reason(path: str) -> str:
    """Why a symbolic link whose target is missing cannot be imported."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return f"a symbolic link to {target}, which does not exist"


def examine(
    ffprobe: str, store: Store, path: str, state: PathState | None, *, poster: bool = False
) -> Examined:
    """Stat, key, check and (for new content) read one media file. Runs on a pool thread."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return Examined(path, 0, 0, state, error=dangling_reason(path))
        return Examined(path, 0, 0, state, error="the file disappeared before it could be read")
    except OSError as exc:
        return Examined(path, 0, 0, state, error=f"cannot be read: {exc.strerror}")
    size, mtime = st.st_size, st.st_mtime_ns
    if state is not None and state.size_bytes == size and state.mtime_ns == mtime:
        return Examined(path, size, mtime, state, unchanged=True)
    if size == 0:
        return Examined(path, size, mtime, state, error="empty file (0 bytes)")
    repo = FootageRepo(store)
    try:
        key = content_key(path, size)
        verified, full, asset_hash = False, None, None
        known = repo.asset_for_key(key)
        if known is not None:
            check = check_known(repo, path, size, mtime, known)
            asset_hash = (known, check.asset_hash) if check.asset_hash else None
            if check.same:
                return Examined(
                    path, size, mtime, state, key=key, verified=True, asset_hash=asset_hash
                )
            assert check.full_hash is not None
            key, verified, full = split_key(check.full_hash), True, check.full_hash
            if repo.asset_for_key(key) is not None:
                return Examined(path, size, mtime, state, key=key, verified=True, full_hash=full)
    except OSError as exc:
        reason = (
            "permission denied (fix the file's permissions)"
            if isinstance(exc, PermissionError)
            else exc.strerror
        )
        return Examined(path, size, mtime, state, error=f"cannot be read: {reason}")
    try:
        got = read_media(ffprobe, path, size, poster=poster)
    except ProbeError as exc:
        return Examined(path, size, mtime, state, key=key, error=exc.reason)
    return Examined(
        path,
        size,
        mtime,
        state,
        key=key,
        probe=got.probe,
        verified=verified,
        full_hash=full,
        asset_hash=asset_hash,
        poster=got.poster,
        reader=got.reader,
    )
