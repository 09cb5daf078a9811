"""ingest_paths on real clips and a real SQLite file: outcomes, stored fields,
duplicates, unchanged files not probed again, moves, rewrites, bad files."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import media
import pytest

from media_watch.ingest import IngestEvent, ingest_paths
from media_watch.probe import probe_file
from media_watch.tools import ToolMissing
from storage import Store
from storage.footage import FootageRepo


@pytest.fixture
def footage(tmp_path: Path) -> Path:
    root = tmp_path / "card"
    land = media.make_video(root / "land scape #1.mp4", creation_time="2024-05-01T10:00:00Z")
    media.make_video(root / "sub" / "竖屏 $(x).mp4", size="180x320", seed=1)
    media.make_rotated(land, root / "sub" / "rotated.mov")
    media.make_video(
        root / "hevc10.mkv", codec="libx265", pix_fmt="yuv420p10le", audio=False, seed=2
    )
    media.make_audio(root / "vo.m4a")
    media.make_still(root / "still.jpg")
    shutil.copy(land, root / "sub" / "-copy of land.mp4")
    media.make_truncated(land, root / "cut.mp4")
    media.make_not_media(root / "readme.mov")
    (root / "empty.mp4").write_bytes(b"")
    (root / "x.mp4.part").write_bytes(b"partial")
    (root / ".syncthing.y.mp4.tmp").write_bytes(b"partial")
    (root / ".hidden.mp4").write_bytes(b"hidden")
    (root / "notes.txt").write_text("shot list")
    return root


@pytest.fixture
def db(tmp_path: Path) -> Store:
    (tmp_path / "home").mkdir()
    return Store(tmp_path / "home" / "reelroom.db")


def by_name(store: Store) -> dict[str, object]:
    return {a.name: a for a in FootageRepo(store).list()}


def counting_ffprobe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a wrapper in front of the real ffprobe that logs each call."""
    log = tmp_path / "ffprobe.log"
    script = tmp_path / "ffprobe-counting"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{shutil.which("ffprobe")}" "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("REELROOM_FFPROBE", str(script))
    log.write_text("")
    return log


def test_folder_import_outcomes_and_fields(footage: Path, db: Store, tmp_path: Path) -> None:
    events: list[IngestEvent] = []
    summary = ingest_paths(
        db, [footage], thumbs_dir=tmp_path / "thumbs", workers=2, progress=events.append
    )
    assert summary.counts == {
        "imported": 6,
        "duplicates": 1,
        "moved": 0,
        "unchanged": 0,
        "rejected": 3,
        "ignored": 4,
    }
    assert [e.phase for e in events][0] == "scan" and events[-1].phase == "done"
    assert sum(e.phase == "file" for e in events) == len(summary.rows) == 14
    outcome = {Path(r.path).name: r for r in summary.rows}
    assert outcome["x.mp4.part"].reason.startswith("temporary name")
    assert outcome[".hidden.mp4"].reason == "hidden file"
    assert outcome["notes.txt"].reason == "not a media file type (.txt)"

    assets = by_name(db)
    assert "notes.txt" not in assets and "x.mp4.part" not in assets
    land = assets.get("land scape #1.mp4") or assets["-copy of land.mp4"]
    assert sorted(Path(p.path).name for p in land.paths) == [
        "-copy of land.mp4",
        "land scape #1.mp4",
    ]
    assert (land.kind, land.status, land.container) == ("video", "ok", "mov")
    assert (land.display_width, land.display_height, land.rotation) == (320, 180, 0)
    assert (land.fps, land.vfr, land.video_codec, land.pix_fmt, land.bit_depth) == (
        30.0,
        False,
        "h264",
        "yuv420p",
        8,
    )
    assert (land.audio_codec, land.sample_rate) == ("aac", 44100)
    assert land.media_created_at == "2024-05-01T10:00:00Z"
    assert land.content_key.startswith("s1:") and land.full_hash.startswith("blake2b:")
    rotated = assets["rotated.mov"]
    assert (
        rotated.width,
        rotated.height,
        rotated.display_width,
        rotated.display_height,
        rotated.rotation,
    ) == (320, 180, 180, 320, 90)
    poster = probe_file(
        shutil.which("ffprobe"), rotated.thumbnail, os.path.getsize(rotated.thumbnail)
    )
    assert (poster.display_width, poster.display_height) == (180, 320)  # upright poster
    assert Path(rotated.thumbnail).parent == tmp_path / "thumbs"
    hevc = assets["hevc10.mkv"]
    assert (hevc.video_codec, hevc.bit_depth, hevc.audio_codec, hevc.container) == (
        "hevc",
        10,
        None,
        "matroska",
    )
    assert (assets["vo.m4a"].kind, assets["vo.m4a"].thumbnail) == ("audio", None)
    assert assets["still.jpg"].kind == "image"
    assert assets["竖屏 $(x).mp4"].display_height == 320
    for name, words in (
        ("cut.mp4", "truncated"),
        ("readme.mov", "not a media file"),
        ("empty.mp4", "empty file"),
    ):
        bad = assets[name]
        assert bad.status == "rejected" and words in bad.reason
        assert bad.content_key is None and len(bad.paths) == 1


def test_unchanged_files_are_not_probed_again(
    footage: Path, db: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest_paths(db, [footage], workers=2)
    log = counting_ffprobe(tmp_path, monkeypatch)
    again = ingest_paths(db, [footage], workers=2)
    assert again.counts["unchanged"] == 10 and again.counts["imported"] == 0
    assert log.read_text() == ""
    os.utime(footage / "vo.m4a", (1_700_000_000, 1_700_000_000))  # touched, same bytes
    touched = ingest_paths(db, [footage / "vo.m4a"])
    assert [r.outcome for r in touched.rows] == ["unchanged"]
    assert log.read_text() == ""  # the content key was known: no probe


def test_rename_between_runs_moves_the_path(footage: Path, db: Store) -> None:
    first = ingest_paths(db, [footage])
    asset_id = next(r.asset_id for r in first.rows if r.path.endswith("vo.m4a"))
    (footage / "vo.m4a").rename(footage / "sub" / "voice over.m4a")
    second = ingest_paths(db, [footage])
    moved = [r for r in second.rows if r.outcome == "moved"]
    assert [(Path(r.path).name, r.asset_id) for r in moved] == [("voice over.m4a", asset_id)]
    asset = FootageRepo(db).get(asset_id)
    assert [p.path for p in asset.paths] == [str(footage / "sub" / "voice over.m4a")]
    assert asset.name == "voice over.m4a" and asset.status == "ok"


def test_rewritten_file_updates_its_asset_in_place(
    footage: Path, db: Store, tmp_path: Path
) -> None:
    first = ingest_paths(db, [footage])
    cut_id = next(r.asset_id for r in first.rows if r.path.endswith("cut.mp4"))
    media.make_video(tmp_path / "full.mp4", size="180x320", seed=7)
    shutil.copy(tmp_path / "full.mp4", footage / "cut.mp4")  # the copy finished properly
    second = ingest_paths(db, [footage / "cut.mp4"])
    assert [(r.outcome, r.asset_id) for r in second.rows] == [("imported", cut_id)]
    fixed = FootageRepo(db).get(cut_id)
    assert (fixed.status, fixed.reason, fixed.display_height) == ("ok", None, 320)


def test_missing_argument_and_duplicate_arguments(footage: Path, db: Store) -> None:
    summary = ingest_paths(db, [footage / "nope.mp4", footage / "vo.m4a", footage / "vo.m4a"])
    outcomes = sorted((Path(r.path).name, r.outcome) for r in summary.rows)
    assert outcomes[0] == ("nope.mp4", "rejected")
    assert len(FootageRepo(db).list()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_rejected(footage: Path, db: Store) -> None:
    target = footage / "vo.m4a"
    target.chmod(0)
    try:
        summary = ingest_paths(db, [target])
    finally:
        target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert summary.rows[0].outcome == "rejected" and "permission denied" in summary.rows[0].reason


def test_no_ffprobe_raises_tool_missing(
    footage: Path, db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELROOM_FFPROBE", "/nonexistent/ffprobe")
    with pytest.raises(ToolMissing, match="ffprobe"):
        ingest_paths(db, [footage])
    assert FootageRepo(db).list() == []
