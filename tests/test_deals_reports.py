"""Sponsor reports (storage/deals/reports.py) against hand-computed numbers: on a small
fixture, and on the demo workspace against a second, plain computation from the rows."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rows import add_account, add_post, add_publication, insert

from app.deals.report_formats import render
from app.workspace import Workspace
from storage import Store
from storage.deals.repo import DealRepo, NewDeal, NewDeliverable
from storage.deals.reports import SponsorReports
from storage.timefmt import from_db, to_db

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
H = timedelta(hours=1)


def snap(store: Store, pub: int, at: datetime, views: int, likes: int, comments: int,
         shares: int, saves: int, completion: float | None = None) -> None:  # fmt: skip
    insert(
        store,
        "metric_snapshots",
        {
            "publication_id": pub, "captured_at": to_db(at), "views": views, "likes": likes,
            "comments": comments, "shares": shares, "saves": saves,
            "completion_rate": completion,
        },
    )  # fmt: skip


@pytest.fixture
def fixture(store: Store) -> tuple[Store, int]:
    """Deliverable A: TikTok out at T0, YouTube at T0+1h; B: TikTok out at T0+2d."""
    tt, yt = add_account(store, "tiktok", "a"), add_account(store, "youtube", "a")
    p1, p2 = add_post(store, "A", "published"), add_post(store, "B", "published")
    repo = DealRepo(store)
    deal = repo.add(
        NewDeal(partner="Brand", title="Series", stage="in_production", promised={"views": 20000})
    )
    for post, desc in ((p1, "A"), (p2, "B")):
        repo.add_deliverable(NewDeliverable(deal.id, desc, T0 + 5 * H * 24, post_ids=(post,)))
    a_tt = add_publication(store, p1, tt, "published", published=T0)
    a_yt = add_publication(store, p1, yt, "published", published=T0 + H)
    b_tt = add_publication(store, p2, tt, "published", published=T0 + 48 * H)
    snap(store, a_tt, T0 + 6 * H, 1000, 50, 10, 5, 0, 0.4)
    snap(store, a_tt, T0 + 23 * H, 5000, 300, 40, 20, 10, 0.5)
    snap(store, a_tt, T0 + 30 * H, 8000, 400, 50, 25, 15, 0.5)
    snap(store, a_tt, T0 + 47 * H, 9000, 500, 60, 30, 20, 0.45)
    snap(store, a_yt, T0 + 25 * H, 2000, 100, 5, 0, 0)  # exactly at its checkpoint: counts
    snap(store, a_yt, T0 + 41 * H, 2500, 120, 8, 2, 0, 0.6)
    snap(store, a_yt, T0 + 60 * H, 9999, 999, 99, 9, 9, 0.9)  # after 48 h: never counted
    snap(store, b_tt, T0 + 68 * H, 3000, 90, 9, 1, 0)
    return store, deal.id


def test_figures_at_each_checkpoint_match_the_hand_computation(fixture) -> None:
    store, deal_id = fixture
    now = T0 + 72 * H
    report = SponsorReports(store).assemble(deal_id, now)
    assert [c.hours for c in report.checkpoints] == [24, 48]
    day1, day2 = report.checkpoints
    a1, b1 = day1.rows
    # A at 24 h: TikTok's snapshot of T0+23h (5000; 300+40+20+10) + YouTube's at T0+25h (2000; 105)
    assert (a1.description, a1.figures.views, a1.figures.engagements) == ("A", 7000, 475)
    assert a1.figures.engagement_rate == pytest.approx(475 / 7000)
    assert a1.figures.completion_rate == pytest.approx(0.5)  # only TikTok gives it
    assert (b1.figures.views, b1.figures.engagements) == (3000, 100)
    assert (day1.total.views, day1.total.engagements) == (10000, 575)
    [a2] = day2.rows  # B has not reached 48 h
    assert (a2.figures.views, a2.figures.engagements) == (11500, 740)
    assert a2.figures.completion_rate == pytest.approx((9000 * 0.45 + 2500 * 0.6) / 11500)
    assert a2.figures.reach is None and a2.figures.link_clicks is None  # not given
    [(key, actual, promised, ratio)] = report.against_promise()
    assert (key, actual, promised) == ("views", 11500 + 3000, 20000)
    assert ratio == pytest.approx(14500 / 20000)
    assert sorted((u.description, u.hours) for u in report.upcoming) == [
        ("A", 168), ("A", 720), ("B", 48), ("B", 168), ("B", 720),
    ]  # fmt: skip
    assert report.kept_now == 3


def test_a_kept_report_is_never_recomputed(fixture) -> None:
    store, deal_id = fixture
    reports = SponsorReports(store)
    reports.assemble(deal_id, T0 + 72 * H)
    late = store.conn.execute("SELECT id FROM publications ORDER BY id LIMIT 1").fetchone()[0]
    snap(store, late, T0 + 23 * H + timedelta(minutes=30), 99999, 1, 1, 1, 1)
    again = reports.assemble(deal_id, T0 + 80 * H)
    assert again.kept_now == 0 and again.checkpoints[0].rows[0].figures.views == 7000
    assert store.conn.execute("SELECT count(*) FROM deal_reports").fetchone()[0] == 3


def test_formats_carry_the_same_numbers(fixture) -> None:
    store, deal_id = fixture
    now = T0 + 72 * H
    report = SponsorReports(store).assemble(deal_id, now)
    zone = ZoneInfo("Europe/Berlin")
    md = render(report, "md", zone, "en_US", now)
    assert "## 24 h after going live" in md and "| **Deal total** | **10,000** |" in md
    assert "| Views | 14,500 | 20,000 | 72.5% |" in md
    page = render(report, "html", zone, "de_DE", now)
    assert "<td><strong>10.000</strong></td>" in page and page.startswith("<!doctype html>")
    rows = list(csv.DictReader(io.StringIO(render(report, "csv", zone, "en_US", now))))
    totals = {r["checkpoint_hours"]: r for r in rows if r["deliverable"] == "deal total"}
    assert totals["24"]["views"] == "10000" and totals["48"]["engagements"] == "740"
    assert float(totals["24"]["engagement_rate"]) == pytest.approx(575 / 10000, abs=1e-6)


def test_the_cli_writes_each_format(tmp_path: Path, fixture, engine_workspace: Workspace) -> None:
    from conftest import reelroom

    _, deal_id = fixture
    out = tmp_path / "r.html"
    proc = reelroom(engine_workspace.home.root, "deals", "report", str(deal_id), "--format", "html",
                    "--output", str(out))  # fmt: skip
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "<h1>Sponsor report: Series</h1>" in out.read_text()


def test_demo_report_numbers_against_a_plain_computation(demo_workspace: Workspace) -> None:
    """The demo's skillet deal: for each publication of its live deliverable, the latest
    snapshot at or before published_at + 24 h, summed by hand from the raw rows."""
    from conftest import FROZEN

    store = demo_workspace.store
    deal = next(d for d in DealRepo(store).listing() if d.title.startswith("Holiday skillet"))
    report = SponsorReports(store).assemble(deal.id, FROZEN)
    day1 = next(c for c in report.checkpoints if c.hours == 24)
    [row] = day1.rows
    item = DealRepo(store).deliverable(row.deliverable_id)
    assert item is not None and item.post_ids
    pubs = store.conn.execute(
        "SELECT p.id, p.published_at, a.platform FROM publications p JOIN accounts a "
        "ON a.id = p.account_id WHERE p.post_id = ? AND p.state = 'published'",
        (item.post_ids[0],),
    ).fetchall()
    views = engagements = 0
    for pub in pubs:
        if pub["platform"] not in item.platforms:
            continue
        cut = from_db(pub["published_at"]) + timedelta(hours=24)
        snaps = store.conn.execute(
            "SELECT captured_at, views, likes, comments, shares, saves FROM metric_snapshots "
            "WHERE publication_id = ?",
            (pub["id"],),
        ).fetchall()
        before = [s for s in snaps if from_db(s["captured_at"]) <= cut]
        if before:
            last = max(before, key=lambda s: s["captured_at"])
            # a count the platform does not give is empty (schema 8): it adds nothing
            views += last["views"] or 0
            engagements += sum(last[k] or 0 for k in ("likes", "comments", "shares", "saves"))
    assert views > 0
    assert (row.figures.views, row.figures.engagements) == (views, engagements)
    assert day1.total.views == views
