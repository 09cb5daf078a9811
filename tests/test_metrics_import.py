"""`reelroom metrics import` of studio exports (tests/data), `metrics export`, the fetch cadence."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rows import add_account, add_post, add_publication

from app.cli import main
from app.workspace import Workspace
from storage.metrics.schedule import Cadence

DATA = Path(__file__).parent / "data"
AS_OF = "2026-11-27T08:00:00+00:00"


def cli(capsys: pytest.CaptureFixture[str], ws: Workspace, *args: str) -> tuple[int, str, str]:
    code = main(["--home", str(ws.home.root), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def publish(ws: Workspace, platform: str, remote_ids: list[str]) -> dict[str, int]:
    acc = add_account(ws.store, platform, "pantrylab")
    out = {}
    for n, remote in enumerate(remote_ids):
        post = add_post(ws.store, f"post {n}", "published")
        pub = add_publication(
            ws.store, post, acc, "published", published=datetime(2026, 11, 20 + n, tzinfo=UTC)
        )
        ws.store.conn.execute("UPDATE publications SET remote_id = ? WHERE id = ?", (remote, pub))
        out[remote] = pub
    return out


def snaps(ws: Workspace) -> dict[int, dict]:
    return {
        r["publication_id"]: dict(r)
        for r in ws.store.conn.execute("SELECT * FROM metric_snapshots ORDER BY publication_id")
    }


TIKTOK_IDS = [f"73000000000000001{n:02d}" for n in (1, 2, 3, 4)]


def test_tiktok_studio_export_good_rows_kept_bad_rows_named_twice_adds_nothing(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    pubs = publish(workspace, "tiktok", TIKTOK_IDS)
    file = str(DATA / "tiktok_studio_content.csv")
    code, _, err = cli(capsys, workspace, "metrics", "import", file, "--platform", "tiktok",
                       "--as-of", AS_OF)  # fmt: skip
    assert code == 1  # some rows were bad; the good ones are stored
    assert "tiktok_studio_content.csv:4: 'total views' '12k?' is not a whole number" in err
    assert "tiktok_studio_content.csv:5: no video id" in err
    assert (
        "tiktok_studio_content.csv:6: no tiktok publication has the video id 7399999999999999999"
        in err
    )
    assert "unknown columns left out: Views in the last 7 days" in err
    assert "imported 3 snapshots" in err
    got = snaps(workspace)
    tofu = got[pubs[TIKTOK_IDS[0]]]
    assert (tofu["views"], tofu["likes"], tofu["saves"], tofu["reach"]) == (12480, 1032, 210, 10902)
    assert tofu["completion_rate"] == pytest.approx(0.315) and tofu["avg_view_s"] == 9.8
    assert (tofu["captured_at"], tofu["source"]) == ("2026-11-27T08:00:00Z", "import")
    pasta = got[pubs[TIKTOK_IDS[1]]]
    assert pasta["saves"] is None and pasta["avg_view_s"] == 7.0  # an empty cell stays empty
    assert got[pubs[TIKTOK_IDS[3]]]["avg_view_s"] == 62.0  # "1m 2s"
    assert pubs[TIKTOK_IDS[2]] not in got
    latest = workspace.store.conn.execute("SELECT sum(views) FROM metric_pubs").fetchone()[0]
    assert latest == 12480 + 4210 + 2020
    code, out, err = cli(capsys, workspace, "metrics", "import", file, "--platform", "tiktok",
                         "--as-of", AS_OF, "--json")  # fmt: skip
    doc = json.loads(out)
    assert (doc["added"], doc["already_stored"], len(doc["errors"])) == (0, 3, 3)
    assert len(snaps(workspace)) == 3


def test_youtube_studio_export_skips_the_total_row(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = ["dQw4w9WgXcQ", "yt_pasta_01", "yt_knife_02", "yt_bad_dur3"]
    pubs = publish(workspace, "youtube", ids)
    file = DATA / "youtube_studio_table_data.csv"
    code, _, err = cli(capsys, workspace, "metrics", "import", str(file), "--platform", "youtube")
    assert code == 1
    assert ":5: 'watch time (hours)' 'n/a' is not a number" in err
    assert ":6: 'average view duration' 'abc' is not a duration" in err
    assert "Total" not in err and "unknown columns left out: RPM (USD)" in err
    got = snaps(workspace)
    tofu = got[pubs["dQw4w9WgXcQ"]]
    assert (tofu["views"], tofu["comments"], tofu["shares"], tofu["followers_gained"]) == (
        15210, 51, 30, 44,
    )  # fmt: skip
    assert tofu["watch_time_s"] == pytest.approx(118.5412 * 3600)
    assert (tofu["avg_view_s"], tofu["avg_view_pct"]) == (28.0, 62.31)
    mtime = datetime.fromtimestamp(int(file.stat().st_mtime), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert tofu["captured_at"] == mtime  # no --as-of: the file's time
    assert set(got) == {pubs["dQw4w9WgXcQ"], pubs["yt_pasta_01"]}


def test_import_refuses_a_file_from_another_platform(
    workspace: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    file = str(DATA / "youtube_studio_table_data.csv")
    code, _, err = cli(capsys, workspace, "metrics", "import", file, "--platform", "tiktok")
    assert code == 1 and "no video id column" in err and "--platform" in err
    code, _, err = cli(capsys, workspace, "metrics", "import", file, "--platform", "youtube",
                       "--as-of", "yesterday")  # fmt: skip
    assert code == 2 and "--as-of 'yesterday'" in err
    assert snaps(workspace) == {}


def test_export_writes_the_snapshots_of_a_range(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    publish(workspace, "tiktok", TIKTOK_IDS)
    src = str(DATA / "tiktok_studio_content.csv")
    for day in ("2026-11-26T22:00:00+00:00", AS_OF):
        cli(capsys, workspace, "metrics", "import", src, "--platform", "tiktok", "--as-of", day)
    target = tmp_path / "out.csv"
    code, _, err = cli(capsys, workspace, "metrics", "export", "--from", "2026-11-27",
                       "--to", "2026-11-27", str(target))  # fmt: skip
    assert code == 0 and "exported 3 snapshots" in err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {r["captured_at"] for r in rows} == {"2026-11-27T08:00:00Z"}
    assert rows[0]["account"] == "tiktok:pantrylab" and rows[0]["source"] == "import"
    pasta = next(r for r in rows if r["remote_id"] == TIKTOK_IDS[1])
    assert pasta["saves"] == "" and pasta["views"] == "4210"
    code, out, _ = cli(capsys, workspace, "metrics", "export", "--account", "tiktok:pantrylab", "-")
    assert code == 0 and len(list(csv.reader(io.StringIO(out)))) == 1 + 6
    code, _, err = cli(capsys, workspace, "metrics", "export", "--from", "27/11", str(target))
    assert code == 2 and "--from '27/11' is not a date" in err


def test_cadence_follows_a_shorts_life() -> None:
    c = Cadence(hourly_hours=48, daily_days=30, stop_days=365)
    out = datetime(2026, 1, 1, tzinfo=UTC)
    assert c.next_fetch(out, None) == out + timedelta(hours=1)
    assert c.next_fetch(out, out + timedelta(hours=47)) == out + timedelta(hours=48)
    assert c.next_fetch(out, out + timedelta(hours=48)) == out + timedelta(days=3)
    assert c.next_fetch(out, out + timedelta(days=31)) == out + timedelta(days=38)
    assert c.next_fetch(out, out + timedelta(days=365)) is None
    assert Cadence(stop_days=0).next_fetch(out, out + timedelta(days=900)) == out + timedelta(
        days=907
    )
