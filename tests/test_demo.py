"""The demo workspace: determinism, idempotence, shapes Today relies on, the
Chinese content, metric curves, the large generator (shrunk) and the CLI's
refusal to mix demo data into real work. Real SQLite files, real ffmpeg."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.cli.demo import demo_home_arg
from app.demo.metrics import GIVES
from app.demo.seed import DemoReport, seed_demo
from app.home import Home, default_home
from storage import Store
from storage.metrics.writer import rebuild_rollups
from storage.models import POST_STATUSES
from storage.posts import PostRepo
from storage.timefmt import from_db

FROZEN = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
REELROOM = str(Path(sys.executable).with_name("reelroom"))
HAN = re.compile(r"[\u4e00-\u9fff]")
SHOT_LINE = re.compile(r"^!! (\d+)\. (.+) — (.+) @ (.+)$")


def _open(root: Path) -> tuple[Store, Home]:
    home = Home(root)
    home.prepare()
    return Store(home.db_path), home


def _seed(root: Path, now: datetime = FROZEN, **kw: object) -> tuple[Store, Home, DemoReport]:
    store, home = _open(root)
    report = seed_demo(store, home, now=now, make_clips=kw.pop("make_clips", False), **kw)  # type: ignore[arg-type]
    return store, home, report


def _dump(store: Store, home: Home) -> list[str]:
    """Every row the demo wrote, as SQL text, with the home folder masked."""
    lines = [line.replace(str(home.root), "<home>") for line in store.conn.iterdump()]
    return [line for line in lines if '"migrations"' not in line]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, Home, DemoReport]:
    return _seed(tmp_path_factory.mktemp("demo") / "home")


def _rows(store: Store, sql: str, *args: object) -> list[sqlite3.Row]:
    return store.conn.execute(sql, args).fetchall()


def test_second_run_adds_nothing(tmp_path: Path) -> None:
    store, home, first = _seed(tmp_path / "home")
    before = _dump(store, home)
    again = seed_demo(store, home, now=FROZEN + timedelta(days=3), make_clips=False)
    assert not first.already_seeded and again.already_seeded
    assert again.counts == first.counts
    assert again.seeded_as == first.seeded_as == "normal 2026-11-28"
    assert _dump(store, home) == before


def test_same_now_gives_identical_rows(tmp_path: Path) -> None:
    a_store, a_home, _ = _seed(tmp_path / "a")
    b_store, b_home, _ = _seed(tmp_path / "b")
    assert _dump(a_store, a_home) == _dump(b_store, b_home)


def test_everything_moves_with_now(tmp_path: Path) -> None:
    a_store, _, _ = _seed(tmp_path / "a")
    b_store, _, _ = _seed(tmp_path / "b", now=FROZEN + timedelta(days=1))
    sql = "SELECT title, status, planned_at, shoot_at FROM posts ORDER BY id"
    a_posts, b_posts = _rows(a_store, sql), _rows(b_store, sql)
    assert [tuple(r)[:2] for r in a_posts] == [tuple(r)[:2] for r in b_posts]
    for a, b in zip(a_posts, b_posts, strict=False):
        assert from_db(b["planned_at"]) - from_db(a["planned_at"]) == timedelta(days=1)


def test_counts_are_in_range(demo: tuple[Store, Home, DemoReport]) -> None:
    _, _, report = demo
    c = report.counts
    assert c["accounts"] == 4 and c["pillars"] == 4
    assert 60 <= c["posts"] <= 80
    assert c["inbox_items"] == 200
    assert 3 <= c["partners"] <= 5 and 3 <= c["deals"] <= 5
    assert c["publications"] >= 50 and c["metric_snapshots"] >= 1500
    assert c["scripts"] >= 50 and c["shots"] >= 100 and c["script_revisions"] > 0
    assert c["saved_replies"] > 0 and c["posting_slots"] > 0 and c["events"] > 0


def test_every_status_and_consistent_with_time(demo: tuple[Store, Home, DemoReport]) -> None:
    store, _, _ = demo
    now = FROZEN
    posts = _rows(store, "SELECT * FROM posts")
    assert {p["status"] for p in posts} == set(POST_STATUSES)
    for p in posts:
        planned = from_db(p["planned_at"])
        assert from_db(p["created_at"]) <= from_db(p["updated_at"]) <= now
        if p["status"] in ("published", "archived"):
            assert planned < now
        if p["status"] in ("idea", "scheduled"):
            assert planned > now
        if p["status"] == "ready_to_shoot":
            assert p["shoot_at"] is not None
    published = _rows(
        store,
        "SELECT p.published_at, p.scheduled_at, p.state, s.planned_at "
        "FROM publications p JOIN posts s ON s.id = p.post_id",
    )
    for pub in published:
        if pub["state"] == "published":
            assert from_db(pub["planned_at"]) <= from_db(pub["published_at"]) <= now
        if pub["state"] == "scheduled":
            assert from_db(pub["scheduled_at"]) > now
    late = _rows(
        store,
        "SELECT i.received_at, p.published_at FROM inbox_items i "
        "JOIN publications p ON p.id = i.publication_id",
    )
    assert all(from_db(r["published_at"]) < from_db(r["received_at"]) <= now for r in late)
    no_script = _rows(
        store,
        "SELECT p.id FROM posts p LEFT JOIN scripts s ON s.post_id = p.id "
        "WHERE s.id IS NULL AND p.status != 'idea'",
    )
    assert no_script == []


def test_today_has_something_in_every_section(demo: tuple[Store, Home, DemoReport]) -> None:
    store, _, _ = demo
    now, day = FROZEN, FROZEN.date()
    shoots = [
        r
        for r in _rows(store, "SELECT shoot_at FROM posts WHERE status = 'ready_to_shoot'")
        if from_db(r["shoot_at"]).date() == day
    ]
    assert len(shoots) >= 2
    soon = [
        r
        for r in _rows(store, "SELECT scheduled_at FROM publications WHERE state = 'scheduled'")
        if now < from_db(r["scheduled_at"]) <= now + timedelta(hours=24)
    ]
    assert len(soon) >= 2
    states = {r[0] for r in _rows(store, "SELECT state FROM jobs")}
    assert {"done", "failed", "dead", "queued", "cancelled"} <= states and "running" not in states
    failed = _rows(
        store,
        "SELECT j.last_error, r.log_tail FROM jobs j JOIN renders r ON r.job_id = j.id "
        "WHERE j.state IN ('failed', 'dead')",
    )
    assert len(failed) >= 2
    assert all(f["last_error"].startswith("ffmpeg exited") and f["log_tail"] for f in failed)
    new = _rows(store, "SELECT body, received_at FROM inbox_items WHERE status = 'new'")
    assert any(HAN.search(r["body"]) for r in new) and any(not HAN.search(r["body"]) for r in new)
    ages = [now - from_db(r["received_at"]) for r in new]
    assert min(ages) < timedelta(days=1) and max(ages) > timedelta(days=3)
    due = _rows(
        store,
        "SELECT p.post_id, d.due_at, k.disclosure FROM deliverables d "
        "JOIN deals k ON k.id = d.deal_id "
        "LEFT JOIN deliverable_posts p ON p.deliverable_id = d.id "
        "WHERE d.status IN ('to_do', 'draft_sent')",
    )
    within = [d for d in due if now <= from_db(d["due_at"]) <= now + timedelta(days=7)]
    assert len(within) >= 2 and any(d["post_id"] for d in within)
    for d in within:
        if d["post_id"]:
            captions = _rows(
                store, "SELECT caption FROM publications WHERE post_id = ?", d["post_id"]
            )
            assert all(d["disclosure"] in c["caption"] for c in captions)


@pytest.mark.parametrize(
    ("now", "zone"),
    [
        (datetime(2026, 11, 28, 15, 55, tzinfo=UTC), "Asia/Shanghai"),  # 23:55 local
        (datetime(2026, 3, 29, 0, 40, tzinfo=UTC), "Europe/Berlin"),  # DST starts today
        (
            datetime(2026, 11, 1, 7, 5, tzinfo=UTC),
            "America/Los_Angeles",
        ),  # 00:05, DST ends
    ],
)
def test_today_cases_hold_at_awkward_hours(tmp_path: Path, now: datetime, zone: str) -> None:
    local = ZoneInfo(zone)
    store, _, _ = _seed(tmp_path / "home", now=now, zone=local)
    today = now.astimezone(local).date()
    shoot_days = [
        from_db(r[0]).astimezone(local).date()
        for r in _rows(store, "SELECT shoot_at FROM posts WHERE status = 'ready_to_shoot'")
    ]
    assert shoot_days.count(today) >= 2
    soon = [
        r
        for r in _rows(store, "SELECT scheduled_at FROM publications WHERE state = 'scheduled'")
        if now < from_db(r[0]) <= now + timedelta(hours=24)
    ]
    assert len(soon) >= 2
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    for sql in (
        "SELECT max(published_at) FROM publications",
        "SELECT max(finished_at) FROM jobs",
        "SELECT max(received_at) FROM inbox_items",
        "SELECT max(captured_at) FROM metric_snapshots",
        "SELECT max(at) FROM events",
        "SELECT max(updated_at) FROM posts",
    ):
        assert _rows(store, sql)[0][0] <= stamp, sql


def test_chinese_content_for_the_kuaishou_pillar(demo: tuple[Store, Home, DemoReport]) -> None:
    store, _, _ = demo
    rows = _rows(
        store,
        "SELECT p.title, s.body FROM posts p JOIN pillars l ON l.id = p.pillar_id "
        "LEFT JOIN scripts s ON s.post_id = p.id WHERE l.name = '街头小吃'",
    )
    assert len(rows) >= 5
    assert all(HAN.search(r["title"]) for r in rows)
    assert all(HAN.search(r["body"]) for r in rows if r["body"])
    kuaishou = _rows(
        store,
        "SELECT i.body FROM inbox_items i JOIN accounts a ON a.id = i.account_id "
        "WHERE a.platform = 'kuaishou'",
    )
    assert kuaishou and all(HAN.search(r["body"]) for r in kuaishou)


def test_scripts_have_sections_and_their_shot_list(demo: tuple[Store, Home, DemoReport]) -> None:
    store, _, _ = demo
    for script in _rows(store, "SELECT post_id, body FROM scripts"):
        body = script["body"]
        for head in ("## Hook", "## Body", "## CTA", "## On-screen text", "## Caption", "## Shots"):
            assert head in body
        listed = [
            SHOT_LINE.match(line).groups() for line in body.splitlines() if line.startswith("!! ")
        ]  # type: ignore[union-attr]
        shots = _rows(
            store,
            "SELECT number, description, framing, location FROM shots "
            "WHERE post_id = ? ORDER BY number",
            script["post_id"],
        )
        if shots:
            assert [(str(s[0]), s[1], s[2], s[3]) for s in shots] == listed


def test_snapshots_spike_then_decay(demo: tuple[Store, Home, DemoReport]) -> None:
    store, _, _ = demo
    pubs = _rows(
        store,
        "SELECT s.publication_id, a.platform FROM metric_snapshots s "
        "JOIN publications p ON p.id = s.publication_id JOIN accounts a ON a.id = p.account_id "
        "GROUP BY s.publication_id, a.platform HAVING count(*) >= 21",
    )
    assert len(pubs) >= 10
    for pub, platform in pubs:
        snaps = _rows(
            store,
            "SELECT * FROM metric_snapshots WHERE publication_id = ? ORDER BY captured_at",
            pub,
        )
        times = [from_db(s["captured_at"]) for s in snaps]
        assert all(t.hour == 6 and t.minute == 0 for t in times)
        assert all(b - a == timedelta(days=1) for a, b in zip(times, times[1:], strict=False))
        assert times[-1] <= FROZEN and len(snaps) <= 90
        for key in ("views", "likes", "comments", "shares", "saves", "followers_gained"):
            if key not in GIVES[platform]:  # what the platform does not give stays empty
                assert all(s[key] is None for s in snaps), (platform, key)
                continue
            assert all(a[key] <= b[key] for a, b in zip(snaps, snaps[1:], strict=False))
        deltas = [snaps[0]["views"]] + [
            b["views"] - a["views"] for a, b in zip(snaps, snaps[1:], strict=False)
        ]
        assert deltas[0] == max(deltas)
        assert sum(deltas[-7:]) / 7 < deltas[0] / 4
        last = snaps[-1]
        assert 0.03 < last["likes"] / last["views"] < 0.1
        if platform == "tiktok":
            assert 0 < last["completion_rate"] <= 1 and last["avg_view_s"] > 0
        assert {s["source"] for s in snaps} == {"demo"}


def test_demo_rollups_equal_a_rebuild_and_follower_counts_grow(
    demo: tuple[Store, Home, DemoReport],
) -> None:
    store, _, report = demo
    read = "SELECT * FROM metric_buckets ORDER BY bucket_at, account_id, pillar_id"
    written = [tuple(r) for r in store.conn.execute(read)]
    curves = store.conn.execute("SELECT count(*) FROM metric_curve").fetchone()[0]
    with store.write() as conn:
        rebuild_rollups(conn)
    assert [tuple(r) for r in store.conn.execute(read)] == pytest.approx(written)
    assert curves == store.conn.execute("SELECT count(*) FROM metric_curve").fetchone()[0] > 0
    assert report.counts["account_snapshots"] > 4 * 60
    hooks = _rows(store, "SELECT tags FROM posts WHERE tags LIKE '%hook:%'")
    assert len(hooks) > 10


def test_local_posting_times_follow_the_zone(tmp_path: Path) -> None:
    zone = ZoneInfo("Asia/Shanghai")
    store, _, _ = _seed(tmp_path / "home", zone=zone)
    slots = {"12:00", "12:30", "19:00", "20:00"}
    for row in _rows(store, "SELECT planned_at FROM posts"):
        assert from_db(row["planned_at"]).astimezone(zone).strftime("%H:%M") in slots


def test_real_clips_are_imported_and_linked(tmp_path: Path) -> None:
    store, home, report = _seed(tmp_path / "home", make_clips=True)
    assert report.warnings == () and len(report.clips) == 4
    assets = _rows(store, "SELECT * FROM assets ORDER BY name")
    assert len(assets) == 4 and {a["kind"] for a in assets} == {"video", "audio"}
    rotated = next(a for a in assets if a["name"] == "phone-rotated-90.mp4")
    assert rotated["rotation"] == 90
    assert (rotated["display_width"], rotated["display_height"]) == (180, 320)
    clip_post = {a["post_id"] for a in assets}
    assert len(clip_post) == 1 and None not in clip_post
    assert not list((home.root / "footage" / "demo").glob("*.partial"))
    again = seed_demo(store, home, now=FROZEN)
    assert again.already_seeded and again.counts["assets"] == 4


def test_large_generator_shrunk(tmp_path: Path) -> None:
    fresh, _ = _open(tmp_path / "fresh")
    store, _, report = _seed(tmp_path / "home", scale="large", size_factor=0.01)
    c = report.counts
    assert report.scale == "large" and c["posts"] == 100
    assert c["assets"] == 1000 and c["asset_paths"] == 1100
    assert c["metric_snapshots"] > 5 * c["publications"]
    conn = store.conn
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL, as opened
    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    assert conn.execute(index_sql).fetchall() == fresh.conn.execute(index_sql).fetchall()
    pending = conn.execute(
        "SELECT count(*) FROM assets WHERE full_hash IS NULL OR "
        "(kind = 'video' AND thumbnail IS NULL)"
    ).fetchone()[0]
    assert pending == 0


def _run_cli(
    *args: str, env_home: str | None = None, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "REELROOM_HOME"}
    if env_home:
        env["REELROOM_HOME"] = env_home
    env.update(extra_env or {})
    return subprocess.run([REELROOM, *args], capture_output=True, text=True, env=env, timeout=120)


def test_cli_refuses_a_workspace_with_real_work(tmp_path: Path) -> None:
    store, home = _open(tmp_path / "work")
    PostRepo(store).add("Our real launch video", status="scripting")
    store.close()
    before = home.db_path.read_bytes()
    proc = _run_cli("--home", str(home.root), "demo", "--no-tui")
    assert proc.returncode == 1
    assert "real work" in proc.stderr and "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert home.db_path.read_bytes() == before
    assert not (home.root / "footage").exists()


def test_cli_seeds_once_and_says_where(tmp_path: Path) -> None:
    root = tmp_path / "demo home"
    first = _run_cli("demo", "--no-tui", env_home=str(root))
    assert first.returncode == 0, first.stderr
    assert str(root) in first.stderr and "demo ready" in first.stderr
    second = _run_cli("--home", str(root), "demo", "--no-tui")
    assert second.returncode == 0 and "already a demo workspace" in second.stderr
    store, _ = _open(root)
    assert PostRepo(store).count() >= 60
    assert store.conn.execute("SELECT count(*) FROM assets").fetchone()[0] == 4


def test_cli_without_ffmpeg_seeds_and_warns(tmp_path: Path) -> None:
    root = tmp_path / "home"
    proc = _run_cli(
        "--home",
        str(root),
        "demo",
        "--no-tui",
        extra_env={"REELROOM_FFMPEG": str(tmp_path / "no-such-ffmpeg")},
    )
    assert proc.returncode == 0, proc.stderr
    assert "ffmpeg was not found" in proc.stderr and "apt-get install ffmpeg" in proc.stderr
    store, _ = _open(root)
    assert PostRepo(store).count() >= 60
    assert store.conn.execute("SELECT count(*) FROM assets").fetchone()[0] == 0
    assert not (root / "footage" / "demo").exists() or not any(
        (root / "footage" / "demo").iterdir()
    )


def test_demo_has_its_own_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REELROOM_HOME", raising=False)
    chosen = Path(demo_home_arg(None))
    assert chosen.name == "reelroom-demo" and chosen != default_home()
    monkeypatch.setenv("REELROOM_HOME", "/srv/team")
    assert demo_home_arg(None) == "/srv/team"
    assert demo_home_arg("/x/y") == "/x/y"


def test_seeding_never_imports_textual() -> None:
    code = (
        "import sys, app.demo.seed, app.cli.demo, storage.seeding; "
        "sys.exit(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
