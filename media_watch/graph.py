"""ffmpeg argv for a render, built with ffmpeg-python (the only module that imports `ffmpeg`).

`plan_render(recipe, clips, output, srt_path=, logo_path=)` returns a `RenderPlan`:

- `measure_argv`: loudness pass 1 (the same audio graph into loudnorm with
  print_format=json, `-f null -`, `-loglevel info`), or None when the recipe has no
  loudness step;
- `final_argv(measured)`: the real encode, written to exactly `output` (`-f mp4`, so a
  `.partial` name works);
- `expected_duration_s`, `preset`, and `poster_argv(video, poster)`.

The graph, per clip: `-ss/-t` input trim → reframe to 1080x1920 for the clip's DISPLAY
size (ffmpeg auto-rotates on decode, so nothing is rotated here) → fps cap, setsar=1,
yuv420p; audio → 48 kHz stereo fltp, padded/trimmed to the clip's length (clips without
audio get silence from one shared `anullsrc`) → `concat` → subtitles → logo → loudnorm →
libx264 High / AAC 48 kHz / +faststart.

ffmpeg-python traps handled here: a stream used twice goes through an explicit
`split`/`asplit` (and the same file+trim twice is one input split, since ffmpeg-python
merges identical inputs); the subtitles argument is inserted verbatim after compiling
(ffmpeg-python over-escapes it); kwargs come out sorted, which the golden tests pin.
Every argv starts with [ffmpeg, -nostdin, -hide_banner, -y] and has
`-nostats -progress pipe:1 -loglevel error` (`info` for pass 1).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

import ffmpeg

from media_watch import loudness, subtitles
from media_watch.recipes import (
    OUTPUT_HEIGHT as OH,
)
from media_watch.recipes import (
    OUTPUT_WIDTH as OW,
)
from media_watch.recipes import (
    ClipInput,
    Recipe,
    RecipeError,
)
from media_watch.tools import require_tool

SAMPLE_RATE = 48000
VERTICAL_TOLERANCE = 0.01  # aspect ratios this close to 9:16 are scaled, never cropped
SUBTITLE_TOKEN = "RRSUBTITLEARGUMENT"
SILENCE = "anullsrc=channel_layout=stereo:sample_rate=48000"
PAD_S = 1  # seconds a clip's last frame may be held to reach its audio's length
POSTER_CODECS = {".png": "png", ".jpg": "mjpeg", ".jpeg": "mjpeg"}


def head(ffmpeg_path: str, loglevel: str = "error") -> list[str]:
    """The start of every argv we run."""
    return [
        ffmpeg_path,
        "-nostdin",
        "-hide_banner",
        "-y",
        "-nostats",
        "-progress",
        "pipe:1",
        "-loglevel",
        loglevel,
    ]


def media_arg(path: str | Path) -> str:
    """A file name for ffmpeg's argv: absolute, with `file:` so ':' or '-' stay literal."""
    return "file:" + os.path.abspath(str(path))


def rate_text(fps: float) -> str:
    """A frame rate as ffmpeg text: '30', '30000/1001', or a short decimal."""
    if abs(fps - round(fps)) < 0.005:
        return str(int(round(fps)))
    for base in (24, 30, 60):
        if abs(fps - base * 1000 / 1001) < 0.005:
            return f"{base * 1000}/1001"
    return str(Fraction(fps).limit_denominator(1001))


def output_rate(clips: Sequence[ClipInput], max_fps: int) -> str:
    """The render's frame rate: the fastest clip's, capped at max_fps (30 when unknown)."""
    rates = [c.fps for c in clips if c.fps]
    return rate_text(min(float(max_fps), max(rates) if rates else 30.0))


def _is_vertical(clip: ClipInput) -> bool:
    return abs(clip.display_width / clip.display_height - OW / OH) < VERTICAL_TOLERANCE


def _fit(stream: Any) -> Any:
    """Scale inside 1080x1920 keeping the aspect, sides even."""
    return stream.filter(
        "scale", OW, OH, force_original_aspect_ratio="decrease", force_divisible_by=2
    )


def _blur_fill(stream: Any, blur: int) -> Any:
    """Whole picture centred over a blurred, filled copy of itself (blur on a 1/4 copy)."""
    parts = stream.split()
    back = (
        parts[0]
        .filter("scale", OW // 4, OH // 4, force_original_aspect_ratio="increase")
        .filter("crop", OW // 4, OH // 4)
        .filter("boxblur", luma_radius=max(1, blur // 4), luma_power=2)
        .filter("scale", OW, OH)
    )
    return back.overlay(_fit(parts[1]), x="(W-w)/2", y="(H-h)/2")


def _crop(stream: Any, offset: float) -> Any:
    """A 9:16 window of a landscape/square picture (offset -1 left … 1 right), scaled up."""
    factor = round((1.0 + offset) / 2.0, 4)
    return stream.filter("crop", "ih*9/16", "ih", f"(iw-ow)*{factor}", 0).filter("scale", OW, OH)


def _pad(stream: Any) -> Any:
    return _fit(stream).filter("pad", OW, OH, "(ow-iw)/2", "(oh-ih)/2")


def reframe(stream: Any, clip: ClipInput, recipe: Recipe) -> Any:
    """A clip's video as 1080x1920; vertical clips are scaled, never cropped."""
    mode = recipe.reframe.mode
    if _is_vertical(clip):
        return stream.filter("scale", OW, OH)
    if mode == "blur":
        return _blur_fill(stream, recipe.reframe.blur)
    if mode == "crop" and clip.display_width >= clip.display_height:
        return _crop(stream, recipe.reframe.offset)
    return _pad(stream)


def _normal_audio(stream: Any, seconds: float) -> Any:
    return (
        stream.filter(
            "aformat", sample_fmts="fltp", sample_rates=SAMPLE_RATE, channel_layouts="stereo"
        )
        .filter("apad")
        .filter("atrim", duration=seconds)
        .filter("asetpts", "PTS-STARTPTS")
    )


@dataclass
class _Sources:
    """Input nodes, one per distinct (file, trim), split when used more than once."""

    clips: Sequence[ClipInput]
    want_video: bool
    video: list[Any] = field(default_factory=list)
    audio: list[Any] = field(default_factory=list)

    def build(self) -> None:
        keys = [(c.path, c.in_s, c.out_s) for c in self.clips]
        nodes: dict[tuple[Any, ...], Any] = {}
        for clip, key in zip(self.clips, keys, strict=False):
            if key not in nodes:
                opts: dict[str, Any] = {}
                if clip.in_s:
                    opts["ss"] = clip.in_s
                if clip.out_s is not None:
                    opts["t"] = round(clip.out_s - (clip.in_s or 0.0), 3)
                nodes[key] = ffmpeg.input(media_arg(clip.path), **opts)
        self.video = (
            self._spread([nodes[k].video for k in keys], keys, "split") if self.want_video else []
        )
        audible = [k for c, k in zip(self.clips, keys, strict=False) if c.has_audio]
        spread = iter(self._spread([nodes[k].audio for k in audible], audible, "asplit"))
        silent = sum(1 for c in self.clips if not c.has_audio)
        quiet = iter(self._silence(silent))
        self.audio = [next(spread) if c.has_audio else next(quiet) for c in self.clips]

    @staticmethod
    def _spread(streams: list[Any], keys: list[Any], splitter: str) -> list[Any]:
        """The streams, with each one used n>1 times replaced by its n split outputs."""
        counts = {k: keys.count(k) for k in keys}
        outs: dict[Any, Any] = {}
        used: dict[Any, int] = {}
        result = []
        for stream, key in zip(streams, keys, strict=False):
            if counts[key] == 1:
                result.append(stream)
                continue
            if key not in outs:
                outs[key] = stream.filter_multi_output(splitter, counts[key])
            result.append(outs[key][used.get(key, 0)])
            used[key] = used.get(key, 0) + 1
        return result

    @staticmethod
    def _silence(count: int) -> list[Any]:
        if count == 0:
            return []
        source = ffmpeg.input(SILENCE, f="lavfi").audio
        if count == 1:
            return [source]
        split = source.filter_multi_output("asplit", count)
        return [split[i] for i in range(count)]


def _check_clips(clips: Sequence[ClipInput]) -> list[float]:
    if not clips:
        raise RecipeError("a render needs at least one clip")
    for clip in clips:
        if clip.display_width <= 0 or clip.display_height <= 0:
            raise RecipeError(
                f"clip {clip.path}: display size {clip.display_width}x"
                f"{clip.display_height} is not a video size"
            )
    return [clip.segment_duration() for clip in clips]


def _video_chain(
    sources: _Sources,
    clips: Sequence[ClipInput],
    recipe: Recipe,
    rate: str,
    durations: Sequence[float],
) -> list[Any]:
    """Each clip reframed, at the output rate, held on its last frame and cut to its length
    (so picture and sound of every segment end together and concat stays in sync)."""
    return [
        reframe(stream, clip, recipe)
        .filter("fps", fps=rate)
        .filter("setsar", 1)
        .filter("format", "yuv420p")
        .filter("tpad", stop_mode="clone", stop_duration=PAD_S)
        .filter("trim", duration=seconds)
        .filter("setpts", "PTS-STARTPTS")
        for stream, clip, seconds in zip(sources.video, clips, durations, strict=False)
    ]


def _joined(videos: list[Any], audios: list[Any]) -> tuple[Any | None, Any]:
    if len(audios) == 1:
        return (videos[0] if videos else None), audios[0]
    if not videos:
        return None, ffmpeg.concat(*audios, v=0, a=1)
    pairs = [s for pair in zip(videos, audios, strict=False) for s in pair]
    node = ffmpeg.concat(*pairs, v=1, a=1).node
    return node[0], node[1]


def _logo(video: Any, logo_path: Path, recipe: Recipe) -> Any:
    mark = recipe.watermark
    width = max(2, int(round(OW * mark.scale / 2)) * 2)
    logo = (
        ffmpeg.input(media_arg(logo_path))
        .video.filter("scale", width, -2)
        .filter("format", "rgba")
        .filter("colorchannelmixer", aa=mark.opacity)
    )
    m = mark.margin
    x = f"{m}" if mark.corner.endswith("left") else f"W-w-{m}"
    y = f"{m}" if mark.corner.startswith("top") else f"H-h-{m}"
    return video.overlay(logo, x=x, y=y)


def _encode_options(recipe: Recipe, rate: str) -> dict[str, Any]:
    enc = recipe.encode
    gop = max(1, int(round(float(Fraction(rate)) / 2)))
    return {
        "c:v": "libx264",
        "profile:v": "high",
        "8x8dct": 1,
        "pix_fmt": "yuv420p",
        "preset": enc.x264_preset,
        "crf": enc.crf,
        "maxrate": f"{enc.video_kbps}k",
        "bufsize": f"{enc.video_kbps * 2}k",
        "g": gop,
        "bf": 2,
        "c:a": "aac",
        "b:a": f"{enc.audio_kbps}k",
        "ar": SAMPLE_RATE,
        "ac": 2,
        "movflags": "+faststart",
        "f": "mp4",
    }


@dataclass(frozen=True)
class RenderPlan:
    """Everything the runner needs to run one render."""

    recipe: Recipe
    clips: tuple[ClipInput, ...]
    output: Path
    srt_path: Path | None
    logo_path: Path | None
    ffmpeg_path: str
    expected_duration_s: float
    frame_rate: str
    measure_argv: list[str] | None

    @property
    def preset(self) -> str:
        """The platform preset to preflight the output against."""
        return self.recipe.encode.preset

    def final_argv(self, measured: loudness.LoudnessMeasurement | None) -> list[str]:
        """The real encode into `output`; needs pass 1's measurement when loudness is on."""
        if self.recipe.loudness.enabled and measured is None:
            raise RecipeError(
                f"recipe {self.recipe.name} normalises loudness: run measure_argv "
                "first and pass parse_loudnorm(its stderr) to final_argv"
            )
        sources = _Sources(self.clips, want_video=True)
        sources.build()
        durations = [c.segment_duration() for c in self.clips]
        videos = _video_chain(sources, self.clips, self.recipe, self.frame_rate, durations)
        audios = [_normal_audio(a, d) for a, d in zip(sources.audio, durations, strict=False)]
        video, audio = _joined(videos, audios)
        assert video is not None  # want_video: every clip gave a video chain
        if self.srt_path is not None:
            video = video.filter("subtitles", SUBTITLE_TOKEN)
        if self.logo_path is not None:
            video = _logo(video, self.logo_path, self.recipe)
        video = video.filter("format", "yuv420p")
        step = self.recipe.loudness
        if step.enabled and measured is not None and not measured.silent:
            audio = audio.filter(
                "loudnorm",
                **loudness.apply_options(step.target_i, step.target_tp, step.target_lra, measured),
            )
        audio = audio.filter("aresample", SAMPLE_RATE)
        out = ffmpeg.output(
            video, audio, media_arg(self.output), **_encode_options(self.recipe, self.frame_rate)
        )
        return head(self.ffmpeg_path) + self._insert_subtitles(out.get_args())

    def _insert_subtitles(self, args: list[str]) -> list[str]:
        if self.srt_path is None:
            return args
        text = subtitles.filter_argument(self.srt_path, self.recipe.subtitles)
        return [a.replace(SUBTITLE_TOKEN, text) if a.count(SUBTITLE_TOKEN) else a for a in args]

    def poster_argv(self, video: Path, poster: Path) -> list[str]:
        """One frame (a quarter in, at most 2 s) of the finished render as a .jpg/.png poster."""
        at = round(min(self.expected_duration_s * 0.25, 2.0), 3)
        codec = next((POSTER_CODECS[s] for s in poster.suffixes if s in POSTER_CODECS), "mjpeg")
        out = ffmpeg.input(media_arg(video), ss=at).output(
            media_arg(poster), **{"frames:v": 1, "c:v": codec, "f": "image2", "update": 1}
        )
        return head(self.ffmpeg_path) + out.get_args()


def _measure_argv(ffmpeg_path: str, recipe: Recipe, clips: Sequence[ClipInput]) -> list[str] | None:
    step = recipe.loudness
    if not step.enabled:
        return None
    sources = _Sources(clips, want_video=False)
    sources.build()
    audios = [
        _normal_audio(a, c.segment_duration()) for a, c in zip(sources.audio, clips, strict=False)
    ]
    _, audio = _joined([], audios)
    audio = audio.filter(
        "loudnorm", **loudness.measure_options(step.target_i, step.target_tp, step.target_lra)
    )
    out = ffmpeg.output(audio, "-", f="null")
    return head(ffmpeg_path, loglevel="info") + out.get_args()


def plan_render(
    recipe: Recipe,
    clips: Sequence[ClipInput],
    output: Path,
    *,
    srt_path: Path | None = None,
    logo_path: Path | None = None,
    ffmpeg_path: str | None = None,
) -> RenderPlan:
    """Check the clips/SRT/logo and plan the render; RecipeError/SubtitleError when unusable."""
    durations = _check_clips(clips)
    if srt_path is not None:
        subtitles.validate_srt(Path(srt_path))
    if logo_path is not None and not Path(logo_path).is_file():
        raise RecipeError(f"logo file {logo_path} does not exist; give a PNG with transparency")
    tool = ffmpeg_path or require_tool("ffmpeg")
    return RenderPlan(
        recipe=recipe,
        clips=tuple(clips),
        output=Path(output),
        srt_path=Path(srt_path).absolute() if srt_path else None,
        logo_path=Path(logo_path).absolute() if logo_path else None,
        ffmpeg_path=tool,
        expected_duration_s=round(sum(durations), 3),
        frame_rate=output_rate(clips, recipe.encode.max_fps),
        measure_argv=_measure_argv(tool, recipe, clips),
    )
