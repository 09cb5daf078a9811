"""Sponsor reports: a deliverable's numbers at checkpoints after it goes live, kept.

A deliverable is live once a publication of one of its posts is published
(on the deliverable's platforms, when it names some). At each checkpoint —
24 h, 48 h, 7 d and 30 d after the last of those publications went out,
`[deals] report_checkpoints_hours` — its figures are assembled from the
metric snapshots: for every publication, the latest snapshot captured at or
before that publication's own `published_at + checkpoint`. Snapshots are
cumulative and stamped with when they were captured, so the figures at a
checkpoint are final once it has passed: they are assembled then (by
`SponsorReports.assemble`, which every reader of a report calls) and kept
in `deal_reports`, never recomputed.

Figures: views, reach and link clicks where the snapshots give them,
likes, comments, shares, saves, engagements (their sum), engagement rate
(engagements / views), completion (the view-weighted mean of the
completion rates given). A deal's figures are the sum of its deliverables';
against the deal's promised figures the latest kept checkpoint of each
deliverable counts.

`snapshot_figures` is the one function that reads snapshots: when numbers
roll-ups land it is the one place to switch.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

from storage.db import Store
from storage.deals.models import Deal, Deliverable
from storage.deals.repo import DealRepo
from storage.timefmt import from_db, to_db

DEFAULT_CHECKPOINTS: tuple[int, ...] = (24, 48, 168, 720)
COUNTS = ("views", "likes", "comments", "shares", "saves")
OPTIONAL = ("reach", "link_clicks")  # summed over the snapshots that give them


RATES = ("engagement_rate", "completion_rate")


def figure_text(key: str, value: float | None, locale: str) -> str:
    """A figure as the brand reads it: counts grouped, rates as percentages, "—" if not given."""
    from babel.numbers import format_decimal, format_percent

    if value is None:
        return "—"
    if key in RATES:
        return str(format_percent(value, "#,##0.0%", locale=locale))
    return str(format_decimal(round(value), locale=locale))


def checkpoint_label(hours: int) -> str:
    """24 -> "24 h", 168 -> "7 d", 720 -> "30 d"."""
    return f"{hours // 24} d" if hours >= 72 and hours % 24 == 0 else f"{hours} h"


@dataclass(frozen=True)
class Figures:
    """Summed numbers of some publications at one checkpoint."""

    views: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    reach: int | None = None
    link_clicks: int | None = None
    completion_sum: float = 0.0  # Σ views × completion rate, over the snapshots that give it
    completion_views: int = 0  # Σ views of those snapshots
    publications: int = 0
    measured: int = 0  # publications with a snapshot by the checkpoint

    @property
    def engagements(self) -> int:
        return self.likes + self.comments + self.shares + self.saves

    @property
    def engagement_rate(self) -> float | None:
        return self.engagements / self.views if self.views else None

    @property
    def completion_rate(self) -> float | None:
        return self.completion_sum / self.completion_views if self.completion_views else None

    def value(self, key: str) -> float | None:
        """A figure by its report name (views, reach, engagements, engagement_rate, …)."""
        found = getattr(self, key)
        return None if found is None else float(found)

    def to_json(self) -> dict[str, Any]:
        return {
            "views": self.views,
            "likes": self.likes,
            "comments": self.comments,
            "shares": self.shares,
            "saves": self.saves,
            "reach": self.reach,
            "link_clicks": self.link_clicks,
            "completion_sum": self.completion_sum,
            "completion_views": self.completion_views,
            "publications": self.publications,
            "measured": self.measured,
        }

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Figures:
        return cls(**{k: doc[k] for k in cls.__dataclass_fields__ if k in doc})

    @classmethod
    def total(cls, parts: Iterable[Figures]) -> Figures:
        """The sum of several figures (reach and clicks stay None when none gives them)."""
        items = list(parts)

        def opt(name: str) -> int | None:
            given = [getattr(p, name) for p in items if getattr(p, name) is not None]
            return sum(given) if given else None

        return cls(
            **{k: sum(getattr(p, k) for p in items) for k in COUNTS},
            reach=opt("reach"),
            link_clicks=opt("link_clicks"),
            completion_sum=sum(p.completion_sum for p in items),
            completion_views=sum(p.completion_views for p in items),
            publications=sum(p.publications for p in items),
            measured=sum(p.measured for p in items),
        )


@dataclass(frozen=True)
class PubFigures:
    """One publication's snapshot at a checkpoint."""

    publication_id: int
    platform: str
    handle: str
    published_at: str
    snapshot_at: str | None
    figures: Figures


@dataclass(frozen=True)
class DeliverableReport:
    """A deliverable's kept figures at one checkpoint."""

    deliverable_id: int
    description: str
    hours: int
    due_at: datetime
    assembled_at: datetime
    figures: Figures
    publications: tuple[PubFigures, ...] = ()


@dataclass(frozen=True)
class Checkpoint:
    """Every deliverable kept at one checkpoint, and their sum."""

    hours: int
    rows: tuple[DeliverableReport, ...]

    @property
    def label(self) -> str:
        return checkpoint_label(self.hours)

    @property
    def total(self) -> Figures:
        return Figures.total(r.figures for r in self.rows)


@dataclass(frozen=True)
class Upcoming:
    """A checkpoint of a live deliverable that has not come yet."""

    deliverable_id: int
    description: str
    hours: int
    at: datetime


@dataclass(frozen=True)
class DealReport:
    """A deal's sponsor report: its checkpoints, what is to come, the promise."""

    deal: Deal
    checkpoints: tuple[Checkpoint, ...]
    upcoming: tuple[Upcoming, ...]
    latest: Figures  # the latest kept checkpoint of each deliverable, summed
    live: int  # deliverables with a publication out
    kept_now: int = 0  # reports this call assembled and kept

    def against_promise(self) -> list[tuple[str, float | None, float, float | None]]:
        """(figure, delivered, promised, delivered/promised) for each promised figure."""
        out = []
        for key, promised in self.deal.promised.items():
            actual = self.latest.value(key) if self.checkpoints else None
            ratio = actual / promised if actual is not None and promised else None
            out.append((key, actual, promised, ratio))
        return out


@dataclass
class _LivePubs:
    deliverable: Deliverable
    pubs: list[sqlite3.Row] = field(default_factory=list)


def snapshot_figures(
    conn: sqlite3.Connection, pubs: list[tuple[int, datetime]]
) -> tuple[Figures, list[tuple[str | None, Figures]]]:
    """The summed figures of publications at their moments, and each one's (snapshot time,
    figures): for each (publication, moment), its latest snapshot captured at or before it."""
    parts: list[tuple[str | None, Figures]] = []
    for pub_id, moment in pubs:
        row = conn.execute(
            "SELECT * FROM metric_snapshots WHERE publication_id = ? AND captured_at <= ? "
            "ORDER BY captured_at DESC LIMIT 1",
            (pub_id, to_db(moment)),
        ).fetchone()
        if row is None:
            parts.append((None, Figures(publications=1)))
            continue
        keys = row.keys()
        # Since schema 8 a count the platform does not give is NULL: it adds nothing here.
        views = row["views"]
        completion = row["completion_rate"] if views is not None else None
        optional: dict[str, int | None] = {}
        for name in OPTIONAL:  # columns a later schema may add; None where not given
            column = name if name in keys else "clicks" if name == "link_clicks" else None
            value = row[column] if column and column in keys else None
            optional[name] = None if value is None else int(value)
        parts.append(
            (
                row["captured_at"],
                Figures(
                    **{k: int(row[k] or 0) for k in COUNTS},
                    reach=optional["reach"],
                    link_clicks=optional["link_clicks"],
                    completion_sum=0.0 if completion is None else float(completion) * views,
                    completion_views=0 if completion is None else int(views),
                    publications=1,
                    measured=1,
                ),
            )
        )
    return Figures.total(f for _, f in parts), parts


class SponsorReports:
    """Assemble (and keep) the sponsor reports of deals."""

    def __init__(self, store: Store, checkpoints: Iterable[int] = DEFAULT_CHECKPOINTS) -> None:
        self.store = store
        self.checkpoints = tuple(sorted(set(int(h) for h in checkpoints)))

    def close_connection(self) -> None:
        self.store.close()

    def _live(self, deal_id: int) -> list[_LivePubs]:
        conn = self.store.conn
        out = []
        for item in DealRepo(self.store).deliverables(deal_id):
            if not item.post_ids:
                continue
            marks = ",".join("?" * len(item.post_ids))
            sql = (
                "SELECT publications.id, publications.published_at, accounts.platform, "
                "accounts.handle FROM publications JOIN accounts "
                "ON accounts.id = publications.account_id "
                f"WHERE publications.post_id IN ({marks}) AND publications.state = 'published' "
                "AND publications.published_at IS NOT NULL"
            )
            args: list[Any] = list(item.post_ids)
            if item.platforms:
                sql += f" AND accounts.platform IN ({','.join('?' * len(item.platforms))})"
                args.extend(item.platforms)
            pubs = conn.execute(sql + " ORDER BY publications.id", args).fetchall()
            if pubs:
                out.append(_LivePubs(item, pubs))
        return out

    def _kept(self, deal_id: int) -> dict[tuple[int, int], DeliverableReport]:
        rows = self.store.conn.execute(
            "SELECT deal_reports.*, deliverables.description FROM deal_reports "
            "JOIN deliverables ON deliverables.id = deal_reports.deliverable_id "
            "WHERE deal_reports.deal_id = ? ORDER BY checkpoint_hours, deliverables.due_at, "
            "deliverables.id",
            (deal_id,),
        )
        out = {}
        for r in rows:
            doc = json.loads(r["figures_json"])
            due, assembled = from_db(r["due_at"]), from_db(r["assembled_at"])
            assert due is not None and assembled is not None
            pubs = tuple(
                PubFigures(
                    p["publication_id"],
                    p["platform"],
                    p["handle"],
                    p["published_at"],
                    p["snapshot_at"],
                    Figures.from_json(p["figures"]),
                )
                for p in doc.get("publications", [])
            )
            out[(r["deliverable_id"], r["checkpoint_hours"])] = DeliverableReport(
                r["deliverable_id"],
                r["description"],
                r["checkpoint_hours"],
                due,
                assembled,
                Figures.from_json(doc["total"]),
                pubs,
            )
        return out

    def _keep(
        self, deal_id: int, live: _LivePubs, hours: int, due: datetime, now: datetime
    ) -> None:
        moments = [
            (int(p["id"]), (from_db(p["published_at"]) or now) + timedelta(hours=hours))
            for p in live.pubs
        ]
        total, parts = snapshot_figures(self.store.conn, moments)
        doc = {
            "total": total.to_json(),
            "publications": [
                {
                    "publication_id": int(p["id"]),
                    "platform": p["platform"],
                    "handle": p["handle"],
                    "published_at": p["published_at"],
                    "snapshot_at": snap_at,
                    "figures": figures.to_json(),
                }
                for p, (snap_at, figures) in zip(live.pubs, parts, strict=True)
            ],
        }
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO deal_reports (deal_id, deliverable_id, checkpoint_hours, due_at, "
                "assembled_at, figures_json) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (deliverable_id, checkpoint_hours) DO NOTHING",
                (deal_id, live.deliverable.id, hours, to_db(due), to_db(now), json.dumps(doc)),
            )

    def assemble(self, deal_id: int, now: datetime) -> DealReport:
        """Keep every checkpoint reached and not kept yet; the deal's whole report."""
        deal = DealRepo(self.store).must(deal_id)
        live = self._live(deal_id)
        kept = self._kept(deal_id)
        upcoming: list[Upcoming] = []
        new = 0
        for item in live:
            last_out = max(from_db(p["published_at"]) or now for p in item.pubs)
            for hours in self.checkpoints:
                due = last_out + timedelta(hours=hours)
                if (item.deliverable.id, hours) in kept:
                    continue
                if due <= now:
                    self._keep(deal_id, item, hours, due, now)
                    new += 1
                else:
                    upcoming.append(
                        Upcoming(item.deliverable.id, item.deliverable.description, hours, due)
                    )
        if new:
            kept = self._kept(deal_id)
        by_hours: dict[int, list[DeliverableReport]] = {}
        latest: dict[int, DeliverableReport] = {}
        for (item_id, hours), report in sorted(kept.items(), key=lambda kv: kv[0][1]):
            by_hours.setdefault(hours, []).append(report)
            latest[item_id] = report
        checkpoints = tuple(Checkpoint(h, tuple(rows)) for h, rows in sorted(by_hours.items()))
        return DealReport(
            deal,
            checkpoints,
            tuple(sorted(upcoming, key=lambda u: (u.at, u.deliverable_id))),
            Figures.total(r.figures for r in latest.values()),
            len(live),
            new,
        )

    def assemble_due(self, now: datetime) -> int:
        """Keep every reached checkpoint of every deal that is not lost; how many were kept."""
        ids = [
            r["id"]
            for r in self.store.conn.execute(
                "SELECT DISTINCT deals.id FROM deals JOIN deliverables "
                "ON deliverables.deal_id = deals.id WHERE deals.status != 'lost' "
                "ORDER BY deals.id"
            )
        ]
        return sum(self.assemble(deal_id, now).kept_now for deal_id in ids)
