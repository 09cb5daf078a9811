"""The demo workspace: `seed_demo` fills a workspace with a realistic,
deterministic team — accounts, pillars, posts in every status, scripts (some
in Chinese), render jobs, an inbox, 90 days of metrics, brand deals and a few
real clips.

Everything is placed relative to `now` with fixed random seeds, so the same
`now` (and zone) always gives the same rows. Seeding is one transaction; the
`meta` key `demo_seeded` makes a second run a no-op, and a workspace that
already holds real work is refused.
"""

from __future__ import annotations

import random
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Callable, Iterable, Iterator

import platformdirs

from app.demo import activity as A
from app.demo import clips as demo_clips
from app.demo import content as C
from app.demo import footage as demo_footage
from app.demo import inbox as demo_inbox
from app.demo import metrics as demo_metrics
from app.demo import posts as P
from app.demo import release as R
from app.demo.scale import DemoTime, Scale, scale_for
from app.home import Home
from media_watch.tools import ToolMissing
from storage import Store, seeding
from storage.metrics.writer import record_account_snapshots, record_snapshots
from storage.renders import RenderRepo

DEMO_KEY = "demo_seeded"
CLIPS_KEY = "demo_clips"
CLIP_POST_KEY = "demo_clip_post"
FOOTAGE_CHUNK = 5_000
# Tables whose indexes are rebuilt once after a large load instead of row by row.
BULK_TABLES = ("metric_snapshots", "assets", "asset_paths", "inbox_items", "posts", "publications")

Progress = Callable[[str], None]


class NotADemoWorkspace(Exception):
    """The workspace already holds real work; the demo never mixes into it."""


@dataclass(frozen=True)
class DemoReport:
    """What the demo workspace holds after `seed_demo`."""

    scale: str
    counts: dict[str, int]
    already_seeded: bool
    seeded_as: str
    clips: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)


def demo_home() -> Path:
    """The demo's own folder, never the user's real workspace."""
    return Path(platformdirs.user_data_dir("reelroom-demo", appauthor=False))


def seed_demo(
    store: Store,
    home: Home,
    *,
    now: datetime,
    scale: str = "normal",
    make_clips: bool = True,
    zone: tzinfo = UTC,
    size_factor: float = 1.0,
    progress: Progress | None = None,
) -> DemoReport:
    """Fill the workspace with the demo (once) and report what it holds.

    `zone` places local choices (posting at 19:00 local); `size_factor`
    shrinks or grows the volumes of a scale. Raises NotADemoWorkspace when
    the workspace holds posts or other work that the demo did not write.
    """
    t = DemoTime(now, zone)
    sc = scale_for(scale, size_factor)
    note = progress or (lambda _msg: None)
    marker = f"{sc.name} {t.now.date().isoformat()}" + (
        "" if size_factor == 1.0 else f" x{size_factor:g}"
    )
    with seeding.bulk_session(store, relax=sc.name == "large") as conn:
        existing = seeding.get_meta_in(conn, DEMO_KEY)
        if existing is None:
            work = seeding.work_rows_in(conn)
            if work:
                raise NotADemoWorkspace(_refusal(store.location, work))
            clip_post = _write_all(conn, t, sc, home, note)
            seeding.set_meta(conn, DEMO_KEY, marker)
            seeding.set_meta(conn, CLIP_POST_KEY, str(clip_post))
            note("demo: committing")
    if existing is None:
        note("demo: committed")
    clips, warnings = _clips(store, home, note) if make_clips else ((), ())
    if sc.synthetic_assets:
        warnings += demo_clips.make_shared_poster(home.thumbs)
    return DemoReport(
        scale=sc.name,
        counts=seeding.table_counts(store),
        already_seeded=existing is not None,
        seeded_as=existing or marker,
        clips=clips,
        warnings=warnings,
    )


def _refusal(path: str, work: dict[str, int]) -> str:
    held = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in work.items())
    return (
        f"{path} already holds real work ({held}) and was not made by `reelroom demo`. "
        "The demo never mixes its data into a real workspace; nothing was changed. "
        "Run the demo in its own folder: `reelroom demo` without --home, or "
        "`reelroom --home /tmp/reelroom-demo demo`."
    )


def _write_all(conn: sqlite3.Connection, t: DemoTime, sc: Scale, home: Home, note: Progress) -> int:
    """Generate and insert every demo row; returns the post the clips belong to."""
    rng = random.Random(f"reelroom-demo:{sc.name}")
    ids = seeding.next_ids(conn, seeding.SEEDED_TABLES)
    plan = P.build_content(t, sc, rng, ids)
    deals = A.build_deals(t, plan, ids)
    pubs, metric_pubs, _ = A.build_publications(t, plan, rng, ids, deals.branded_posts)
    jobs, renders, done_for = A.build_renders(t, sc, plan, rng, ids, home.renders)
    pubs = A.attach_renders(pubs, done_for)
    extra = R.extra_publications(t, plan, pubs, ids, ids["jobs"] + len(jobs), renders)
    platform_of = {account_id: name for name, account_id in plan.account_ids.items()}
    pub_rows, publish_jobs = R.publication_rows(
        pubs, plan, renders, platform_of, t, ids["jobs"] + len(jobs) + len(extra.jobs)
    )
    tables: list[tuple[str, tuple[str, ...], Iterable[tuple]]] = [
        ("pillars", P.PILLAR_COLS, plan.rows["pillars"]),
        (
            "accounts",
            (*P.ACCOUNT_COLS, *R.ACCOUNT_EXTRA_COLS),
            R.account_rows(plan.rows["accounts"], t),
        ),
        ("posts", P.POST_COLS, plan.rows["posts"]),
        ("scripts", P.SCRIPT_COLS, plan.rows["scripts"]),
        ("script_revisions", P.REVISION_COLS, plan.rows["script_revisions"]),
        ("shots", P.SHOT_COLS, plan.rows["shots"]),
        ("jobs", A.JOB_COLS, jobs),
        ("renders", A.RENDER_COLS, renders),
        ("jobs", A.JOB_COLS, extra.jobs + publish_jobs),  # after the render jobs' ids
        ("publications", R.RELEASE_COLS, pub_rows + extra.publications),
        ("publication_steps", R.STEP_COLS, extra.steps),
        ("inbox_items", A.INBOX_COLS, demo_inbox.build_inbox(t, sc, plan, metric_pubs, rng, ids)),
        ("saved_replies", A.SAVED_REPLY_COLS, demo_inbox.build_saved_replies(t, ids)),
        ("partners", A.PARTNER_COLS, deals.rows["partners"]),
        ("deals", A.DEAL_COLS, deals.rows["deals"]),
        ("deliverables", A.DELIVERABLE_COLS, deals.rows["deliverables"]),
        ("deliverable_posts", A.DELIVERABLE_POST_COLS, deals.rows["deliverable_posts"]),
        ("invoices", A.INVOICE_COLS, deals.rows["invoices"]),
        ("posting_slots", A.SLOT_COLS, demo_inbox.build_slots(plan, ids)),
        ("events", A.EVENT_COLS, demo_inbox.build_events(t, plan, jobs, rng, ids)),
    ]
    deferred = seeding.drop_indexes(conn, BULK_TABLES) if sc.name == "large" else []
    for table, cols, rows in tables:
        started = time.perf_counter()
        n = seeding.insert_rows(conn, table, cols, rows)
        note(f"demo: {table}: {n:,} rows ({time.perf_counter() - started:.1f} s)")
    _write_metrics(conn, t, sc, plan, metric_pubs, note)
    if sc.synthetic_assets:
        _write_footage(
            conn, t, sc, home, [p.id for p in plan.posts if p.status != "idea"], ids, note
        )
    if deferred:
        started = time.perf_counter()
        seeding.create_indexes(conn, deferred)
        note(f"demo: {len(deferred)} indexes rebuilt ({time.perf_counter() - started:.1f} s)")
    return plan.anchor("shot_due").id


def _write_metrics(
    conn: sqlite3.Connection,
    t: DemoTime,
    sc: Scale,
    plan: P.ContentPlan,
    metric_pubs: list[A.MetricPub],
    note: Progress,
) -> None:
    """Snapshots and follower counts through the one writer of snapshots (the
    roll-ups are built as they go in)."""
    started = time.perf_counter()
    days_back = max(sc.days_back, 90) + 2
    tally: dict[tuple[str, str], int] = {}
    rows = demo_metrics.snapshot_rows(metric_pubs, t, sc.snapshot_days, days_back, tally)
    done = record_snapshots(conn, rows)
    accounts = {plan.account_ids[a[0]]: a[0] for a in C.ACCOUNTS}
    stamps = demo_metrics.capture_stamps(t, days_back + sc.snapshot_days)
    followers = record_account_snapshots(conn, demo_metrics.follower_rows(tally, accounts, stamps))
    note(
        f"demo: metric_snapshots: {done.added:,} rows, account_snapshots: "
        f"{followers.added:,} rows, with roll-ups ({time.perf_counter() - started:.1f} s)"
    )


def _write_footage(
    conn: sqlite3.Connection,
    t: DemoTime,
    sc: Scale,
    home: Home,
    post_ids: list[int],
    ids: dict[str, int],
    note: Progress,
) -> None:
    """Synthetic footage rows in chunks (assets before their paths)."""
    started = time.perf_counter()
    rows = demo_footage.footage_rows(
        t,
        sc.synthetic_assets,
        home.root / "footage" / "large",
        ids["assets"],
        ids["asset_paths"],
        post_ids,
        str(demo_clips.shared_poster_path(home.thumbs)),
    )
    assets = paths = 0
    for chunk in _chunks(rows, FOOTAGE_CHUNK):
        assets += seeding.insert_rows(
            conn, "assets", demo_footage.ASSET_COLS, [r for table, r in chunk if table == "assets"]
        )
        paths += seeding.insert_rows(
            conn,
            "asset_paths",
            demo_footage.PATH_COLS,
            [r for table, r in chunk if table == "asset_paths"],
        )
    note(
        f"demo: assets: {assets:,} rows, asset_paths: {paths:,} rows "
        f"({time.perf_counter() - started:.1f} s)"
    )


def _chunks(rows: Iterator[tuple[str, tuple]], size: int) -> Iterator[list[tuple[str, tuple]]]:
    chunk: list[tuple[str, tuple]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size and item[0] == "assets":
            # never split an asset from its paths: keep the asset that just started
            yield chunk[:-1]
            chunk = chunk[-1:]
    if chunk:
        yield chunk


def _clips(store: Store, home: Home, note: Progress) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Make and import the real clips once; a missing ffmpeg is a warning, not a failure."""
    if seeding.get_meta(store, CLIPS_KEY) is not None:
        folder = demo_clips.clip_dir(home.root)
        return tuple(str(folder / c.name) for c in demo_clips.CLIPS), ()
    raw = seeding.get_meta(store, CLIP_POST_KEY)
    try:
        paths = demo_clips.make_clips(home.root)
        asset_ids = demo_clips.import_clips(store, paths, home.thumbs, int(raw) if raw else None)
    except (demo_clips.ClipError, ToolMissing) as exc:
        return (), (str(exc),)
    seeding.put_meta(store, CLIPS_KEY, ",".join(str(a) for a in asset_ids))
    videos = demo_clips.video_ids(store, asset_ids)
    if videos:  # the queued demo renders become real work for `reelroom worker`
        RenderRepo(store).give_clips_to_empty_queued(videos[:2])
    note(f"demo: {len(paths)} clips made and imported")
    return tuple(str(p) for p in paths), ()
