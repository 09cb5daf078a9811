"""Reading media in-process with PyAV: probe fields and a poster frame from one open.

`read_with_pyav` opens a file with PyAV (`av`, FFmpeg's libraries bundled in
its wheel; no process is started) and writes what the header says into the
same ffprobe-shaped document `probe.parse_probe` reads, so one set of rules
decides every stored field whichever reader saw the file. Rotation is the one
field the header does not hand over: PyAV reports the display matrix on the
decoded frame, so one frame of the first video stream is decoded — the one
that becomes the poster when a poster is asked for (a keyframe near 10 % of
a clip longer than 6 s, else the first frame; turned upright the way ffmpeg
auto-rotates, at most 480 px wide, JPEG from PyAV's mjpeg encoder). Stills are not decoded (ffprobe reports no
rotation for them either).

Anything PyAV cannot open or parse, or any doubt in our reading of it,
raises `AVReadError`; `examine.read_media` then asks ffprobe, which is both
the fallback reader and the authority for a rejected file's reason. A stream
PyAV has no decoder for (JPEG XL stills, for one: Debian's ffprobe reads them)
counts as such. `REELROOM_READER=ffprobe` turns PyAV off altogether.

Known differences between the two (PyAV bundles FFmpeg 8, Debian's ffprobe is
5.1), none in the test corpus: FFmpeg 8 trims an MP3's encoder delay and
padding from its duration (about 0.03 s shorter), and calls AYUV video
`rawvideo`/`vuya` where 5.1 says `ayuv`/`yuva444p`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import av
import av.error

from media_watch.probe import (
    PROBE_TIMEOUT_S,
    ProbeError,
    ProbeResult,
    normalise_rotation,
    parse_probe,
)

POSTER_WIDTH = 480
POSTER_AT = 0.10  # of the duration: past a black lead-in, cheap to reach
SEEK_OVER_S = 6.0  # shorter clips show their first frame (as ffmpeg posters did)
JPEG_QSCALE = 4  # ffmpeg's -q:v 4
MAX_PACKETS = 600  # decoding gives up after this many packets without a frame
READER = f"pyav {av.__version__} (FFmpeg {av.ffmpeg_version_info})"
READER_VAR = "REELROOM_READER"  # "ffprobe": every file through ffprobe, posters by ffmpeg


def pyav_enabled() -> bool:
    """False when $REELROOM_READER is 'ffprobe' (a way out should PyAV misread some files)."""
    return os.environ.get(READER_VAR, "").strip().lower() != "ffprobe"


class AVReadError(Exception):
    """PyAV could not read the file (the caller asks ffprobe instead)."""


@dataclass(frozen=True)
class AVRead:
    """What one PyAV open learned: the probe fields, and the poster when asked for."""

    probe: ProbeResult
    poster: bytes | None = None  # JPEG


def _rate(value: Fraction | None) -> str:
    return f"{value.numerator}/{value.denominator}" if value else "0/0"


def _seconds(value: int | None, time_base: Fraction | None) -> str | None:
    if value is None or time_base is None:
        return None
    return f"{float(value * time_base):.6f}"


def _drop_none(doc: dict[str, Any]) -> dict[str, Any]:
    """ffprobe leaves unknown values out of its JSON; so do we."""
    return {k: v for k, v in doc.items() if v is not None}


def _video_doc(stream: Any) -> dict[str, Any]:
    cc = stream.codec_context
    pix = cc.pix_fmt
    depth = max((c.bits for c in av.VideoFormat(pix).components), default=0) if pix else 0
    return {
        "width": cc.width,
        "height": cc.height,
        "pix_fmt": pix,
        "bits_per_raw_sample": str(depth) if depth else None,
        "r_frame_rate": _rate(stream.base_rate),
        "avg_frame_rate": _rate(stream.average_rate),
        "nb_frames": str(stream.frames) if stream.frames else None,
    }


def _audio_doc(stream: Any) -> dict[str, Any]:
    cc = stream.codec_context
    return {
        "channels": cc.channels,
        "sample_rate": str(cc.sample_rate) if cc.sample_rate else None,
    }


def _is_attached(stream: Any) -> bool:
    """Cover art stored as a one-picture video stream (not the clip's video)."""
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def _stream_doc(stream: Any) -> dict[str, Any]:
    cc = stream.codec_context
    doc: dict[str, Any] = {"index": stream.index, "codec_type": stream.type}
    if cc is None and stream.type in ("video", "audio"):
        raise AVReadError(f"PyAV has no decoder for {stream.type} stream {stream.index}")
    if cc is not None:
        doc["codec_name"] = cc.codec.canonical_name
        doc["profile"] = stream.profile
    if stream.type == "video":
        doc.update(_video_doc(stream))
    elif stream.type == "audio":
        doc.update(_audio_doc(stream))
    doc["duration"] = _seconds(stream.duration, stream.time_base)
    doc["disposition"] = {"attached_pic": int(_is_attached(stream))}
    doc["tags"] = dict(stream.metadata)
    return _drop_none(doc)


def header_document(container: Any, size_bytes: int) -> dict[str, Any]:
    """The ffprobe-shaped document (`format` + `streams`) for an open container."""
    duration = container.duration
    fmt = {
        "format_name": container.format.name,
        "duration": f"{duration / 1_000_000:.6f}" if duration is not None else None,
        "size": str(size_bytes),
        "bit_rate": str(container.bit_rate) if container.bit_rate else None,
        "tags": dict(container.metadata),
    }
    return {
        "streams": [_stream_doc(s) for s in container.streams],
        "format": _drop_none(fmt),
        "reader": READER,
    }


def _first_video(container: Any) -> Any | None:
    """The stream parse_probe takes as the clip's video (cover art is not)."""
    return next((s for s in container.streams.video if not _is_attached(s)), None)


def _decode_one(container: Any, stream: Any) -> Any | None:
    """The next frame the decoder gives for `stream`, or None within MAX_PACKETS."""
    for count, packet in enumerate(container.demux(stream)):
        for frame in stream.codec_context.decode(packet):
            return frame
        if count >= MAX_PACKETS:
            return None
    return None  # end of file: the decoder's buffered frames are not worth a flush


def _rewind_and_decode(container: Any, stream: Any) -> Any | None:
    """The first frame of the stream after a seek back to its start (or None)."""
    for target in dict.fromkeys((0, stream.start_time or 0)):
        try:  # 0 suits MPEG-TS, the stream's start suits MP4 with an edit list
            container.seek(target, stream=stream, backward=True)
        except av.error.FFmpegError:
            continue
        stream.codec_context.flush_buffers()
        frame = _decode_one(container, stream)
        if frame is not None:
            return frame
    return None


def pick_frame(container: Any, stream: Any, duration_s: float | None, seek: bool) -> Any:
    """A decoded frame: for a poster of a clip over SEEK_OVER_S, the first keyframe at or
    after POSTER_AT of it (past a black lead-in); else, or when there is none, the first."""
    stream.codec_context.thread_count = 1  # one frame: threads would only add latency
    frame = None
    if seek and duration_s and duration_s > SEEK_OVER_S and stream.time_base:
        target = int(duration_s * POSTER_AT / stream.time_base) + (stream.start_time or 0)
        try:
            container.seek(target, stream=stream, backward=False)
            frame = _decode_one(container, stream)
        except av.error.FFmpegError:
            pass  # no keyframe after the target
        if frame is None:
            frame = _rewind_and_decode(container, stream)
    else:
        frame = _decode_one(container, stream)
    if frame is None:
        raise AVReadError("no video frame could be decoded")
    return frame


def _even(value: float) -> int:
    return max(2, int(value / 2.0 + 0.5) * 2)


def poster_jpeg(frame: Any, rotation: int, width: int = POSTER_WIDTH) -> bytes:
    """The frame upright (as ffmpeg auto-rotates), at most `width` px wide, as JPEG bytes."""
    swap = rotation in (90, 270)
    shown_w, shown_h = (frame.height, frame.width) if swap else (frame.width, frame.height)
    out_w = min(width, shown_w)
    out_h = _even(shown_h * out_w / shown_w)  # ffmpeg's scale=W:-2
    scaled_w, scaled_h = (out_h, out_w) if swap else (out_w, out_h)
    small = frame.reformat(width=scaled_w, height=scaled_h, format="yuvj420p")
    if rotation:
        small = _rotate(small, rotation)
    enc = av.CodecContext.create("mjpeg", "w")
    enc.width, enc.height, enc.pix_fmt = small.width, small.height, "yuvj420p"
    enc.time_base = Fraction(1, 25)
    enc.qscale = True  # a fixed quantiser (PyAV sets no per-frame quality: pin it)
    enc.qmin = enc.qmax = JPEG_QSCALE
    small.pts = 0
    packets = [*enc.encode(small), *enc.encode(None)]
    return b"".join(bytes(p) for p in packets)


def _rotate(frame: Any, rotation: int) -> Any:
    """Undo a counter-clockwise display rotation, with ffmpeg's own filters."""
    graph = av.filter.Graph()
    last = graph.add_buffer(template=frame)
    steps = {90: [("transpose", "cclock")], 180: [("hflip", ""), ("vflip", "")]}
    for name, args in steps.get(rotation, [("transpose", "clock")]):
        node = graph.add(name, args)
        last.link_to(node)
        last = node
    sink = graph.add("buffersink")
    last.link_to(sink)
    graph.configure()
    graph.push(frame)
    return graph.pull()


def read_with_pyav(path: str, size_bytes: int, *, poster: bool = False) -> AVRead:
    """Probe fields (and a poster when asked) for one file; AVReadError when PyAV cannot."""
    try:
        container = av.open(
            "file:" + os.path.abspath(path),
            metadata_errors="replace",
            timeout=(PROBE_TIMEOUT_S, PROBE_TIMEOUT_S),
        )
    except av.error.ExitError:
        raise ProbeError(
            f"reading it took more than {PROBE_TIMEOUT_S:.0f} s; the file may be damaged "
            "or on a stalled share"
        ) from None
    except Exception as exc:  # PyAV's error, or a name it cannot encode
        raise AVReadError(f"PyAV cannot open it: {exc}") from exc
    try:
        return _read_open(container, size_bytes, poster)
    except (ProbeError, AVReadError):
        raise
    except Exception as exc:  # a stream PyAV half understands: ffprobe decides
        raise AVReadError(f"PyAV cannot read it: {exc}") from exc
    finally:
        container.close()


def _read_open(container: Any, size_bytes: int, poster: bool) -> AVRead:
    doc = header_document(container, size_bytes)
    try:
        result = parse_probe(doc, size_bytes)
    except ProbeError as exc:
        raise AVReadError(exc.reason) from exc
    stream = _first_video(container)
    if stream is None or result.kind != "video":
        return AVRead(result)
    frame = pick_frame(container, stream, result.duration_s, seek=poster)
    rotation = frame.rotation
    if rotation:
        sdoc = next(d for d in doc["streams"] if d["index"] == stream.index)
        sdoc["side_data_list"] = [{"side_data_type": "Display Matrix", "rotation": rotation}]
        result = parse_probe(doc, size_bytes)
    jpeg = poster_jpeg(frame, result.rotation) if poster else None
    return AVRead(result, jpeg)


def poster_for(path: str, duration_s: float | None = None) -> bytes:
    """Just the poster of a video file (JPEG bytes); AVReadError when PyAV cannot make it."""
    try:
        with av.open(
            "file:" + os.path.abspath(path), timeout=(PROBE_TIMEOUT_S, PROBE_TIMEOUT_S)
        ) as c:
            stream = _first_video(c)
            if stream is None:
                raise AVReadError("no video stream")
            if duration_s is None and c.duration is not None:
                duration_s = c.duration / 1_000_000
            frame = pick_frame(c, stream, duration_s, seek=True)
            return poster_jpeg(frame, normalise_rotation(frame.rotation))
    except AVReadError:
        raise
    except Exception as exc:
        raise AVReadError(f"PyAV cannot make a poster: {exc}") from exc
