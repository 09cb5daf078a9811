"""Issue 15, items 2 and 7: the watcher keeps to the walk's folders; odd names stop nothing.

Item 2: symlinked folders are not followed by the watcher either (a link
out of the watched folder, a `ln -s .` loop, a link made while watching),
and a restart marks nothing missing. Item 7: a file whose name is not UTF-8
is imported by its bytes and shown escaped, next to a good file, by `ingest`
and by the watcher; a dead watcher thread stops `worker --watch` non-zero.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import media
import pytest
from hostile import run

from media_watch.watcher import Watcher
from storage import Store
from storage.footage import FootageRepo

SETTLE = 0.5


def _paths(store: Store) -> set[str]:
    return {p.path for a in FootageRepo(store).list() for p in a.paths}


def _wait(check, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def _watch(store: Store, folder: Path) -> tuple[threading.Event, threading.Thread]:
    stop = threading.Event()
    watcher = Watcher(store, [folder], settle_s=SETTLE, thumbs_dir=None)
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def _close(stop: threading.Event, thread: threading.Thread) -> None:
    stop.set()
    thread.join(30)
    assert not thread.is_alive()


def test_item2_the_watcher_does_not_follow_symlinked_folders(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    for name in ("a.mp4", "b.mp4"):
        media.make_not_media(outside / name)
    watched = tmp_path / "watched"
    (watched / "sub").mkdir(parents=True)
    media.make_not_media(watched / "real.mp4")
    (watched / "link").symlink_to(outside, target_is_directory=True)
    (watched / "loop").symlink_to(".", target_is_directory=True)
    store = Store(tmp_path / "reelroom.db")
    stop, thread = _watch(store, watched)
    _wait(lambda: str(watched / "real.mp4") in _paths(store))
    media.make_not_media(outside / "c.mp4")  # seen only through the link
    (watched / "link2").symlink_to(outside, target_is_directory=True)
    (watched / "sub" / "deeper").mkdir()
    media.make_not_media(watched / "sub" / "deeper" / "new.mp4")
    _wait(lambda: str(watched / "sub" / "deeper" / "new.mp4") in _paths(store))
    time.sleep(SETTLE * 3)  # give anything reached through a link its chance to show up
    _close(stop, thread)
    assert _paths(store) == {str(watched / "real.mp4"), str(watched / "sub/deeper/new.mp4")}
    stop, thread = _watch(store, watched)  # a restart reconciles: nothing goes missing
    time.sleep(SETTLE * 3)
    _close(stop, thread)
    assert {a.status for a in FootageRepo(store).list()} == {"rejected"}
    assert len(FootageRepo(store).list()) == 2


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("src")
    return {
        "good": media.make_video(root / "good.mp4"),
        "bad": media.make_video(root / "bad.mp4", seed=5),
    }


def _bad_name(folder: Path) -> Path:
    return Path(os.fsdecode(os.fsencode(folder) + b"/bad_\xff\xfe.mp4"))


def test_item7_a_name_that_is_not_utf8_is_imported_by_its_bytes(tmp_path, clips):
    card = tmp_path / "card"
    card.mkdir()
    shutil.copy(clips["good"], card / "good.mp4")
    shutil.copy(clips["bad"], _bad_name(card))
    home = tmp_path / "home"
    done = run("--home", str(home), "ingest", str(card))
    assert done.returncode == 0, done.stderr
    assert "2 imported" in done.stdout
    assert "bad_\\xff\\xfe.mp4" in done.stdout  # shown escaped
    listed = run("--home", str(home), "footage", "list")
    assert "bad_\\xff\\xfe.mp4" in listed.stdout
    store = Store(home / "reelroom.db")
    assert str(_bad_name(card)) in _paths(store)  # the very bytes, to open it again
    store.close()
    again = run("--home", str(home), "ingest", str(card))
    assert "2 unchanged" in again.stdout


def test_item7_the_watcher_survives_a_name_that_is_not_utf8(tmp_path, clips):
    watched = tmp_path / "watched"
    watched.mkdir()
    store = Store(tmp_path / "reelroom.db")
    stop, thread = _watch(store, watched)
    _wait(lambda: thread.is_alive() and store is not None)
    time.sleep(SETTLE)
    shutil.copy(clips["bad"], _bad_name(watched))
    time.sleep(SETTLE)
    shutil.copy(clips["good"], watched / "good.mp4")
    _wait(lambda: {str(watched / "good.mp4"), str(_bad_name(watched))} <= _paths(store))
    assert thread.is_alive()
    _close(stop, thread)


def test_item7_a_dead_watcher_thread_stops_the_worker_non_zero(tmp_path):
    watched = tmp_path / "watched"
    watched.mkdir()
    home = tmp_path / "home"
    assert run("--home", str(home), "posts", "list").returncode == 0
    env = {"REELROOM_FFPROBE": str(tmp_path / "no-such-ffprobe"), "PATH": "/nonexistent"}
    done = run("--home", str(home), "worker", "--watch", str(watched), "--grace", "0", env=env)
    assert done.returncode == 1
    assert "watching footage" in done.stderr and "stopped" in done.stderr
