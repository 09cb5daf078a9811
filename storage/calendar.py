"""The calendar's reads and writes: posts in a time range with their pillar
colour and accounts, deliverable deadlines, shoot days, the pipeline board,
posting slots, moving a post to another local day and stepping its status.

Times are stored in UTC; a "day" here is always a local day of the zone the
caller passes. Pure slot arithmetic lives in `storage.slots`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from storage.db import Store
from storage.dialect import Dialect
from storage.models import POST_STATUSES, Account
from storage.script_text import DEFAULT_CPM, DEFAULT_WPM, estimate, parse
from storage.scripts import ScriptRepo
from storage.slots import Slot, SlotSpec
from storage.timefmt import check_range, lenient, to_db, utcnow

BOARD_LIMIT = 200


@dataclass(frozen=True)
class PostFilter:
    """What `/` narrows the calendar and board to (None: any)."""

    pillar_id: int | None = None
    status: str | None = None
    account_id: int | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.pillar_id, self.status, self.account_id))


@dataclass(frozen=True)
class CalPost:
    """A post as the calendar and board show it."""

    id: int
    title: str
    status: str
    pillar_id: int | None
    pillar: str | None
    color: str | None
    planned_at: datetime | None
    accounts: tuple[str, ...] = ()  # "platform:handle" of its publications
    bad_date: str | None = None  # a stored planned date that cannot be read (planned_at None)


@dataclass(frozen=True)
class Deadline:
    """A brand deliverable due on a day."""

    id: int
    description: str
    deal: str
    partner: str
    due_at: datetime
    status: str
    post_id: int | None


@dataclass(frozen=True)
class ShootDay:
    """A post planned to be shot at a time."""

    post_id: int
    title: str
    status: str
    color: str | None
    shoot_at: datetime


@dataclass(frozen=True)
class CalendarRange:
    """Everything dated in [start, end)."""

    start: datetime
    end: datetime
    posts: tuple[CalPost, ...]
    deadlines: tuple[Deadline, ...]
    shoots: tuple[ShootDay, ...]


@dataclass(frozen=True)
class BoardColumn:
    """One pipeline stage: how many posts it holds and the first of them."""

    status: str
    count: int
    posts: tuple[CalPost, ...]


@dataclass(frozen=True)
class PostCard:
    """A post's detail: its fields, script estimate and shot coverage."""

    post: CalPost
    shoot_at: datetime | None
    target_seconds: int | None
    notes: str
    script_seconds: float | None
    shots_total: int
    shots_done: int
    clips: int


def from_db(text: str | None) -> datetime | None:
    """Stored UTC text to an aware datetime, fast; None for a value that cannot be read
    (one bad row must not fail the month: `_post` flags it)."""
    return lenient(text)[0]


_POST_COLS = """
SELECT posts.id, posts.title, posts.status, posts.pillar_id, pillars.name AS pillar,
       pillars.color AS color, posts.planned_at,
       (SELECT {accounts}
          FROM publications JOIN accounts ON accounts.id = publications.account_id
         WHERE publications.post_id = posts.id) AS accounts
FROM posts LEFT JOIN pillars ON pillars.id = posts.pillar_id
"""


@lru_cache(maxsize=2)
def _post_cols(dialect: Dialect) -> str:
    return _POST_COLS.format(
        accounts=dialect.group_concat("accounts.platform || ':' || accounts.handle", "' '")
    )


def _post(row: Any) -> CalPost:
    accounts = tuple(sorted((row["accounts"] or "").split())) if row["accounts"] else ()
    planned, bad = lenient(row["planned_at"])
    return CalPost(
        row["id"],
        row["title"],
        row["status"],
        row["pillar_id"],
        row["pillar"],
        row["color"],
        planned,
        accounts,
        bad,
    )


def _filter_sql(flt: PostFilter) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    if flt.pillar_id is not None:
        where.append("posts.pillar_id = ?")
        args.append(flt.pillar_id)
    if flt.status is not None:
        where.append("posts.status = ?")
        args.append(flt.status)
    if flt.account_id is not None:
        where.append(
            "EXISTS (SELECT 1 FROM publications WHERE publications.post_id = posts.id"
            " AND publications.account_id = ?)"
        )
        args.append(flt.account_id)
    return where, args


def local_day_bounds(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[local midnight of `first`, local midnight after `last`) as aware times."""
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


class CalendarRepo:
    """Every read and write of the Calendar tab and the pipeline board."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    # --- reading -------------------------------------------------------------

    def range(
        self, start: datetime, end: datetime, flt: PostFilter = PostFilter()
    ) -> CalendarRange:
        """Posts planned, deliverables due and shoots set in [start, end)."""
        return CalendarRange(
            start,
            end,
            tuple(self.posts(start, end, flt)),
            tuple(self.deadlines(start, end)),
            tuple(self.shoots(start, end, flt)),
        )

    def posts(
        self, start: datetime, end: datetime, flt: PostFilter = PostFilter()
    ) -> list[CalPost]:
        """Posts planned in [start, end), by time."""
        where, args = _filter_sql(flt)
        where = ["posts.planned_at >= ?", "posts.planned_at < ?", *where]
        sql = (
            _post_cols(self.store.dialect)
            + " WHERE "
            + " AND ".join(where)
            + " ORDER BY posts.planned_at, posts.id"
        )
        rows = self.store.conn.execute(sql, [to_db(start), to_db(end), *args])
        return [_post(r) for r in rows]

    def deadlines(self, start: datetime, end: datetime) -> list[Deadline]:
        """Deliverables due in [start, end), by due time."""
        rows = self.store.conn.execute(
            "SELECT deliverables.id, deliverables.description, deliverables.due_at,"
            " deliverables.status, (SELECT min(deliverable_posts.post_id) FROM deliverable_posts"
            " WHERE deliverable_posts.deliverable_id = deliverables.id) AS post_id,"
            " deals.title AS deal, partners.name AS partner FROM deliverables"
            " JOIN deals ON deals.id = deliverables.deal_id"
            " JOIN partners ON partners.id = deals.partner_id"
            " WHERE deliverables.due_at >= ? AND deliverables.due_at < ?"
            " AND deals.status != 'lost'"
            " ORDER BY deliverables.due_at, deliverables.id",
            (to_db(start), to_db(end)),
        )
        return [
            Deadline(
                r["id"],
                r["description"],
                r["deal"],
                r["partner"],
                from_db(r["due_at"]) or start,
                r["status"],
                r["post_id"],
            )
            for r in rows
        ]

    def shoots(
        self, start: datetime, end: datetime, flt: PostFilter = PostFilter()
    ) -> list[ShootDay]:
        """Posts with a shoot set in [start, end), by shoot time."""
        where, args = _filter_sql(flt)
        where = ["posts.shoot_at >= ?", "posts.shoot_at < ?", *where]
        rows = self.store.conn.execute(
            "SELECT posts.id, posts.title, posts.status, pillars.color, posts.shoot_at FROM posts"
            " LEFT JOIN pillars ON pillars.id = posts.pillar_id WHERE "
            + " AND ".join(where)
            + " ORDER BY posts.shoot_at, posts.id",
            [to_db(start), to_db(end), *args],
        )
        return [
            ShootDay(r["id"], r["title"], r["status"], r["color"], from_db(r["shoot_at"]) or start)
            for r in rows
        ]

    def post(self, post_id: int) -> CalPost | None:
        """One post, or None when it is gone."""
        row = self.store.conn.execute(
            _post_cols(self.store.dialect) + " WHERE posts.id = ?", (post_id,)
        ).fetchone()
        return None if row is None else _post(row)

    def board(
        self, flt: PostFilter = PostFilter(), *, limit: int = BOARD_LIMIT
    ) -> list[BoardColumn]:
        """One column per status in pipeline order, each with its count and first posts.

        A column lists its soonest-planned posts first (unplanned last), up to `limit`.
        """
        where, args = _filter_sql(flt)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        counts = dict(
            self.store.conn.execute(
                "SELECT posts.status, count(*) FROM posts" + clause + " GROUP BY posts.status", args
            ).fetchall()
        )
        columns = []
        for status in POST_STATUSES:
            sql = (
                _post_cols(self.store.dialect)
                + " WHERE "
                + " AND ".join(["posts.status = ?", *where])
                + " ORDER BY posts.planned_at IS NULL, posts.planned_at, posts.id LIMIT ?"
            )
            rows = (
                self.store.conn.execute(sql, [status, *args, limit]) if counts.get(status) else []
            )
            columns.append(
                BoardColumn(status, counts.get(status, 0), tuple(_post(r) for r in rows))
            )
        return columns

    def card(
        self, post_id: int, *, wpm: int = DEFAULT_WPM, cpm: int = DEFAULT_CPM
    ) -> PostCard | None:
        """A post's detail with its script estimate and shot coverage, or None."""
        post = self.post(post_id)
        if post is None:
            return None
        conn = self.store.conn
        row = conn.execute(
            "SELECT shoot_at, target_seconds, notes FROM posts WHERE id = ?", (post_id,)
        ).fetchone()
        shots = conn.execute(
            "SELECT count(*) AS total, coalesce(sum(CASE WHEN status != 'to_shoot' THEN 1 ELSE 0 END), 0) AS done"
            " FROM shots WHERE post_id = ?",
            (post_id,),
        ).fetchone()
        clips = conn.execute(
            "SELECT count(*) FROM assets WHERE post_id = ?", (post_id,)
        ).fetchone()[0]
        script = ScriptRepo(self.store).get(post_id)
        seconds = None
        if script is not None and script.body.strip():
            seconds = estimate(parse(script.body), wpm=wpm, cpm=cpm)["total"].seconds
        return PostCard(
            post,
            from_db(row["shoot_at"]),
            row["target_seconds"],
            row["notes"],
            seconds,
            shots["total"],
            shots["done"],
            clips,
        )

    # --- writing -------------------------------------------------------------

    def move_post(self, post_id: int, day: date, zone: ZoneInfo) -> CalPost | None:
        """Plan the post on local `day` at the same local time (None: gone or unplanned)."""
        post = self.post(post_id)
        if post is None or post.planned_at is None:
            return None
        local = post.planned_at.astimezone(zone)
        moved = check_range(
            datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=zone), "planned date"
        )
        with self.store.write() as conn:
            conn.execute(
                "UPDATE posts SET planned_at = ?, updated_at = ? WHERE id = ?",
                (to_db(moved), to_db(utcnow()), post_id),
            )
        return self.post(post_id)

    def set_status(self, post_id: int, status: str) -> CalPost | None:
        """Put the post at `status` (one of POST_STATUSES); None when it is gone."""
        if status not in POST_STATUSES:
            raise ValueError(f"status {status!r} is not one of {', '.join(POST_STATUSES)}")
        with self.store.write() as conn:
            conn.execute(
                "UPDATE posts SET status = ?, updated_at = ? WHERE id = ?",
                (status, to_db(utcnow()), post_id),
            )
        return self.post(post_id)

    def step_status(self, post_id: int, step: int) -> CalPost | None:
        """Move the post `step` stages along the pipeline (clamped at both ends)."""
        post = self.post(post_id)
        if post is None:
            return None
        index = POST_STATUSES.index(post.status) + step
        index = max(0, min(len(POST_STATUSES) - 1, index))
        if POST_STATUSES[index] == post.status:
            return post
        return self.set_status(post_id, POST_STATUSES[index])

    # --- slots ---------------------------------------------------------------

    def accounts(self) -> list[Account]:
        """Every platform account, by platform and handle."""
        rows = self.store.conn.execute("SELECT * FROM accounts ORDER BY platform, handle")
        return [Account.from_row(r) for r in rows]

    def slots(self) -> list[Slot]:
        """Every posting slot, by account, weekday and time."""
        rows = self.store.conn.execute(
            "SELECT posting_slots.id, posting_slots.account_id, accounts.platform,"
            " accounts.handle, posting_slots.weekday, posting_slots.local_time"
            " FROM posting_slots JOIN accounts ON accounts.id = posting_slots.account_id"
            " ORDER BY accounts.platform, accounts.handle, posting_slots.weekday,"
            " posting_slots.local_time"
        )
        return [
            Slot(
                r["id"], r["account_id"], r["platform"], r["handle"], r["weekday"], r["local_time"]
            )
            for r in rows
        ]

    def add_slot(self, account_id: int, weekday: int, local_time: str) -> bool:
        """Add a slot; False when that account already has it."""
        with self.store.write() as conn:
            cur = conn.execute(
                "INSERT INTO posting_slots (account_id, weekday, local_time)"
                " VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (account_id, weekday, local_time),
            )
        return cur.rowcount == 1

    def remove_slot(self, slot_id: int) -> bool:
        """Delete a slot; False when it was already gone."""
        with self.store.write() as conn:
            cur = conn.execute("DELETE FROM posting_slots WHERE id = ?", (slot_id,))
        return cur.rowcount == 1

    def seed_slots(self, specs: Iterable[SlotSpec]) -> tuple[int, list[str]]:
        """Add config.toml's slots that the database lacks.

        Returns (slots added, account names that match no account). The
        database stays the source of truth: nothing is removed here.
        """
        accounts = self.accounts()
        added, unmatched = 0, []
        for spec in specs:
            matched = [a for a in accounts if spec.matches(a.platform, a.handle)]
            if not matched:
                unmatched.append(spec.account)
            for account in matched:
                for weekday in spec.weekdays:
                    added += self.add_slot(account.id, weekday, spec.local_time)
        return added, unmatched
