"""Test clips made with the real ffmpeg from its test sources (tiny and fast).

Every helper writes one file and returns its path. Sizes are small
(320x180 / 180x320, 1-2 s) so that a test suite on two cores stays quick.
Other test modules reuse these (renders, demo, doctor).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

FFMPEG = shutil.which("ffmpeg") or "ffmpeg"


def run_ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly with an argv list; raise with its stderr on failure."""
    argv = [FFMPEG, "-nostdin", "-hide_banner", "-v", "error", "-y", *args]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg failed: {' '.join(argv)}\n{done.stderr}")


def _out(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    return "file:" + str(path)


def make_video(
    path: Path,
    *,
    size: str = "320x180",
    seconds: float = 1.0,
    fps: int = 30,
    audio: bool = True,
    codec: str = "libx264",
    pix_fmt: str = "yuv420p",
    seed: int = 0,
    creation_time: str | None = None,
) -> Path:
    """A testsrc2 clip (with a sine tone unless audio=False); `seed` varies the content."""
    args = ["-f", "lavfi", "-i", f"testsrc2=s={size}:r={fps}:d={seconds},hue=h={seed * 37 % 360}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency={220 + seed * 10}:duration={seconds}"]
    args += ["-c:v", codec, "-pix_fmt", pix_fmt]
    if codec == "libx264":
        args += ["-preset", "ultrafast"]
    if codec == "libx265":
        args += ["-preset", "ultrafast", "-x265-params", "log-level=error", "-tag:v", "hvc1"]
    if audio:
        args += ["-c:a", "aac", "-b:a", "64k", "-shortest"]
    if creation_time:
        args += ["-metadata", f"creation_time={creation_time}"]
    run_ffmpeg(*args, _out(path))
    return path


def make_rotated(src: Path, path: Path, degrees: int = 90) -> Path:
    """A copy of `src` whose video stream carries a display-matrix rotation."""
    run_ffmpeg(
        "-i", "file:" + str(src), "-c", "copy", "-metadata:s:v:0", f"rotate={degrees}", _out(path)
    )
    return path


def make_vfr(path: Path, seconds: float = 2.0) -> Path:
    """A variable-frame-rate clip: 30 fps with a run of frames dropped."""
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=s=320x180:r=30:d={seconds}",
        "-vf",
        "select='not(between(n,10,40))'",
        "-vsync",
        "vfr",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-pix_fmt",
        "yuv420p",
        _out(path),
    )
    return path


def make_audio(
    path: Path, *, seconds: float = 1.0, rate: int = 48000, channels: int = 2, seed: int = 0
) -> Path:
    """An audio-only file (codec from the extension: .m4a → aac, .wav → pcm, .mp3)."""
    layout = "stereo" if channels == 2 else "mono"
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={330 + seed * 10}:duration={seconds}",
        "-ar",
        str(rate),
        "-ac",
        str(channels),
        "-channel_layout",
        layout,
        _out(path),
    )
    return path


def make_still(path: Path, *, size: str = "320x180", seed: int = 0) -> Path:
    """A single-frame still image (.jpg / .png)."""
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=s={size},hue=h={seed * 37 % 360}",
        "-frames:v",
        "1",
        "-update",
        "1",
        _out(path),
    )
    return path


def make_jpegxl(path: Path) -> Path:
    """A JPEG XL still (RuntimeError when this ffmpeg has no libjxl encoder).

    Debian's ffprobe reads it; PyAV's wheel has no decoder for it, which makes
    it the test corpus's file for the ffprobe fallback."""
    run_ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=s=320x180", "-frames:v", "1"),
        *("-c:v", "libjxl", "-f", "image2", _out(path)),
    )
    return path


def make_truncated(src: Path, path: Path, keep: float = 0.3) -> Path:
    """The first part of `src` only, as a cut-short copy would leave it."""
    data = src.read_bytes()
    path.write_bytes(data[: max(1, int(len(data) * keep))])
    return path


def make_not_media(path: Path, text: str = "this is not a video\n") -> Path:
    """A file with a media name whose bytes are text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text * 50, encoding="utf-8")
    return path
