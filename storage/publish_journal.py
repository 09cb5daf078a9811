"""A publication's never-twice journal, committed at every call (platforms.base.Journal).

`journal_json` holds what earlier attempts learnt (`publish_id`,
`upload_url`, `session_uri`, `confirmed_bytes`, `remote_id`, …) and the
open intents: `intend(step)` is written, in its own transaction, *before* a
request that can create something; `record(step)` after its answer closes
it. An intent still open on the next attempt is doubt (a crash, a timeout, a
lost answer), and the connector asks the platform before it sends again.
`log` appends one row to `publication_steps`.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

from storage.db import Store
from storage.timefmt import to_db, utcnow


class PublicationJournal:
    """The journal of one publication (implements platforms.base.Journal)."""

    def __init__(self, store: Store, publication_id: int) -> None:
        self.store = store
        self.publication_id = publication_id

    def state(self) -> Mapping[str, Any]:
        row = self.store.conn.execute(
            "SELECT journal_json FROM publications WHERE id = ?", (self.publication_id,)
        ).fetchone()
        return json.loads(row["journal_json"] or "{}") if row else {}

    def _change(self, step: str, data: dict[str, Any], *, intend: bool) -> None:
        with self.store.write() as conn:
            row = conn.execute(
                "SELECT journal_json FROM publications WHERE id = ?", (self.publication_id,)
            ).fetchone()
            doc = json.loads(row["journal_json"] or "{}") if row else {}
            intents = dict(doc.get("intents") or {})
            if intend:
                intents[step] = to_db(utcnow())
            else:
                intents.pop(step, None)
            doc.update(data)
            doc["intents"] = intents
            conn.execute(
                "UPDATE publications SET journal_json = ? WHERE id = ?",
                (json.dumps(doc, ensure_ascii=False), self.publication_id),
            )

    def intend(self, step: str, **data: Any) -> None:
        self._change(step, data, intend=True)

    def record(self, step: str, **data: Any) -> None:
        self._change(step, data, intend=False)

    def doubtful(self, step: str) -> bool:
        return step in (self.state().get("intents") or {})

    def intended_at(self, step: str) -> str | None:
        """When an open intent was written (stored time text), or None."""
        return (self.state().get("intents") or {}).get(step)

    def log(self, entry: Any) -> None:
        """Append one StepEntry (platforms.base) to the step log."""
        with self.store.write() as conn:
            conn.execute(
                "INSERT INTO publication_steps (publication_id, at, step, method, path, status, "
                "elapsed_ms, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    self.publication_id,
                    to_db(entry.at),
                    entry.step,
                    entry.method,
                    entry.path,
                    entry.status,
                    entry.elapsed_ms,
                    entry.note,
                ),
            )


class MemoryJournal:
    """A journal kept in memory (benchmarks and connector tests without a workspace)."""

    def __init__(self) -> None:
        self.doc: dict[str, Any] = {"intents": {}}
        self.entries: list[Any] = []

    def state(self) -> Mapping[str, Any]:
        return json.loads(json.dumps(self.doc))

    def intend(self, step: str, **data: Any) -> None:
        self.doc.update(data)
        self.doc["intents"][step] = to_db(utcnow())

    def record(self, step: str, **data: Any) -> None:
        self.doc.update(data)
        self.doc["intents"].pop(step, None)

    def doubtful(self, step: str) -> bool:
        return step in self.doc["intents"]

    def intended_at(self, step: str) -> str | None:
        return self.doc["intents"].get(step)

    def log(self, entry: Any) -> None:
        self.entries.append(entry)
