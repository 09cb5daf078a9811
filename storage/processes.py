"""Long-running processes announce themselves in `processes` and heartbeat.

The watcher (and the worker) insert a row at start, refresh `heartbeat_at` and
`info_json` every few seconds, and delete it on a clean stop. A row whose
heartbeat is older than a few intervals belongs to a process that died; the
TUI shows only live ones.
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from datetime import timedelta
from typing import Any

from storage.db import Store
from storage.footage_models import ProcessInfo
from storage.timefmt import to_db, utcnow

HEARTBEAT_S = 3.0
STALE_AFTER_S = 15.0


class ProcessRepo:
    """Announce, heartbeat, list and remove process rows."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def announce(self, kind: str, info: dict[str, Any]) -> str:
        """Insert this process's row; returns its id."""
        pid = os.getpid()
        proc_id = f"{kind}-{socket.gethostname()}-{pid}-{uuid.uuid4().hex[:8]}"
        now = to_db(utcnow())
        with self.store.write(exclusive=False) as conn:
            conn.execute(
                "INSERT INTO processes (id, kind, host, pid, info_json, started_at, heartbeat_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    proc_id,
                    kind,
                    socket.gethostname(),
                    pid,
                    json.dumps(info, ensure_ascii=False),
                    now,
                    now,
                ),
            )
        return proc_id

    def heartbeat(self, proc_id: str, info: dict[str, Any] | None = None) -> None:
        """Refresh the heartbeat (and the info, when given)."""
        now = to_db(utcnow())
        with self.store.write(exclusive=False) as conn:
            if info is None:
                conn.execute("UPDATE processes SET heartbeat_at = ? WHERE id = ?", (now, proc_id))
            else:
                conn.execute(
                    "UPDATE processes SET heartbeat_at = ?, info_json = ? WHERE id = ?",
                    (now, json.dumps(info, ensure_ascii=False), proc_id),
                )

    def remove(self, proc_id: str) -> None:
        """Delete the row on a clean stop."""
        with self.store.write(exclusive=False) as conn:
            conn.execute("DELETE FROM processes WHERE id = ?", (proc_id,))

    def live(
        self, kind: str | None = None, stale_after_s: float = STALE_AFTER_S
    ) -> list[ProcessInfo]:
        """Processes whose heartbeat is recent, newest first."""
        cutoff = to_db(utcnow() - timedelta(seconds=stale_after_s))
        sql = "SELECT * FROM processes WHERE heartbeat_at >= ?"
        args: list[Any] = [cutoff]
        if kind is not None:
            sql += " AND kind = ?"
            args.append(kind)
        rows = self.store.conn.execute(sql + " ORDER BY started_at DESC", args)
        return [
            ProcessInfo(
                r["id"],
                r["kind"],
                r["host"],
                r["pid"],
                json.loads(r["info_json"] or "{}"),
                r["started_at"],
                r["heartbeat_at"],
            )
            for r in rows
        ]
