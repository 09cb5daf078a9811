"""Writing snapshots, and keeping the roll-ups equal to them.

Every writer of metric snapshots — the demo's bulk load, `reelroom metrics
import`, the worker's metric sync — calls `record_snapshots` inside its own
write transaction; follower counts go through `record_account_snapshots`.
Nothing is overwritten: a snapshot whose (publication, time) is already
stored is skipped (that is what makes an import idempotent).

For every publication a call touches, the writer reads the publication's
stored snapshots, works out the gains of the ones from the first new
snapshot on before and after the new ones go in (rollup.py), and adds the
difference to metric_buckets; it recomputes the publication's curve and
latest row. A late snapshot, captured between two stored ones, therefore
moves part of the later snapshot's gain to its own quarter-hour, and the
buckets stay exactly what the raw snapshots give.

`rebuild_rollups` builds every roll-up from the snapshots (migration 10 runs
it for existing workspaces; `reelroom doctor` could after a repair).
`move_post_pillar` moves a post's gains between pillars: any code that
changes `posts.pillar_id` of a published post calls it in the same
transaction. Deleting snapshots or publications needs `rebuild_rollups`.

SQL here is accepted by SQLite and PostgreSQL (ON CONFLICT … DO UPDATE with
the table qualified, CASE instead of two-argument MIN/MAX).
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from storage.metrics import rollup as R
from storage.metrics.fetch import tuples

FLUSH_ROWS = 20_000


class SnapshotRow(NamedTuple):
    """One snapshot to store; stored time text; None = the platform did not give it."""

    publication_id: int
    captured_at: str
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    followers_gained: int | None = None
    watch_time_s: float | None = None
    completion_rate: float | None = None
    avg_view_pct: float | None = None
    avg_view_s: float | None = None
    reach: int | None = None
    total_interactions: int | None = None
    source: str = "sync"


class AccountSnapshotRow(NamedTuple):
    """One follower count of an account at a moment."""

    account_id: int
    captured_at: str
    followers: int | None
    source: str = "sync"


@dataclass(frozen=True)
class Recorded:
    """What a write did: rows added, and rows skipped as already stored."""

    added: int
    skipped: int


_COLS = SnapshotRow._fields
_INSERT = (
    f"INSERT INTO metric_snapshots ({', '.join(_COLS)}) VALUES ({', '.join('?' for _ in _COLS)})"
)
_READ = (
    f"SELECT captured_at, {', '.join(R.SNAP_COLS)} FROM metric_snapshots "
    "WHERE publication_id = ? ORDER BY captured_at"
)
_PUB = (
    "SELECT p.post_id, p.account_id, COALESCE(posts.pillar_id, 0), p.published_at "
    "FROM publications AS p JOIN posts ON posts.id = p.post_id"
)


class PubInfo(NamedTuple):
    """What the roll-ups keep of a publication (pillar 0: none)."""

    post_id: int
    account_id: int
    pillar_id: int
    published_at: str | None


def _merge(column: str) -> str:
    t = f"metric_buckets.{column}"
    return (
        f"{column} = CASE WHEN excluded.{column} IS NULL THEN {t} "
        f"WHEN {t} IS NULL THEN excluded.{column} ELSE {t} + excluded.{column} END"
    )


_BUCKET_COLS = ("bucket_at", "account_id", "pillar_id", "snapshots", *R.GAIN_COLS)
_UPSERT_BUCKET = (
    f"INSERT INTO metric_buckets ({', '.join(_BUCKET_COLS)}) "
    f"VALUES ({', '.join('?' for _ in _BUCKET_COLS)}) "
    "ON CONFLICT (bucket_at, account_id, pillar_id) DO UPDATE SET "
    "snapshots = metric_buckets.snapshots + excluded.snapshots, "
    + ", ".join(_merge(c) for c in R.GAIN_COLS)
)
_CURVE_COLS = ("publication_id", "age_h", *R.SNAP_COLS)
_INSERT_CURVE = (
    f"INSERT INTO metric_curve ({', '.join(_CURVE_COLS)}) "
    f"VALUES ({', '.join('?' for _ in _CURVE_COLS)})"
)
_AT_48H = ("views", "likes", "comments", "shares", "saves", "completion_rate", "avg_view_pct")
_AT_48H_INDEX = tuple(R.SNAP_COLS.index(c) for c in _AT_48H)
_LATEST_COLS = (
    "publication_id",
    "post_id",
    "account_id",
    "published_at",
    "first_at",
    "last_at",
    "snapshots",
    *R.SNAP_COLS,
    "views_48h",
    "likes_48h",
    "comments_48h",
    "shares_48h",
    "saves_48h",
    "completion_48h",
    "avg_view_pct_48h",
)
_UPSERT_LATEST = (
    f"INSERT INTO metric_pubs ({', '.join(_LATEST_COLS)}) "
    f"VALUES ({', '.join('?' for _ in _LATEST_COLS)}) "
    "ON CONFLICT (publication_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _LATEST_COLS[1:])
)


def _int_gains(gains: R.Gains) -> list[object]:
    out: list[object] = []
    for name, value in zip(R.GAIN_COLS, gains, strict=True):
        if value is not None and name in R.INT_GAINS:
            value = int(round(value))
        out.append(value)
    return out


@dataclass
class _Rollup:
    """Accumulated changes to the roll-ups, written by `flush`."""

    conn: sqlite3.Connection
    buckets: dict[tuple[str, int, int], list] = field(default_factory=dict)
    curves: dict[int, list[tuple]] = field(default_factory=dict)  # by publication
    latest: dict[int, tuple] = field(default_factory=dict)
    queued: int = 0

    def gains(
        self, key: tuple[int, int], snaps: Sequence[R.Snap], start: int = 0, sign: int = 1
    ) -> None:
        """Add sign × the gains of snaps[start:] under (account, pillar)."""
        R.accumulate_gains(self.buckets, key[0], key[1], snaps, start, sign)

    def followers(self, account: int, changes: Iterable[tuple[str, int]], sign: int) -> None:
        """Add sign × follower changes (time, change) of an account (pillar 0)."""
        for stamp, change in changes:
            key = (R.bucket_of(stamp), account, 0)
            acc = self.buckets.get(key)
            if acc is None:
                acc = self.buckets[key] = [0] + [None] * len(R.GAIN_COLS)
            acc[-1] = sign * change if acc[-1] is None else acc[-1] + sign * change

    def publication(self, pub_id: int, info: PubInfo, snaps: Sequence[R.Snap]) -> None:
        """Queue the curve and metric_pubs row of a publication from all its snapshots
        (a later call for the same publication replaces what was queued)."""
        points = R.curve(info.published_at, snaps) if info.published_at else []
        rows = [(pub_id, p.age_h, *_curve_values(p.values)) for p in points]
        self.curves[pub_id] = rows
        self.queued += len(points)
        if snaps:
            first, last, count, values = R.latest(snaps)
            at48 = next((r[2:] for r in rows if r[1] == R.AGE_48H), None)
            self.latest[pub_id] = (
                pub_id,
                info.post_id,
                info.account_id,
                info.published_at,
                first,
                last,
                count,
                *_curve_values(values),
                *((None,) * len(_AT_48H) if at48 is None else (at48[k] for k in _AT_48H_INDEX)),
            )
        if self.queued >= FLUSH_ROWS:
            self.flush_curves()

    def flush_curves(self) -> None:
        if self.curves:
            self.conn.executemany(
                "DELETE FROM metric_curve WHERE publication_id = ?", ((p,) for p in self.curves)
            )
        rows = [row for rows in self.curves.values() for row in rows]
        if rows:
            self.conn.executemany(_INSERT_CURVE, rows)
        if self.latest:
            self.conn.executemany(_UPSERT_LATEST, list(self.latest.values()))
        self.curves.clear()
        self.latest.clear()
        self.queued = 0

    def flush(self) -> None:
        self.flush_curves()
        rows = [
            (bucket, account, pillar, acc[0], *_int_gains(acc[1:]))
            for (bucket, account, pillar), acc in self.buckets.items()
        ]
        if rows:
            self.conn.executemany(_UPSERT_BUCKET, rows)
        self.buckets.clear()


_INT_SNAP = tuple(name in R.INT_GAINS for name in R.SNAP_COLS)


def _curve_values(values: Sequence[float | None]) -> list[float | int | None]:
    """Counts as whole numbers (a curve interpolates them), the rest as they are."""
    return [
        int(round(v)) if whole and v is not None else v
        for v, whole in zip(values, _INT_SNAP, strict=True)
    ]


def _groups(rows: Iterable[SnapshotRow]) -> Iterator[list[SnapshotRow]]:
    """Consecutive rows of one publication together."""
    group: list[SnapshotRow] = []
    for row in rows:
        if group and row[0] != group[0][0]:
            yield group
            group = []
        group.append(row)
    if group:
        yield group


def record_snapshots(conn: sqlite3.Connection, rows: Iterable[SnapshotRow]) -> Recorded:
    """Store new snapshots and bring the roll-ups along (inside the caller's transaction).

    Rows are SnapshotRows (or plain tuples in its order). Rows of one
    publication are best given together (the demo gives millions, grouped); any
    order is correct. A row whose (publication, time) is stored
    already, or repeats one earlier in `rows`, is skipped. Raises
    ValueError for a publication that does not exist.
    """
    cur = tuples(conn)
    roll = _Rollup(conn)
    pending: list[SnapshotRow] = []
    pending_pubs: set[int] = set()
    added = skipped = 0
    for group in _groups(rows):
        pub_id = group[0][0]
        found = cur.execute(_PUB + " WHERE p.id = ?", (pub_id,)).fetchone()
        if found is None:
            raise ValueError(f"publication {pub_id} does not exist")
        info = PubInfo(*found)
        if pub_id in pending_pubs:  # met before in this call: its rows must be read back
            conn.executemany(_INSERT, pending)
            pending.clear()
            pending_pubs.clear()
        existing = [tuple(r) for r in cur.execute(_READ, (pub_id,))]  # one index range
        times = {s[0] for s in existing}
        new: dict[str, SnapshotRow] = {}
        for row in group:
            stamp = row[1]
            if stamp in times or stamp in new:
                skipped += 1
            else:
                new[stamp] = row
        if not new:
            continue
        added += len(new)
        pending.extend(new.values())
        pending_pubs.add(pub_id)
        fresh = sorted(tuple(row[1:11]) for row in new.values())
        merged = sorted(existing + fresh) if existing else fresh
        start = bisect_left([s[0] for s in existing], fresh[0][0])
        key = (info.account_id, info.pillar_id)
        if existing:
            roll.gains(key, existing, start, -1)
        roll.gains(key, merged, start, +1)
        roll.publication(pub_id, info, merged)
        if len(pending) >= FLUSH_ROWS:
            conn.executemany(_INSERT, pending)
            pending.clear()
            pending_pubs.clear()
    if pending:
        conn.executemany(_INSERT, pending)
    roll.flush()
    return Recorded(added, skipped)


def record_account_snapshots(
    conn: sqlite3.Connection, rows: Iterable[AccountSnapshotRow]
) -> Recorded:
    """Store follower counts and their changes in metric_buckets (caller's transaction)."""
    by_account: dict[int, dict[str, AccountSnapshotRow]] = {}
    skipped = 0
    for row in rows:
        seen = by_account.setdefault(row.account_id, {})
        if row.captured_at in seen:
            skipped += 1
        else:
            seen[row.captured_at] = row
    roll = _Rollup(conn)
    added = 0
    for account, new in by_account.items():
        existing = [
            (r[0], r[1])
            for r in conn.execute(
                "SELECT captured_at, followers FROM account_snapshots WHERE account_id = ? "
                "ORDER BY captured_at",
                (account,),
            )
        ]
        times = {t for t, _ in existing}
        fresh = sorted((t, r.followers) for t, r in new.items() if t not in times)
        skipped += len(new) - len(fresh)
        if not fresh:
            continue
        conn.executemany(
            "INSERT INTO account_snapshots (account_id, captured_at, followers, source) "
            "VALUES (?, ?, ?, ?)",
            [new[t] for t, _ in fresh],
        )
        added += len(fresh)
        merged = sorted(existing + fresh)
        cut = fresh[0][0]
        roll.followers(account, _follower_from(existing, cut), -1)
        roll.followers(account, _follower_from(merged, cut), +1)
    roll.flush()
    return Recorded(added, skipped)


def _follower_from(counts: Sequence[tuple[str, int | None]], cut: str) -> list[tuple[str, int]]:
    """Follower changes (time, change) of the counts at or after `cut`."""
    return [(stamp, change) for stamp, change in R.follower_gains(counts) if stamp >= cut]


def rebuild_rollups(conn: sqlite3.Connection) -> None:
    """Every roll-up again from the stored snapshots (inside the caller's transaction)."""
    for table in ("metric_buckets", "metric_curve", "metric_pubs"):
        conn.execute(f"DELETE FROM {table}")
    cur = tuples(conn)
    pubs = {r[0]: PubInfo(*r[1:]) for r in cur.execute(_PUB.replace("SELECT ", "SELECT p.id, ", 1))}
    roll = _Rollup(conn)
    rows = tuples(conn).execute(
        f"SELECT publication_id, captured_at, {', '.join(R.SNAP_COLS)} FROM metric_snapshots "
        "ORDER BY publication_id, captured_at"
    )
    current: int | None = None
    snaps: list[R.Snap] = []

    def done() -> None:
        if current is None or not snaps:
            return
        info = pubs[current]
        roll.gains((info.account_id, info.pillar_id), snaps)
        roll.publication(current, info, snaps)

    for row in rows:
        if row[0] != current:
            done()
            current, snaps = row[0], []
        snaps.append(row[1:])
    done()
    roll.flush()
    accounts: dict[int, list[tuple[str, int | None]]] = {}
    for account, stamp, followers in cur.execute(
        "SELECT account_id, captured_at, followers FROM account_snapshots "
        "ORDER BY account_id, captured_at"
    ):
        accounts.setdefault(account, []).append((stamp, followers))
    for account, counts in accounts.items():
        roll.followers(account, R.follower_gains(counts), +1)
    roll.flush()


def move_post_pillar(
    conn: sqlite3.Connection, post_id: int, old_pillar: int | None, new_pillar: int | None
) -> None:
    """Move the gains of a post's publications from one pillar's buckets to another's."""
    if (old_pillar or 0) == (new_pillar or 0):
        return
    roll = _Rollup(conn)
    pubs = conn.execute(
        "SELECT id, account_id FROM publications WHERE post_id = ?", (post_id,)
    ).fetchall()
    for pub_id, account in pubs:
        snaps = [tuple(r) for r in conn.execute(_READ, (pub_id,))]
        roll.gains((account, old_pillar or 0), snaps, 0, -1)
        roll.gains((account, new_pillar or 0), snaps, 0, +1)
    touched = [k for k in roll.buckets if k[2] == (old_pillar or 0)]
    roll.flush()
    conn.executemany(
        "DELETE FROM metric_buckets WHERE bucket_at = ? AND account_id = ? AND pillar_id = ? "
        "AND snapshots = 0 AND follower_change IS NULL",
        touched,
    )
