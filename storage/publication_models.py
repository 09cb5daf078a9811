"""The rows of the publish queue: a publication (post × account) and its step log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PublicationStep:
    """One request and its answer (no secrets: paths are redacted before they get here)."""

    id: int
    at: str
    step: str
    method: str
    path: str
    status: int | None
    elapsed_ms: float | None
    note: str

    @classmethod
    def from_row(cls, row: Any) -> PublicationStep:
        return cls(
            row["id"],
            row["at"],
            row["step"],
            row["method"],
            row["path"],
            row["status"],
            row["elapsed_ms"],
            row["note"],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "step": self.step,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "elapsed_ms": self.elapsed_ms,
            "note": self.note,
        }


@dataclass(frozen=True)
class Publication:
    """One post going out on one account, and where it stands."""

    id: int
    post_id: int
    post_title: str
    account_id: int
    platform: str
    handle: str
    state: str
    scheduled_at: str | None
    render_job_id: int | None
    file_path: str | None
    caption: str
    title: str
    privacy: str
    branded_content: bool
    as_draft: bool
    media: dict[str, Any]
    preflight: dict[str, Any] | None
    progress: float | None
    remote_id: str | None
    remote_url: str | None
    published_at: str | None
    error: str | None
    note: str | None
    attempts: int
    journal: dict[str, Any]
    job_id: int | None
    job_state: str | None
    job_run_at: str | None
    created_at: str
    started_at: str | None
    updated_at: str | None
    disclosure_override: str | None = None  # why a person let it past the disclosure gate

    @property
    def account(self) -> str:
        """`PLATFORM:HANDLE`."""
        return f"{self.platform}:{self.handle}"

    @classmethod
    def from_row(cls, row: Any) -> Publication:
        preflight = row["preflight_json"]
        return cls(
            id=row["id"],
            post_id=row["post_id"],
            post_title=row["post_title"],
            account_id=row["account_id"],
            platform=row["platform"],
            handle=row["handle"],
            state=row["state"],
            scheduled_at=row["scheduled_at"],
            render_job_id=row["render_job_id"],
            file_path=row["file_path"],
            caption=row["caption"],
            title=row["title"],
            privacy=row["privacy"],
            branded_content=bool(row["branded_content"]),
            as_draft=bool(row["as_draft"]),
            media=json.loads(row["media_json"] or "{}"),
            preflight=json.loads(preflight) if preflight else None,
            progress=row["progress"],
            remote_id=row["remote_id"],
            remote_url=row["remote_url"],
            published_at=row["published_at"],
            error=row["error"],
            note=row["note"],
            attempts=row["attempts"],
            journal=json.loads(row["journal_json"] or "{}"),
            job_id=row["job_id"],
            job_state=row["job_state"],
            job_run_at=row["job_run_at"],
            created_at=row["created_at"],
            started_at=row["started_at"],
            updated_at=row["updated_at"],
            disclosure_override=row["disclosure_override"],
        )

    def to_json(self, *, detail: bool = False) -> dict[str, Any]:
        """The listing fields (with detail: file facts, preflight, flags, the job)."""
        doc: dict[str, Any] = {
            "id": self.id,
            "post_id": self.post_id,
            "post_title": self.post_title,
            "account": self.account,
            "state": self.state,
            "scheduled_at": self.scheduled_at,
            "progress": self.progress,
            "remote_id": self.remote_id,
            "remote_url": self.remote_url,
            "error": self.error,
            "attempts": self.attempts,
        }
        if detail:
            doc.update(
                {
                    "note": self.note,
                    "caption": self.caption,
                    "title": self.title,
                    "privacy": self.privacy,
                    "branded_content": self.branded_content,
                    "as_draft": self.as_draft,
                    "disclosure_override": self.disclosure_override,
                    "file": self.file_path,
                    "render_job_id": self.render_job_id,
                    "media": self.media,
                    "preflight": self.preflight,
                    "published_at": self.published_at,
                    "started_at": self.started_at,
                    "created_at": self.created_at,
                    "job": {"id": self.job_id, "state": self.job_state, "run_at": self.job_run_at},
                }
            )
        return doc
