"""The watcher on real folders: complete-only import, renames, deletes,
restart reconcile, a vanished folder, and its process row."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import media
import pytest
from conftest import wait_for

from media_watch import files
from media_watch.catalog import FileOutcome
from media_watch.watcher import Watcher
from storage import Store
from storage.footage import FootageRepo
from storage.processes import ProcessRepo

SETTLE = 0.6


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("src")
    return {
        "a": media.make_video(root / "a.mp4", seconds=2.0),
        "b": media.make_video(root / "b.mp4", size="180x320", seed=3),
        "c": media.make_audio(root / "c.m4a", seed=4),
    }


@pytest.fixture
def db(tmp_path: Path) -> Store:
    (tmp_path / "home").mkdir()
    return Store(tmp_path / "home" / "reelroom.db")


class Running:
    """A watcher on its own thread, collecting outcomes."""

    def __init__(self, store: Store, folders: list[Path]) -> None:
        self.outcomes: list[FileOutcome] = []
        self.stop = threading.Event()
        self.watcher = Watcher(
            store, folders, settle_s=SETTLE, thumbs_dir=None, on_outcome=self.outcomes.append
        )
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive()


@pytest.fixture
def start(db: Store) -> Iterator[Callable[[list[Path]], Running]]:
    running: list[Running] = []

    def go(folders: list[Path]) -> Running:
        running.append(Running(db, folders))
        return running[-1]

    yield go
    for r in running:
        if r.thread.is_alive():
            r.close()


def assets(db: Store) -> list:
    return FootageRepo(db).list()


def test_slow_write_is_imported_once_when_complete(db: Store, tmp_path: Path, clips, start) -> None:
    watched = tmp_path / "watched"
    watched.mkdir()
    run = start([watched])
    assert wait_for(lambda: ProcessRepo(db).live("watch") != [])
    data = clips["a"].read_bytes()
    target = watched / "slow clip.mp4"
    step = len(data) // 8 + 1
    with target.open("wb") as fh:
        for offset in range(0, len(data), step):
            fh.write(data[offset : offset + step])
            fh.flush()
            time.sleep(SETTLE / 3)
            assert assets(db) == []  # nothing while the copy is still growing
    assert wait_for(lambda: len(assets(db)) == 1)
    time.sleep(SETTLE * 2)
    run.close()
    rows = assets(db)
    assert len(rows) == 1
    assert (rows[0].status, rows[0].size_bytes, rows[0].duration_s) == ("ok", len(data), 2.0)
    assert [(o.path, o.outcome) for o in run.outcomes] == [(str(target), "imported")]


def test_rename_delete_and_process_row(db: Store, tmp_path: Path, clips, start) -> None:
    watched = tmp_path / "watched"
    (watched / "day1").mkdir(parents=True)
    shutil.copy(clips["b"], watched / "day1" / "b.mp4")
    run = start([watched])
    assert wait_for(lambda: len(assets(db)) == 1)
    proc = ProcessRepo(db).live("watch")
    assert len(proc) == 1 and proc[0].info["folders"] == [str(watched)]
    asset_id = assets(db)[0].id
    (watched / "day1" / "b.mp4").rename(watched / "renamed b.mp4")
    assert wait_for(
        lambda: (
            [p.path for p in FootageRepo(db).get(asset_id).paths]
            == [str(watched / "renamed b.mp4")]
        )
    )
    assert len(assets(db)) == 1 and assets(db)[0].status == "ok"
    assert run.outcomes[-1].outcome == "moved"
    (watched / "renamed b.mp4").unlink()
    assert wait_for(lambda: FootageRepo(db).get(asset_id).status == "missing")
    assert len(assets(db)) == 1  # the row is kept
    run.close()
    assert ProcessRepo(db).live("watch") == []


def test_restart_reconciles_what_changed_while_down(
    db: Store, tmp_path: Path, clips, start
) -> None:
    watched = tmp_path / "watched"
    watched.mkdir()
    shutil.copy(clips["a"], watched / "a.mp4")
    run = start([watched])
    assert wait_for(lambda: len(assets(db)) == 1)
    run.close()
    (watched / "a.mp4").unlink()
    shutil.copy(clips["c"], watched / "c.m4a")
    shutil.copy(clips["b"], watched / ".hidden.mp4")
    (watched / "d.mp4.part").write_bytes(b"incomplete")
    start([watched])
    assert wait_for(lambda: len(assets(db)) == 2)
    status = {a.name: a.status for a in assets(db)}
    assert wait_for(
        lambda: {a.name: a.status for a in assets(db)} == {"a.mp4": "missing", "c.m4a": "ok"}
    )
    assert status["c.m4a"] == "ok"


def test_a_file_made_after_the_start_look_and_before_the_watch_is_imported(
    db: Store, tmp_path: Path, clips, start, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start reconcile looks, then the watch begins: a file copied in between (as on a
    busy machine) is imported, not left until the reconcile minutes later."""
    watched = tmp_path / "watched"
    watched.mkdir()
    walk_dirs = files.walk_dirs

    def copy_then_walk(folder: str) -> list[str]:
        if not (watched / "between.mp4").exists():  # the first walk comes just before the watch
            shutil.copy(clips["a"], watched / "between.mp4")
        return walk_dirs(folder)

    monkeypatch.setattr(files, "walk_dirs", copy_then_walk)
    run = start([watched])
    assert wait_for(lambda: [a.name for a in assets(db)] == ["between.mp4"])
    assert run.watcher.reconcile_every_s >= 60  # not the periodic reconcile's doing
    assert [o.outcome for o in run.outcomes] == ["imported"]


def test_vanished_folder_comes_back(db: Store, tmp_path: Path, clips, start) -> None:
    card = tmp_path / "card"
    card.mkdir()
    shutil.copy(clips["b"], card / "b.mp4")
    start([card])
    assert wait_for(lambda: len(assets(db)) == 1)
    parked = tmp_path / "parked"
    card.rename(parked)  # the card is unmounted
    assert wait_for(lambda: assets(db)[0].status == "missing")
    parked.rename(card)  # and mounted again, with a new file on it
    shutil.copy(clips["c"], card / "c.m4a")
    assert wait_for(
        lambda: sorted((a.name, a.status) for a in assets(db)) == [("b.mp4", "ok"), ("c.m4a", "ok")]
    )
