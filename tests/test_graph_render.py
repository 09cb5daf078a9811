"""Real renders of recipe graphs on tiny generated clips, checked with ffprobe and pixels.

Clips are 1 s at 320x180 / 180x320; outputs are 1080x1920 with the `ultrafast` x264
override, so each render takes a couple of seconds on a shared box.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from media import FFMPEG, make_rotated, make_still, make_video

from media_watch.graph import RenderPlan, plan_render
from media_watch.loudness import ebur128_argv, parse_ebur128, parse_loudnorm
from media_watch.preflight import moov_before_mdat, preflight
from media_watch.probe import ProbeResult, probe_file
from media_watch.recipes import ClipInput, load_recipe
from media_watch.tools import require_tool

FAST = "encode.x264_preset=ultrafast"
SMALL_W, SMALL_H = 54, 96


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _render(plan: RenderPlan) -> ProbeResult:
    measured = None
    if plan.measure_argv is not None:
        measured = parse_loudnorm(_run(plan.measure_argv).stderr)
    done = _run(plan.final_argv(measured))
    assert "progress=end" in done.stdout  # progress went to stdout for the runner
    return probe_file(require_tool("ffprobe"), str(plan.output), plan.output.stat().st_size)


def _clip(
    path: Path, w: int, h: int, fps: float, seconds: float, audio: bool, **trim: float
) -> ClipInput:
    return ClipInput(str(path), w, h, fps, seconds, audio, **trim)


def _frame(video: Path, at: float) -> bytes:
    """One grey frame at `at` seconds, scaled to 54x96, as raw bytes (row-major)."""
    argv = [
        FFMPEG,
        "-nostdin",
        "-v",
        "error",
        "-ss",
        str(at),
        "-i",
        str(video),
        "-frames:v",
        "1",
        "-vf",
        f"scale={SMALL_W}:{SMALL_H}",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "gray",
        "-",
    ]
    data = subprocess.run(argv, capture_output=True, check=True).stdout
    assert len(data) == SMALL_W * SMALL_H
    return data


def _region(frame: bytes, rows: range, cols: range) -> list[int]:
    return [frame[r * SMALL_W + c] for r in rows for c in cols]


def _mean_diff(a: bytes, b: bytes, rows: range, cols: range) -> float:
    pa, pb = _region(a, rows, cols), _region(b, rows, cols)
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=False)) / len(pa)


def test_tiktok_concat_of_mixed_clips(tmp_path: Path) -> None:
    wide = make_video(tmp_path / "wide.mp4", size="320x180", fps=30, seconds=1.0)
    rotated = make_rotated(
        make_video(tmp_path / "raw.mp4", size="320x180", fps=25, audio=False, seed=2),
        tmp_path / "phone.mp4",
    )
    tall = make_video(tmp_path / "tall.mp4", size="240x320", fps=24, seconds=1.0, seed=4)
    clips = [
        _clip(wide, 320, 180, 30.0, 1.0, True, in_s=0.2, out_s=1.0),
        _clip(rotated, 180, 320, 25.0, 1.0, False),  # display size after rotation
        _clip(tall, 240, 320, 24.0, 1.0, True),
    ]
    plan = plan_render(load_recipe("tiktok", [FAST]), clips, tmp_path / "out.partial.mp4")
    assert plan.expected_duration_s == 2.8
    probe = _render(plan)
    assert (probe.display_width, probe.display_height, probe.rotation) == (1080, 1920, 0)
    assert (probe.video_codec, probe.video_profile, probe.pix_fmt) == ("h264", "High", "yuv420p")
    assert (probe.audio_codec, probe.sample_rate, probe.audio_channels) == ("aac", 48000, 2)
    assert probe.fps == 30.0
    streams = json.loads(probe.probe_json)["streams"]
    for stream in streams:  # picture and sound both last exactly the planned length
        assert abs(float(stream["duration"]) - plan.expected_duration_s) < 0.05, stream[
            "codec_type"
        ]
    assert moov_before_mdat(str(plan.output)) is True
    summary = parse_ebur128(_run(ebur128_argv(FFMPEG, str(plan.output))).stderr)
    assert abs(summary.integrated - (-14.0)) <= 1.0
    assert summary.true_peak is not None and summary.true_peak <= -1.5 + 0.5
    shorts = preflight(probe, "shorts", path=str(plan.output))
    assert shorts.ok, shorts.problems
    tiktok = preflight(probe, "tiktok", path=str(plan.output))
    assert tiktok.problems == [f"duration {probe.duration_s:g} s is outside 3-600 s"]
    poster = tmp_path / "out.jpg"
    _run(plan.poster_argv(plan.output, poster))
    still = probe_file(require_tool("ffprobe"), str(poster), poster.stat().st_size)
    assert (still.kind, still.display_width, still.display_height) == ("image", 1080, 1920)


def test_rotated_footage_is_not_rotated_twice(tmp_path: Path) -> None:
    """fit mode pads with black only when the picture is not 9:16: a rotated phone clip
    (display 180x320) fills the frame, the same clip unrotated (320x180) gets black bands."""
    raw = make_video(tmp_path / "raw.mp4", size="320x180", audio=False)
    rotated = make_rotated(raw, tmp_path / "rot.mp4")
    recipe = load_recipe("vertical", [FAST, "reframe.mode=fit"])
    top = range(0, 10)
    means = {}
    for name, clip in (
        ("rotated", _clip(rotated, 180, 320, 30.0, 1.0, False)),
        ("landscape", _clip(raw, 320, 180, 30.0, 1.0, False)),
    ):
        plan = plan_render(recipe, [clip], tmp_path / f"{name}.mp4")
        probe = _render(plan)
        assert (probe.display_width, probe.display_height) == (1080, 1920)
        band = _region(_frame(plan.output, 0.5), top, range(SMALL_W))
        means[name] = sum(band) / len(band)
    assert means["landscape"] < 20  # letterboxed: black above the picture
    assert means["rotated"] > 40  # the picture reaches the top edge


def test_subtitles_and_logo_are_burned_in(tmp_path: Path) -> None:
    clip_path = make_video(tmp_path / "clip.mp4", size="320x180", seconds=1.0, audio=False)
    odd = tmp_path / "it's: [a], b;c"
    odd.mkdir()
    srt = odd / "cues.srt"
    srt.write_text("1\n00:00:00,000 --> 00:00:00,500\nHELLO WORLD\n", encoding="utf-8")
    logo = make_still(tmp_path / "logo.png", size="200x100", seed=5)
    recipe = load_recipe(
        "vertical",
        [
            FAST,
            "reframe.mode=fit",
            "watermark.corner=top-right",
            "watermark.opacity=1.0",
            "subtitles.font_size=90",
        ],
    )
    clip = _clip(clip_path, 320, 180, 30.0, 1.0, False)
    plain = plan_render(recipe, [clip], tmp_path / "plain.mp4")
    marked = plan_render(recipe, [clip], tmp_path / "marked.mp4", srt_path=srt, logo_path=logo)
    for plan in (plain, marked):
        _render(plan)
    # Text sits above margin_v=480 px (rows ~ 1440/1920*96 = 72 and up); the logo top right.
    text_rows, text_cols = range(60, 72), range(10, 44)
    during = _mean_diff(
        _frame(plain.output, 0.25), _frame(marked.output, 0.25), text_rows, text_cols
    )
    after = _mean_diff(_frame(plain.output, 0.8), _frame(marked.output, 0.8), text_rows, text_cols)
    assert during > 5 and after < 1
    corner = _mean_diff(
        _frame(plain.output, 0.8),
        _frame(marked.output, 0.8),
        range(3, 8),
        range(SMALL_W - 12, SMALL_W - 3),
    )
    left = _mean_diff(
        _frame(plain.output, 0.8), _frame(marked.output, 0.8), range(3, 8), range(3, 12)
    )
    assert corner > 20 and left < 3


def test_crop_offset_moves_the_window(tmp_path: Path) -> None:
    clip_path = make_video(tmp_path / "wide.mp4", size="320x180", seconds=1.0, audio=False)
    clip = _clip(clip_path, 320, 180, 30.0, 1.0, False)
    frames = {}
    for offset in ("-1", "1"):
        recipe = load_recipe("vertical", [FAST, "reframe.mode=crop", f"reframe.offset={offset}"])
        plan = plan_render(recipe, [clip], tmp_path / f"crop{offset}.mp4")
        probe = _render(plan)
        assert (probe.display_width, probe.display_height) == (1080, 1920)
        frames[offset] = _frame(plan.output, 0.5)
    # testsrc2 is colour bars: the left and right windows show different bars.
    assert _mean_diff(frames["-1"], frames["1"], range(30, 60), range(SMALL_W)) > 15


@pytest.mark.parametrize("target", [-16.0])
def test_loudness_target_is_met(tmp_path: Path, target: float) -> None:
    clip_path = make_video(tmp_path / "tone.mp4", size="180x320", seconds=2.0)
    recipe = load_recipe("reels", [FAST, f"loudness.target_i={target}"])
    plan = plan_render(recipe, [_clip(clip_path, 180, 320, 30.0, 2.0, True)], tmp_path / "o.mp4")
    _render(plan)
    summary = parse_ebur128(_run(ebur128_argv(FFMPEG, str(plan.output))).stderr)
    assert abs(summary.integrated - target) <= 1.0
