"""Real footage for the demo: four tiny clips made with ffmpeg's test sources,
imported through the footage pipeline and linked to a post.

ffmpeg always gets an argv list (never a shell), writes to a `.partial` name
and the file is renamed into place only after ffmpeg succeeded, so the
footage watcher never sees half a clip. Existing clips are kept.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from media_watch.tools import find_tool
from storage import Store, seeding

CLIP_SECONDS = 2
FFMPEG_TIMEOUT_S = 60


class ClipError(Exception):
    """A demo clip could not be made; the message says which and why."""


@dataclass(frozen=True)
class ClipSpec:
    """One demo clip: file name, size (None for audio) and rotation tag."""

    name: str
    size: str | None
    rotate: int = 0
    tone_hz: int = 440


CLIPS: tuple[ClipSpec, ...] = (
    ClipSpec("kitchen-wide 320x180.mp4", "320x180", tone_hz=440),
    ClipSpec("街头小吃 竖屏 180x320.mp4", "180x320", tone_hz=523),
    ClipSpec("phone-rotated-90.mp4", "320x180", rotate=90, tone_hz=659),
    ClipSpec("voiceover-take-1.m4a", None, tone_hz=330),
)


def clip_dir(home_root: Path) -> Path:
    """Where the demo's clips live."""
    return home_root / "footage" / "demo"


def _argv(ffmpeg: str, spec: ClipSpec, out: Path) -> list[str]:
    argv = [ffmpeg, "-nostdin", "-v", "error", "-y"]
    if spec.size is not None:
        argv += ["-f", "lavfi", "-i", f"testsrc2=size={spec.size}:rate=25:duration={CLIP_SECONDS}"]
    argv += [
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={spec.tone_hz}:sample_rate=48000:duration={CLIP_SECONDS}",
    ]
    if spec.size is not None:
        argv += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    argv += ["-c:a", "aac", "-b:a", "64k", "-shortest", "-f", "mp4", str(out)]
    return argv


def _rotate_argv(ffmpeg: str, source: Path, rotate: int, out: Path) -> list[str]:
    """Remux with a rotation tag: ffmpeg 5.1 keeps `rotate` only on a stream copy
    (it then writes a display matrix); an encode drops it."""
    return [
        ffmpeg,
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-i",
        str(source),
        "-c",
        "copy",
        "-metadata:s:v:0",
        f"rotate={rotate}",
        "-f",
        "mp4",
        str(out),
    ]


def _run(argv: list[str], target: Path) -> None:
    proc = subprocess.run(
        argv, capture_output=True, text=True, timeout=FFMPEG_TIMEOUT_S, check=False
    )
    if proc.returncode != 0:
        detail = proc.stderr.strip()[-400:] or f"exit status {proc.returncode}"
        raise ClipError(f"ffmpeg could not make the demo clip {target}: {detail}")


def make_clip(ffmpeg: str, spec: ClipSpec, folder: Path) -> Path:
    """Create one clip unless it exists; return its path."""
    target = folder / spec.name
    if target.exists():
        return target
    partial = folder / f"{spec.name}.partial"
    base = folder / f"{spec.name}.unrotated.partial"
    try:
        if spec.rotate:
            _run(_argv(ffmpeg, spec, base), target)
            _run(_rotate_argv(ffmpeg, base, spec.rotate, partial), target)
        else:
            _run(_argv(ffmpeg, spec, partial), target)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
        base.unlink(missing_ok=True)
    return target


def make_clips(home_root: Path) -> list[Path]:
    """All demo clips, made where missing. Raises ClipError when ffmpeg is missing or fails."""
    ffmpeg = find_tool("ffmpeg")
    if ffmpeg is None:
        raise ClipError(
            "ffmpeg was not found, so the demo has no real clips. Install it "
            "(apt-get install ffmpeg, or ./rr setup) and run `reelroom demo` again."
        )
    folder = clip_dir(home_root)
    folder.mkdir(parents=True, exist_ok=True)
    return [make_clip(ffmpeg, spec, folder) for spec in CLIPS]


def import_clips(store: Store, paths: list[Path], thumbs: Path, post_id: int | None) -> list[int]:
    """Import the clips through the footage pipeline and link them to a post."""
    from media_watch.ingest import ingest_paths

    summary = ingest_paths(store, paths, thumbs_dir=thumbs)
    asset_ids = sorted({row.asset_id for row in summary.rows if row.asset_id is not None})
    if post_id is not None and seeding.post_exists(store, post_id):
        seeding.link_assets_to_post(store, asset_ids, post_id)
    return asset_ids


def video_ids(store: Store, asset_ids: list[int]) -> list[int]:
    """Those of the imported assets that are usable video clips, in id order."""
    from storage.footage import FootageRepo

    repo = FootageRepo(store)
    found = (repo.get(a) for a in asset_ids)
    return [a.id for a in found if a is not None and a.kind == "video" and a.status == "ok"]


def shared_poster_path(thumbs: Path) -> Path:
    """The one poster frame all synthetic clips of the large workspace point at."""
    return thumbs / "demo-large-poster.jpg"


def make_shared_poster(thumbs: Path) -> tuple[str, ...]:
    """Make the shared poster (a testsrc2 frame) unless it exists; warnings, if any."""
    target = shared_poster_path(thumbs)
    if target.exists():
        return ()
    ffmpeg = find_tool("ffmpeg")
    if ffmpeg is None:
        return (
            f"ffmpeg was not found, so {target} (the poster of the synthetic clips) is missing.",
        )
    partial = thumbs / f"{target.name}.partial"
    argv = [
        ffmpeg,
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x180:rate=1:duration=1",
        "-frames:v",
        "1",
        "-f",
        "image2",
        "-c:v",
        "mjpeg",
        str(partial),
    ]
    try:
        _run(argv, target)
        os.replace(partial, target)
    except ClipError as exc:
        return (str(exc),)
    finally:
        partial.unlink(missing_ok=True)
    return ()
