"""ingest_paths on real clips and a real SQLite file: outcomes, stored fields,
duplicates, unchanged files not probed again, moves, rewrites, bad files."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import blake3
import media
import pytest

from media_watch import examine as examine_module
from media_watch.identity import BLOCK, content_key
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
    assert land.content_key.startswith("s1:")
    assert (
        land.full_hash
        == "blake3:" + blake3.blake3(Path(land.paths[0].path).read_bytes()).hexdigest()
    )
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


def twin(src: Path, dest: Path, offset: int = BLOCK + 1000) -> Path:
    """Same size and same sampled blocks as `src`, one byte different (in its media data)."""
    data = bytearray(src.read_bytes())
    assert offset + 1 < len(data) // 2 - BLOCK // 2  # between the first and the middle block
    data[offset] ^= 0xFF
    dest.write_bytes(bytes(data))
    assert content_key(str(dest)) == content_key(str(src))
    return dest


@pytest.fixture
def lookalikes(tmp_path: Path) -> Path:
    root = tmp_path / "lookalikes"
    big = media.make_video(root / "a.mp4", size="640x360", seconds=3.0, seed=4)
    assert big.stat().st_size > 4 * BLOCK
    twin(big, root / "b.mp4")
    shutil.copy(big, root / "copy of a.mp4")
    shutil.copy(root / "b.mp4", root / "copy of b.mp4")
    return root


def test_same_sampled_key_different_bytes_are_two_assets(lookalikes: Path, db: Store) -> None:
    summary = ingest_paths(db, [lookalikes], workers=2)
    assert summary.counts["imported"] == 2 and summary.counts["duplicates"] == 2
    assets = FootageRepo(db).list()
    names = sorted(sorted(Path(p.path).name for p in a.paths) for a in assets)
    assert names == [["a.mp4", "copy of a.mp4"], ["b.mp4", "copy of b.mp4"]]
    for asset in assets:
        data = Path(asset.paths[0].path).read_bytes()
        assert asset.full_hash == "blake3:" + blake3.blake3(data).hexdigest()
    keys = sorted(a.content_key for a in assets)
    assert keys[0].startswith("blake3:") and keys[1].startswith("s1:")  # the later one is split


def test_lookalike_arriving_later_is_split_off(lookalikes: Path, db: Store, tmp_path: Path) -> None:
    first = ingest_paths(db, [lookalikes / "a.mp4"])
    a_id = first.rows[0].asset_id
    again = ingest_paths(db, [lookalikes / "b.mp4", lookalikes / "copy of a.mp4"])
    outcome = {Path(r.path).name: (r.outcome, r.asset_id) for r in again.rows}
    assert outcome["copy of a.mp4"] == ("duplicate", a_id)
    assert outcome["b.mp4"][0] == "imported" and outcome["b.mp4"][1] != a_id
    third = ingest_paths(db, [lookalikes / "copy of b.mp4"])
    assert [(r.outcome, r.asset_id) for r in third.rows] == [("duplicate", outcome["b.mp4"][1])]


def test_hash_stored_by_an_older_version_still_decides(lookalikes: Path, db: Store) -> None:
    first = ingest_paths(db, [lookalikes / "a.mp4"])
    a_id = first.rows[0].asset_id
    old = hashlib.blake2b((lookalikes / "a.mp4").read_bytes(), digest_size=32).hexdigest()
    FootageRepo(db).set_full_hash(a_id, "blake2b:" + old)
    again = ingest_paths(db, [lookalikes / "copy of a.mp4", lookalikes / "b.mp4"])
    outcome = {Path(r.path).name: (r.outcome, r.asset_id) for r in again.rows}
    assert outcome["copy of a.mp4"] == ("duplicate", a_id)
    assert outcome["b.mp4"][0] == "imported" and outcome["b.mp4"][1] != a_id


def test_rename_is_trusted_without_reading_every_byte(
    lookalikes: Path, db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ingest_paths(db, [lookalikes / "a.mp4"])
    (lookalikes / "a.mp4").rename(lookalikes / "renamed a.mp4")

    def no_full_read(*args: object, **kwargs: object) -> None:
        raise AssertionError("a rename keeps size and mtime: no full hash needed")

    monkeypatch.setattr(examine_module, "full_hashes", no_full_read)
    monkeypatch.setattr(examine_module, "full_hash", no_full_read)
    moved = ingest_paths(db, [lookalikes / "renamed a.mp4"], wait_background=False)
    assert [(r.outcome, r.asset_id) for r in moved.rows] == [("moved", first.rows[0].asset_id)]


def test_ffprobe_reader_gives_the_same_library(
    footage: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The footage list after an in-process import equals the one after an all-ffprobe
    import (REELROOM_READER=ffprobe, posters by ffmpeg); a JPEG XL still, which PyAV
    cannot decode, is imported through the ffprobe fallback either way."""
    try:
        media.make_jpegxl(footage / "still.jxl")
    except RuntimeError:
        pytest.skip("this ffmpeg has no libjxl encoder")
    libraries = []
    for reader in ("", "ffprobe"):
        monkeypatch.setenv("REELROOM_READER", reader)
        home = tmp_path / f"home-{reader or 'pyav'}"
        home.mkdir()
        store = Store(home / "reelroom.db")
        summary = ingest_paths(store, [footage], thumbs_dir=home / "thumbs", workers=2)
        assert summary.background_failures == []
        rows: dict[tuple[str, ...], dict[str, object]] = {}
        for asset in FootageRepo(store).list():
            doc = asset.to_json()
            if asset.kind == "video" and asset.status == "ok":
                assert Path(doc.pop("thumbnail")).is_file()
            paths = tuple(sorted(Path(p).name for p in doc.pop("paths")))
            for key in ("id", "name", "imported_at", "thumbnail", "missing_paths"):
                doc.pop(key, None)  # the name is the first path recorded: either copy
            rows[paths] = doc
        libraries.append(rows)
    assert libraries[0] == libraries[1]
    jxl = libraries[0][("still.jxl",)]
    assert (jxl["kind"], jxl["video_codec"], jxl["status"]) == ("image", "jpegxl", "ok")
