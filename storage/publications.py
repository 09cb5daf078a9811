"""The publish queue: publications (post × account) and the jobs that send them.

A publication is one post going out on one account: a file (a finished
render or any file), caption, title, privacy, flags and a time. Its life:

    draft ──(a time)──▶ scheduled ──▶ publishing ──▶ processing ──▶ published
                            │              │              │
                            └──────────────┴──────────────┴──▶ failed / cancelled

Each scheduled publication has one `publish` job (storage/jobs.py) claimable
at its time; the job's idempotency key is `publish:<id>:<n>`, n counting the
jobs that publication has had (`job_seq`), so racing requests make one job.
While the platform processes, the same job waits in the queue (the worker's
slot is freed) and comes back to ask again.

The never-twice journal of a publication lives in `journal_json`
(storage/publish_journal.py); its requests in `publication_steps`.

`PublicationRepo` is built in layers: the reads (storage/publication_reads.py),
the worker's transitions (storage/publication_sends.py) and, here, people's
requests; the events they leave are written by storage/publication_events.py.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.deals.models import DisclosureOverride
from storage.jobs import insert_job
from storage.publication_events import add_event, log_override, now_text
from storage.publication_models import Publication, PublicationStep
from storage.publication_reads import SELECT, PublicationError
from storage.publication_sends import PublicationSends
from storage.timefmt import to_db

__all__ = [
    "ACTIVE_JOB",
    "SELECT",
    "NewPublication",
    "Publication",
    "PublicationError",
    "PublicationRepo",
    "PublicationStep",
    "add_event",
    "log_override",
]

ACTIVE_JOB = ("queued", "failed", "running")


@dataclass(frozen=True)
class NewPublication:
    """What `publish add` (and the tab) asks for, already checked."""

    post_id: int
    account_id: int
    file_path: str
    caption: str = ""
    title: str = ""
    privacy: str = "public"
    branded_content: bool = False
    as_draft: bool = False
    render_job_id: int | None = None
    scheduled_at: datetime | None = None
    media: dict[str, Any] = field(default_factory=dict)
    preflight: dict[str, Any] | None = None
    disclosure_override: DisclosureOverride | None = None  # let past the gate, and why


class PublicationRepo(PublicationSends):
    """Add, list and change publications; the worker's transitions.

    The reads come from PublicationReads (storage/publication_reads.py), the
    worker's transitions from PublicationSends (storage/publication_sends.py);
    here, people's requests.
    """

    # --- people's requests ------------------------------------------------------------

    def add(self, new: NewPublication, *, actor: str = "cli") -> Publication:
        """Store the publication (and its job when it has a time), all or nothing."""
        state = "scheduled" if new.scheduled_at is not None else "draft"
        when = to_db(new.scheduled_at) if new.scheduled_at is not None else None
        now = now_text()
        with self.store.write() as conn:
            taken = conn.execute(
                "SELECT id, state FROM publications WHERE post_id = ? AND account_id = ?",
                (new.post_id, new.account_id),
            ).fetchone()
            if taken is not None:
                raise PublicationError(
                    f"post {new.post_id} already has publication {taken['id']} "
                    f"({taken['state']}) on this account; change that one "
                    f"(`reelroom publish show {taken['id']}`) instead of adding another"
                )
            row = conn.execute(
                "INSERT INTO publications (post_id, account_id, render_job_id, caption, "
                "scheduled_at, state, created_at, title, privacy, branded_content, as_draft, "
                "file_path, media_json, preflight_json, updated_at, disclosure_override) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    new.post_id,
                    new.account_id,
                    new.render_job_id,
                    new.caption,
                    when,
                    state,
                    now,
                    new.title,
                    new.privacy,
                    1 if new.branded_content else 0,
                    1 if new.as_draft else 0,
                    new.file_path,
                    json.dumps(new.media, ensure_ascii=False),
                    json.dumps(new.preflight, ensure_ascii=False) if new.preflight else None,
                    now,
                    new.disclosure_override.reason if new.disclosure_override else None,
                ),
            ).fetchone()
            pub_id = int(row["id"])
            if new.disclosure_override is not None:
                log_override(conn, actor, pub_id, new.post_id, new.disclosure_override)
            if when is not None:
                self._new_job(conn, pub_id, when)
                conn.execute(
                    "UPDATE posts SET status = 'scheduled', updated_at = ? WHERE id = ? "
                    "AND status NOT IN ('scheduled', 'published', 'archived')",
                    (now, new.post_id),
                )
            add_event(conn, actor, "publication.added", pub_id, {"state": state})
        return self.must(pub_id)

    def _new_job(self, conn: sqlite3.Connection, pub_id: int, run_at: str) -> int:
        seq_row = conn.execute(
            "UPDATE publications SET job_seq = job_seq + 1 WHERE id = ? RETURNING job_seq",
            (pub_id,),
        ).fetchone()
        job_id = insert_job(
            conn,
            "publish",
            {"publication_id": pub_id},
            idem_key=f"publish:{pub_id}:{seq_row['job_seq']}",
            max_attempts=self.max_attempts,
            run_at=run_at,
        )
        conn.execute("UPDATE publications SET job_id = ? WHERE id = ?", (job_id, pub_id))
        return int(job_id or 0)

    def _job_state(self, conn: sqlite3.Connection, job_id: int | None) -> str | None:
        if job_id is None:
            return None
        row = conn.execute("SELECT state FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return row["state"] if row else None

    def cancel(self, pub_id: int, *, actor: str = "cli") -> Publication:
        """Cancel before anything went out; a publication being sent is stopped at a safe point."""
        with self.store.write() as conn:
            row = self._current(conn, pub_id)
            state = row["state"]
            if state in ("processing", "published"):
                raise PublicationError(
                    f"publication {pub_id} is {state}: it has already gone to the platform; "
                    "remove it there (in the app) if it must not stay"
                )
            if state == "cancelled":
                raise PublicationError(f"publication {pub_id} is already cancelled")
            job_state = self._job_state(conn, row["job_id"])
            if state == "publishing" and job_state == "running":
                conn.execute("UPDATE jobs SET cancel_requested = 1 WHERE id = ?", (row["job_id"],))
                add_event(conn, actor, "publication.cancel_requested", pub_id, {})
            else:
                if job_state in ("queued", "failed"):
                    conn.execute(
                        "UPDATE jobs SET state = 'cancelled', cancel_requested = 1, "
                        "finished_at = ? WHERE id = ?",
                        (now_text(), row["job_id"]),
                    )
                conn.execute(
                    "UPDATE publications SET state = 'cancelled', updated_at = ? WHERE id = ?",
                    (now_text(), pub_id),
                )
                add_event(conn, actor, "publication.cancelled", pub_id, {})
        return self.must(pub_id)

    def retry(self, pub_id: int, *, actor: str = "cli") -> Publication:
        """Send a failed or cancelled publication again, now."""
        with self.store.write() as conn:
            row = self._current(conn, pub_id)
            stuck = (
                row["state"] in ("publishing", "processing")
                and self._job_state(conn, row["job_id"]) not in ACTIVE_JOB
            )  # its job died (lease lost after its last attempt)
            if row["state"] not in ("failed", "cancelled") and not stuck:
                raise PublicationError(
                    f"publication {pub_id} is {row['state']}; only failed or cancelled "
                    "publications can be retried (`reelroom publish now` sends a scheduled one now)"
                )
            journal = json.loads(row["journal_json"] or "{}")
            if journal.get("final"):
                journal = {}  # the platform refused that attempt for good: start afresh
            self._reschedule(conn, pub_id, journal)
            add_event(conn, actor, "publication.retried", pub_id, {})
        return self.must(pub_id)

    def override_disclosure(
        self, pub_id: int, override: DisclosureOverride, *, actor: str = "cli"
    ) -> Publication:
        """Let a stored publication past the disclosure gate (logged on it and its deals)."""
        with self.store.write() as conn:
            row = self._current(conn, pub_id)
            conn.execute(
                "UPDATE publications SET disclosure_override = ?, updated_at = ? WHERE id = ?",
                (override.reason, now_text(), pub_id),
            )
            log_override(conn, actor, pub_id, row["post_id"], override)
        return self.must(pub_id)

    def _reschedule(self, conn: sqlite3.Connection, pub_id: int, journal: dict[str, Any]) -> None:
        now = now_text()
        conn.execute(
            "UPDATE publications SET state = 'scheduled', scheduled_at = ?, error = NULL, "
            "progress = NULL, journal_json = ?, updated_at = ? WHERE id = ?",
            (now, json.dumps(journal), now, pub_id),
        )
        self._new_job(conn, pub_id, now)

    def send_now(self, pub_id: int, *, actor: str = "cli") -> Publication:
        """Draft or scheduled: go out now. Processing: ask the platform now. Failed: retry."""
        with self.store.write() as conn:
            row = self._current(conn, pub_id)
            state, now = row["state"], now_text()
            job_state = self._job_state(conn, row["job_id"])
            if state in ("published", "cancelled"):
                raise PublicationError(
                    f"publication {pub_id} is {state}; "
                    + ("`reelroom publish retry` sends it again" if state == "cancelled" else "")
                )
            if state == "failed":
                raise PublicationError(
                    f"publication {pub_id} failed; `reelroom publish retry {pub_id}` sends it again"
                )
            if job_state in ("queued", "failed"):
                conn.execute("UPDATE jobs SET run_at = ? WHERE id = ?", (now, row["job_id"]))
            elif job_state != "running":
                self._new_job(conn, pub_id, now)
            if state in ("draft", "scheduled"):
                conn.execute(
                    "UPDATE publications SET state = 'scheduled', scheduled_at = ?, "
                    "updated_at = ? WHERE id = ?",
                    (now, now, pub_id),
                )
            add_event(conn, actor, "publication.now", pub_id, {})
        return self.must(pub_id)

    def edit(
        self,
        pub_id: int,
        *,
        caption: str | None = None,
        title: str | None = None,
        scheduled_at: datetime | None = None,
        preflight: dict[str, Any] | None = None,
    ) -> Publication:
        """Change caption, title or time of a publication that has not begun sending."""
        with self.store.write() as conn:
            row = self._current(conn, pub_id)
            if row["state"] not in ("draft", "scheduled", "failed"):
                raise PublicationError(
                    f"publication {pub_id} is {row['state']}; only a draft, scheduled or failed "
                    "publication can be changed"
                )
            now = now_text()
            if caption is not None or title is not None:
                conn.execute(
                    "UPDATE publications SET caption = COALESCE(?, caption), "
                    "title = COALESCE(?, title), preflight_json = COALESCE(?, preflight_json), "
                    "updated_at = ? WHERE id = ?",
                    (caption, title, json.dumps(preflight) if preflight else None, now, pub_id),
                )
            if scheduled_at is not None:
                when = to_db(scheduled_at)
                conn.execute(
                    "UPDATE publications SET scheduled_at = ?, updated_at = ?, "
                    "state = CASE WHEN state = 'draft' THEN 'scheduled' ELSE state END "
                    "WHERE id = ?",
                    (when, now, pub_id),
                )
                if self._job_state(conn, row["job_id"]) in ("queued", "failed"):
                    conn.execute("UPDATE jobs SET run_at = ? WHERE id = ?", (when, row["job_id"]))
                elif row["state"] == "draft":
                    self._new_job(conn, pub_id, when)
            add_event(conn, "tui", "publication.edited", pub_id, {})
        return self.must(pub_id)
