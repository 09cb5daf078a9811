"""`reelroom ingest`, `footage list` and `watch` run as real subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import media
import pytest

from storage import Store
from storage.processes import ProcessRepo

REELROOM = str(Path(sys.executable).with_name("reelroom"))


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [REELROOM, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("card")
    land = media.make_video(root / "day 1" / "land.mp4")
    media.make_rotated(land, root / "day 1" / "rot.mp4")
    shutil.copy(land, root / "copy #2.mp4")
    media.make_audio(root / "music.wav")
    media.make_truncated(land, root / "cut.mp4")
    (root / "clip.mp4.crdownload").write_bytes(b"x")
    return root


def test_ingest_json_then_footage_list(card: Path, tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    done = run("--home", home, "ingest", str(card), "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert {k: doc[k] for k in ("imported", "duplicates", "unchanged", "rejected", "ignored")} == {
        "imported": 3,
        "duplicates": 1,
        "unchanged": 0,
        "rejected": 1,
        "ignored": 1,
    }
    assert {Path(f["path"]).name: f["outcome"] for f in doc["files"]}["cut.mp4"] == "rejected"

    listed = run("--home", home, "footage", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    for key in (
        "id",
        "kind",
        "name",
        "paths",
        "duration_s",
        "width",
        "height",
        "rotation",
        "fps",
        "vfr",
        "video_codec",
        "pix_fmt",
        "audio_codec",
        "size_bytes",
        "created_at",
        "imported_at",
        "status",
        "reason",
        "post_id",
        "thumbnail",
    ):
        assert all(key in r for r in rows.values()), key
    rot = rows["rot.mp4"]
    assert (rot["width"], rot["height"], rot["rotation"]) == (180, 320, 90)
    assert Path(rot["thumbnail"]).is_file()  # ingest waited for the posters
    land = rows.get("land.mp4") or rows["copy #2.mp4"]
    assert len(land["paths"]) == 2
    assert rows["music.wav"]["kind"] == "audio" and rows["music.wav"]["width"] is None

    rejected = json.loads(run("--home", home, "footage", "list", "--rejected", "--json").stdout)
    assert [(r["name"], r["status"]) for r in rejected] == [("cut.mp4", "rejected")]
    assert "truncated" in rejected[0]["reason"]
    table = run("--home", home, "footage", "list")
    assert "rot.mp4" in table.stdout and "180x320" in table.stdout

    (card / "music.wav").rename(tmp_path / "music.wav")
    try:
        again = json.loads(run("--home", home, "ingest", str(card), "--json").stdout)
        assert again["unchanged"] == 4 and again["imported"] == 0
        assert again["marked_missing"] == [str(card / "music.wav")]
        missing = json.loads(run("--home", home, "footage", "list", "--missing", "--json").stdout)
        assert [(r["name"], r["status"]) for r in missing] == [("music.wav", "missing")]
    finally:
        (tmp_path / "music.wav").rename(card / "music.wav")


def test_plain_output_and_failures(card: Path, tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    plain = run("--home", home, "ingest", str(card / "day 1"))
    assert plain.returncode == 0
    lines = plain.stdout.strip().splitlines()
    assert lines[-1] == "2 imported, 0 duplicates, 0 moved, 0 unchanged, 0 rejected, 0 ignored"
    assert sorted(line.split()[0] for line in lines[:-1]) == ["imported", "imported"]
    no_probe = run("--home", home, "ingest", str(card), env={"REELROOM_FFPROBE": "/nope/ffprobe"})
    assert no_probe.returncode == 1 and "ffprobe is missing" in no_probe.stderr
    assert no_probe.stdout == ""
    assert run("--home", home, "footage").returncode == 2
    assert run("--home", home, "ingest", str(card), "--workers", "0").returncode == 2


def test_watch_stops_cleanly_on_sigterm(card: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    watched = tmp_path / "in"
    watched.mkdir()
    proc = subprocess.Popen(
        [REELROOM, "--home", str(home), "watch", str(watched), "--settle", "0.5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not (home / "reelroom.db").exists() or not ProcessRepo(
            Store(home / "reelroom.db")
        ).live("watch"):
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
        shutil.copy(card / "music.wav", watched / "music.wav")
        line = proc.stdout.readline()
        assert line.split() == ["imported", str(watched / "music.wav")]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert ProcessRepo(Store(home / "reelroom.db")).live("watch") == []
    assert "watcher stopped" in proc.stderr.read()
