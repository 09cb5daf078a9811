"""The chart queries against numbers computed by hand on small fixtures."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rows import add_account, add_pillar, add_post, add_publication, insert

from storage import Store
from storage.metrics import posts as P
from storage.metrics import series as S
from storage.metrics.days import Filter
from storage.metrics.writer import (
    AccountSnapshotRow,
    SnapshotRow,
    record_account_snapshots,
    record_snapshots,
)
from storage.timefmt import to_db

UTC_ZONE = ZoneInfo("UTC")
KOLKATA = ZoneInfo("Asia/Kolkata")  # +05:30


def snap(store: Store, pub: int, at: datetime, **values: object) -> None:
    with store.write() as conn:
        record_snapshots(conn, [SnapshotRow(pub, to_db(at), **values)])  # type: ignore[arg-type]


def published(
    store: Store,
    account: int,
    at: datetime,
    views_48h: int,
    *,
    pillar: int | None = None,
    tags: list[str] | None = None,
    title: str = "p",
    **at_48h: object,
) -> int:
    """A published post whose only snapshot is exactly 48 h after it went out."""
    post = add_post(store, title, "published", pillar_id=pillar)
    if tags:
        store.conn.execute("UPDATE posts SET tags = ? WHERE id = ?", (json.dumps(tags), post))
    pub = add_publication(store, post, account, "published", published=at)
    snap(store, pub, at + timedelta(hours=48), views=views_48h, **at_48h)
    return pub


# --- over time --------------------------------------------------------------------------


def test_daily_series_by_hand(store: Store) -> None:
    tt, yt = add_account(store, "tiktok", "t"), add_account(store, "youtube", "y")
    food, gear = add_pillar(store, "food", "green"), add_pillar(store, "gear", "blue")
    a = add_publication(store, add_post(store, "a", "published", pillar_id=food), tt, "published",
                        published=datetime(2026, 5, 1, 8, tzinfo=UTC))  # fmt: skip
    b = add_publication(store, add_post(store, "b", "published", pillar_id=gear), yt, "published",
                        published=datetime(2026, 5, 2, 8, tzinfo=UTC))  # fmt: skip
    snap(store, a, datetime(2026, 5, 1, 20, tzinfo=UTC), views=100, likes=10, comments=2, shares=1)
    snap(store, a, datetime(2026, 5, 2, 20, tzinfo=UTC), views=300, likes=30, comments=4, shares=1)
    snap(store, a, datetime(2026, 5, 4, 20, tzinfo=UTC), views=350, likes=31, comments=4, shares=3)
    snap(store, b, datetime(2026, 5, 2, 21, tzinfo=UTC), views=50, likes=5,
         completion_rate=0.4, avg_view_pct=60.0)  # fmt: skip
    snap(store, b, datetime(2026, 5, 3, 21, tzinfo=UTC), views=150, likes=9,
         completion_rate=0.3, avg_view_pct=50.0)  # fmt: skip

    series = S.daily(store.conn, date(2026, 5, 2), date(2026, 5, 5), UTC_ZONE)
    assert series.values("views") == [250, 100, 50, None]
    assert series.values("cumulative_views") == [350, 450, 500, 500]  # 100 before the range
    day2 = series.points[0]
    assert day2.engagement == pytest.approx((20 + 2 + 0 + 5) / 250)  # b gives no comments/shares
    assert day2.completion == pytest.approx(0.4)  # only b's 50 views carry completion
    day3 = series.points[1]
    assert day3.completion == pytest.approx((0.3 * 150 - 0.4 * 50) / 100)
    assert day3.avg_view_pct == pytest.approx((50.0 * 150 - 60.0 * 50) / 100)
    assert series.points[3].engagement is None and series.points[3].likes is None

    only_tiktok = S.daily(store.conn, date(2026, 5, 2), date(2026, 5, 5), UTC_ZONE,
                          Filter(account_ids=(tt,)))  # fmt: skip
    assert only_tiktok.values("views") == [200, None, 50, None]
    gear_only = S.daily(store.conn, date(2026, 5, 1), date(2026, 5, 3), UTC_ZONE,
                        Filter(pillar_ids=(gear,)))  # fmt: skip
    assert gear_only.values("views") == [None, 50, 100]
    # In Kolkata (+05:30) the 20:00 UTC snapshots belong to the next local day.
    local = S.daily(store.conn, date(2026, 5, 2), date(2026, 5, 5), KOLKATA)
    assert local.values("views") == [100, 250, 100, 50]


def test_post_daily_reads_the_posts_own_snapshots_like_the_rollups(store: Store) -> None:
    acc = add_account(store, "tiktok", "t")
    post = add_post(store, "solo", "published")
    pub = add_publication(store, post, acc, "published", published=datetime(2026, 5, 1, tzinfo=UTC))
    for day, views in ((1, 10), (2, 40), (2, 45), (4, 90)):
        snap(store, pub, datetime(2026, 5, day, 6 + views % 7, tzinfo=UTC), views=views, likes=1)
    whole = S.daily(store.conn, date(2026, 4, 30), date(2026, 5, 5), KOLKATA)
    mine = S.post_daily(store.conn, post, date(2026, 4, 30), date(2026, 5, 5), KOLKATA)
    assert mine == whole
    # 45 at 09:00 and 40 at 11:00 on the 2nd: the count went down; the day's gain is 40 - 10.
    assert mine.values("views") == [None, 10, 30, None, 50, None]


def test_followers_at_each_days_end_and_the_change(store: Store) -> None:
    a, b = add_account(store, "tiktok", "t"), add_account(store, "instagram", "i")
    counts = [
        AccountSnapshotRow(a, "2026-05-01T10:00:00Z", 1000),
        AccountSnapshotRow(a, "2026-05-02T10:00:00Z", 1030),
        AccountSnapshotRow(a, "2026-05-02T22:00:00Z", 1025),
        AccountSnapshotRow(b, "2026-05-03T09:00:00Z", 500),
        AccountSnapshotRow(b, "2026-05-04T09:00:00Z", 520),
    ]
    with store.write() as conn:
        record_account_snapshots(conn, counts)
    points = S.followers(store.conn, date(2026, 5, 2), date(2026, 5, 4), UTC_ZONE)
    assert [(p.followers, p.change) for p in points] == [(1025, 25), (1525, None), (1545, 20)]
    only_a = S.followers(store.conn, date(2026, 5, 1), date(2026, 5, 1), UTC_ZONE, [a])
    assert [(p.followers, p.change) for p in only_a] == [(1000, None)]


# --- per publication ------------------------------------------------------------------------


def test_best_time_grid_by_hand(store: Store) -> None:
    """Mondays 19:xx in Kolkata: 3 posts (median 200); Tuesdays 12:xx: only 2."""
    acc = add_account(store, "tiktok", "t")
    monday_7pm = datetime(2026, 6, 1, 19, 10, tzinfo=KOLKATA)  # a Monday
    for k, views in enumerate((100, 200, 900)):
        published(store, acc, monday_7pm + timedelta(weeks=k, minutes=k), views)
    tuesday_noon = datetime(2026, 6, 2, 12, 40, tzinfo=KOLKATA)
    for k, views in enumerate((5000, 7000)):
        published(store, acc, tuesday_noon + timedelta(weeks=k), views)
    young = add_publication(store, add_post(store, "young", "published"), acc, "published",
                            published=monday_7pm + timedelta(weeks=5))  # fmt: skip
    snap(store, young, monday_7pm + timedelta(weeks=5, hours=30), views=50)  # no 48 h yet

    figs = P.figures(store.conn)
    assert len(figs) == 6 and sum(f.views_48h is None for f in figs) == 1
    grid = P.best_time(figs, KOLKATA)
    monday = grid.cell(0, 19)
    assert (monday.count, monday.median_views) == (3, 200)
    tuesday = grid.cell(1, 12)
    assert (tuesday.count, tuesday.median_views) == (2, None)  # not enough data
    assert grid.best() == [monday]
    assert P.best_time(figs, KOLKATA, min_count=2).best()[0] == P.BestTimeCell(1, 12, 2, 6000)
    # In UTC the same posts went out on Monday 13:40 and Tuesday 07:10.
    assert P.best_time(figs, UTC_ZONE).cell(0, 13).count == 3
    assert sum(c.count for c in grid.cells) == 5
    assert P.best_time_grid(store.conn, KOLKATA) == grid  # straight from the database, the same
    assert P.best_time_grid(store.conn, KOLKATA, since=monday_7pm + timedelta(days=1)).cell(
        0, 19
    ) == P.BestTimeCell(0, 19, 2, None)


def test_pillar_and_hook_comparison_with_quartiles(store: Store) -> None:
    acc = add_account(store, "instagram", "i")
    food, gear = add_pillar(store, "food", "green"), add_pillar(store, "gear", "blue")
    start = datetime(2026, 6, 1, 12, tzinfo=UTC)
    for k, views in enumerate((100, 200, 300, 400)):
        published(store, acc, start + timedelta(days=k), views, pillar=food,
                  tags=["recipe", "hook:question"], likes=views // 10, comments=0, shares=0,
                  saves=views // 10, completion_rate=0.1 * (k + 1))  # fmt: skip
    for k, views in enumerate((1000, 3000)):
        published(store, acc, start + timedelta(days=10 + k), views, pillar=gear,
                  tags=["hook:price"], likes=views // 100)  # fmt: skip
    published(store, acc, start + timedelta(days=20), 50)  # no pillar, no hook

    figs = P.figures(store.conn)
    pillars = P.compare(figs, "pillar")
    assert [g.key for g in pillars] == ["gear", "food", "none"]
    food_stats = pillars[1]
    assert food_stats.publications == 4
    v = food_stats.views_48h
    assert v is not None and (v.count, v.low, v.q1, v.median, v.q3, v.high) == (
        4, 100, 175, 250, 325, 400,
    )  # fmt: skip
    assert food_stats.engagement_48h is not None and food_stats.engagement_48h.median == (
        pytest.approx(0.2)
    )
    assert food_stats.completion_48h is not None and food_stats.completion_48h.median == (
        pytest.approx(0.25)
    )
    assert pillars[0].completion_48h is None and pillars[0].avg_view_pct_48h is None
    assert P.compare_groups(store.conn, "pillar") == pillars
    assert P.compare_groups(store.conn, "hook") == P.compare(figs, "hook")
    only = P.compare_groups(store.conn, "hook", flt=Filter(pillar_ids=(food,)))
    assert [(g.key, g.publications) for g in only] == [("question", 4)]
    hooks = {g.key: g for g in P.compare(figs, "hook")}
    assert set(hooks) == {"question", "price", "none"}
    assert hooks["price"].views_48h is not None and hooks["price"].views_48h.median == 2000
    top, bottom = P.ranked(figs, 2)
    assert [f.views_48h for f in top] == [3000, 1000]
    assert [f.views_48h for f in bottom] == [50, 100]
    only_gear = P.figures(store.conn, flt=Filter(pillar_ids=(gear,)))
    assert {f.pillar for f in only_gear} == {"gear"}
    since = P.figures(store.conn, since=start + timedelta(days=10))
    assert len(since) == 3


def test_a_posts_curve_against_its_pillar_at_the_same_age(store: Store) -> None:
    acc, other = add_account(store, "tiktok", "t"), add_account(store, "youtube", "y")
    food = add_pillar(store, "food", "green")
    start = datetime(2026, 6, 1, 12, tzinfo=UTC)
    peers = []
    for k, (v24, v48) in enumerate(((100, 150), (200, 260), (300, 500))):
        pub = published(store, acc, start + timedelta(days=k), v48, pillar=food)
        snap(store, pub, start + timedelta(days=k, hours=24), views=v24)
        peers.append(pub)
    published(store, other, start, 99_999, pillar=food)  # another account: not a peer
    mine = add_post(store, "mine", "published", pillar_id=food)
    pub = add_publication(store, mine, acc, "published", published=start + timedelta(days=9))
    snap(store, pub, start + timedelta(days=9, hours=24), views=400)

    (curve,) = P.post_curves(store.conn, mine)
    ages = {a.age_h: a for a in curve.ages}
    assert (ages[24].views, ages[24].pillar_median, ages[24].peers) == (400, 200, 3)
    assert (ages[24].pillar_q1, ages[24].pillar_q3) == (150, 250)
    assert (ages[48].views, ages[48].pillar_median) == (None, 260)
    assert ages[12].views == 200  # half-way from 0 at publishing to 400 at 24 h
    assert curve.pillar == "food" and curve.platform == "tiktok"


def test_hook_of_reads_the_first_hook_tag() -> None:
    assert P.hook_of('["a", "hook:question", "hook:price"]') == "question"
    assert P.hook_of('["hook:"]') == "none"
    assert P.hook_of("not json hook:x") == "none"
    assert P.hook_of(None) == "none"


def test_no_pillar_or_hook_is_none_and_no_numbers_is_not_listed(store: Store) -> None:
    acc = add_account(store, "kuaishou", "k")
    post = insert(store, "posts", {"title": "t", "created_at": "x", "updated_at": "x"})
    out = datetime(2026, 1, 1, tzinfo=UTC)
    pub = add_publication(store, post, acc, "published", published=out)
    assert P.figures(store.conn) == []  # no snapshot yet: nothing to chart
    snap(store, pub, out + timedelta(hours=10), views=70)
    (fig,) = P.figures(store.conn)
    assert (fig.pillar, fig.hook, fig.views_48h, fig.views) == ("none", "none", None, 70)
