"""The closed vocabularies of the schema: one enum each, one source of truth.

Job kinds and states, publication states, post stages, deal stages and the
other words a column may hold are `StrEnum`s here. A member compares equal to
its text, so rows read from the database compare with them directly. The SQL
CHECK constraints list the same words; `CHECKED` names which enum each
checked column follows, and tests/test_vocab.py reads the CHECKs from a
migrated database and fails when the two disagree.
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    """A platform ReelRoom publishes to."""

    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    INSTAGRAM = "instagram"
    KUAISHOU = "kuaishou"


PLATFORM_LABELS: dict[str, str] = {
    Platform.TIKTOK: "TikTok",
    Platform.YOUTUBE: "YouTube Shorts",
    Platform.INSTAGRAM: "Instagram Reels",
    Platform.KUAISHOU: "Kuaishou",
}


class PostStage(StrEnum):
    """Where a post stands, in pipeline order (`posts.status`)."""

    IDEA = "idea"
    SCRIPTING = "scripting"
    READY_TO_SHOOT = "ready_to_shoot"
    SHOT = "shot"
    EDITING = "editing"
    READY = "ready"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        """The stage as a person reads it ("ready to shoot")."""
        return self.value.replace("_", " ")


class JobKind(StrEnum):
    """What a job does; the worker dispatches on it (app/handlers.py)."""

    RENDER = "render"
    PUBLISH = "publish"
    REPLY = "reply"
    SYNC = "sync"
    METRICS = "metrics"
    NOOP = "noop"


class JobState(StrEnum):
    """Where a job is in its life (`jobs.state`)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    DEAD = "dead"


JOB_WAITING: tuple[JobState, ...] = (JobState.QUEUED, JobState.FAILED)  # claimable once due
JOB_FINAL: tuple[JobState, ...] = (JobState.DONE, JobState.CANCELLED, JobState.DEAD)


class PublicationState(StrEnum):
    """Where a publication (post x account) is on its way out (`publications.state`)."""

    DRAFT = "draft"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PROCESSING = "processing"
    PUBLISHED = "published"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Privacy(StrEnum):
    """Who may see a publication, in ReelRoom's words (`publications.privacy`).

    Each connector maps these to its platform's (TikTok's privacy levels,
    YouTube's privacyStatus) and refuses one the platform does not have.
    """

    PUBLIC = "public"
    PRIVATE = "private"
    FRIENDS = "friends"
    UNLISTED = "unlisted"


class AuthState(StrEnum):
    """Whether an account's tokens work (`accounts.auth_state`); expiry is shown apart."""

    OK = "ok"
    NEEDS_LOGIN = "needs_login"


class DealStage(StrEnum):
    """A brand deal's stage (`deals.status`), in pipeline order; lost ends it anywhere."""

    LEAD = "lead"
    NEGOTIATING = "negotiating"
    CONTRACTED = "contracted"
    IN_PRODUCTION = "in_production"
    DELIVERED = "delivered"
    INVOICED = "invoiced"
    PAID = "paid"
    LOST = "lost"

    @property
    def label(self) -> str:
        """The stage as a person reads it ("in production")."""
        return self.value.replace("_", " ")


DEAL_PIPELINE: tuple[DealStage, ...] = tuple(s for s in DealStage if s is not DealStage.LOST)
DEAL_CLOSED: tuple[DealStage, ...] = (DealStage.PAID, DealStage.LOST)


class DeliverableState(StrEnum):
    """A deliverable's state (`deliverables.status`): the brand's approval, then live."""

    TO_DO = "to_do"
    DRAFT_SENT = "draft_sent"
    CHANGES_ASKED = "changes_asked"
    APPROVED = "approved"
    LIVE = "live"

    @property
    def label(self) -> str:
        """The state as a person reads it ("draft sent")."""
        return self.value.replace("_", " ")


class DisclosureMethod(StrEnum):
    """How a deliverable must disclose the deal (`deliverables.disclosure`, a JSON list).

    flag: the platform's branded-content / paid-promotion setting on the
    publication; hashtag: the deal's wording (`#ad`, `#werbung`, `广告`) in the
    caption; label: an on-screen label (the post script's on-screen text).
    """

    FLAG = "flag"
    HASHTAG = "hashtag"
    LABEL = "label"


class InboxKind(StrEnum):
    """What an inbox item is (`inbox_items.kind`)."""

    COMMENT = "comment"
    DM = "dm"
    MENTION = "mention"


class InboxState(StrEnum):
    """An inbox item's triage state (`inbox_items.status`): new until someone acts on it,
    done (answered or dealt with), spam (hidden from the list)."""

    NEW = "new"
    DONE = "done"
    SPAM = "spam"


class ReplyState(StrEnum):
    """Where a reply stands (`inbox_replies.state`, `inbox_items.reply_state`)."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class InboxSource(StrEnum):
    """Where an inbox item came from (`inbox_items.source`)."""

    SYNC = "sync"
    IMPORT = "import"
    DEMO = "demo"


class InboxLabel(StrEnum):
    """The labels triage rules apply (`inbox_items.labels`, a JSON list; not CHECKed)."""

    QUESTION = "question"
    PRAISE = "praise"
    COMPLAINT = "complaint"
    LEAD = "lead"
    SPAM = "spam"


class AssetKind(StrEnum):
    """What a footage asset is (`assets.kind`)."""

    VIDEO = "video"
    AUDIO = "audio"
    IMAGE = "image"


class AssetStatus(StrEnum):
    """Whether an asset's file is there and usable (`assets.status`)."""

    OK = "ok"
    MISSING = "missing"
    REJECTED = "rejected"


class ShotStatus(StrEnum):
    """A shot's progress (`shots.status`), in the order `s` cycles it."""

    TO_SHOOT = "to_shoot"
    SHOT = "shot"
    IN_EDIT = "in_edit"

    @property
    def label(self) -> str:
        """The status as a person reads it ("to shoot")."""
        return self.value.replace("_", " ")


class RevisionReason(StrEnum):
    """Why a script revision was written (`script_revisions.reason`)."""

    SAVE = "save"
    AUTOSAVE = "autosave"
    IMPORT = "import"
    RESTORE = "restore"


class ProcessKind(StrEnum):
    """A long-running process that announces itself (`processes.kind`)."""

    WORKER = "worker"
    WATCH = "watch"
    TUI = "tui"


class MetricSource(StrEnum):
    """Where a metric snapshot came from (`metric_snapshots.source`, `account_snapshots.source`)."""

    SYNC = "sync"  # fetched from the platform's API
    IMPORT = "import"  # read from a CSV export (reelroom metrics import)
    DEMO = "demo"  # written by `reelroom demo`


# (table, column) -> the enum its CHECK (column IN (...)) must list exactly.
CHECKED: dict[tuple[str, str], type[StrEnum]] = {
    ("accounts", "platform"): Platform,
    ("posts", "status"): PostStage,
    ("jobs", "kind"): JobKind,
    ("jobs", "state"): JobState,
    ("publications", "state"): PublicationState,
    ("publications", "privacy"): Privacy,
    ("accounts", "auth_state"): AuthState,
    ("deals", "status"): DealStage,
    ("deliverables", "status"): DeliverableState,
    ("inbox_items", "kind"): InboxKind,
    ("inbox_items", "status"): InboxState,
    ("inbox_items", "reply_state"): ReplyState,
    ("inbox_items", "source"): InboxSource,
    ("inbox_replies", "state"): ReplyState,
    ("assets", "kind"): AssetKind,
    ("assets", "status"): AssetStatus,
    ("shots", "status"): ShotStatus,
    ("script_revisions", "reason"): RevisionReason,
    ("processes", "kind"): ProcessKind,
    ("metric_snapshots", "source"): MetricSource,
    ("account_snapshots", "source"): MetricSource,
}


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The enum's words in declaration order, as plain strings."""
    return tuple(member.value for member in enum)
