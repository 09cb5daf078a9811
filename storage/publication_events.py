"""The events a publication leaves: one `events` row per change, and the disclosure override.

Shared by the publish queue's requests (storage/publications.py) and the
worker's transitions (storage/publication_sends.py), each inside the write
transaction of the change it records.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from storage.deals.models import DisclosureOverride
from storage.timefmt import to_db, utcnow


def now_text() -> str:
    """Now (UTC) as stored."""
    return to_db(utcnow())


def add_event(
    conn: sqlite3.Connection, actor: str, kind: str, entity_id: int, detail: dict[str, Any]
) -> None:
    """One row of `events` about a publication (no secrets in `detail`)."""
    conn.execute(
        "INSERT INTO events (at, actor, kind, entity, entity_id, detail_json) "
        "VALUES (?, ?, ?, 'publication', ?, ?)",
        (now_text(), actor, kind, entity_id, json.dumps(detail, ensure_ascii=False)),
    )


def log_override(
    conn: sqlite3.Connection, actor: str, pub_id: int, post_id: int, override: DisclosureOverride
) -> None:
    """The disclosure gate was overridden: one event on the publication, one on each deal."""
    detail = {"reason": override.reason, "missing": list(override.missing)}
    add_event(conn, actor, "publication.disclosure_override", pub_id, detail)
    for deal_id in override.deal_ids:
        conn.execute(
            "INSERT INTO events (at, actor, kind, entity, entity_id, detail_json) "
            "VALUES (?, ?, 'deal.disclosure_override', 'deal', ?, ?)",
            (
                now_text(),
                actor,
                deal_id,
                json.dumps(
                    {**detail, "publication_id": pub_id, "post_id": post_id}, ensure_ascii=False
                ),
            ),
        )
