"""Editing a post from any tab: its values for the edit modal, and the change to write.

Pure helpers between a storage `Post` and the edit modal's `PostEdit`
(times in the workspace zone); the pane that opens the modal writes the
returned changes with `PostRepo.edit`.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from screens.modals.edit_post import PostEdit
from storage.models import POST_STATUSES, STATUS_LABELS, Pillar, Post

DEFAULT_TIME = "18:00"


def current_values(post: Post, zone: ZoneInfo) -> PostEdit:
    """The post as the modal starts it."""
    local = post.planned_at.astimezone(zone) if post.planned_at else None
    return PostEdit(
        post.title,
        post.pillar_id,
        post.status,
        local.date() if local else None,
        f"{local:%H:%M}" if local else DEFAULT_TIME,
        post.target_seconds,
    )


def changes(edit: PostEdit, zone: ZoneInfo) -> dict[str, object]:
    """The `PostRepo.edit` arguments for what the modal returned."""
    planned = None
    if edit.day is not None:
        hour, minute = (int(x) for x in edit.time.split(":"))
        planned = datetime.combine(edit.day, time(hour, minute), tzinfo=zone)
    return {
        "title": edit.title,
        "pillar_id": edit.pillar_id,
        "status": edit.status,
        "planned_at": planned,
        "target_seconds": edit.target_seconds,
    }


def restore(post: Post) -> dict[str, object]:
    """The `PostRepo.edit` arguments that put `post`'s editable fields back."""
    return {
        "title": post.title,
        "pillar_id": post.pillar_id,
        "status": post.status,
        "planned_at": post.planned_at,
        "target_seconds": post.target_seconds,
    }


def choices(pillars: list[Pillar]) -> tuple[list[tuple[str, int]], list[tuple[str, str]]]:
    """The modal's pillar and status choices."""
    return [(p.name, p.id) for p in pillars], [(STATUS_LABELS[s], s) for s in POST_STATUSES]
