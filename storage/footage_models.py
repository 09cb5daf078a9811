"""Footage rows as dataclasses: assets, their known paths, path states, pages."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from storage.pathtext import from_stored, from_stored_opt

# Media columns an import writes (probe results); everything else is ours.
MEDIA_COLUMNS = (
    "container",
    "duration_s",
    "bit_rate",
    "width",
    "height",
    "display_width",
    "display_height",
    "rotation",
    "fps",
    "avg_fps",
    "vfr",
    "video_codec",
    "video_profile",
    "pix_fmt",
    "bit_depth",
    "audio_codec",
    "audio_channels",
    "sample_rate",
    "media_created_at",
    "probe_json",
)


@dataclass(frozen=True)
class AssetPath:
    """One place an asset's bytes are (or were) found."""

    path: str
    size_bytes: int
    mtime_ns: int
    present: bool
    first_seen_at: str
    last_seen_at: str

    @classmethod
    def from_row(cls, row: Any) -> AssetPath:
        return cls(
            from_stored(row["path"]),
            row["size_bytes"],
            row["mtime_ns"],
            bool(row["present"]),
            row["first_seen_at"],
            row["last_seen_at"],
        )


@dataclass(frozen=True)
class PathState:
    """What the database knows of a path: its asset and the (size, mtime) seen."""

    path: str
    asset_id: int
    size_bytes: int
    mtime_ns: int
    present: bool
    status: str
    reason: str | None

    @classmethod
    def from_row(cls, row: Any) -> PathState:
        return cls(
            from_stored(row["path"]),
            row["asset_id"],
            row["size_bytes"],
            row["mtime_ns"],
            bool(row["present"]),
            row["status"],
            from_stored_opt(row["reason"]),
        )


@dataclass(frozen=True)
class Asset:
    """A clip, sound or still: its media facts, status, links and known paths."""

    id: int
    kind: str
    name: str
    status: str
    reason: str | None
    size_bytes: int
    content_key: str | None
    full_hash: str | None
    container: str | None
    duration_s: float | None
    bit_rate: int | None
    width: int | None
    height: int | None
    display_width: int | None
    display_height: int | None
    rotation: int
    fps: float | None
    avg_fps: float | None
    vfr: bool
    video_codec: str | None
    video_profile: str | None
    pix_fmt: str | None
    bit_depth: int | None
    audio_codec: str | None
    audio_channels: int | None
    sample_rate: int | None
    media_created_at: str | None
    imported_at: str
    post_id: int | None
    post_title: str | None
    thumbnail: str | None
    tags: list[str] = field(default_factory=list)
    paths: list[AssetPath] = field(default_factory=list)
    copies: int = 1  # present paths: more than one when the same content came in twice

    @property
    def orientation(self) -> str | None:
        """portrait / landscape / square from the display size (None when unknown)."""
        w, h = self.display_width, self.display_height
        if not w or not h:
            return None
        return "portrait" if h > w else "landscape" if w > h else "square"

    def to_json(self) -> dict[str, Any]:
        """The row `reelroom footage list --json` prints."""
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "paths": [p.path for p in self.paths],
            "duration_s": self.duration_s,
            "width": self.display_width,
            "height": self.display_height,
            "stored_width": self.width,
            "stored_height": self.height,
            "rotation": self.rotation,
            "fps": self.fps,
            "avg_fps": self.avg_fps,
            "vfr": self.vfr,
            "video_codec": self.video_codec,
            "video_profile": self.video_profile,
            "pix_fmt": self.pix_fmt,
            "bit_depth": self.bit_depth,
            "audio_codec": self.audio_codec,
            "audio_channels": self.audio_channels,
            "sample_rate": self.sample_rate,
            "container": self.container,
            "bit_rate": self.bit_rate,
            "size_bytes": self.size_bytes,
            "created_at": self.media_created_at,
            "imported_at": self.imported_at,
            "status": self.status,
            "reason": self.reason,
            "post_id": self.post_id,
            "thumbnail": self.thumbnail,
            "tags": self.tags,
            "content_key": self.content_key,
            "full_hash": self.full_hash,
            "missing_paths": [p.path for p in self.paths if not p.present],
        }

    @classmethod
    def from_row(cls, row: Any, paths: list[AssetPath] | None = None) -> Asset:
        keys = row.keys()
        return cls(
            id=row["id"],
            kind=row["kind"],
            name=from_stored(row["name"]),
            status=row["status"],
            reason=from_stored_opt(row["reason"]),
            size_bytes=row["size_bytes"],
            content_key=row["content_key"],
            full_hash=row["full_hash"],
            container=row["container"],
            duration_s=row["duration_s"],
            bit_rate=row["bit_rate"],
            width=row["width"],
            height=row["height"],
            display_width=row["display_width"],
            display_height=row["display_height"],
            rotation=row["rotation"],
            fps=row["fps"],
            avg_fps=row["avg_fps"],
            vfr=bool(row["vfr"]),
            video_codec=row["video_codec"],
            video_profile=row["video_profile"],
            pix_fmt=row["pix_fmt"],
            bit_depth=row["bit_depth"],
            audio_codec=row["audio_codec"],
            audio_channels=row["audio_channels"],
            sample_rate=row["sample_rate"],
            media_created_at=row["media_created_at"],
            imported_at=row["imported_at"],
            post_id=row["post_id"],
            post_title=row["post_title"] if "post_title" in keys else None,
            copies=row["copies"] if "copies" in keys else 1,
            thumbnail=row["thumbnail"],
            tags=list(json.loads(row["tags"] or "[]")),
            paths=paths or [],
        )


@dataclass(frozen=True)
class BackgroundTask:
    """An asset still waiting for its full hash and/or poster frame."""

    asset_id: int
    kind: str
    path: str
    needs_hash: bool
    needs_thumbnail: bool
    duration_s: float | None = None


@dataclass(frozen=True)
class ProcessInfo:
    """A long-running process (watcher, worker, TUI) announced in the database."""

    id: str
    kind: str
    host: str
    pid: int
    info: dict[str, Any]
    started_at: str
    heartbeat_at: str
