"""A cover image for Kuaishou's publish call, made from the video itself.

Kuaishou's `photo/publish` wants a cover image file (reference/platform-apis.md
§4). A publication may bring its own (`PublishRequest.cover_path`); otherwise
one frame of the video is taken with ffmpeg (PyAV is not a dependency of this
tree), run as an argv list with `-nostdin`, a timeout and no shell, writing a
JPEG to stdout: a few tens of KB, kept in memory for the multipart body.
`$REELROOM_FFMPEG` overrides the PATH search, as for the render runner
(platforms/ may not import media_watch/, so the rule is repeated here).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from platforms.base import Rejected

COVER_TIMEOUT_S = 60.0
COVER_WIDTH = 720
MAX_COVER_BYTES = 10 * 1024 * 1024


def find_ffmpeg() -> str | None:
    """ffmpeg's path: `$REELROOM_FFMPEG` when set (nothing else then), else PATH."""
    override = os.environ.get("REELROOM_FFMPEG", "").strip()
    found = shutil.which(override or "ffmpeg")
    return os.path.abspath(found) if found else None


def cover_argv(ffmpeg: str, video: Path, at_ms: int | None) -> list[str]:
    """The argv that writes one JPEG frame of `video` (at `at_ms`, default 1 s) to stdout."""
    seconds = max(0.0, (at_ms if at_ms is not None else 1000) / 1000)
    return [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-ss",
        f"{seconds:.3f}",
        "-i",
        "file:" + os.path.abspath(video),
        "-frames:v",
        "1",
        "-vf",
        f"scale='min({COVER_WIDTH},iw)':-2",
        "-f",
        "image2pipe",
        "-c:v",
        "mjpeg",
        "-q:v",
        "3",
        "pipe:1",
    ]


def cover_bytes(video: Path, *, cover_path: Path | None = None, at_ms: int | None = None) -> bytes:
    """The cover's JPEG bytes: the given image, else a frame of the video (Rejected if none)."""
    if cover_path is not None:
        try:
            data = Path(cover_path).read_bytes()
        except OSError as exc:
            raise Rejected(
                f"the cover image {cover_path} cannot be read ({exc.strerror})"
            ) from None
        if not data or len(data) > MAX_COVER_BYTES:
            raise Rejected(f"the cover image {cover_path} is empty or over 10 MB")
        return data
    ffmpeg = find_ffmpeg()
    if ffmpeg is None:
        raise Rejected(
            "Kuaishou needs a cover image and ffmpeg is not installed to take one from the "
            "video; install ffmpeg (apt-get install ffmpeg) or give the publication a cover"
        )
    data = b""
    for seek in (at_ms, 0):  # a clip shorter than the seek point: its first frame
        try:
            done = subprocess.run(
                cover_argv(ffmpeg, video, seek),
                capture_output=True,
                timeout=COVER_TIMEOUT_S,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise Rejected(
                f"ffmpeg took over {COVER_TIMEOUT_S:.0f} s for a cover of {video}"
            ) from None
        data = done.stdout if done.returncode == 0 else b""
        if data:
            return data
    raise Rejected(f"ffmpeg could not take a cover frame from {video}")
