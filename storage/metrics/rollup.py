"""The arithmetic of the roll-ups, on plain tuples (no SQL here).

A snapshot is cumulative: the numbers of one publication at one moment. The
roll-ups are built from two views of a publication's sorted snapshots:

**Gains** (metric_buckets). A snapshot's gain in a number is its value minus
the publication's previous non-empty value of that number (0 before the
first: a publication starts at nothing when it goes out). An empty number
gains nothing and leaves the previous value in place. Summed over any span
of time the gains telescope to (last value in the span) − (last value
before it), so the sum over a local day is that day's growth, whatever the
spacing of the snapshots. Gains are summed per UTC quarter-hour (the bucket
of the snapshot's time), account and pillar. Every UTC offset in use is a
multiple of 15 minutes (the :30 and :45 zones included) and so is every
DST jump, so each local midnight is a bucket boundary: summing the buckets
between two local midnights is exact in any zone, and the zone can change
in config without rebuilding anything.

Ratios are not summed as ratios: completion is rolled up as two cumulative
counters, completed views (completion_rate × views) and the views they are
a share of, so a day's completion is Σ gained completed / Σ gained views —
the completion of that day's views, exactly. Average view percentage the
same way (avg_view_pct × views over views).

**Curve** (metric_curve). A publication's cumulative numbers at fixed ages
(AGES_H, hours after published_at), interpolated linearly in time between
the snapshots on either side of that age, counters starting at 0 when it
went out. An age is known only once a snapshot at or after it exists: a
post 30 hours old has no 48-hour views yet. Ratios at an age are
interpolated the same way between their own non-empty values (the first
one held flat before it).

**Per publication** (metric_pubs): the newest non-empty value of each number,
the numbers at 48 hours (from the curve), the first/last snapshot times, and
the publication's post, account and time out, so the charts' per-publication
reads are one table and the posts it belongs to.

Late snapshots (captured between two stored ones) change the gains of the
snapshot after them; the writer recomputes a touched publication's gains
before and after and applies the difference (writer.py), so the buckets stay
equal to what the raw snapshots give.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

# Stored columns of a snapshot the roll-ups read, in this order after captured_at.
SNAP_COLS = (
    "views",
    "likes",
    "comments",
    "shares",
    "saves",
    "followers_gained",
    "watch_time_s",
    "completion_rate",
    "avg_view_pct",
)
COUNTERS = SNAP_COLS[:7]  # cumulative counts (watch time in seconds)
RATIOS = SNAP_COLS[7:]
# Bucket sums, in this order (the last is filled from account snapshots only).
GAIN_COLS = (
    *COUNTERS,
    "completed",
    "completion_views",
    "pct_views",
    "pct_base",
    "follower_change",
)
INT_GAINS = frozenset(
    ("views", "likes", "comments", "shares", "saves", "followers_gained")
    + ("completion_views", "pct_base", "follower_change")
)
# Ages of the curve, in hours after a publication went out.
AGES_H: tuple[int, ...] = (
    1, 2, 3, 6, 12, 24, 48, 72, 96, 120, 144, 168, 240, 336, 504, 720, 1440, 2160,
)  # fmt: skip
AGE_48H = 48

Snap = tuple  # (captured_at text, *SNAP_COLS values); None = not given
Gains = list  # one value per GAIN_COLS (None = nothing gained there)


_BUCKETS: dict[str, str] = {}


def bucket_of(stamp: str) -> str:
    """The UTC quarter-hour a stored time falls in: 'YYYY-MM-DDTHH:MM:00Z'."""
    found = _BUCKETS.get(stamp)
    if found is None:
        if len(_BUCKETS) > 200_000:
            _BUCKETS.clear()
        found = _BUCKETS[stamp] = f"{stamp[:14]}{int(stamp[14:16]) // 15 * 15:02d}:00Z"
    return found


Buckets = dict  # (bucket, account, pillar) -> [snapshot count, *GAIN_COLS sums]


def accumulate_gains(
    into: Buckets,
    account: int,
    pillar: int,
    snaps: Sequence[Snap],
    start: int = 0,
    sign: int = 1,
) -> None:
    """Add sign × the gains of each snapshot from index `start` on (the ones before
    only set the previous values) to its bucket in `into`. Snapshots sorted by time.

    Written out value by value: it runs over every snapshot of a workspace when
    the roll-ups are built (1.3M on the large demo).
    """
    p0 = p1 = p2 = p3 = p4 = p5 = pcv = ppb = 0
    p6 = pc = pp = 0.0
    for i, (t, v0, v1, v2, v3, v4, v5, v6, cr, pct) in enumerate(snaps):
        g0 = g1 = g2 = g3 = g4 = g5 = g6 = g7 = g8 = g9 = g10 = None
        if v0 is not None:
            g0, p0 = v0 - p0, v0
            if cr is not None:
                done = cr * v0
                g7, g8, pc, pcv = done - pc, v0 - pcv, done, v0
            if pct is not None:
                part = pct * v0
                g9, g10, pp, ppb = part - pp, v0 - ppb, part, v0
        if v1 is not None:
            g1, p1 = v1 - p1, v1
        if v2 is not None:
            g2, p2 = v2 - p2, v2
        if v3 is not None:
            g3, p3 = v3 - p3, v3
        if v4 is not None:
            g4, p4 = v4 - p4, v4
        if v5 is not None:
            g5, p5 = v5 - p5, v5
        if v6 is not None:
            g6, p6 = v6 - p6, v6
        if i < start:
            continue
        gains = [g0, g1, g2, g3, g4, g5, g6, g7, g8, g9, g10]
        if sign != 1:
            gains = [None if g is None else sign * g for g in gains]
        key = (bucket_of(t), account, pillar)
        acc = into.get(key)
        if acc is None:
            into[key] = [sign, *gains, None]
            continue
        acc[0] += sign
        k = 1
        for g in gains:
            if g is not None:
                a = acc[k]
                acc[k] = g if a is None else a + g
            k += 1


def follower_gains(counts: Sequence[tuple[str, int | None]]) -> list[tuple[str, int]]:
    """(time, change) of each follower count after the first non-empty one (the
    first is where ReelRoom started counting, not a gain). Counts sorted by time."""
    out: list[tuple[str, int]] = []
    prev: int | None = None
    for stamp, followers in counts:
        if followers is None:
            continue
        if prev is not None:
            out.append((stamp, followers - prev))
        prev = followers
    return out


class CurvePoint(NamedTuple):
    """A publication's cumulative numbers at one age (None: not known)."""

    age_h: int
    values: tuple[float | None, ...]  # SNAP_COLS order


_EPOCHS: dict[str, float] = {}


def _epoch(stamp: str) -> float:
    """Seconds since the epoch of a stored time (cached: syncs share their times)."""
    found = _EPOCHS.get(stamp)
    if found is None:
        if len(_EPOCHS) > 200_000:
            _EPOCHS.clear()
        found = _EPOCHS[stamp] = datetime.fromisoformat(stamp).timestamp()
    return found


def curve(
    published_at: str, snaps: Sequence[Snap], ages: Sequence[int] = AGES_H
) -> list[CurvePoint]:
    """The publication's numbers at each age with a snapshot at or after it.

    Works column by column (one number at a time): a number every snapshot gives
    is interpolated between the two snapshots around each age; one some give is
    interpolated between its own nearest values; one none gives stays None.
    """
    if not snaps:
        return []
    start = _epoch(published_at)
    cols = list(zip(*snaps, strict=True))
    hours = [(_epoch(t) - start) / 3600 for t in cols[0]]
    first = bisect_left(hours, 1e-9)  # snapshots before it went out have no place here
    last = hours[-1]
    wanted = [a for a in ages if a <= last]
    if first == len(hours) or not wanted:
        return []
    n = len(SNAP_COLS)
    table: list[list[float | None]] = [[None] * n for _ in wanted]
    spots = [bisect_left(hours, age, first) for age in wanted]
    for k in range(n):
        col = cols[k + 1][first:] if first else cols[k + 1]
        empty = col.count(None)
        if empty == len(col):
            continue
        counter = k < len(COUNTERS)
        if empty == 0:
            for row, age, i in zip(table, wanted, spots, strict=True):
                h1, v1 = hours[i], cols[k + 1][i]
                if h1 == age:
                    row[k] = v1
                elif i == first:  # before the first snapshot: from 0 (counters)
                    row[k] = v1 * age / h1 if counter else v1
                else:
                    h0, v0 = hours[i - 1], cols[k + 1][i - 1]
                    row[k] = v0 + (v1 - v0) * (age - h0) / (h1 - h0)
            continue
        points = [(h, float(v)) for h, v in zip(hours[first:], col, strict=True) if v is not None]
        for row, age in zip(table, wanted, strict=True):
            row[k] = _at(points, age, k)
    return [
        CurvePoint(age, tuple(row))
        for age, row in zip(wanted, table, strict=True)
        if row.count(None) < n
    ]


def _at(points: list[tuple[float, float]], age: float, k: int) -> float | None:
    """Number k at `age` between its points on either side (counters: 0 at age 0)."""
    if not points or points[-1][0] < age:
        return None
    i = bisect_left(points, (age, float("-inf")))
    h1, v1 = points[i]
    if h1 == age:
        return v1
    if i == 0:
        if k >= len(COUNTERS):
            return v1
        h0, v0 = 0.0, 0.0
    else:
        h0, v0 = points[i - 1]
    return v0 + (v1 - v0) * (age - h0) / (h1 - h0)


def latest(snaps: Sequence[Snap]) -> tuple[str, str, int, tuple[float | None, ...]]:
    """(first_at, last_at, count, newest non-empty value of each SNAP_COLS)."""
    values: list[float | None] = list(snaps[-1][1:])
    for k, value in enumerate(values):
        if value is None:
            col = [s[k + 1] for s in snaps]
            if col.count(None) < len(col):
                values[k] = next(v for v in reversed(col) if v is not None)
    return snaps[0][0], snaps[-1][0], len(snaps), tuple(values)
