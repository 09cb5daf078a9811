"""`reelroom report week|post`: what a person sends, by hand on a small week and on the demo."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from rows import add_account, add_pillar, add_post, add_publication

from app.cli import main
from app.reports.data import post_report, week_report
from app.reports.html import post_html, week_html
from app.reports.markdown import post_md, week_md
from app.workspace import Workspace
from storage.metrics.writer import SnapshotRow, record_snapshots
from storage.timefmt import to_db

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)  # the workspace fixture is in UTC
NOW = MONDAY + timedelta(days=8)


def snap(ws: Workspace, pub: int, at: datetime, **values: object) -> None:
    with ws.store.write() as conn:
        record_snapshots(conn, [SnapshotRow(pub, to_db(at), **values)])  # type: ignore[arg-type]


def small_week(ws: Workspace) -> tuple[int, int]:
    """Two posts out on Monday and Wednesday 19:00; the second has a hostile title."""
    acc = add_account(ws.store, "tiktok", "pantrylab")
    food = add_pillar(ws.store, "Food", "green", share=0.5)
    add_pillar(ws.store, "Gear", "blue", share=0.5)
    first = add_post(ws.store, "Crispy tofu", "published", pillar_id=food)
    second = add_post(ws.store, "Bad | <script>alert(1)</script> \x1b[31mred", "published",
                      pillar_id=food)  # fmt: skip
    a = add_publication(ws.store, first, acc, "published", published=MONDAY + timedelta(hours=19))
    b = add_publication(ws.store, second, acc, "published", published=MONDAY + timedelta(days=2, hours=19))  # fmt: skip
    snap(ws, a, MONDAY + timedelta(hours=23), views=1000, likes=100)
    snap(ws, a, MONDAY + timedelta(days=2, hours=19), views=5000, likes=400)
    snap(ws, b, MONDAY + timedelta(days=3, hours=1), views=300, likes=30)
    snap(ws, b, MONDAY + timedelta(days=4, hours=19), views=900, likes=60)
    return first, second


def test_week_report_by_hand(workspace: Workspace) -> None:
    small_week(workspace)
    r = week_report(workspace, date(2026, 11, 26), NOW)
    assert (r.first, r.last, r.in_progress) == (date(2026, 11, 23), date(2026, 11, 29), False)
    assert [p.views for p in r.days] == [1000, None, 4000, 300, 600, None, None]
    assert r.views == 5900 and r.previous_views is None
    assert [p.views_48h for p in r.published] == [5000, 900]
    assert [f.views_48h for f in r.top] == [5000, 900] and [f.views_48h for f in r.bottom] == []
    assert r.best_slots == ()  # 2 publications in two slots: not enough data (3 each)
    food = next(p for p in r.pillars if p.pillar == "Food")
    assert (food.publications, food.share, food.target, food.median_views_48h) == (
        2,
        1.0,
        0.5,
        2950,
    )
    md = week_md(r)
    assert "**Views** 5,900 (— on the week before)" in md
    assert "| Mon 23 Nov | 1,000 | 10.0% |" in md
    assert "Bad \\| \\<script\\>alert(1)\\</script\\> \\[31mred" in md and "\x1b" not in md
    assert "Not enough data yet" in md


def test_week_report_html_is_self_contained_and_escaped(workspace: Workspace) -> None:
    small_week(workspace)
    page = week_html(week_report(workspace, date(2026, 11, 26), NOW))
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<script" not in page and "&lt;script&gt;" in page and "\x1b" not in page
    links = re.findall(r"(?:src|href)=\"([^\"]+)\"", page)
    assert links == []  # no fonts, scripts or images from anywhere; no publication URLs here
    assert "@import" not in page and "url(" not in page


def test_post_report_against_its_pillar(workspace: Workspace) -> None:
    first, second = small_week(workspace)
    r = post_report(workspace, first, NOW)
    assert [(f.views, f.views_48h) for f in r.publications] == [(5000, 5000)]
    (curve,) = r.curves
    at48 = next(a for a in curve.ages if a.age_h == 48)
    assert (at48.views, at48.pillar_median, at48.peers) == (5000, 900, 1)
    assert [p.views for p in r.days[:3]] == [1000, None, 4000]
    md = post_md(r)
    assert "# Crispy tofu" in md and "| 48 h | 5,000 | 900 | 900–900 | 1 |" in md
    page = post_html(post_report(workspace, second, NOW))
    assert "&lt;script&gt;" in page and "<svg" in page


def test_report_commands(
    workspace: Workspace, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    first, _ = small_week(workspace)
    home = str(workspace.home.root)
    assert main(["--home", home, "report", "week", "--week", "2026-11-25"]) == 0
    assert capsys.readouterr().out.startswith("# Week of Mon 23 Nov – Sun 29 Nov 2026 (UTC)")
    target = tmp_path / "post.html"
    assert main(["--home", home, "report", "post", str(first), "--format", "html",
                 "--output", str(target)]) == 0  # fmt: skip
    assert "Crispy tofu" in target.read_text(encoding="utf-8")
    assert main(["--home", home, "report", "post", "999"]) == 1
    assert "there is no post 999" in capsys.readouterr().err
    assert main(["--home", home, "report", "week", "--week", "last week"]) == 2


def test_demo_week_report_has_every_section(demo_workspace: Workspace) -> None:
    from conftest import FROZEN

    r = week_report(demo_workspace, FROZEN.date() - timedelta(days=7), FROZEN)
    md = week_md(r)
    for heading in ("## Views per day", "## What went out", "## Top by views at 48 hours",
                    "## Best slots", "## Pillar mix"):  # fmt: skip
        assert heading in md
    assert r.published and r.top and r.best_slots and len(r.pillars) == 4
    assert all(p.views is not None for p in r.days)
