"""Preflight: check a probed render against its platform's published limits.

`preflight(probe, preset, path=None)` takes a `media_watch.probe.ProbeResult` (or the
ffprobe JSON dict) and a preset name (tiktok / reels / shorts / kuaishou) and returns a
`PreflightResult` listing every problem in words: duration, file size, resolution,
orientation, frame rate, container, video/audio codec — and the house encode promises
(H.264 High, yuv420p, AAC 48 kHz, `moov` before `mdat` when `path` is given).

Limits and their sources:
- TikTok (Content Posting API media-transfer guide): MP4/MOV/WebM; H.264/H.265/VP8/VP9; 23-60 fps; each side 360-4096 px;
  ≤ 4 GB; 3-600 s (the per-creator max_video_post_duration_sec may be lower).
- YouTube Shorts (YouTube Help answer 15424877): square or vertical and ≤ 180 s to count as a Short; YouTube's
  upload page: H.264, AAC-LC 48/96 kHz, up to 60 fps.
- Instagram Reels: Meta's Reels container limits (3 s-15 min, 23-60 fps, ≤ 1920 px
  wide, ≤ 300 MB, H.264/HEVC, AAC ≤ 48 kHz), from third-party guides: UNCONFIRMED.
- Kuaishou: the open API documents no media limits; we apply TikTok-like bounds
  (3-900 s, 23-60 fps, ≤ 4 GB, H.264/H.265): UNCONFIRMED, conservative.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Mapping

from media_watch.probe import ProbeResult, parse_probe

GB = 1024**3
MB = 1024**2


class PreflightError(ValueError):
    """Unknown preset or an unusable probe."""


@dataclass(frozen=True)
class PlatformLimits:
    """Published limits of one platform for one uploaded video."""

    name: str
    min_duration_s: float
    max_duration_s: float
    max_bytes: int
    min_fps: float
    max_fps: float
    min_side: int
    max_side: int
    max_width: int | None
    vertical_only: bool
    containers: tuple[str, ...]
    video_codecs: tuple[str, ...]
    audio_codecs: tuple[str, ...]
    max_sample_rate: int
    source: str


LIMITS: dict[str, PlatformLimits] = {
    "tiktok": PlatformLimits(
        "TikTok",
        3,
        600,
        4 * GB,
        23,
        60,
        360,
        4096,
        None,
        False,
        ("mov", "mp4", "webm"),
        ("h264", "hevc", "vp8", "vp9"),
        ("aac", "mp3", "opus"),
        48000,
        "TikTok Content Posting API media-transfer guide",
    ),
    "reels": PlatformLimits(
        "Instagram Reels",
        3,
        900,
        300 * MB,
        23,
        60,
        1,
        4096,
        1920,
        False,
        ("mov", "mp4"),
        ("h264", "hevc"),
        ("aac",),
        48000,
        "Meta Reels publishing specs (UNCONFIRMED)",
    ),
    "shorts": PlatformLimits(
        "YouTube Shorts",
        1,
        180,
        256 * GB,
        1,
        60,
        1,
        8192,
        None,
        True,
        ("mov", "mp4", "webm"),
        ("h264", "hevc", "vp9", "av1"),
        ("aac", "opus"),
        96000,
        "YouTube Help 15424877 and upload encoding settings",
    ),
    "kuaishou": PlatformLimits(
        "Kuaishou",
        3,
        900,
        4 * GB,
        23,
        60,
        360,
        4096,
        None,
        False,
        ("mov", "mp4"),
        ("h264", "hevc"),
        ("aac",),
        48000,
        "no published limits; conservative bounds (UNCONFIRMED)",
    ),
}


@dataclass(frozen=True)
class PreflightResult:
    """The outcome of a preflight: ok when `problems` is empty."""

    preset: str
    problems: list[str] = field(default_factory=list)
    checked: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """What is stored with the job."""
        return {
            "preset": self.preset,
            "ok": self.ok,
            "problems": list(self.problems),
            "checked": dict(self.checked),
            "source": LIMITS[self.preset].source,
        }


def moov_before_mdat(path: str) -> bool | None:
    """True when the MP4's index (moov) precedes its media data (fast start); None if neither found."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            at = 0
            while at + 8 <= size:
                fh.seek(at)
                header = fh.read(16)
                box = int.from_bytes(header[:4], "big")
                kind = header[4:8]
                if kind in (b"moov", b"mdat"):
                    return kind == b"moov"
                if box == 1:
                    box = int.from_bytes(header[8:16], "big")
                if box < 8:
                    return None
                at += box
    except OSError:
        return None
    return None


def _as_probe(probe: ProbeResult | Mapping[str, Any]) -> ProbeResult:
    if isinstance(probe, ProbeResult):
        return probe
    size = int((probe.get("format") or {}).get("size") or 0)
    return parse_probe(dict(probe), size)


def _range(
    problems: list[str], label: str, value: float | None, low: float, high: float, unit: str
) -> None:
    if value is None:
        problems.append(f"{label} unknown (ffprobe did not report it)")
    elif value < low or value > high:
        problems.append(f"{label} {value:g}{unit} is outside {low:g}-{high:g}{unit}")


def _platform_problems(p: ProbeResult, lim: PlatformLimits) -> list[str]:
    problems: list[str] = []
    _range(problems, "duration", p.duration_s, lim.min_duration_s, lim.max_duration_s, " s")
    if p.size_bytes > lim.max_bytes:
        problems.append(f"file size {p.size_bytes / MB:.1f} MB is over {lim.max_bytes / MB:.0f} MB")
    _range(problems, "frame rate", p.avg_fps or p.fps, lim.min_fps, lim.max_fps, " fps")
    w, h = p.display_width, p.display_height
    if not w or not h:
        problems.append("no video stream (a picture size is required)")
    else:
        for side_name, side in (("width", w), ("height", h)):
            _range(problems, side_name, side, lim.min_side, lim.max_side, " px")
        if lim.max_width and w > lim.max_width:
            problems.append(f"width {w} px is over {lim.max_width} px")
        if lim.vertical_only and w > h:
            problems.append(f"{w}x{h} is landscape; {lim.name} needs square or vertical video")
    if (p.container or "") not in lim.containers:
        problems.append(f"container {p.container} is not one of {', '.join(lim.containers)}")
    if p.video_codec and p.video_codec not in lim.video_codecs:
        problems.append(f"video codec {p.video_codec} is not one of {', '.join(lim.video_codecs)}")
    if not p.audio_codec:
        problems.append("no audio track")
    elif p.audio_codec not in lim.audio_codecs:
        problems.append(f"audio codec {p.audio_codec} is not one of {', '.join(lim.audio_codecs)}")
    if p.sample_rate and p.sample_rate > lim.max_sample_rate:
        problems.append(f"audio sample rate {p.sample_rate} Hz is over {lim.max_sample_rate} Hz")
    return problems


def _house_problems(p: ProbeResult, path: str | None) -> list[str]:
    """What every ReelRoom render promises: H.264 High, yuv420p, AAC 48 kHz, fast start."""
    problems: list[str] = []
    if p.video_codec != "h264" or (p.video_profile or "").lower() != "high":
        problems.append(f"video is {p.video_codec} {p.video_profile}, not H.264 High")
    if p.pix_fmt != "yuv420p":
        problems.append(f"pixel format {p.pix_fmt} is not yuv420p")
    if p.audio_codec and p.sample_rate != 48000:
        problems.append(f"audio sample rate {p.sample_rate} Hz is not 48000 Hz")
    if path is not None and moov_before_mdat(path) is not True:
        problems.append("the MP4 index (moov) is not before the media data: not fast-start")
    return problems


def preflight(
    probe: ProbeResult | Mapping[str, Any], preset: str, *, path: str | None = None
) -> PreflightResult:
    """Check a probed output against `preset`'s limits (+ fast start when `path` is given)."""
    if preset not in LIMITS:
        raise PreflightError(f"preset {preset!r} has no limits; allowed: {', '.join(LIMITS)}")
    result = _as_probe(probe)
    problems = _platform_problems(result, LIMITS[preset]) + _house_problems(result, path)
    checked = {
        "duration_s": result.duration_s,
        "size_bytes": result.size_bytes,
        "width": result.display_width,
        "height": result.display_height,
        "fps": result.avg_fps or result.fps,
        "container": result.container,
        "video_codec": result.video_codec,
        "video_profile": result.video_profile,
        "pix_fmt": result.pix_fmt,
        "audio_codec": result.audio_codec,
        "sample_rate": result.sample_rate,
    }
    if path is not None:
        checked["faststart"] = moov_before_mdat(path)
    return PreflightResult(preset=preset, problems=problems, checked=checked)


# --- a file about to be published (reelroom publish add) -----------------------------------

# Which limits apply to each platform, and the built-in recipe that makes a file that passes.
PLATFORM_PRESET: dict[str, str] = {
    "tiktok": "tiktok",
    "youtube": "shorts",
    "instagram": "reels",
    "kuaishou": "kuaishou",
}


def publish_preflight(platform: str, path: str, ffprobe: str) -> PreflightResult:
    """Check a file against `platform`'s limits (and fast start for MP4/MOV) before it is queued.

    Unlike `preflight` it does not hold the file to ReelRoom's own encode
    (H.264 High, yuv420p): any file the platform takes passes. Raises
    media_watch.probe.ProbeError when ffprobe cannot read the file.
    """
    from media_watch.probe import probe_file

    preset = PLATFORM_PRESET[platform]
    result = probe_file(ffprobe, path, os.path.getsize(path))
    problems = _platform_problems(result, LIMITS[preset])
    checked: dict[str, Any] = {
        "duration_s": result.duration_s,
        "size_bytes": result.size_bytes,
        "width": result.display_width,
        "height": result.display_height,
        "fps": result.avg_fps or result.fps,
        "container": result.container,
        "video_codec": result.video_codec,
        "audio_codec": result.audio_codec,
        "sample_rate": result.sample_rate,
    }
    if (result.container or "") in ("mp4", "mov"):
        faststart = moov_before_mdat(path)
        checked["faststart"] = faststart
        if faststart is not True:
            problems.append("the MP4 index (moov) is not before the media data: not fast-start")
    return PreflightResult(preset=preset, problems=problems, checked=checked)


def fix_hint(platform: str) -> str:
    """The command that renders a file this platform takes."""
    return (
        f"render it with the built-in `{PLATFORM_PRESET[platform]}` recipe: "
        f"`reelroom render add --clip ID --recipe {PLATFORM_PRESET[platform]}`"
    )
