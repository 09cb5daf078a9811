"""The rows Today shows: dataclasses returned by storage.today.TodayRepo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from storage.deals.models import OverdueInvoice

T = TypeVar("T")


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first rows of a section and how many there are in all."""

    items: tuple[T, ...]
    total: int

    @property
    def more(self) -> int:
        """Rows left out by the limit."""
        return self.total - len(self.items)


@dataclass(frozen=True)
class DuePost:
    """A post whose stage is due (or overdue) by `due_at`."""

    id: int
    title: str
    status: str
    pillar: str | None
    planned_at: datetime | None
    shoot_at: datetime | None
    due_at: datetime | None  # None with `bad_date` set: a stored date that cannot be read
    bad_date: str | None = None


@dataclass(frozen=True)
class UpcomingPublication:
    """A publication scheduled to go out soon (or late to go out)."""

    id: int
    post_id: int
    post_title: str
    platform: str
    handle: str
    state: str
    scheduled_at: datetime | None  # None with `bad_date` set
    bad_date: str | None = None


@dataclass(frozen=True)
class FailedRender:
    """A render job that failed or died."""

    job_id: int
    recipe: str
    state: str
    post_title: str | None
    attempts: int
    error: str | None
    failed_at: datetime | None


@dataclass(frozen=True)
class InboxBacklog:
    """Unanswered inbox items of one account."""

    account_id: int
    platform: str
    handle: str
    unanswered: int
    oldest_at: datetime | None  # None with `bad_date` set
    bad_date: str | None = None


@dataclass(frozen=True)
class DueDeliverable:
    """A brand deliverable not live yet, due within the horizon (or overdue)."""

    id: int
    description: str
    deal_title: str
    partner: str
    status: str
    due_at: datetime | None  # None with `bad_date` set
    post_title: str | None
    flags: tuple[str, ...] = ()  # what it lacks for its lead times (storage.deals.progress)
    bad_date: str | None = None


@dataclass(frozen=True)
class FailedPublication:
    """A publication that failed recently (the platform's reason in `error`)."""

    id: int
    post_id: int
    post_title: str
    platform: str
    handle: str
    error: str | None
    attempts: int
    failed_at: datetime | None


@dataclass(frozen=True)
class LoginNeeded:
    """An account whose login the platform refused: a person must log in again."""

    account_id: int
    platform: str
    handle: str
    error: str | None
    checked_at: datetime | None


@dataclass(frozen=True)
class TodayItems:
    """Every section of the Today triage list."""

    due_posts: Capped[DuePost]
    going_out: Capped[UpcomingPublication]
    failed_renders: Capped[FailedRender]
    inbox: Capped[InboxBacklog]
    deliverables: Capped[DueDeliverable]
    failed_publications: Capped[FailedPublication] = Capped((), 0)
    logins: Capped[LoginNeeded] = Capped((), 0)
    invoices: Capped[OverdueInvoice] = Capped((), 0)
