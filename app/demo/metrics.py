"""Metric snapshots for the demo: cumulative counters per publication, one per
day at a fixed hour (06:00 UTC), with a launch spike, a decay and a weekday
rhythm. Rows are generated lazily so a million of them never sit in memory;
they are `SnapshotRow`s for the one writer of snapshots (storage/metrics/writer.py),
which keeps the roll-ups as it goes.

Each platform's rows hold only what that platform gives (GIVES): TikTok no
saves or followers, Kuaishou views, likes and comments only, and so on —
empty, never zero. TikTok's completion and watch time are what TikTok Studio
exports carry. Follower counts per account (`follower_rows`) follow from the
followers the videos brought, plus a slow organic drift.

Each publication draws from its own `random.Random` seeded by its id, so the
numbers do not depend on the order publications are visited.
"""

from __future__ import annotations

import itertools
import math
import random
from datetime import UTC, datetime, timedelta
from typing import Iterable, Iterator

from app.demo.activity import MetricPub
from app.demo.scale import DemoTime
from storage.metrics.writer import AccountSnapshotRow, SnapshotRow

# What each platform's API (or, for TikTok, its Studio export) gives.
GIVES: dict[str, frozenset[str]] = {
    "tiktok": frozenset(
        ("views", "likes", "comments", "shares", "watch_time_s", "avg_view_s", "completion_rate")
    ),
    "youtube": frozenset(
        ("views", "likes", "comments", "watch_time_s", "avg_view_s", "avg_view_pct")
        + ("followers_gained",)
    ),
    "instagram": frozenset(
        ("views", "likes", "comments", "shares", "saves", "reach", "total_interactions")
    ),
    "kuaishou": frozenset(("views", "likes", "comments")),
}
CAPTURE_HOUR = 6
# Monday .. Sunday: people watch more at the weekend.
WEEKDAY = (0.92, 0.95, 0.97, 1.0, 1.08, 1.22, 1.18)
LAUNCH_BOOST = 1.6


def first_capture(published_at: datetime) -> datetime:
    """The first daily capture (06:00 UTC) at least one hour after publishing."""
    day = published_at.astimezone(UTC).replace(hour=CAPTURE_HOUR, minute=0, second=0, microsecond=0)
    while day < published_at + timedelta(hours=1):
        day += timedelta(days=1)
    return day


class DayTable:
    """Capture moments (06:00 UTC daily) up to now: stored text and the weekday
    factor of the day the views were made (the day before the capture)."""

    def __init__(self, t: DemoTime, days_back: int) -> None:
        last = first_capture(t.now - timedelta(days=1, hours=1))
        while last + timedelta(days=1) <= t.now:
            last += timedelta(days=1)
        self.first = last - timedelta(days=days_back)
        moments = [self.first + timedelta(days=i) for i in range(days_back + 1)]
        self.stamps = [m.strftime("%Y-%m-%dT%H:%M:%SZ") for m in moments]
        self.weekday = [WEEKDAY[(m - timedelta(days=1)).weekday()] for m in moments]

    def index(self, moment: datetime) -> int:
        """Position of a capture moment in the table."""
        return (moment - self.first).days


# Multiplicative noise drawn once; each publication reads it from its own offset.
_NOISE_RNG = random.Random("metrics:noise")
NOISE = [_NOISE_RNG.uniform(0.8, 1.2) for _ in range(4096)]
MASK = len(NOISE) - 1


def publication_rows(
    pub: MetricPub, days: DayTable, max_days: int, tally: dict[tuple[str, str], int] | None = None
) -> Iterator[SnapshotRow]:
    """The snapshots of one publication, oldest first, as plain tuples in
    SnapshotRow's order (cheaper by the million); the followers it brought each
    day are added to `tally[(platform, capture time)]`."""
    blank = [k for k, f in enumerate(SnapshotRow._fields) if k >= 2 and f != "source"]
    blank = [k for k in blank if SnapshotRow._fields[k] not in GIVES[pub.platform]]
    rng = random.Random(f"metrics:{pub.id}")
    step = math.exp(-1 / rng.uniform(1.6, 3.2))
    tail_step = math.exp(-1 / 30)
    likes_r, comments_r = rng.uniform(0.04, 0.09), rng.uniform(0.002, 0.006)
    shares_r, saves_r = rng.uniform(0.003, 0.012), rng.uniform(0.004, 0.02)
    followers_r = rng.uniform(0.0008, 0.0025)
    avg_view = pub.target_seconds * rng.uniform(0.35, 0.62)
    completion0 = rng.uniform(0.22, 0.5)
    off = rng.randrange(len(NOISE))
    views = likes = comments = shares = saves = followers = 0
    watch = completed = 0.0
    decay, tail = LAUNCH_BOOST, 0.015
    start = max(days.index(first_capture(pub.published_at)), 0)
    stop = min(start + max_days, len(days.stamps))
    for i in range(start, stop):
        j = off + 7 * (i - start)
        made = int(
            pub.reach
            * pub.lift
            * (decay + tail)
            * days.weekday[i]
            * (0.25 + 0.75 * NOISE[j & MASK])
        )
        decay = (decay / LAUNCH_BOOST if i == start else decay) * step
        tail *= tail_step
        views += made
        likes += int(made * likes_r * NOISE[(j + 1) & MASK] + 0.5)
        comments += int(made * comments_r * NOISE[(j + 2) & MASK] + 0.5)
        shares += int(made * shares_r * NOISE[(j + 3) & MASK] + 0.5)
        saves += int(made * saves_r * NOISE[(j + 4) & MASK] + 0.5)
        brought = int(made * followers_r * NOISE[(j + 5) & MASK] + 0.5)
        followers += brought
        if tally is not None:
            key = (pub.platform, days.stamps[i])
            tally[key] = tally.get(key, 0) + brought
        watch += made * avg_view * (0.9 + 0.1 * NOISE[(j + 6) & MASK])
        # The day's views finish the video a little less often as the audience widens;
        # the lifetime rate is what all views so far did (so completed views never drop).
        completed += (
            made * completion0 * (1 - 0.003 * (i - start)) * (0.95 + 0.05 * NOISE[j & MASK])
        )
        completion = completed / views if views else 0.05
        row = (
            pub.id,
            days.stamps[i],
            views,
            likes,
            comments,
            shares,
            saves,
            followers,
            round(watch, 1),
            round(max(0.05, completion), 4),
            round(100 * watch / views / pub.target_seconds, 2) if views else None,
            round(watch / views, 2) if views else None,
            int(views * 0.7),
            likes + comments + shares + saves,
            "demo",
        )
        if blank:
            cells: list[object] = list(row)
            for k in blank:
                cells[k] = None
            yield tuple(cells)  # type: ignore[misc]
        else:
            yield row  # type: ignore[misc]


def snapshot_rows(
    pubs: Iterable[MetricPub],
    t: DemoTime,
    max_days: int,
    days_back: int = 90,
    tally: dict[tuple[str, str], int] | None = None,
) -> Iterator[SnapshotRow]:
    """Every snapshot of every publication, grouped by publication (followers they
    brought counted in `tally`, see publication_rows)."""
    days = DayTable(t, days_back + max_days)
    return itertools.chain.from_iterable(publication_rows(p, days, max_days, tally) for p in pubs)


def capture_stamps(t: DemoTime, days: int) -> list[str]:
    """The daily capture times of the last `days` days, as stored."""
    return DayTable(t, days).stamps


def follower_rows(
    tally: dict[tuple[str, str], int], accounts: dict[int, str], stamps: list[str]
) -> Iterator[AccountSnapshotRow]:
    """Follower counts of each account at each capture time: a starting audience,
    the followers its videos brought by then (`tally`, per platform and time,
    counted whether or not the platform reports them per video) and a drift."""
    for account, platform in sorted(accounts.items()):
        rng = random.Random(f"followers:{platform}")
        count = rng.randint(8_000, 40_000)
        for stamp in stamps:
            count += tally.get((platform, stamp), 0) + rng.randint(-6, 18)
            yield AccountSnapshotRow(account, stamp, max(count, 0), "demo")
