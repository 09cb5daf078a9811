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
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storage.db import Store
from storage.deals.models import DisclosureOverride
from storage.jobs import insert_job
from storage.publication_models import Publication, PublicationStep
from storage.timefmt import from_db, to_db, utcnow

__all__ = [
    "NewPublication",
    "Publication",
    "PublicationError",
    "PublicationRepo",
    "PublicationStep",
]

SELECT = (
    "SELECT publications.*, posts.title AS post_title, accounts.platform, accounts.handle, "
    "jobs.state AS job_state, jobs.run_at AS job_run_at "
    "FROM publications JOIN posts ON posts.id = publications.post_id "
    "JOIN accounts ON accounts.id = publications.account_id "
    "LEFT JOIN jobs ON jobs.id = publications.job_id"
)
ACTIVE_JOB = ("queued", "failed", "running")


class PublicationError(ValueError):
    """A publication cannot be added or changed; the message says what to do."""


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


def _now() -> str:
    return to_db(utcnow())


def _parse(text: str) -> datetime:
    moment = from_db(text)
    assert moment is not None
    return moment


def add_event(
    conn: sqlite3.Connection, actor: str, kind: str, entity_id: int, detail: dict[str, Any]
) -> None:
    """One row of `events` about a publication (no secrets in `detail`)."""
    conn.execute(
        "INSERT INTO events (at, actor, kind, entity, entity_id, detail_json) "
        "VALUES (?, ?, ?, 'publication', ?, ?)",
        (_now(), actor, kind, entity_id, json.dumps(detail, ensure_ascii=False)),
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
                _now(),
                actor,
                deal_id,
                json.dumps(
                    {**detail, "publication_id": pub_id, "post_id": post_id}, ensure_ascii=False
                ),
            ),
        )


class PublicationRepo:
    """Add, list and change publications; the worker's transitions."""

    def __init__(self, store: Store, *, max_attempts: int = 3) -> None:
        self.store = store
        self.max_attempts = max_attempts

    # --- reading ------------------------------------------------------------------

    def get(self, publication_id: int) -> Publication | None:
        row = self.store.conn.execute(
            SELECT + " WHERE publications.id = ?", (publication_id,)
        ).fetchone()
        return Publication.from_row(row) if row else None

    def must(self, publication_id: int) -> Publication:
        found = self.get(publication_id)
        if found is None:
            raise PublicationError(
                f"there is no publication {publication_id}; `reelroom publish list` shows them"
            )
        return found

    def listing(
        self,
        *,
        states: list[str] | None = None,
        account_id: int | None = None,
        limit: int = 1000,
    ) -> list[Publication]:
        """Publications by time (unscheduled last), optionally of some states or one account."""
        sql, args = SELECT + " WHERE 1 = 1", list[Any]()
        if states:
            sql += f" AND publications.state IN ({','.join('?' * len(states))})"
            args.extend(states)
        if account_id is not None:
            sql += " AND publications.account_id = ?"
            args.append(account_id)
        sql += (
            " ORDER BY CASE WHEN publications.scheduled_at IS NULL THEN 1 ELSE 0 END, "
            "publications.scheduled_at, publications.id LIMIT ?"
        )
        return [Publication.from_row(r) for r in self.store.conn.execute(sql, (*args, limit))]

    def due(self, until: datetime) -> list[Publication]:
        """Scheduled publications whose time is at or before `until`."""
        rows = self.store.conn.execute(
            SELECT + " WHERE publications.state = 'scheduled' AND publications.scheduled_at <= ? "
            "ORDER BY publications.scheduled_at, publications.id",
            (to_db(until),),
        )
        return [Publication.from_row(r) for r in rows]

    def steps(self, publication_id: int, limit: int = 1000) -> list[PublicationStep]:
        """The step log, oldest first (the newest `limit` entries)."""
        rows = self.store.conn.execute(
            "SELECT * FROM (SELECT * FROM publication_steps WHERE publication_id = ? "
            "ORDER BY id DESC LIMIT ?) AS recent ORDER BY id",
            (publication_id, limit),
        )
        return [PublicationStep.from_row(r) for r in rows]

    def started_since(self, account_id: int, since: datetime) -> list[str]:
        """When this account's publications began sending since `since` (spacing, daily caps)."""
        rows = self.store.conn.execute(
            "SELECT started_at FROM publications WHERE account_id = ? AND started_at >= ? "
            "AND state IN ('publishing', 'processing', 'published') ORDER BY started_at",
            (account_id, to_db(since)),
        )
        return [r["started_at"] for r in rows]

    # --- people's requests ------------------------------------------------------------

    def add(self, new: NewPublication, *, actor: str = "cli") -> Publication:
        """Store the publication (and its job when it has a time), all or nothing."""
        state = "scheduled" if new.scheduled_at is not None else "draft"
        when = to_db(new.scheduled_at) if new.scheduled_at is not None else None
        now = _now()
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

    def _current(self, conn: sqlite3.Connection, pub_id: int) -> sqlite3.Row:
        row = conn.execute("SELECT * FROM publications WHERE id = ?", (pub_id,)).fetchone()
        if row is None:
            raise PublicationError(
                f"there is no publication {pub_id}; `reelroom publish list` shows them"
            )
        return row

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
                        (_now(), row["job_id"]),
                    )
                conn.execute(
                    "UPDATE publications SET state = 'cancelled', updated_at = ? WHERE id = ?",
                    (_now(), pub_id),
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
                (override.reason, _now(), pub_id),
            )
            log_override(conn, actor, pub_id, row["post_id"], override)
        return self.must(pub_id)

    def _reschedule(self, conn: sqlite3.Connection, pub_id: int, journal: dict[str, Any]) -> None:
        now = _now()
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
            state, now = row["state"], _now()
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
            now = _now()
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

    # --- the worker's transitions ------------------------------------------------------

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
                (note, _now(), pub_id),
            )

    def mark_processing(self, pub_id: int, note: str | None = None) -> None:
        with self.store.write() as conn:
            conn.execute(
                "UPDATE publications SET state = 'processing', progress = 1.0, note = ?, "
                "updated_at = ? WHERE id = ?",
                (note, _now(), pub_id),
            )

    def mark_published(
        self, pub_id: int, remote_id: str | None, remote_url: str | None, note: str | None = None
    ) -> bool:
        """Out: store where it is, log an event; True when this moved its post to published."""
        now = _now()
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
                (error, json.dumps(journal), _now(), pub_id),
            )
            add_event(conn, "worker", "publication.failed", pub_id, {"error": error})

    def mark_cancelled(self, pub_id: int) -> None:
        with self.store.write() as conn:
            conn.execute(
                "UPDATE publications SET state = 'cancelled', updated_at = ? WHERE id = ?",
                (_now(), pub_id),
            )
            add_event(conn, "worker", "publication.cancelled", pub_id, {})
