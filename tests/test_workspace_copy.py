"""`reelroom workspace copy`: a demo workspace to PostgreSQL and back, checked row for row.

The demo fills every table; the copy must carry every row and value (ids
included), refuse a target that already holds rows, leave the home folder
(config, secrets) alone, and give the PostgreSQL copy working id sequences
and deliveries for its waiting jobs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FROZEN, make_workspace

from app.cli import main
from app.demo.seed import seed_demo
from storage import Store, pg_jobs
from storage.copying import checksum, columns_of, copy_order
from storage.jobs import JobQueue
from storage.posts import PostRepo


def contents(store: Store) -> dict[str, tuple[int, str]]:
    return {t: checksum(store, t, columns_of(store, t)) for t in copy_order(store)}


def test_a_demo_workspace_goes_to_postgresql_and_back_unchanged(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
):
    ws = make_workspace(tmp_path / "home")
    seed_demo(ws.store, ws.home, now=FROZEN, make_clips=False)
    secrets = ws.home.root / "secrets.toml"
    secrets.write_text('[tiktok]\ntoken = "s3cret"\n', encoding="utf-8")
    config_before = (ws.home.root / "config.toml").read_text(encoding="utf-8")
    before = contents(ws.store)
    assert sum(n for n, _ in before.values()) > 1000

    assert main(["--home", str(ws.home.root), "workspace", "copy", "--to", pg_url]) == 0
    err = capsys.readouterr().err
    assert "every table checked" in err and "secrets file stayed" in err
    pg = Store(pg_url)
    assert contents(pg) == before
    assert secrets.read_text(encoding="utf-8") == '[tiktok]\ntoken = "s3cret"\n'
    assert (ws.home.root / "config.toml").read_text(encoding="utf-8") == config_before
    # New rows get fresh ids after the copied ones; waiting jobs have deliveries.
    new = PostRepo(pg).add("after the move")
    assert new.id > max(p.id for p in PostRepo(ws.store).list())
    waiting = JobQueue(pg).list(states=["queued", "failed"])
    assert waiting and all(pg_jobs.has_delivery(pg, j.id) for j in waiting)

    pg_home = make_workspace(tmp_path / "pghome", url=pg_url)
    back = tmp_path / "back.db"
    assert main(["--home", str(pg_home.home.root), "workspace", "copy", "--to", str(back)]) == 0
    returned = contents(Store(back))
    assert {t: v for t, v in returned.items() if t != "posts"} == {
        t: v for t, v in before.items() if t != "posts"
    }
    assert returned["posts"][0] == before["posts"][0] + 1


def test_a_target_with_rows_is_refused_untouched(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
):
    ws = make_workspace(tmp_path / "home")
    PostRepo(ws.store).add("mine")
    PostRepo(Store(pg_url)).add("theirs")
    assert main(["--home", str(ws.home.root), "workspace", "copy", "--to", pg_url]) == 1
    assert "is not empty (table posts holds rows)" in capsys.readouterr().err
    assert [p.title for p in PostRepo(Store(pg_url)).list()] == ["theirs"]
    existing = tmp_path / "taken.db"
    existing.write_bytes(b"x" * 10)
    assert main(["--home", str(ws.home.root), "workspace", "copy", "--to", str(existing)]) == 1
    assert existing.read_bytes() == b"x" * 10
