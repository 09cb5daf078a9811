"""The publish worker's transitions of a publication, from sending to published or failed.

`PublicationSends` adds them to `PublicationReads`; `PublicationRepo`
(storage/publications.py) is built on it. Each change is one write
transaction with its event (storage/publication_events.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from storage.publication_events import add_event, now_text
from storage.publication_models import Publication
from storage.publication_reads import PublicationReads
from storage.timefmt import from_db, to_db, utcnow


def _parse(text: str) -> datetime:
    moment = from_db(text)
    assert moment is not None
    return moment


class PublicationSends(PublicationReads):
    """The worker's transitions: begin sending, progress, processing, published, failed."""

    def begin_send(
        self,
        pub_id: int,
        *,
        spacing: timedelta = timedelta(0),
        daily_cap: int | None = None,
        now: datetime | None = None,
    ) -> tuple[Publication | None, datetime | None, str]:
        """Start (or resume) sending: → publishing, an attempt counted.

        A scheduled publication starts only when its account's spacing and
        daily cap allow, checked in the same transaction (two workers cannot
        both take the last slot): otherwise (None, when it may go, why).
        """
        moment = now or utcnow()
        stamp = to_db(moment)
        with self.store.write() as conn:
            row = self._current(conn, pub_id)
            if row["state"] == "scheduled":
                starts = [
                    r["started_at"]
                    for r in conn.execute(
                        "SELECT started_at FROM publications WHERE account_id = ? AND id != ? "
                        "AND started_at >= ? AND state IN ('publishing', 'processing', "
                        "'published') ORDER BY started_at",
                        (row["account_id"], pub_id, to_db(moment - timedelta(days=1))),
                    )
                ]
                if daily_cap is not None and len(starts) >= daily_cap:
                    until = _parse(starts[len(starts) - daily_cap]) + timedelta(days=1)
                    return None, until, f"the daily cap of {daily_cap} for this account is reached"
                if starts and spacing and _parse(starts[-1]) + spacing > moment:
                    minutes = spacing.total_seconds() / 60
                    return (
                        None,
                        _parse(starts[-1]) + spacing,
                        f"{minutes:g} minutes' spacing after this account's last publication",
                    )
            conn.execute(
                "UPDATE publications SET state = 'publishing', attempts = attempts + 1, "
                "started_at = ?, error = NULL, note = NULL, updated_at = ? "
                "WHERE id = ? AND state IN ('scheduled', 'publishing')",
                (stamp, stamp, pub_id),
            )
        return self.must(pub_id), None, ""

    def set_progress(self, pub_id: int, fraction: float) -> None:
        with self.store.write() as conn:
            conn.execute(
                "UPDATE publications SET progress = ? WHERE id = ?",
                (min(1.0, max(0.0, fraction)), pub_id),
            )

    def set_note(self, pub_id: int, note: str | None) -> None:
        with self.store.write() as conn:
            conn.execute(
                "UPDATE publications SET note = ?, updated_at = ? WHERE id = ?",
                (note, now_text(), pub_id),
            )

    def mark_processing(self, pub_id: int, note: str | None = None) -> None:
        with self.store.write() as conn:
            conn.execute(
                "UPDATE publications SET state = 'processing', progress = 1.0, note = ?, "
                "updated_at = ? WHERE id = ?",
                (note, now_text(), pub_id),
            )

    def mark_published(
        self, pub_id: int, remote_id: str | None, remote_url: str | None, note: str | None = None
    ) -> bool:
        """Out: store where it is, log an event; True when this moved its post to published."""
        now = now_text()
        with self.store.write() as conn:
            conn.execute(
                "UPDATE publications SET state = 'published', remote_id = ?, remote_url = ?, "
                "published_at = COALESCE(published_at, ?), error = NULL, note = ?, progress = 1.0, "
                "updated_at = ? WHERE id = ?",
                (remote_id, remote_url, now, note, now, pub_id),
            )
            post_id = conn.execute(
                "SELECT post_id FROM publications WHERE id = ?", (pub_id,)
            ).fetchone()["post_id"]
            moved = conn.execute(
                "UPDATE posts SET status = 'published', updated_at = ? WHERE id = ? "
                "AND status != 'published' AND NOT EXISTS (SELECT 1 FROM publications "
                "WHERE post_id = ? AND state NOT IN ('published', 'cancelled'))",
                (now, post_id, post_id),
            ).rowcount
            add_event(
                conn,
                "worker",
                "publication.published",
                pub_id,
                {"remote_id": remote_id, "remote_url": remote_url, "note": note},
            )
        return moved == 1

    def mark_failed(self, pub_id: int, error: str, *, final: bool = False) -> None:
        """Failed for a person to see; `final` (the platform refused it) lets a retry start afresh."""
        with self.store.write() as conn:
            row = self._current(conn, pub_id)
            journal = json.loads(row["journal_json"] or "{}")
            if final:
                journal["final"] = True
            conn.execute(
                "UPDATE publications SET state = 'failed', error = ?, journal_json = ?, "
                "updated_at = ? WHERE id = ?",
                (error, json.dumps(journal), now_text(), pub_id),
            )
            add_event(conn, "worker", "publication.failed", pub_id, {"error": error})

    def mark_cancelled(self, pub_id: int) -> None:
        with self.store.write() as conn:
            conn.execute(
                "UPDATE publications SET state = 'cancelled', updated_at = ? WHERE id = ?",
                (now_text(), pub_id),
            )
            add_event(conn, "worker", "publication.cancelled", pub_id, {})
