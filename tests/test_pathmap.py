"""Footage paths across machines: [[paths]] rules, canonical storage, a worker that cannot see a clip.

The database stores one canonical path per clip; each host maps it to where the
share is mounted there. Ingest on a mapped host stores the canonical path, the
footage repository hands out local ones, and a render on a host that cannot see
the file fails that attempt with a message naming the path and the host.
"""

from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest
from conftest import make_workspace
from media import make_video

from app.cli import main
from app.config import ConfigError, load_config
from app.handlers import handlers_for
from app.worker import Worker
from app.workspace import open_workspace
from media_watch.ingest import ingest_paths
from storage.footage import FootageRepo
from storage.jobs import JobQueue
from storage.pathmap import PathMap, PathRule

HOST = socket.gethostname()
FAST = "encode.x264_preset=ultrafast"


def test_a_canonical_path_maps_by_whole_components_longest_rule_first():
    rules = [
        PathRule("edit2", "/mnt/footage", "/srv/footage"),
        PathRule("edit2", "/mnt/footage/raw", "/data/raw"),
        PathRule("other", "/mnt/footage", "/elsewhere"),
    ]
    here = PathMap("edit2", rules)
    assert here.to_local("/mnt/footage/day1/a.mp4") == "/srv/footage/day1/a.mp4"
    assert here.to_local("/mnt/footage/raw/b.mov") == "/data/raw/b.mov"
    assert here.to_local("/mnt/footagex/c.mp4") == "/mnt/footagex/c.mp4"
    assert here.to_local("/mnt/footage") == "/srv/footage"
    assert here.to_canonical("/srv/footage/day1/a.mp4") == "/mnt/footage/day1/a.mp4"
    assert here.to_canonical("/data/raw/b.mov") == "/mnt/footage/raw/b.mov"
    assert here.to_canonical("/home/me/x.mp4") == "/home/me/x.mp4"
    assert not PathMap("edit3", rules)
    assert PathMap("edit3", [PathRule("*", "/a", "/b")]).to_local("/a/x") == "/b/x"


def test_paths_tables_are_read_and_checked(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text(
        '[[paths]]\nhost = "edit2"\nfrom = "/mnt/footage"\nto = "/srv/footage"\n',
        encoding="utf-8",
    )
    loaded = load_config(config)
    assert loaded.path_map("edit2").to_local("/mnt/footage/a.mp4") == "/srv/footage/a.mp4"
    assert not loaded.path_map("edit9")
    for body, message in [
        ('[[paths]]\nhost = "a"\nfrom = "/x"\n', "needs to ="),
        ('[[paths]]\nhost = "a"\nfrom = "x"\nto = "/y"\n', "absolute folder"),
        ('[[paths]]\nhost = "a"\nfrom = "/x"\nto = "/y"\nvia = "z"\n', "unknown key 'via'"),
        ('[storage]\nurl = "mysql://db/x"\n', "must be a PostgreSQL URL"),
    ]:
        config.write_text(body, encoding="utf-8")
        with pytest.raises(ConfigError, match=message):
            load_config(config)


def _map_config(root: Path, canonical: Path, local: Path) -> None:
    with (root / "config.toml").open("a", encoding="utf-8") as fh:
        fh.write(f'\n[[paths]]\nhost = "{HOST}"\nfrom = "{canonical}"\nto = "{local}"\n')


def test_ingest_on_a_mapped_host_stores_canonical_paths_and_reads_back_local_ones(
    tmp_path: Path, store
):
    local = tmp_path / "srv" / "footage"
    clip = make_video(local / "day1" / "a.mp4", seconds=1.0)
    root = tmp_path / "box"
    make_workspace(root, url=store.target if store.dialect.postgres else "")
    _map_config(root, Path("/mnt/footage"), local)
    ws = open_workspace(str(root))
    ingest_paths(ws.store, [local], thumbs_dir=None, workers=1)
    stored = ws.store.conn.execute("SELECT path FROM asset_paths").fetchall()
    assert [r[0] for r in stored] == ["/mnt/footage/day1/a.mp4"]
    [asset] = FootageRepo(ws.store).list()
    assert [p.path for p in asset.paths] == [str(clip)]
    # Seen again unchanged: recognised by its canonical path, not imported twice.
    ingest_paths(ws.store, [local], thumbs_dir=None, workers=1)
    assert len(FootageRepo(ws.store).list()) == 1


def test_a_worker_that_cannot_see_a_clip_fails_the_job_naming_the_path_and_host(tmp_path: Path):
    share = tmp_path / "share"
    make_video(share / "a.mp4", seconds=1.0)
    ws = make_workspace(tmp_path / "home")
    ingest_paths(ws.store, [share], thumbs_dir=None, workers=1)
    [asset] = FootageRepo(ws.store).list()
    args = ["render", "add", "--clip", str(asset.id), "--recipe", "vertical", "--set", FAST]
    assert main(["--home", str(ws.home.root), *args]) == 0
    [job] = JobQueue(ws.store).list()
    # This host mounts the share elsewhere, and nothing is there.
    _map_config(ws.home.root, share, tmp_path / "not-mounted")
    here = open_workspace(str(ws.home.root))
    shutil.rmtree(tmp_path / "not-mounted", ignore_errors=True)
    worker = Worker(here.store, handlers_for(here), once=True)
    worker.run(threading.Event())
    failed = JobQueue(here.store).get(job.id)
    assert failed.state == "failed"
    assert str(tmp_path / "not-mounted" / "a.mp4") in failed.last_error
    assert f"on host {HOST}" in failed.last_error
    assert f"stored as {share / 'a.mp4'}" in failed.last_error
