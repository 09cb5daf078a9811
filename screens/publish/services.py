"""What the Publish tab and its forms work through: plain values and callables.

app/publish_form.py builds `PublishServices` for a workspace: the queue and
publication repositories, and callables for what needs more than storage —
the caption rules, and the request checks shared with `reelroom publish add`
(app/publishing/requests.py: time, account, post, file, privacy, the
preflight of file and caption). The callables run in worker threads and
close their thread's connection when done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from screens.modals.link_post import PostChoice
from storage.publication_models import Publication
from storage.publications import PublicationRepo
from storage.publish_queue import PublishQueueRepo


@dataclass(frozen=True)
class CaptionCheck:
    """A caption (and title) measured against one platform: usage in its units, problems."""

    usage: str
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountChoice:
    """An account as the new-publication form offers it."""

    id: int
    name: str  # PLATFORM:HANDLE
    platform: str
    state: str  # ok, expiring, expired, needs_login
    privacy: tuple[str, ...]  # the privacy words this platform takes, the default first


@dataclass(frozen=True)
class RenderChoice:
    """A finished render of the post: its job id, how the form lists it, its file."""

    job_id: int
    label: str
    path: str
    exists: bool


@dataclass(frozen=True)
class PostFacts:
    """What the form needs to know about the post it publishes."""

    id: int
    title: str
    planned_at: datetime | None
    caption: str  # a starting caption: another publication's, else the title
    renders: tuple[RenderChoice, ...]
    taken: dict[int, str]  # account id → "publication 12 (scheduled)" already there


@dataclass(frozen=True)
class PublishForm:
    """What the new-publication form asks for, as typed (checked by `publish add`'s rules)."""

    post_id: int
    account: str
    render_job_id: int | None
    file: str | None
    at: str | None
    caption: str
    title: str
    privacy: str
    branded_content: bool
    as_draft: bool


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: `ok`, else the `field` at fault (account, file, time,
    caption, privacy, draft, post, or "" for the preflight) and every problem."""

    ok: bool
    field: str = ""
    lines: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormDone:
    """A submit: the publication stored (None when refused) and the verdict."""

    publication: Publication | None
    verdict: Verdict


@dataclass(frozen=True)
class PublishFormServices:
    """The new-publication form's callables (each runs in a worker thread)."""

    post: Callable[[int], PostFacts | None]
    accounts: Callable[[], list[AccountChoice]]
    search_posts: Callable[[str], list[PostChoice]]
    check: Callable[[PublishForm], Verdict]
    submit: Callable[[PublishForm], FormDone]
    caption: Callable[[str, str, str], CaptionCheck]  # (platform, caption, title)
    zone_name: str = "UTC"


@dataclass(frozen=True)
class EditForm:
    """An edit of caption, title and time (time as typed; "" keeps a draft a draft)."""

    publication_id: int
    caption: str
    title: str
    at: str


@dataclass(frozen=True)
class PublishServices:
    """What the Publish tab reads and writes through (all on one store)."""

    queue: PublishQueueRepo
    publications: PublicationRepo
    form: PublishFormServices
    edit: Callable[[EditForm], FormDone]

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.queue.close_connection()
