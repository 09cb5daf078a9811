"""`NumbersRepo`: every read of the Numbers tab, on the workspace's store.

A thin wrapper over the query functions of this package (series, posts),
each run on the calling thread's connection (`store.conn`), plus the two
small lists the tab's filters cycle through (accounts, pillars) and the
publications its post report picks from. A worker calls `close_connection()`
when it ends (the pane base does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from storage.db import Store
from storage.metrics import posts, series
from storage.metrics.days import ALL, Filter


@dataclass(frozen=True)
class Choice:
    """One value a filter can take: its id and what it is called."""

    id: int
    label: str


@dataclass(frozen=True)
class PublicationChoice:
    """A publication the post report can show (newest first in a list)."""

    publication_id: int
    post_id: int
    title: str
    platform: str
    handle: str
    published_at: datetime


class NumbersRepo:
    """The Numbers tab's reads (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.store.close()

    def accounts(self) -> tuple[Choice, ...]:
        """Every account, as "platform handle", by id."""
        rows = self.store.conn.execute(
            "SELECT id, platform, handle FROM accounts ORDER BY id"
        ).fetchall()
        return tuple(Choice(r[0], f"{r[1]} {r[2]}") for r in rows)

    def pillars(self) -> tuple[Choice, ...]:
        """Every pillar by id, then "no pillar" (id 0, as days.Filter reads it)."""
        rows = self.store.conn.execute("SELECT id, name FROM pillars ORDER BY id").fetchall()
        return (*(Choice(r[0], r[1]) for r in rows), Choice(0, "no pillar"))

    def daily(self, first: date, last: date, zone: ZoneInfo, flt: Filter = ALL) -> series.Series:
        """series.daily on this thread's connection."""
        return series.daily(self.store.conn, first, last, zone, flt)

    def followers(
        self, first: date, last: date, zone: ZoneInfo, account_ids: tuple[int, ...] | None
    ) -> tuple[series.FollowerPoint, ...]:
        """series.followers on this thread's connection."""
        return series.followers(self.store.conn, first, last, zone, account_ids)

    def best_time(
        self, zone: ZoneInfo, *, since: datetime, flt: Filter = ALL, min_count: int = 3
    ) -> posts.BestTimeGrid:
        """posts.best_time_grid of the publications out since `since`."""
        return posts.best_time_grid(
            self.store.conn, zone, since=since, flt=flt, min_count=min_count
        )

    def compare(
        self, by: Literal["pillar", "hook"], *, since: datetime, flt: Filter = ALL
    ) -> tuple[posts.GroupStats, ...]:
        """posts.compare_groups of the publications out since `since`."""
        return posts.compare_groups(self.store.conn, by, since=since, flt=flt)

    def publications(
        self, *, since: datetime | None = None, flt: Filter = ALL, post_id: int | None = None
    ) -> tuple[PublicationChoice, ...]:
        """Publications with numbers out since `since` (or of one post), newest first."""
        figs = posts.figures(self.store.conn, since=since, flt=flt, post_id=post_id)
        return tuple(
            PublicationChoice(
                f.publication_id, f.post_id, f.title, f.platform, f.handle, f.published_at
            )
            for f in reversed(figs)
        )

    def post_curves(self, post_id: int) -> tuple[posts.CurveComparison, ...]:
        """posts.post_curves of one post (its pillar's peers from all history)."""
        return posts.post_curves(self.store.conn, post_id)
