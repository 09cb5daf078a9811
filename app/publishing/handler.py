"""The `publish` job: send one publication with its account's connector.

The job (one per publication at a time, storage/publications.py) runs when
the publication is due, and:

- starts only when the account's spacing and daily cap allow, else waits in
  the queue until they do (`JobPostponed`: no worker slot is held);
- hands the connector the publication's journal, so a job that was
  interrupted (crash, SIGKILL, lost answer) asks the platform what exists
  before it sends anything (never twice);
- while the platform processes, the job waits in the queue and comes back to
  ask again (poll_seconds, then longer, up to 10 minutes), until the video
  is out, fails, or `processing_timeout_hours` pass;
- checks the disclosure gate again (storage/deals/gate.py) before a
  scheduled publication starts: one that lacks what its brand deliverable
  asks for (and was not overridden) fails naming what is missing; once
  published, the deliverables of its post go live;
- maps the connector's errors to outcomes a person can act on: a refused
  login marks the account needs_login; a used-up quota or a refusal fails the
  publication with the platform's reason (no retry loop); a throttle waits as
  asked; a transient failure is retried with backoff, the doubt kept.
Secrets never reach the job's error, the publication or the step log: the
connector's messages are scrubbed of every token it knows.
"""

from __future__ import annotations

import mimetypes
from datetime import timedelta
from pathlib import Path

from app.metrics.handler import follow_publication
from app.publishing.connect import account_connector
from app.worker import Handler, JobRun
from app.workspace import Workspace
from media_watch.captions import hashtags
from platforms.base import (
    NeedsLogin,
    PlatformError,
    PublishRequest,
    PublishResult,
    QuotaExhausted,
    RateLimited,
    TransientError,
)
from storage.accounts import AccountRepo
from storage.deals.gate import DisclosureGate
from storage.deals.repo import DealRepo
from storage.jobs import JobPostponed, JobQueue, JobStopped
from storage.publication_models import Publication
from storage.publications import PublicationRepo
from storage.publish_journal import PublicationJournal
from storage.timefmt import from_db, to_db, utcnow

MAX_POLL_S = 600.0


def publish_handler(ws: Workspace) -> Handler:
    """The handler of `publish` jobs for this workspace."""

    def handler(run: JobRun) -> None:
        """Send (or follow) one publication; never posts twice."""
        PublishRun(ws, run).go()

    return handler


def request_for(pub: Publication) -> PublishRequest:
    """The connector's request for a stored publication (the file must still be there)."""
    path = Path(pub.file_path or "")
    if not pub.file_path or not path.is_file():
        raise PlatformError(
            f"the file {pub.file_path} is gone; render it again, then "
            f"`reelroom publish retry {pub.id}`",
            permanent=True,
        )
    media = pub.media
    return PublishRequest(
        publication_id=pub.id,
        file=path,
        size_bytes=path.stat().st_size,
        content_type=mimetypes.guess_type(path.name)[0] or "video/mp4",
        caption=pub.caption,
        title=pub.title,
        hashtags=hashtags(pub.caption),
        privacy=pub.privacy,
        branded_content=pub.branded_content,
        draft=pub.as_draft,
        duration_s=media.get("duration_s"),
        width=media.get("width"),
        height=media.get("height"),
    )


class PublishRun:
    """One run of a publish job."""

    def __init__(self, ws: Workspace, run: JobRun) -> None:
        self.ws = ws
        self.run = run
        self.settings = ws.config.publish
        self.repo = PublicationRepo(ws.store, max_attempts=ws.config.worker.max_attempts)
        self.pub_id = int(run.job.payload["publication_id"])

    def go(self) -> None:
        pub = self.repo.get(self.pub_id)
        if pub is None or pub.job_id != self.run.job.id:
            return  # removed, or a newer job speaks for it
        if pub.state not in ("scheduled", "publishing", "processing"):
            return
        accounts = AccountRepo(self.ws.store)
        account = accounts.get(pub.account_id)
        if account is None:
            return
        if account.auth_state == "needs_login":
            self.repo.mark_failed(pub.id, f"{account.name} needs a login: {account.auth_error}")
            return
        if pub.state == "scheduled" and self._held_by_gate(pub):
            return
        if pub.state == "scheduled" or pub.state == "publishing":
            started, until, why = self.repo.begin_send(
                pub.id,
                spacing=timedelta(minutes=self.settings.spacing_minutes),
                daily_cap=self.settings.daily_cap,
            )
            if started is None:
                assert until is not None
                note = f"waits for {why}; goes out at {to_db(until)}"
                self.repo.set_note(pub.id, note)
                raise JobPostponed(to_db(until), note)
            pub = started
        journal = PublicationJournal(self.ws.store, pub.id)
        try:
            connector = account_connector(self.ws, account, sleep=self.run.sleep)
        except PlatformError as exc:
            self.repo.mark_failed(pub.id, exc.message, final=True)
            return
        try:
            if pub.state == "processing":
                result = connector.status(journal)
            else:
                result = connector.publish(
                    request_for(pub), journal, self._progress, self._stop_asked
                )
        except JobStopped:
            reason = self.run.stop_reason() or "shutdown"
            if reason == "cancel" and pub.state == "publishing":
                self.repo.mark_cancelled(pub.id)
            raise JobStopped(reason) from None
        except NeedsLogin as exc:
            accounts.set_needs_login(account.id, exc.message)
            self.repo.mark_failed(pub.id, exc.message)
            return
        except RateLimited as exc:
            wait = max(1.0, exc.retry_after or 60.0)
            note = f"{exc.message}; asks again in {wait:.0f} s"
            self.repo.set_note(pub.id, note)
            raise JobPostponed(to_db(utcnow() + timedelta(seconds=wait)), note) from None
        except QuotaExhausted as exc:
            self.repo.mark_failed(pub.id, exc.message)
            return
        except TransientError as exc:
            if self.run.job.attempts >= self.run.job.max_attempts:
                self.repo.mark_failed(
                    pub.id, f"{exc.message} (after {self.run.job.attempts} tries)"
                )
            raise RuntimeError(exc.message) from None
        except PlatformError as exc:
            self.repo.mark_failed(pub.id, exc.message, final=exc.permanent)
            return
        finally:
            connector.close()
        self._apply(pub, result, journal)

    def _held_by_gate(self, pub: Publication) -> bool:
        """The disclosure gate, again, just before sending (a caption may have changed since
        it was queued): a publication that lacks what its brand deliverable asks for fails,
        naming what is missing, and nothing goes to the platform."""
        verdict = DisclosureGate(self.ws.store).for_publication(pub.id)
        if verdict is None or not verdict.blocked:
            return False
        self.repo.mark_failed(
            pub.id,
            f"held by the disclosure gate: {verdict.text}. Fix the caption or flags, or "
            f'`reelroom publish retry {pub.id} --override-disclosure "REASON"`',
        )
        return True

    def _apply(self, pub: Publication, result: PublishResult, journal: PublicationJournal) -> None:
        if result.state in ("published", "draft"):
            self.repo.mark_published(
                pub.id,
                result.remote_id,
                result.remote_url if result.state == "published" else None,
                result.message or None,
            )
            DealRepo(self.ws.store).mark_live_for_publication(pub.id)
            if result.state == "published":
                follow_publication(self.ws, pub.account_id, utcnow())
        elif result.state == "failed":
            self.repo.mark_failed(pub.id, result.message or "the platform refused it", final=True)
        else:
            state = journal.state()
            since = from_db(state.get("processing_since")) or utcnow()
            polls = int(state.get("polls") or 0)
            if utcnow() - since > timedelta(hours=self.settings.processing_timeout_hours):
                self.repo.mark_failed(
                    pub.id,
                    f"the platform was still processing it after "
                    f"{self.settings.processing_timeout_hours} h; check it in the app",
                )
                return
            journal.record("poll", polls=polls + 1, processing_since=to_db(since))
            wait = min(
                MAX_POLL_S,
                max(float(self.settings.poll_seconds), result.poll_after or 0.0) * 1.5**polls,
            )
            self.repo.mark_processing(pub.id, result.message or None)
            raise JobPostponed(
                to_db(utcnow() + timedelta(seconds=wait)), result.message or "processing"
            )

    def _progress(self, fraction: float) -> None:
        self.repo.set_progress(self.pub_id, fraction)
        JobQueue(self.run.store).set_progress(self.run.job.id, self.run.owner, fraction)

    def _stop_asked(self) -> bool:
        return self.run.stop_reason() is not None
