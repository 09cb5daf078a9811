"""TodayRepo on a real SQLite file: every section's rules, limits, numbers, details."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from rows import (
    add_account,
    add_deal,
    add_deliverable,
    add_inbox,
    add_post,
    add_publication,
    add_render,
    add_snapshot,
)

from storage import Store
from storage.today import TodayRepo

UTC = ZoneInfo("UTC")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_due_posts_follow_stage_lead_times(store: Store, frozen_now: datetime) -> None:
    """Each stage is due its lead time before planned_at; finished stages never are."""
    d = timedelta(days=1)
    add_post(store, "idea overdue", "idea", planned=frozen_now + 5 * d)  # due 2 d ago
    add_post(store, "idea later", "idea", planned=frozen_now + 8 * d)  # due tomorrow
    add_post(store, "script today", "scripting", planned=frozen_now + 3 * d)  # due now
    add_post(
        store,
        "shoot today",
        "ready_to_shoot",
        planned=frozen_now + 9 * d,
        shoot=frozen_now + timedelta(hours=6),
    )
    add_post(
        store, "shoot tomorrow", "ready_to_shoot", planned=frozen_now + 2 * d, shoot=frozen_now + d
    )
    add_post(store, "shoot unset", "ready_to_shoot", planned=frozen_now + timedelta(days=2))
    add_post(store, "edit", "editing", planned=frozen_now + d)  # due now
    add_post(store, "ready tomorrow", "ready", planned=frozen_now + d)
    add_post(store, "sched", "scheduled", planned=frozen_now - 3 * d)
    add_post(store, "pub", "published", planned=frozen_now - 3 * d)
    add_post(store, "arch", "archived", planned=frozen_now - 3 * d)
    add_post(store, "no plan", "idea")

    due = TodayRepo(store).due_posts(frozen_now, UTC)

    titles = [p.title for p in due.items]
    assert titles[0] == "idea overdue"
    assert set(titles) == {"idea overdue", "script today", "shoot today", "shoot unset", "edit"}
    assert due.total == 5
    overdue = due.items[0]
    assert overdue.due_at == frozen_now - 2 * d
    shoot = next(p for p in due.items if p.title == "shoot today")
    assert shoot.due_at == frozen_now + timedelta(hours=6)
    assert [p.due_at for p in due.items] == sorted(p.due_at for p in due.items)


def test_due_posts_count_days_in_the_workspace_zone(store: Store, frozen_now: datetime) -> None:
    """09:00 UTC is 17:00 in Shanghai: 18:00 UTC falls on Shanghai's tomorrow."""
    add_post(store, "ready late", "ready", planned=frozen_now + timedelta(hours=9))
    repo = TodayRepo(store)
    assert [p.title for p in repo.due_posts(frozen_now, UTC).items] == ["ready late"]
    assert repo.due_posts(frozen_now, SHANGHAI).items == ()


def test_sections_are_capped_with_the_full_count(store: Store, frozen_now: datetime) -> None:
    """A limit keeps the first rows and reports how many were left out."""
    for i in range(5):
        add_post(store, f"overdue {i}", "ready", planned=frozen_now - timedelta(days=i + 1))
    due = TodayRepo(store).due_posts(frozen_now, UTC, limit=2)
    assert [p.title for p in due.items] == ["overdue 4", "overdue 3"]
    assert (due.total, due.more) == (5, 3)


def test_going_out_in_24_hours(store: Store, frozen_now: datetime) -> None:
    """Scheduled or publishing before now+24 h, late ones first; drafts and later ones not."""
    acc = add_account(store, "tiktok", "reelroom")
    h = timedelta(hours=1)
    rows = {
        "soon": ("scheduled", frozen_now + 23 * h),
        "late": ("publishing", frozen_now - h),
        "later": ("scheduled", frozen_now + 25 * h),
        "draft": ("draft", frozen_now + h),
        "gone": ("published", frozen_now - h),
    }
    for title, (state, when) in rows.items():
        post = add_post(store, title, "scheduled", planned=when)
        add_publication(
            store,
            post,
            acc,
            state,
            scheduled=when,
            published=when if state == "published" else None,
        )
    out = TodayRepo(store).going_out(frozen_now)
    assert [(p.post_title, p.state) for p in out.items] == [
        ("late", "publishing"),
        ("soon", "scheduled"),
    ]
    assert out.items[1].scheduled_at == frozen_now + 23 * h
    assert (out.items[0].platform, out.items[0].handle) == ("tiktok", "reelroom")


def test_failed_renders_latest_first(store: Store, frozen_now: datetime) -> None:
    """Failed and dead render jobs show, newest failure first; others do not."""
    post = add_post(store, "拍摄 vlog", "editing")
    old = add_render(store, "dead", frozen_now - timedelta(days=2), error="ffmpeg exit 1")
    new = add_render(
        store,
        "failed",
        frozen_now - timedelta(hours=1),
        recipe="subtitles",
        post_id=post,
        error="font not found",
    )
    add_render(store, "done", frozen_now)
    add_render(store, "queued", frozen_now)
    failed = TodayRepo(store).failed_renders()
    assert [r.job_id for r in failed.items] == [new, old]
    assert failed.items[0].post_title == "拍摄 vlog"
    assert failed.items[0].error == "font not found"
    assert failed.total == 2


def test_inbox_backlog_per_account(store: Store, frozen_now: datetime) -> None:
    """One row per account: unanswered count and the oldest unanswered time."""
    a = add_account(store, "tiktok", "a")
    b = add_account(store, "youtube", "b")
    add_account(store, "instagram", "quiet")
    add_inbox(store, a, 3, frozen_now - timedelta(hours=5))
    add_inbox(store, a, 2, frozen_now - timedelta(days=3), status="done")
    add_inbox(store, b, 1, frozen_now - timedelta(days=1))
    inbox = TodayRepo(store).inbox()
    assert [(i.handle, i.unanswered) for i in inbox.items] == [("b", 1), ("a", 3)]
    assert inbox.items[1].oldest_at == frozen_now - timedelta(hours=5)


def test_deliverables_due_within_a_week(store: Store, frozen_now: datetime) -> None:
    """Deliverables not live, of deals not lost, due within 7 days, overdue ones included."""
    deal = add_deal(store, "Acme")
    dead = add_deal(store, "Gone", status="lost")
    d = timedelta(days=1)
    add_deliverable(store, deal, "story", frozen_now + 6 * d)
    add_deliverable(store, deal, "late reel", frozen_now - d)
    add_deliverable(store, deal, "far", frozen_now + 8 * d)
    add_deliverable(store, deal, "finished", frozen_now + d, status="live")
    add_deliverable(store, dead, "cancelled deal", frozen_now + d)
    due = TodayRepo(store).deliverables(frozen_now)
    assert [x.description for x in due.items] == ["late reel", "story"]
    assert due.items[0].partner == "Acme"


def test_yesterday_numbers_from_cumulative_snapshots(store: Store, frozen_now: datetime) -> None:
    """Daily gains are differences of each day's last snapshot; new posts start at 0."""
    acc = add_account(store, "tiktok", "a")
    post = add_post(store, "old", "published")
    old = add_publication(store, post, acc, "published", published=frozen_now - timedelta(days=60))
    gains = [500, 700, 400, 900, 600, 800, 300, 1000, 2100]  # D-9 … yesterday (baseline first)
    total = 10_000
    yesterday_noon = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)
    for back, gain in zip(range(len(gains) - 1, -1, -1), gains, strict=False):
        total += gain
        day_noon = yesterday_noon - timedelta(days=back)
        add_snapshot(store, old, day_noon - timedelta(hours=6), total - gain // 2)  # not the last
        add_snapshot(store, old, day_noon, total)
    add_snapshot(store, old, frozen_now - timedelta(hours=1), total + 99_999)  # today: ignored
    new_post = add_post(store, "new", "published")
    new = add_publication(
        store, new_post, acc, "published", published=yesterday_noon - timedelta(hours=3)
    )
    add_snapshot(store, new, yesterday_noon, 250)

    numbers = TodayRepo(store).numbers(frozen_now, UTC)

    assert numbers.day.isoformat() == "2026-11-27"
    views = numbers.figures[0]
    assert views.name == "views"
    assert views.yesterday == gains[-1] + 250
    week = gains[1:-1]
    assert views.week_avg == sum(week) / len(week)
    assert views.change == (views.yesterday - views.week_avg) / views.week_avg


def test_numbers_use_local_days(store: Store, frozen_now: datetime) -> None:
    """In Shanghai, 17:00 UTC on the 27th is already the 28th (today): not yesterday."""
    acc = add_account(store, "tiktok", "a")
    post = add_post(store, "p", "published")
    pub = add_publication(
        store, post, acc, "published", published=datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)
    )
    add_snapshot(store, pub, datetime(2026, 11, 27, 3, 0, tzinfo=timezone.utc), 100)
    add_snapshot(store, pub, datetime(2026, 11, 27, 17, 0, tzinfo=timezone.utc), 900)
    repo = TodayRepo(store)
    assert repo.numbers(frozen_now, UTC).figures[0].yesterday == 900
    assert repo.numbers(frozen_now, SHANGHAI).figures[0].yesterday == 100


def test_numbers_without_history(store: Store, frozen_now: datetime) -> None:
    """No snapshots: no figure and no average, rather than a made-up zero."""
    numbers = TodayRepo(store).numbers(frozen_now, UTC)
    assert all(
        f.yesterday is None and f.week_avg is None and f.change is None for f in numbers.figures
    )


def test_details(store: Store, frozen_now: datetime) -> None:
    """Each kind of row opens a detail with its related rows; a missing id gives None."""
    pillar = (
        store.db["pillars"]
        .insert({"name": "Kitchen", "created_at": "2026-01-01T00:00:00Z"})
        .last_pk
    )
    post = add_post(
        store,
        "Dumplings 饺子",
        "editing",
        planned=frozen_now,
        pillar_id=pillar,
        notes="use the b-roll",
    )
    acc = add_account(store, "youtube", "chan")
    add_publication(store, post, acc, "scheduled", scheduled=frozen_now + timedelta(hours=2))
    job = add_render(store, "failed", frozen_now, post_id=post, error="exit 1", log="line\nlast")
    add_inbox(store, acc, 3, frozen_now - timedelta(hours=3))
    deal = add_deal(store, "Acme")
    deliv = add_deliverable(store, deal, "story", frozen_now + timedelta(days=2))
    repo = TodayRepo(store)

    pd = repo.post_detail(post)
    assert pd is not None and (pd.pillar, pd.notes) == ("Kitchen", "use the b-roll")
    assert [(p.handle, p.state) for p in pd.publications] == [("chan", "scheduled")]
    rd = repo.render_detail(job)
    assert rd is not None and (rd.post_title, rd.log_tail) == ("Dumplings 饺子", "line\nlast")
    inbox = repo.inbox_detail(acc, latest=2)
    assert inbox is not None and inbox.unanswered == 3
    assert [line.author for line in inbox.latest] == ["fan2", "fan1"]
    dd = repo.deliverable_detail(deliv)
    assert dd is not None and (dd.partner, dd.fee_minor, dd.currency) == ("Acme", 250000, "EUR")
    assert repo.post_detail(9999) is None and repo.render_detail(9999) is None
    assert repo.inbox_detail(9999) is None and repo.deliverable_detail(9999) is None


def test_numbers_key_changes_only_with_their_snapshots(store: Store, frozen_now: datetime) -> None:
    """A snapshot captured today leaves yesterday's numbers alone; one from yesterday does not."""
    acc = add_account(store, "tiktok", "a")
    post = add_post(store, "p", "published")
    pub = add_publication(store, post, acc, "published", published=frozen_now - timedelta(days=30))
    add_snapshot(store, pub, frozen_now - timedelta(days=2), 100)
    repo = TodayRepo(store)
    key = repo.numbers_key(frozen_now, UTC)
    add_snapshot(store, pub, frozen_now - timedelta(hours=1), 500)  # today
    assert repo.numbers_key(frozen_now, UTC) == key
    add_snapshot(store, pub, frozen_now - timedelta(hours=20), 300)  # yesterday, late arrival
    changed = repo.numbers_key(frozen_now, UTC)
    assert changed != key
    assert repo.numbers_key(frozen_now + timedelta(days=1), UTC) != changed
