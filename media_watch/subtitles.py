"""Subtitles: SRT validation (the `srt` library) and the escaped `subtitles` filter argument.

`validate_srt(path)` reads the file as UTF-8 and parses every cue, refusing empty files,
unparseable blocks (with the line number) and cues that end before they start.

`filter_argument(path, style)` is the text after `subtitles=` in a `-filter_complex`
graph. ffmpeg parses it twice: once as a filter option value (`\\ ' :` must be escaped)
and once as part of the filtergraph (`\\ ' [ ] , ;` must be escaped). ffmpeg-python
over-escapes these values, so graph.py inserts this argument verbatim instead.
The style sets PlayResX/PlayResY to 1080x1920, so font size and margins are output
pixels; Alignment=2 is bottom centre and MarginV lifts the text clear of the platforms'
caption and button area.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import srt

from media_watch.recipes import OUTPUT_HEIGHT, OUTPUT_WIDTH, RecipeError, SubtitleStyle

_OPTION_SPECIALS = "\\':"
_GRAPH_SPECIALS = "\\'[],;"


class SubtitleError(RecipeError):
    """An SRT file is not usable; the message names the file (and line) and the fix."""


@dataclass(frozen=True)
class Cue:
    """One subtitle cue (seconds)."""

    index: int
    start_s: float
    end_s: float
    text: str


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SubtitleError(f"subtitle file {path} does not exist") from None
    except OSError as exc:
        raise SubtitleError(f"subtitle file {path} cannot be read: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SubtitleError(
            f"subtitle file {path} is not UTF-8 (line {line}); re-save it as UTF-8"
        ) from None


def validate_srt(path: Path) -> list[Cue]:
    """Every cue of an SRT file, or SubtitleError naming the file, the line and the fix."""
    text = _read(path).replace("\r\n", "\n")
    try:
        subs = list(srt.parse(text))
    except srt.SRTParseError as exc:
        line = _line_of(text, exc.expected_start)
        raise SubtitleError(
            f"subtitle file {path}, line {line}: not an SRT cue "
            f"({exc.unmatched_content.strip()[:60]!r}); each cue is a number, "
            "a 'HH:MM:SS,mmm --> HH:MM:SS,mmm' line and text"
        ) from None
    if not subs:
        raise SubtitleError(
            f"subtitle file {path} has no cues; add at least one or leave the subtitles out"
        )
    cues = []
    for sub in subs:
        if sub.end <= sub.start or sub.start < timedelta(0):
            raise SubtitleError(
                f"subtitle file {path}, cue {sub.index}: it ends "
                f"({srt.timedelta_to_srt_timestamp(sub.end)}) before it starts "
                f"({srt.timedelta_to_srt_timestamp(sub.start)}); fix its times"
            )
        cues.append(Cue(sub.index, sub.start.total_seconds(), sub.end.total_seconds(), sub.content))
    return cues


def escape_option_value(value: str) -> str:
    """Escape a value for a filter's own option parser (level 1)."""
    return "".join("\\" + ch if ch in _OPTION_SPECIALS else ch for ch in value)


def escape_graph(value: str) -> str:
    """Escape filter arguments for the filtergraph parser (level 2)."""
    return "".join("\\" + ch if ch in _GRAPH_SPECIALS else ch for ch in value)


def force_style(style: SubtitleStyle) -> str:
    """The ASS `force_style` list for a style (PlayRes = output size, bottom centre)."""
    pairs = [
        ("PlayResX", OUTPUT_WIDTH),
        ("PlayResY", OUTPUT_HEIGHT),
        ("FontName", style.font),
        ("Fontsize", style.font_size),
        ("Outline", style.outline),
        ("Shadow", 0),
        ("BorderStyle", 1),
        ("PrimaryColour", "&H00FFFFFF"),
        ("OutlineColour", "&H00000000"),
        ("Alignment", 2),
        ("MarginV", style.margin_v),
        ("MarginL", style.margin_h),
        ("MarginR", style.margin_h),
    ]
    return ",".join(f"{key}={value}" for key, value in pairs)


def filter_argument(path: Path, style: SubtitleStyle) -> str:
    """`filename=…:force_style=…` for `subtitles=`, escaped for use inside -filter_complex."""
    name = escape_option_value(str(path.absolute()))
    styled = escape_option_value(force_style(style))
    return escape_graph(f"filename={name}") + ":" + escape_graph(f"force_style={styled}")
