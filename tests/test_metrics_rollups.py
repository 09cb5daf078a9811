"""The roll-ups equal what the raw snapshots give: by hand, and after random syncs,
imports and late data (a seeded property test), in zones with :30/:45 offsets.

The references here are computed from `metric_snapshots` alone, by code
written independently of storage/metrics/rollup.py: a local day's gain of a
number is (last non-empty value before the day's end) − (last non-empty value
before its start), summed over publications.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rows import add_account, add_pillar, add_post, add_publication

from storage import Store
from storage.metrics.days import Filter, day_sums, midnight
from storage.metrics.rollup import AGES_H, SNAP_COLS
from storage.metrics.writer import (
    AccountSnapshotRow,
    SnapshotRow,
    move_post_pillar,
    rebuild_rollups,
    record_account_snapshots,
    record_snapshots,
)
from storage.timefmt import from_db, to_db

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
COUNTERS = ("views", "likes", "comments", "shares", "saves", "followers_gained", "watch_time_s")


def at(minutes: float) -> str:
    return to_db(T0 + timedelta(minutes=minutes))


def write(store: Store, rows: list[SnapshotRow]) -> tuple[int, int]:
    with store.write() as conn:
        done = record_snapshots(conn, rows)
    return done.added, done.skipped


def buckets(store: Store) -> dict[tuple[str, int, int], tuple]:
    return {
        (r[0], r[1], r[2]): tuple(r[3:])
        for r in store.conn.execute(
            "SELECT bucket_at, account_id, pillar_id, snapshots, views, likes, comments, shares, "
            "saves, followers_gained, watch_time_s, completed, completion_views, pct_views, "
            "pct_base, follower_change FROM metric_buckets ORDER BY 1, 2, 3"
        )
    }


# --- by hand ---------------------------------------------------------------------


def test_gains_per_quarter_hour_and_a_late_snapshot_by_hand(store: Store) -> None:
    acc = add_account(store, "tiktok", "a")
    pub = add_publication(store, add_post(store, "p", "published"), acc, "published", published=T0)
    assert write(store, [SnapshotRow(pub, at(67), views=100), SnapshotRow(pub, at(172), views=250)])
    assert {k[0]: v[:2] for k, v in buckets(store).items()} == {
        "2026-03-01T11:00:00Z": (1, 100),
        "2026-03-01T12:45:00Z": (1, 150),
    }
    # Captured at 11:40 but arriving last: 80 of the 150 move to its quarter-hour.
    assert write(store, [SnapshotRow(pub, at(100), views=180)]) == (1, 0)
    assert {k[0]: v[:2] for k, v in buckets(store).items()} == {
        "2026-03-01T11:00:00Z": (1, 100),
        "2026-03-01T11:30:00Z": (1, 80),
        "2026-03-01T12:45:00Z": (1, 70),
    }
    # The same rows again add nothing.
    assert write(store, [SnapshotRow(pub, at(100), views=999)]) == (0, 1)
    curve = dict(
        store.conn.execute("SELECT age_h, views FROM metric_curve WHERE publication_id = ?", (pub,))
    )
    # 1 h: 0 → 100 over 0 … 67 min; 2 h: 180 at 100 min → 250 at 172 min.
    assert curve == {1: round(100 * 60 / 67), 2: round(180 + 70 * 20 / 72)}
    latest = store.conn.execute("SELECT * FROM metric_pubs").fetchone()
    assert (latest["first_at"], latest["last_at"], latest["snapshots"], latest["views"]) == (
        at(67),
        at(172),
        3,
        250,
    )


def test_an_empty_number_stays_empty_and_gains_count_from_the_last_given(store: Store) -> None:
    acc = add_account(store, "instagram", "a")
    pub = add_publication(store, add_post(store, "p", "published"), acc, "published", published=T0)
    write(
        store,
        [
            SnapshotRow(pub, at(60), views=10, saves=None),
            SnapshotRow(pub, at(120), views=30, saves=4),
            SnapshotRow(pub, at(180), views=None, saves=None),
            SnapshotRow(pub, at(240), views=70, saves=9),
        ],
    )
    rows = {k[0][11:16]: (v[1], v[5]) for k, v in buckets(store).items()}
    assert rows == {"11:00": (10, None), "12:00": (20, 4), "13:00": (None, None), "14:00": (40, 5)}


def test_completion_of_a_day_is_the_completion_of_that_days_views(store: Store) -> None:
    """Lifetime completion 50% of 100 views, then 40% of 300: the 200 new views
    completed 120 - 50 = 70 times, 35% — not the average of 50% and 40%."""
    acc = add_account(store, "youtube", "a")
    pub = add_publication(store, add_post(store, "p", "published"), acc, "published", published=T0)
    write(
        store,
        [
            SnapshotRow(pub, at(60 * 20), views=100, completion_rate=0.5, avg_view_pct=80.0),
            SnapshotRow(pub, at(60 * 44), views=300, completion_rate=0.4, avg_view_pct=70.0),
        ],
    )
    sums = day_sums(store.conn, date(2026, 3, 3), date(2026, 3, 3), ZoneInfo("UTC"))
    day = sums[(date(2026, 3, 3), 0)]
    assert day["views"] == 200
    assert day["completed"] / day["completion_views"] == pytest.approx(0.35)
    assert day["pct_views"] / day["pct_base"] == pytest.approx((210 - 80) / 200 * 100)


def test_follower_counts_give_changes_after_the_first(store: Store) -> None:
    acc = add_account(store, "tiktok", "a")
    with store.write() as conn:
        record_account_snapshots(
            conn,
            [
                AccountSnapshotRow(acc, at(0), 1000),
                AccountSnapshotRow(acc, at(60), 1010),
                AccountSnapshotRow(acc, at(120), None),
                AccountSnapshotRow(acc, at(180), 1004),
            ],
        )
    with store.write() as conn:  # late, and once more the same
        done = record_account_snapshots(
            conn, [AccountSnapshotRow(acc, at(30), 1001), AccountSnapshotRow(acc, at(60), 5)]
        )
    assert (done.added, done.skipped) == (1, 1)
    changes = {k[0][11:16]: v[-1] for k, v in buckets(store).items()}
    assert changes == {"10:30": 1, "11:00": 9, "13:00": -6}
    assert all(v[0] == 0 for v in buckets(store).values())  # not video snapshots


def test_unknown_publication_is_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="publication 42"):
        write(store, [SnapshotRow(42, at(0), views=1)])


# --- against the raw snapshots ------------------------------------------------------------


def raw_day_gain(rows: list[tuple], column: int, start: str, end: str) -> float | None:
    """(last non-empty value before end) − (last non-empty before start); None if
    no snapshot in [start, end) gave the number. Rows sorted by time."""
    before = inside = None
    given = False
    for row in rows:
        value = row[column]
        if value is None:
            continue
        if row[0] < start:
            before = value
        elif row[0] < end:
            inside, given = value, True
    if not given:
        return None
    return inside - (before or 0)


def check_days(store: Store, zone: ZoneInfo, first: date, last: date, flt: Filter) -> None:
    snaps: dict[int, list[tuple]] = {}
    where = ""
    if flt.account_ids is not None:
        where = f" AND p.account_id IN ({','.join(map(str, flt.account_ids))})"
    if flt.pillar_ids is not None:
        where += f" AND COALESCE(posts.pillar_id, 0) IN ({','.join(map(str, flt.pillar_ids))})"
    for row in store.conn.execute(
        "SELECT s.publication_id, s.captured_at, s.views, s.likes, s.watch_time_s "
        "FROM metric_snapshots AS s JOIN publications AS p ON p.id = s.publication_id "
        f"JOIN posts ON posts.id = p.post_id WHERE 1 = 1{where} ORDER BY 1, 2"
    ):
        snaps.setdefault(row[0], []).append(tuple(row)[1:])
    got = day_sums(store.conn, first, last, zone, flt)
    day = first
    while day <= last:
        start, end = midnight(day, zone), midnight(day + timedelta(days=1), zone)
        for column, name in ((1, "views"), (2, "likes"), (3, "watch_time_s")):
            parts = [raw_day_gain(rows, column, start, end) for rows in snaps.values()]
            given = [p for p in parts if p is not None]
            want = sum(given) if given else None
            have = got.get((day, 0), {}).get(name)
            if want is None:
                assert have is None, (day, name)
            else:
                assert have == pytest.approx(want), (day, name, zone)
        day += timedelta(days=1)


def raw_curve(published: str, rows: list[tuple], age: int, column: int) -> float | None:
    t = from_db(published) + timedelta(hours=age)
    points = [(from_db(r[0]), r[column]) for r in rows if r[column] is not None]
    points = [(m, v) for m, v in points if m > from_db(published)]
    after = [(m, v) for m, v in points if m >= t]
    if not after:
        return None
    m1, v1 = after[0]
    before = [(m, v) for m, v in points if m < t]
    m0, v0 = before[-1] if before else (from_db(published), 0)
    if m1 == t:
        return v1
    return v0 + (v1 - v0) * (t - m0) / (m1 - m0)


def check_curves(store: Store) -> None:
    pubs = dict(store.conn.execute("SELECT id, published_at FROM publications"))
    for pub, published in pubs.items():
        rows = [
            tuple(r)
            for r in store.conn.execute(
                "SELECT captured_at, views, likes FROM metric_snapshots "
                "WHERE publication_id = ? ORDER BY captured_at",
                (pub,),
            )
        ]
        stored = {
            r[0]: (r[1], r[2])
            for r in store.conn.execute(
                "SELECT age_h, views, likes FROM metric_curve WHERE publication_id = ?", (pub,)
            )
        }
        for age in AGES_H:
            want = tuple(raw_curve(published, rows, age, c) for c in (1, 2))
            have = stored.get(age, (None, None))
            for w, h in zip(want, have, strict=True):
                assert (w is None and h is None) or abs(h - w) <= 0.5 + 1e-6, (pub, age, want, have)


def random_rows(rng: random.Random, pubs: list[tuple[int, datetime]], n: int) -> list[SnapshotRow]:
    rows = []
    for _ in range(n):
        pub, published = rng.choice(pubs)
        moment = published + timedelta(minutes=rng.randint(-30, 60 * 24 * 12))

        def maybe(x: float) -> float | None:
            return None if rng.random() < 0.12 else x

        views = rng.randint(0, 50_000)
        rows.append(
            SnapshotRow(
                pub,
                to_db(moment),
                views=maybe(views),  # type: ignore[arg-type]
                likes=maybe(views // rng.randint(5, 30)),  # type: ignore[arg-type]
                watch_time_s=maybe(views * rng.uniform(3, 9)),
                completion_rate=maybe(rng.random()),
                avg_view_pct=maybe(rng.uniform(10, 140)),
                source="import",
            )
        )
    return rows


ZONES = ("UTC", "Asia/Kathmandu", "America/St_Johns", "Australia/Adelaide", "Asia/Shanghai")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rollups_equal_raw_snapshots_after_random_syncs_imports_and_late_data(
    store: Store, seed: int
) -> None:
    rng = random.Random(seed)
    a, b = add_account(store, "tiktok", "a"), add_account(store, "youtube", "b")
    pillars = [add_pillar(store, "one", "green"), add_pillar(store, "two", "blue"), None]
    pubs = []
    for i in range(8):
        post = add_post(store, f"p{i}", "published", pillar_id=pillars[i % 3])
        published = datetime(2026, 3, 28, 20, 0, tzinfo=UTC) + timedelta(hours=7 * i)
        pubs.append(
            (
                add_publication(store, post, (a, b)[i % 2], "published", published=published),
                published,
            )
        )
    for _ in range(6):  # syncs and imports in any order: late data, duplicates
        batch = random_rows(rng, pubs, rng.randint(5, 60))
        batch += rng.sample(batch, k=min(3, len(batch)))
        rng.shuffle(batch)
        write(store, batch)
    with store.write() as conn:
        record_account_snapshots(
            conn,
            [
                AccountSnapshotRow(a, to_db(pubs[0][1] + timedelta(hours=h)), 100 + h)
                for h in range(0, 300, 7)
            ],
        )
    incremental = buckets(store)
    for name in ZONES:  # Adelaide leaves DST on 5 April 2026
        for flt in (Filter(), Filter(account_ids=(a,)), Filter(pillar_ids=(pillars[0] or 0, 0))):
            check_days(store, ZoneInfo(name), date(2026, 3, 27), date(2026, 4, 12), flt)
    check_curves(store)
    with store.write() as conn:
        rebuild_rollups(conn)
    rebuilt = buckets(store)
    assert rebuilt.keys() == incremental.keys()
    for key, row in rebuilt.items():
        assert row == pytest.approx(incremental[key]), key
    check_curves(store)


def test_moving_a_post_to_another_pillar_moves_its_gains(store: Store) -> None:
    acc = add_account(store, "tiktok", "a")
    one, two = add_pillar(store, "one", "green"), add_pillar(store, "two", "blue")
    post = add_post(store, "p", "published", pillar_id=one)
    pub = add_publication(store, post, acc, "published", published=T0)
    write(store, [SnapshotRow(pub, at(m), views=m * 10) for m in (30, 90, 400)])
    with store.write() as conn:
        conn.execute("UPDATE posts SET pillar_id = ? WHERE id = ?", (two, post))
        move_post_pillar(conn, post, one, two)
    moved = buckets(store)
    assert {k[2] for k in moved} == {two}
    with store.write() as conn:
        rebuild_rollups(conn)
    assert buckets(store) == moved


def test_the_migration_builds_rollups_of_an_existing_workspace(tmp_path) -> None:
    from storage.migrations import migrate

    path = tmp_path / "reelroom.db"
    migrate(path, target=6)
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO accounts (platform, handle, created_at) VALUES ('tiktok', 'a', ?)", (at(0),)
    )
    conn.execute(
        "INSERT INTO posts (title, created_at, updated_at) VALUES ('p', ?, ?)", (at(0), at(0))
    )
    conn.execute(
        "INSERT INTO publications (post_id, account_id, state, published_at, created_at) "
        "VALUES (1, 1, 'published', ?, ?)",
        (at(0), at(0)),
    )
    for minutes, views in ((70, 40), (130, 100)):
        conn.execute(
            "INSERT INTO metric_snapshots (publication_id, captured_at, views, likes) VALUES (1, ?, ?, 3)",
            (at(minutes), views),
        )
    conn.commit()
    conn.close()
    store = Store(path)
    assert [
        tuple(r)[:2]
        for r in store.conn.execute("SELECT bucket_at, views FROM metric_buckets ORDER BY 1")
    ] == [(at(60), 40), (at(120), 60)]
    row = store.conn.execute("SELECT views, saves, source FROM metric_snapshots LIMIT 1").fetchone()
    assert tuple(row) == (40, 0, "sync")  # v1's zero stays a zero; new rows may be empty
    assert set(SNAP_COLS) <= {
        r[1] for r in store.conn.execute("PRAGMA table_info(metric_snapshots)")
    }
