"""PyAV in-process against ffprobe, the reference: the same fields on every clip of
the test corpus, the same outcome and reason for bad files, the fallback, and
posters turned upright the way ffmpeg turns them."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import av
import media
import pytest

from media_watch import avprobe
from media_watch.examine import read_media
from media_watch.probe import ProbeError, probe_file

FFPROBE = shutil.which("ffprobe") or "ffprobe"
GOOD = [
    "land",
    "portrait",
    "rotated",
    "rot270",
    "rot180",
    "hevc10",
    "hevc10_mkv",
    "vfr",
    "m4a",
    "wav",
    "still_png",
    "still_jpg",
    "cover_art",
    "mts_one_keyframe",
]
BAD = ["truncated", "text", "text_mov", "empty"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("corpus")
    land = media.make_video(root / "land.mp4", creation_time="2024-05-01T10:00:00Z")
    m4a = media.make_audio(root / "vo.m4a", rate=48000, channels=2)
    (root / "empty.mp4").write_bytes(b"")
    clips = {
        "land": land,
        "portrait": media.make_video(root / "portrait.mp4", size="180x320", seed=1),
        "rotated": media.make_rotated(land, root / "rotated.mp4", 90),
        "rot270": media.make_rotated(land, root / "rot270.mov", 270),
        "rot180": media.make_rotated(land, root / "rot180.mp4", 180),
        "hevc10": media.make_video(
            root / "hevc10.mp4", codec="libx265", pix_fmt="yuv420p10le", audio=False, seed=2
        ),
        "hevc10_mkv": media.make_video(
            root / "hevc10.mkv", codec="libx265", pix_fmt="yuv420p10le", audio=False, seed=2
        ),
        "vfr": media.make_vfr(root / "vfr.mp4"),
        "m4a": m4a,
        "wav": media.make_audio(root / "music.wav", rate=44100, channels=1, seed=3),
        "still_png": media.make_still(root / "still.png", size="180x320"),
        "still_jpg": media.make_still(root / "still.jpg"),
        "truncated": media.make_truncated(land, root / "truncated.mp4"),
        "text": media.make_not_media(root / "text.mp4"),
        "text_mov": media.make_not_media(root / "text.mov"),
        "empty": root / "empty.mp4",
    }
    cover = media.make_still(root / "cover.jpg", seed=5)
    media.run_ffmpeg(
        *("-i", str(m4a), "-i", str(cover), "-map", "0", "-map", "1", "-c", "copy"),
        *("-disposition:v", "attached_pic", str(root / "cover art.m4a")),
    )
    clips["cover_art"] = root / "cover art.m4a"
    # AVCHD-style MPEG-TS, 8 s with a single keyframe: the seek past 10 % finds none
    media.run_ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=8", "-f", "lavfi", "-i", "sine=d=8"),
        *("-c:v", "libx264", "-preset", "ultrafast", "-g", "300", "-c:a", "ac3", "-shortest"),
        str(root / "card.mts"),
    )
    clips["mts_one_keyframe"] = root / "card.mts"
    return clips


def fields(result: object) -> dict[str, object]:
    values = dataclasses.asdict(result)  # type: ignore[call-overload]
    values.pop("probe_json")  # each reader's own document
    return values


def by_ffprobe(path: Path) -> dict[str, object] | str:
    try:
        return fields(probe_file(FFPROBE, str(path), path.stat().st_size))
    except ProbeError as exc:
        return exc.reason


@pytest.mark.parametrize("name", GOOD)
def test_pyav_gives_ffprobe_fields(corpus: dict[str, Path], name: str) -> None:
    path = corpus[name]
    got = read_media(FFPROBE, str(path), path.stat().st_size, poster=True)
    assert got.reader == "pyav"  # read in-process, no fallback
    assert fields(got.probe) == by_ffprobe(path)
    assert (got.poster is not None) == (got.probe.kind == "video")


@pytest.mark.parametrize("name", BAD)
def test_bad_files_get_ffprobe_outcome_and_reason(corpus: dict[str, Path], name: str) -> None:
    path = corpus[name]
    expected = by_ffprobe(path)
    assert isinstance(expected, str)
    with pytest.raises(ProbeError) as caught:
        read_media(FFPROBE, str(path), path.stat().st_size, poster=True)
    assert caught.value.reason == expected


def test_mp3_duration_is_the_one_known_difference(tmp_path: Path) -> None:
    """PyAV's FFmpeg (8.x) trims the encoder delay and padding an MP3's LAME header
    records; Debian's ffprobe (5.1) does not. Every other field is the same."""
    path = media.make_audio(tmp_path / "a.mp3", seconds=1.0)
    ours = fields(read_media(FFPROBE, str(path), path.stat().st_size).probe)
    reference = by_ffprobe(path)
    assert isinstance(reference, dict)
    for key in ("duration_s", "bit_rate"):
        ours.pop(key), reference.pop(key)
    assert ours == reference


def make_jxl(path: Path) -> Path:
    try:
        return media.make_jpegxl(path)
    except RuntimeError:
        pytest.skip("this ffmpeg has no libjxl encoder")


def test_a_file_pyav_cannot_read_is_read_by_ffprobe(tmp_path: Path) -> None:
    still = make_jxl(tmp_path / "still.jxl")
    with pytest.raises(avprobe.AVReadError, match="no decoder"):
        avprobe.read_with_pyav(str(still), still.stat().st_size)
    got = read_media(FFPROBE, str(still), still.stat().st_size, poster=True)
    assert got.reader == "ffprobe" and got.poster is None
    assert fields(got.probe) == by_ffprobe(still)
    assert (got.probe.kind, got.probe.video_codec, got.probe.width) == ("image", "jpegxl", 320)


def test_reader_can_be_forced_to_ffprobe(
    corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELROOM_READER", "ffprobe")
    path = corpus["rotated"]
    got = read_media(FFPROBE, str(path), path.stat().st_size, poster=True)
    assert got.reader == "ffprobe" and fields(got.probe) == by_ffprobe(path)


def gray(jpeg: Path, size: int = 24) -> list[int]:
    with av.open(str(jpeg)) as container:
        frame = next(container.decode(video=0))
        small = frame.reformat(width=size, height=size, format="gray")
    plane = small.planes[0]
    data = bytes(plane)
    return [data[row * plane.line_size + col] for row in range(size) for col in range(size)]


def mean_gap(a: list[int], b: list[int]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


@pytest.mark.parametrize("name", ["land", "rotated", "rot270", "rot180", "portrait"])
def test_poster_is_upright_like_ffmpeg(corpus: dict[str, Path], name: str, tmp_path: Path) -> None:
    path = corpus[name]
    got = read_media(FFPROBE, str(path), path.stat().st_size, poster=True)
    ours = tmp_path / "ours.jpg"
    ours.write_bytes(got.poster or b"")
    theirs = tmp_path / "theirs.jpg"  # ffmpeg auto-rotates the same (first) frame
    media.run_ffmpeg(
        "-i", str(path), "-frames:v", "1", "-vf", "scale=min(480\\,iw):-2", str(theirs)
    )
    with av.open(str(ours)) as a, av.open(str(theirs)) as b:
        assert (a.streams.video[0].width, a.streams.video[0].height) == (
            b.streams.video[0].width,
            b.streams.video[0].height,
        )
        shown = (a.streams.video[0].width, a.streams.video[0].height)
    assert shown == (got.probe.display_width, got.probe.display_height)
    mine, reference = gray(ours), gray(theirs)
    assert mean_gap(mine, reference) < 6
    assert mean_gap(mine[::-1], reference) > 30  # a half turn off would show


def test_long_clip_poster_is_a_frame_near_ten_percent(tmp_path: Path) -> None:
    clip = tmp_path / "long.mp4"
    media.run_ffmpeg(
        *("-f", "lavfi", "-i", "testsrc2=s=640x360:r=10:d=20"),
        *("-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-pix_fmt", "yuv420p", str(clip)),
    )
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        frame = avprobe.pick_frame(container, stream, 20.0, seek=True)
        assert frame.time == pytest.approx(2.0, abs=1.01)  # the keyframe at or after 2 s
    jpeg = avprobe.poster_for(str(clip))
    poster = tmp_path / "poster.jpg"
    poster.write_bytes(jpeg)
    probed = probe_file(FFPROBE, str(poster), poster.stat().st_size)
    assert (probed.kind, probed.video_codec, probed.width, probed.height) == (
        "image",
        "mjpeg",
        480,
        270,
    )


def test_good_files_start_no_process(corpus: dict[str, Path]) -> None:
    """No ffprobe is run for a file PyAV reads: a missing one is never missed."""
    for name in GOOD:
        path = corpus[name]
        got = read_media("/nonexistent/ffprobe", str(path), path.stat().st_size, poster=True)
        assert got.reader == "pyav"
