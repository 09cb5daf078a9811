"""Row dataclasses and the closed vocabularies the schema enforces."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.timefmt import from_db

PLATFORMS = ("tiktok", "youtube", "instagram", "kuaishou")
PLATFORM_LABELS = {
    "tiktok": "TikTok",
    "youtube": "YouTube Shorts",
    "instagram": "Instagram Reels",
    "kuaishou": "Kuaishou",
}
POST_STATUSES = (
    "idea",
    "scripting",
    "ready_to_shoot",
    "shot",
    "editing",
    "ready",
    "scheduled",
    "published",
    "archived",
)
STATUS_LABELS = {
    "idea": "idea",
    "scripting": "scripting",
    "ready_to_shoot": "ready to shoot",
    "shot": "shot",
    "editing": "editing",
    "ready": "ready",
    "scheduled": "scheduled",
    "published": "published",
    "archived": "archived",
}
JOB_KINDS = ("render", "publish", "sync", "noop")
JOB_STATES = ("queued", "running", "done", "failed", "cancelled", "dead")
PUBLICATION_STATES = ("draft", "scheduled", "publishing", "published", "failed", "cancelled")
INBOX_KINDS = ("comment", "dm", "mention")
INBOX_STATUSES = ("new", "replied", "resolved", "ignored")
DEAL_STATUSES = ("lead", "negotiating", "signed", "delivering", "invoiced", "paid", "cancelled")
DELIVERABLE_STATUSES = ("pending", "submitted", "approved", "done")
ASSET_KINDS = ("video", "audio", "image")
ASSET_STATUSES = ("ok", "missing", "rejected")


def _tags(text: str | None) -> list[str]:
    return list(json.loads(text)) if text else []


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

    def to_json(self) -> dict[str, Any]:
        """The post as the `--json` listings print it."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "pillar": self.pillar,
            "planned_at": _iso(self.planned_at),
            "shoot_at": _iso(self.shoot_at),
            "target_seconds": self.target_seconds,
            "tags": self.tags,
        }

    @classmethod
    def from_row(cls, row: Any) -> Post:
        keys = row.keys()
        return cls(
            id=row["id"],
            title=row["title"],
            status=row["status"],
            pillar_id=row["pillar_id"],
            pillar=row["pillar"] if "pillar" in keys else None,
            planned_at=from_db(row["planned_at"]),
            shoot_at=from_db(row["shoot_at"]),
            target_seconds=row["target_seconds"],
            notes=row["notes"],
            tags=_tags(row["tags"]),
        )


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")
