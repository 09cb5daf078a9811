"""Row dataclasses, and the closed vocabularies as tuples of words (from storage.vocab)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.timefmt import lenient, to_db
from storage.vocab import (
    PLATFORM_LABELS,
    AssetKind,
    AssetStatus,
    DealStage,
    DeliverableState,
    InboxKind,
    InboxState,
    JobKind,
    JobState,
    Platform,
    PostStage,
    PublicationState,
    values,
)

PLATFORMS = values(Platform)
POST_STATUSES = values(PostStage)
STATUS_LABELS = {stage.value: stage.label for stage in PostStage}
JOB_KINDS = values(JobKind)
JOB_STATES = values(JobState)
PUBLICATION_STATES = values(PublicationState)
INBOX_KINDS = values(InboxKind)
INBOX_STATUSES = values(InboxState)
DEAL_STATUSES = values(DealStage)
DELIVERABLE_STATUSES = values(DeliverableState)
ASSET_KINDS = values(AssetKind)
ASSET_STATUSES = values(AssetStatus)


def _tags(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


def _tags_lenient(text: Any) -> tuple[list[str], str | None]:
    """The stored tag list, or ([], raw text) when it is not a JSON list of strings."""
    try:
        tags = _tags(text)
    except (ValueError, TypeError):
        return [], str(text)
    if not all(isinstance(t, str) for t in tags):
        return [str(t) for t in tags], str(text)
    return tags, None


@dataclass(frozen=True)
class Pillar:
    """A series posts are grouped into, with an optional target share."""

    id: int
    name: str
    color: str
    target_share: float | None
    description: str

    @classmethod
    def from_row(cls, row: Any) -> Pillar:
        return cls(row["id"], row["name"], row["color"], row["target_share"], row["description"])


@dataclass(frozen=True)
class Account:
    """A platform account the team publishes to."""

    id: int
    platform: str
    handle: str
    display_name: str

    @property
    def label(self) -> str:
        return f"{PLATFORM_LABELS.get(self.platform, self.platform)} @{self.handle}"

    @classmethod
    def from_row(cls, row: Any) -> Account:
        return cls(row["id"], row["platform"], row["handle"], row["display_name"])


@dataclass(frozen=True)
class Post:
    """A planned short video and where it stands in the pipeline."""

    id: int
    title: str
    status: str
    pillar_id: int | None
    pillar: str | None
    planned_at: datetime | None
    shoot_at: datetime | None
    target_seconds: int | None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    # Stored values that cannot be read ({"planned_at": "1-01-01T00:00:00Z"}): the
    # field reads as None and the row is shown flagged, never dropped.
    bad_fields: dict[str, str] = field(default_factory=dict)

    @property
    def problems(self) -> list[str]:
        """One sentence per stored value that cannot be read."""
        return [
            f"post {self.id}: its stored {name} {raw!r} is not a date ReelRoom can read"
            for name, raw in self.bad_fields.items()
        ]

    def to_json(self) -> dict[str, Any]:
        """The post as the `--json` listings print it (a bad stored date as its raw text)."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "pillar": self.pillar,
            "planned_at": self.bad_fields.get("planned_at") or _iso(self.planned_at),
            "shoot_at": self.bad_fields.get("shoot_at") or _iso(self.shoot_at),
            "target_seconds": self.target_seconds,
            "tags": self.tags,
            "problems": self.problems,
        }

    @classmethod
    def from_row(cls, row: Any) -> Post:
        keys = row.keys()
        planned_at, bad_planned = lenient(row["planned_at"])
        shoot_at, bad_shoot = lenient(row["shoot_at"])
        tags, bad_tags = _tags_lenient(row["tags"])
        bad = {
            name: raw
            for name, raw in (("planned_at", bad_planned), ("shoot_at", bad_shoot))
            if raw is not None
        }
        if bad_tags is not None:
            bad["tags"] = bad_tags
        return cls(
            id=row["id"],
            title=str(row["title"]),
            status=row["status"],
            pillar_id=row["pillar_id"],
            pillar=row["pillar"] if "pillar" in keys else None,
            planned_at=planned_at,
            shoot_at=shoot_at,
            target_seconds=row["target_seconds"],
            notes=str(row["notes"]),
            tags=tags,
            bad_fields=bad,
        )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else to_db(moment)
