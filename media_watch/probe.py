"""One ffprobe call per file, read into the fields an asset row stores.

`probe_file` runs `ffprobe -v error -show_format -show_streams -of json` (the
call ffmpeg-python's `probe` makes) with an argv list and a timeout, and
`parse_probe` turns the JSON into a `ProbeResult`: container, duration, size,
bit rate, creation time, video codec/profile/pix_fmt/bit depth, stored and
display size (rotation from the display matrix, normalised to 0/90/180/270),
real and average frame rate with a VFR flag, audio codec/channels/rate. A file
ffprobe cannot use raises `ProbeError` whose reason a person understands.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from storage.timefmt import TimeRangeError, check_range, to_db

PROBE_TIMEOUT_S = 30.0
VFR_TOLERANCE = 0.01  # relative gap between real and average frame rate
IMAGE_FORMATS = (
    "image2",
    "png_pipe",
    "jpeg_pipe",
    "webp_pipe",
    "bmp_pipe",
    "tiff_pipe",
    "gif",
    "heif",
    "jpegxl_pipe",
    "svg_pipe",
    "dng_pipe",
)
STILL_CODECS = ("mjpeg", "png", "webp", "bmp", "tiff", "gif", "heif", "jpegxl", "av1_still")


class ProbeError(Exception):
    """ffprobe could not use the file; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ProbeResult:
    """What one ffprobe run says about a media file."""

    kind: str  # video / audio / image
    container: str | None
    duration_s: float | None
    size_bytes: int
    bit_rate: int | None
    created_at: str | None  # UTC text, as stored
    width: int | None = None
    height: int | None = None
    display_width: int | None = None
    display_height: int | None = None
    rotation: int = 0
    fps: float | None = None
    avg_fps: float | None = None
    vfr: bool = False
    video_codec: str | None = None
    video_profile: str | None = None
    pix_fmt: str | None = None
    bit_depth: int | None = None
    audio_codec: str | None = None
    audio_channels: int | None = None
    sample_rate: int | None = None
    probe_json: str = "{}"


def probe_argv(ffprobe: str, path: str) -> list[str]:
    """The argv for one probe; `file:` keeps names with ':' or a leading '-' literal."""
    return [
        ffprobe,
        "-v",
        "error",
        "-show_format",
        "-show_streams",
        "-of",
        "json",
        "file:" + os.path.abspath(path),
    ]


def run_ffprobe(ffprobe: str, path: str, timeout: float = PROBE_TIMEOUT_S) -> dict[str, Any]:
    """ffprobe's JSON for `path`, or ProbeError with a readable reason."""
    try:
        done = subprocess.run(
            probe_argv(ffprobe, path),
            capture_output=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ProbeError(
            f"ffprobe needed more than {timeout:.0f} s to read it; the file may be "
            "damaged or on a stalled share"
        ) from None
    if done.returncode != 0:
        raise ProbeError(_explain_failure(path, done.stderr.decode("utf-8", "replace")))
    try:
        return json.loads(done.stdout.decode("utf-8", "replace") or "{}")
    except json.JSONDecodeError:
        raise ProbeError("ffprobe printed output that is not JSON") from None


def _looks_like_isobmff(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
    except OSError:
        return False
    return head[4:8] in (b"ftyp", b"mdat", b"wide", b"free", b"moov")


def _explain_failure(path: str, stderr: str) -> str:
    """A person-readable reason from ffprobe's error output."""
    text = stderr.strip()
    if "moov atom not found" in text:
        if _looks_like_isobmff(path):
            return (
                "truncated or incomplete: the MP4/MOV index (moov atom) is missing; the copy "
                "was probably cut short, copy the file again"
            )
        return "not a media file: its contents are not audio or video (ffprobe found no MP4/MOV structure)"
    if "Permission denied" in text:
        return "cannot be read: permission denied (fix the file's permissions)"
    if "Invalid data found" in text:
        return "not a media file ffprobe can read (invalid data where audio/video was expected)"
    last = text.splitlines()[-1] if text else "no message"
    last = last.replace("file:" + os.path.abspath(path), "").lstrip(": ")
    return f"ffprobe could not read it: {last}"


def _ratio(text: str | None) -> float | None:
    if not text or text in ("0/0", "0"):
        return None
    try:
        value = float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        return None
    return round(value, 3) if value > 0 else None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if result == result else None  # drop NaN


def normalise_rotation(value: Any) -> int:
    """Any rotation in degrees as 0, 90, 180 or 270 (nearest quarter turn)."""
    degrees = _float(value)
    if degrees is None:
        return 0
    return int(round(degrees / 90.0)) % 4 * 90


def stream_rotation(stream: dict[str, Any]) -> int:
    """Rotation from the display-matrix side data, else the legacy `rotate` tag."""
    for side in stream.get("side_data_list") or []:
        kind = str(side.get("side_data_type", "")).replace(" ", "").lower()
        if kind == "displaymatrix" and "rotation" in side:
            return normalise_rotation(side["rotation"])
    return normalise_rotation((stream.get("tags") or {}).get("rotate"))


def bit_depth(stream: dict[str, Any]) -> int | None:
    """Bits per sample of a video stream (bits_per_raw_sample, else the pix_fmt name)."""
    raw = _int(stream.get("bits_per_raw_sample"))
    if raw:
        return raw
    pix = stream.get("pix_fmt") or ""
    match = re.search(r"(9|10|12|14|16)(le|be)$", pix)
    if match:
        return int(match.group(1))
    return 8 if pix else None


def parse_time(text: str | None) -> str | None:
    """An ffprobe/Apple creation time as stored UTC text ('…Z'), or None."""
    if not text:
        return None
    value = text.strip().replace("Z", "+00:00")
    value = re.sub(r"([+-]\d\d)(\d\d)$", r"\1:\2", value)  # Apple's +0200
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment.year < 1971:  # 1904/1970 epochs written by cameras without a clock
        return None
    try:
        return to_db(check_range(moment))  # year 9999 with an offset overflows UTC
    except (TimeRangeError, OverflowError):
        return None


def creation_time(fmt: dict[str, Any], streams: list[dict[str, Any]]) -> str | None:
    """Apple's creationdate when present, else the format's, else a stream's tag."""
    tags = fmt.get("tags") or {}
    for key in ("com.apple.quicktime.creationdate", "creation_time", "date"):
        found = parse_time(tags.get(key))
        if found:
            return found
    for stream in streams:
        found = parse_time((stream.get("tags") or {}).get("creation_time"))
        if found:
            return found
    return None


def _is_still(fmt_name: str, stream: dict[str, Any]) -> bool:
    names = fmt_name.split(",")
    if any(n in IMAGE_FORMATS for n in names):
        return True
    return stream.get("codec_name") in STILL_CODECS and _int(stream.get("nb_frames")) == 1


def parse_probe(data: dict[str, Any], size_bytes: int) -> ProbeResult:
    """ffprobe JSON → ProbeResult; ProbeError when there is nothing to use."""
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    fmt_name = str(fmt.get("format_name") or "")
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    if not videos and not audios:
        raise ProbeError("no audio or video streams in it")
    video = videos[0] if videos else None
    audio = audios[0] if audios else None
    kind = "audio" if video is None else ("image" if _is_still(fmt_name, video) else "video")
    duration = _float(fmt.get("duration"))
    if duration is None and video is not None:
        duration = _float(video.get("duration"))
    if kind != "image" and (duration is None or duration <= 0):
        raise ProbeError("damaged or truncated: ffprobe found no playable duration")
    fields: dict[str, Any] = {}
    if video is not None:
        fields.update(_video_fields(video))
        if kind == "image":
            fields.update(fps=None, avg_fps=None, vfr=False)
    if audio is not None:
        fields.update(
            audio_codec=audio.get("codec_name"),
            audio_channels=_int(audio.get("channels")),
            sample_rate=_int(audio.get("sample_rate")),
        )
    return ProbeResult(
        kind=kind,
        container=fmt_name.split(",")[0] if fmt_name else None,
        duration_s=None if kind == "image" else round(duration or 0.0, 3),
        size_bytes=_int(fmt.get("size")) or size_bytes,
        bit_rate=_int(fmt.get("bit_rate")),
        created_at=creation_time(fmt, streams),
        probe_json=json.dumps(data, separators=(",", ":"), ensure_ascii=False),
        **fields,
    )


def _video_fields(video: dict[str, Any]) -> dict[str, Any]:
    width, height = _int(video.get("width")), _int(video.get("height"))
    rotation = stream_rotation(video)
    swap = rotation in (90, 270)
    fps = _ratio(video.get("r_frame_rate"))
    avg = _ratio(video.get("avg_frame_rate"))
    vfr = bool(fps and avg and abs(fps - avg) / fps > VFR_TOLERANCE)
    return dict(
        width=width,
        height=height,
        rotation=rotation,
        display_width=height if swap else width,
        display_height=width if swap else height,
        fps=fps,
        avg_fps=avg,
        vfr=vfr,
        video_codec=video.get("codec_name"),
        video_profile=video.get("profile"),
        pix_fmt=video.get("pix_fmt"),
        bit_depth=bit_depth(video),
    )


def probe_file(
    ffprobe: str, path: str, size_bytes: int, timeout: float = PROBE_TIMEOUT_S
) -> ProbeResult:
    """Probe one file: a ProbeResult, or ProbeError with a reason."""
    if size_bytes == 0:
        raise ProbeError("empty file (0 bytes)")
    return parse_probe(run_ffprobe(ffprobe, path, timeout), size_bytes)
