"""Poster frames: one JPEG per video under `thumbs/`, named after the asset id.

New footage gets its poster while it is read (media_watch/avprobe.py: one
keyframe near 10 % of the clip, upright, at most 480 px wide), and the
importer writes it with `write_poster`. `make_poster` makes one for an asset
that has none (an older import, or a file only ffprobe could read): in-process
with PyAV first, else with one ffmpeg run, whose `thumbnail` filter picks the
most representative frame of a batch after a short seek past black lead-ins
(ffmpeg auto-rotates on decode, so that poster is upright too). Either way the
JPEG is written to a `.partial` name and renamed into place.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from media_watch.avprobe import POSTER_WIDTH, AVReadError, poster_for, pyav_enabled

THUMB_TIMEOUT_S = 60.0


class ThumbnailError(Exception):
    """ffmpeg could not make a poster frame; the message says why."""


def poster_name(asset_id: int) -> str:
    """The file name of an asset's poster frame inside thumbs/."""
    return f"{asset_id}.jpg"


def poster_argv(ffmpeg: str, src: str, dest: str, duration_s: float | None) -> list[str]:
    """The ffmpeg argv for one poster (argv list; paths as `file:` URLs)."""
    argv = [ffmpeg, "-nostdin", "-hide_banner", "-v", "error", "-y"]
    if duration_s and duration_s > 6:
        argv += ["-ss", f"{min(3.0, duration_s / 4):.2f}"]
    argv += [
        "-i",
        "file:" + os.path.abspath(src),
        "-vf",
        f"thumbnail=n=60,scale='min({POSTER_WIDTH},iw)':-2",
        "-frames:v",
        "1",
        "-f",
        "image2",
        "-c:v",
        "mjpeg",
        "-q:v",
        "4",
        "file:" + os.path.abspath(dest),
    ]
    return argv


def write_poster(thumbs_dir: Path, asset_id: int, jpeg: bytes) -> Path:
    """Write thumbs/<asset_id>.jpg from JPEG bytes (via a `.partial` name); returns its path."""
    thumbs_dir.mkdir(parents=True, exist_ok=True)
    final = thumbs_dir / poster_name(asset_id)
    partial = thumbs_dir / (poster_name(asset_id) + ".partial")
    try:
        partial.write_bytes(jpeg)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return final


def make_poster(
    ffmpeg: str, src: str, thumbs_dir: Path, asset_id: int, duration_s: float | None = None
) -> Path:
    """Write thumbs/<asset_id>.jpg for the video at `src` (PyAV, else ffmpeg); returns its path."""
    if pyav_enabled():
        try:
            return write_poster(thumbs_dir, asset_id, poster_for(src, duration_s))
        except AVReadError:
            pass
    thumbs_dir.mkdir(parents=True, exist_ok=True)
    final = thumbs_dir / poster_name(asset_id)
    partial = thumbs_dir / (poster_name(asset_id) + ".partial")
    try:
        done = subprocess.run(
            poster_argv(ffmpeg, src, str(partial), duration_s),
            capture_output=True,
            timeout=THUMB_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        partial.unlink(missing_ok=True)
        raise ThumbnailError(
            f"ffmpeg took over {THUMB_TIMEOUT_S:.0f} s for a poster of {src}"
        ) from None
    if done.returncode != 0 or not partial.exists() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise ThumbnailError(f"no poster frame for {src}: {tail[0]}")
    os.replace(partial, final)
    return final
