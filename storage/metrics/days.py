"""Local days over the quarter-hour buckets: where each day starts, and the sums per day.

`day_sums` reads metric_buckets between two local midnights (one index range
on the bucket time, grouped per quarter-hour) and adds each quarter-hour to
the local day it falls in. Because every local midnight is a quarter-hour
boundary (rollup.py), each bucket lies wholly inside one local day and the
sums are exact in any zone, DST days included (23 or 25 hours).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from storage.metrics.fetch import tuples
from storage.metrics.rollup import GAIN_COLS
from storage.timefmt import to_db


def midnight(day: date, zone: ZoneInfo) -> str:
    """Local midnight of `day` in `zone`, as stored text (UTC)."""
    return to_db(datetime.combine(day, time(0), tzinfo=zone))


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass(frozen=True)
class Filter:
    """Which publications' numbers count: accounts and pillars (None: all; pillar 0: none)."""

    account_ids: tuple[int, ...] | None = None
    pillar_ids: tuple[int, ...] | None = None

    def sql(self, alias: str = "") -> tuple[str, list[object]]:
        """A WHERE fragment (starting with AND, or empty) and its arguments."""
        prefix = f"{alias}." if alias else ""
        parts: list[str] = []
        args: list[object] = []
        for column, ids in (("account_id", self.account_ids), ("pillar_id", self.pillar_ids)):
            if ids is not None:
                if not ids:
                    parts.append("1 = 0")
                    continue
                parts.append(f"{prefix}{column} IN ({', '.join('?' for _ in ids)})")
                args.extend(ids)
        return "".join(f" AND {p}" for p in parts), args


ALL = Filter()

# Per-day sums: one value per GAIN_COLS, plus the number of video snapshots.
DaySums = dict[str, Any]  # {"snapshots": int, **{col: number | None}}


def _add(into: dict[str, object], row: Sequence[object]) -> None:
    into["snapshots"] = int(into.get("snapshots") or 0) + int(row[0] or 0)  # type: ignore[call-overload]
    for name, value in zip(GAIN_COLS, row[1:], strict=True):
        if value is None:
            continue
        have = into.get(name)
        into[name] = value if have is None else have + value  # type: ignore[operator]


def day_sums(
    conn: sqlite3.Connection,
    first: date,
    last: date,
    zone: ZoneInfo,
    flt: Filter = ALL,
    *,
    per_account: bool = False,
) -> dict[tuple[date, int], DaySums]:
    """Sums of the buckets of each local day from `first` to `last` (both included),
    keyed (day, account id) with `per_account`, else (day, 0). Days without a
    bucket are absent."""
    days = days_between(first, last)
    bounds = [midnight(d, zone) for d in (*days, last + timedelta(days=1))]
    where, args = flt.sql()
    group = "bucket_at, account_id" if per_account else "bucket_at"
    account = "account_id" if per_account else "0"
    sums = ", ".join(f"sum({c})" for c in ("snapshots", *GAIN_COLS))
    cur = tuples(conn)
    rows = cur.execute(
        f"SELECT bucket_at, {account}, {sums} FROM metric_buckets "
        f"WHERE bucket_at >= ? AND bucket_at < ?{where} GROUP BY {group}",
        [bounds[0], bounds[-1], *args],
    )
    out: dict[tuple[date, int], DaySums] = {}
    for row in rows:
        day = days[bisect_right(bounds, row[0]) - 1]
        _add(out.setdefault((day, row[1]), {}), row[2:])
    return out


def total_before(conn: sqlite3.Connection, moment: str, flt: Filter = ALL) -> dict[str, object]:
    """Sums of every bucket before `moment` (lifetime totals up to then)."""
    where, args = flt.sql()
    sums = ", ".join(f"sum({c})" for c in ("snapshots", *GAIN_COLS))
    cur = tuples(conn)
    row = cur.execute(
        f"SELECT {sums} FROM metric_buckets WHERE bucket_at < ?{where}", [moment, *args]
    ).fetchone()
    out: dict[str, object] = {}
    _add(out, row)
    return out
