"""The Today tab's detail panel: what the reads of storage/today_details.py return.

Kept apart from storage/today_models.py (the triage list's and the numbers'
values) so that Today's first paint does not create these classes: they are
needed only when an item is opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PublicationLine:
    """One publication of a post, as the detail shows it."""

    platform: str
    handle: str
    state: str
    scheduled_at: datetime | None
    published_at: datetime | None
    remote_url: str | None


@dataclass(frozen=True)
class PostRenderLine:
    """One render job made for a post: where its output is (found from the post)."""

    job_id: int
    state: str
    output_path: str | None


@dataclass(frozen=True)
class PostDetail:
    """A post with its publications."""

    id: int
    title: str
    pillar: str | None
    status: str
    planned_at: datetime | None
    shoot_at: datetime | None
    target_seconds: int | None
    notes: str
    publications: tuple[PublicationLine, ...]
    shots_covered: int = 0  # shots with footage (storage.shots.ShotRepo.coverage)
    shots_total: int = 0
    renders: tuple[PostRenderLine, ...] = ()  # newest first (storage.renders.RenderRepo.for_post)


@dataclass(frozen=True)
class RenderDetail:
    """A render job: its recipe, state, error and the tail of its log."""

    job_id: int
    recipe: str
    state: str
    attempts: int
    max_attempts: int
    post_title: str | None
    error: str | None
    log_tail: str | None
    output_path: str | None
    failed_at: datetime | None
    post_id: int | None = None


@dataclass(frozen=True)
class InboxLine:
    """One unanswered inbox item."""

    kind: str
    author: str
    body: str
    received_at: datetime | None  # None: a stored time that cannot be read


@dataclass(frozen=True)
class InboxDetail:
    """An account's unanswered items, newest first."""

    account_id: int
    platform: str
    handle: str
    unanswered: int
    latest: tuple[InboxLine, ...]


@dataclass(frozen=True)
class DeliverableDetail:
    """A deliverable with its deal and partner."""

    id: int
    description: str
    status: str
    due_at: datetime | None  # None: a stored time that cannot be read
    deal_title: str
    deal_status: str
    partner: str
    fee_minor: int
    currency: str
    disclosure: str
    post_title: str | None
