"""Probing real clips made by ffmpeg: every stored field, rotation, VFR, kinds, bad files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import media
import pytest

from media_watch.probe import (
    ProbeError,
    normalise_rotation,
    parse_time,
    probe_argv,
    probe_file,
)

FFPROBE = shutil.which("ffprobe") or "ffprobe"


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("clips")
    land = media.make_video(root / "land.mp4", creation_time="2024-05-01T10:00:00Z")
    return {
        "land": land,
        "portrait": media.make_video(root / "portrait.mp4", size="180x320", seed=1),
        "rotated": media.make_rotated(land, root / "rotated.mp4", 90),
        "rot270": media.make_rotated(land, root / "rot270.mov", 270),
        "hevc10": media.make_video(
            root / "hevc10.mp4", codec="libx265", pix_fmt="yuv420p10le", audio=False, seed=2
        ),
        "vfr": media.make_vfr(root / "vfr.mp4"),
        "m4a": media.make_audio(root / "vo.m4a", rate=48000, channels=2),
        "wav": media.make_audio(root / "music.wav", rate=44100, channels=1, seed=3),
        "still": media.make_still(root / "still.png", size="180x320"),
        "truncated": media.make_truncated(land, root / "truncated.mp4"),
        "text": media.make_not_media(root / "text.mp4"),
    }


def probe(path: Path):
    return probe_file(FFPROBE, str(path), path.stat().st_size)


def test_landscape_clip_fields(clips: dict[str, Path]) -> None:
    p = probe(clips["land"])
    assert (p.kind, p.container) == ("video", "mov")
    assert p.duration_s == pytest.approx(1.0, abs=0.1)
    assert p.size_bytes == clips["land"].stat().st_size
    assert p.bit_rate and p.bit_rate > 0
    assert p.created_at == "2024-05-01T10:00:00Z"
    assert (p.width, p.height, p.display_width, p.display_height, p.rotation) == (
        320,
        180,
        320,
        180,
        0,
    )
    assert (p.fps, p.avg_fps, p.vfr) == (30.0, 30.0, False)
    assert (p.video_codec, p.pix_fmt, p.bit_depth) == ("h264", "yuv420p", 8)
    assert p.video_profile
    assert (p.audio_codec, p.audio_channels, p.sample_rate) == ("aac", 1, 44100)
    assert json.loads(p.probe_json)["format"]["format_name"].startswith("mov")


def test_portrait_clip_is_tall(clips: dict[str, Path]) -> None:
    p = probe(clips["portrait"])
    assert (p.display_width, p.display_height, p.rotation) == (180, 320, 0)
    assert p.created_at is None


@pytest.mark.parametrize("name,rotation", [("rotated", 90), ("rot270", 270)])
def test_rotation_swaps_display_size(clips: dict[str, Path], name: str, rotation: int) -> None:
    p = probe(clips[name])
    assert p.rotation == rotation
    assert (p.width, p.height) == (320, 180)
    assert (p.display_width, p.display_height) == (180, 320)


def test_ten_bit_hevc_without_audio(clips: dict[str, Path]) -> None:
    p = probe(clips["hevc10"])
    assert (p.video_codec, p.pix_fmt, p.bit_depth) == ("hevc", "yuv420p10le", 10)
    assert p.video_profile == "Main 10"
    assert (p.audio_codec, p.audio_channels, p.sample_rate) == (None, None, None)


def test_variable_frame_rate_is_flagged(clips: dict[str, Path]) -> None:
    p = probe(clips["vfr"])
    assert p.vfr is True
    assert p.fps == 30.0
    assert p.avg_fps is not None and p.avg_fps < 25


@pytest.mark.parametrize(
    "name,codec,channels,rate", [("m4a", "aac", 2, 48000), ("wav", "pcm_s16le", 1, 44100)]
)
def test_audio_only_files(
    clips: dict[str, Path], name: str, codec: str, channels: int, rate: int
) -> None:
    p = probe(clips[name])
    assert p.kind == "audio"
    assert (p.audio_codec, p.audio_channels, p.sample_rate) == (codec, channels, rate)
    assert (p.video_codec, p.width, p.fps) == (None, None, None)
    assert p.duration_s == pytest.approx(1.0, abs=0.1)


def test_still_image(clips: dict[str, Path]) -> None:
    p = probe(clips["still"])
    assert p.kind == "image"
    assert (p.display_width, p.display_height, p.video_codec) == (180, 320, "png")
    assert (p.duration_s, p.fps) == (None, None)


def test_bad_files_give_readable_reasons(clips: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(ProbeError, match="truncated or incomplete"):
        probe(clips["truncated"])
    with pytest.raises(ProbeError, match="not a media file"):
        probe(clips["text"])
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(ProbeError, match="empty file"):
        probe(empty)


def test_odd_names_are_one_argv_item(clips: dict[str, Path], tmp_path: Path) -> None:
    for name in (
        "-leading dash.mp4",
        'quote\'s "x" #1.mp4',
        "$(touch pwned).mp4",
        "竖屏 视频.mp4",
        "colon:name.mp4",
    ):
        target = tmp_path / name
        shutil.copy(clips["land"], target)
        assert probe(target).display_width == 320
        assert probe_argv(FFPROBE, str(target))[-1] == "file:" + str(target)
    assert not (tmp_path / "pwned").exists()


def test_rotation_and_time_normalisation() -> None:
    assert [normalise_rotation(v) for v in (0, -90, 90, 180, -180, 270, 360, "-90.00", None)] == [
        0,
        270,
        90,
        180,
        180,
        270,
        0,
        270,
        0,
    ]
    assert parse_time("2023-05-01T10:00:00+0200") == "2023-05-01T08:00:00Z"
    assert parse_time("2023-05-01T10:00:00.000000Z") == "2023-05-01T10:00:00Z"
    assert parse_time("1904-01-01T00:00:00Z") is None
    assert parse_time("garbage") is None
