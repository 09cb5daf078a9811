"""Rows written straight into a workspace's tables, for tests (no repository in between).

Each helper inserts one row (or a few) with fixed, readable defaults and
returns the new id; times are stored as the repositories store them.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from storage import Store
from storage.timefmt import to_db


def _ts(moment: datetime) -> str:
    return to_db(moment)


def insert(store: Store, table: str, row: dict[str, object]) -> int:
    """Insert one row; its id (the rowid)."""
    return int(store.db.table(table).insert(row).last_rowid or 0)


def add_post(
    store: Store,
    title: str,
    status: str,
    planned: datetime | None = None,
    shoot: datetime | None = None,
    pillar_id: int | None = None,
    notes: str = "",
) -> int:
    now = _ts(datetime(2026, 1, 1, tzinfo=timezone.utc))
    return insert(
        store,
        "posts",
        {
            "title": title,
            "status": status,
            "pillar_id": pillar_id,
            "planned_at": None if planned is None else _ts(planned),
            "shoot_at": None if shoot is None else _ts(shoot),
            "notes": notes,
            "created_at": now,
            "updated_at": now,
        },
    )


def add_account(store: Store, platform: str, handle: str) -> int:
    return insert(
        store,
        "accounts",
        {
            "platform": platform,
            "handle": handle,
            "created_at": "2026-01-01T00:00:00Z",
        },
    )


def add_publication(
    store: Store,
    post_id: int,
    account_id: int,
    state: str,
    scheduled: datetime | None = None,
    published: datetime | None = None,
) -> int:
    return insert(
        store,
        "publications",
        {
            "post_id": post_id,
            "account_id": account_id,
            "state": state,
            "scheduled_at": None if scheduled is None else _ts(scheduled),
            "published_at": None if published is None else _ts(published),
            "created_at": "2026-01-01T00:00:00Z",
        },
    )


def add_render(
    store: Store,
    state: str,
    finished: datetime,
    recipe: str = "vertical",
    post_id: int | None = None,
    error: str | None = None,
    log: str | None = None,
    output: str | None = None,
) -> int:
    job_id = insert(
        store,
        "jobs",
        {
            "kind": "render",
            "state": state,
            "run_at": _ts(finished),
            "attempts": 3,
            "last_error": error,
            "created_at": _ts(finished - timedelta(hours=1)),
            "finished_at": _ts(finished),
        },
    )
    insert(
        store,
        "renders",
        {
            "job_id": job_id,
            "recipe": recipe,
            "post_id": post_id,
            "log_tail": log,
            "output_path": output,
        },
    )
    return job_id


def make_publishing(
    store: Store, pub_id: int, progress: float, started: datetime, owner: str = "edit-box:1"
) -> int:
    """A publication being sent: its publish job (made if it has none) running, leased by
    `owner`, `progress` done."""
    running = {
        "state": "running",
        "attempts": 1,
        "lease_owner": owner,
        "lease_until": _ts(started + timedelta(days=365)),
        "progress": progress,
        "started_at": _ts(started),
    }
    job_id = store.db.table("publications").get(pub_id)["job_id"]
    if job_id is None:
        job_id = insert(
            store,
            "jobs",
            {
                "kind": "publish",
                "payload_json": f'{{"publication_id": {pub_id}}}',
                "idem_key": f"publish:{pub_id}:1",
                "run_at": _ts(started),
                "created_at": _ts(started),
                **running,
            },
        )
    else:
        store.db.table("jobs").update(job_id, running)
    store.db.table("publications").update(
        pub_id,
        {
            "state": "publishing",
            "progress": progress,
            "attempts": 1,
            "started_at": _ts(started),
            "job_id": job_id,
            "job_seq": 1,
        },
    )
    return job_id


def add_inbox(store: Store, account_id: int, n: int, start: datetime, status: str = "new") -> None:
    for i in range(n):
        store.db.table("inbox_items").insert(
            {
                "account_id": account_id,
                "kind": "comment",
                "remote_id": f"{status}-{start}-{i}",
                "author": f"fan{i}",
                "body": f"comment number {i}",
                "received_at": _ts(start + timedelta(minutes=10 * i)),
                "status": status,
            }
        )


def add_deal(store: Store, partner: str, status: str = "contracted") -> int:
    pid = insert(store, "partners", {"name": partner, "created_at": "2026-01-01T00:00:00Z"})
    return insert(
        store,
        "deals",
        {
            "partner_id": pid,
            "title": f"{partner} autumn",
            "fee_minor": 250000,
            "currency": "EUR",
            "status": status,
            "disclosure": "#ad",
            "created_at": "2026-01-01T00:00:00Z",
        },
    )


def add_deliverable(
    store: Store,
    deal_id: int,
    text: str,
    due: datetime,
    status: str = "to_do",
    post_id: int | None = None,
) -> int:
    item = insert(
        store,
        "deliverables",
        {
            "deal_id": deal_id,
            "description": text,
            "due_at": _ts(due),
            "status": status,
            "created_at": "2026-01-01T00:00:00Z",
        },
    )
    if post_id is not None:
        store.db.table("deliverable_posts").insert({"deliverable_id": item, "post_id": post_id})
    return item


def add_snapshot(store: Store, pub: int, at: datetime, views: int, likes: int = 0) -> None:
    """A snapshot through the one writer of snapshots (the roll-ups come along)."""
    from storage.metrics.writer import SnapshotRow, record_snapshots

    with store.write() as conn:
        record_snapshots(
            conn,
            [
                SnapshotRow(
                    pub,
                    _ts(at),
                    views=views,
                    likes=likes,
                    comments=views // 100,
                    shares=views // 1000,
                    followers_gained=views // 500,
                )
            ],
        )


def add_pillar(store: Store, name: str, color: str, share: float | None = None) -> int:
    return insert(
        store,
        "pillars",
        {
            "name": name,
            "color": color,
            "target_share": share,
            "created_at": "2026-01-01T00:00:00Z",
        },
    )


def add_asset(store: Store, name: str, status: str = "ok") -> int:
    return insert(
        store,
        "assets",
        {
            "kind": "video",
            "name": name,
            "size_bytes": 10,
            "imported_at": "2026-01-01T00:00:00Z",
            "status": status,
            "reason": "bad" if status == "rejected" else None,
        },
    )
