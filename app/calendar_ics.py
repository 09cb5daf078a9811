"""The content calendar as an iCalendar file (RFC 5545, via `icalendar`).

One event per post that has a planned time. UIDs are made of the post id and
a workspace id kept in the database, so exporting again — and importing the
file again into a calendar — updates the same events instead of adding new
ones. Text is written without control characters (RFC 5545 allows none in
TEXT values but tab), whatever was stored; a post whose stored date cannot
be read has no planned time here, and is left out.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from storage.db import Store
from storage.models import STATUS_LABELS, Post
from storage.seeding import get_meta, put_meta
from storage.text_input import clean_block, clean_line

WORKSPACE_UID_KEY = "workspace_uid"
DEFAULT_EVENT_MINUTES = 15


def workspace_uid(store: Store) -> str:
    """This workspace's stable id (made once, then kept in `meta`)."""
    uid = get_meta(store, WORKSPACE_UID_KEY)
    if uid is None:
        uid = uuid.uuid4().hex
        put_meta(store, WORKSPACE_UID_KEY, uid)
    return uid


def post_uid(post_id: int, ws_uid: str) -> str:
    """The iCalendar UID of a post's event."""
    return f"post-{post_id}-{ws_uid}@reelroom"


def build_calendar(posts: list[Post], *, ws_uid: str, stamp: datetime, zone_name: str) -> bytes:
    """The .ics bytes for these posts (those without a planned time are left out)."""
    cal = Calendar()
    cal.add("prodid", "-//ReelRoom//content calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "ReelRoom content calendar")
    cal.add("x-wr-timezone", zone_name)
    for post in posts:
        if post.planned_at is None:
            continue
        event = Event()
        event.add("uid", post_uid(post.id, ws_uid))
        event.add("dtstamp", stamp)
        event.add("dtstart", post.planned_at)
        length = timedelta(seconds=max(post.target_seconds or 0, DEFAULT_EVENT_MINUTES * 60))
        event.add("dtend", post.planned_at + length)
        title = clean_line(post.title) or f"post {post.id}"
        label = STATUS_LABELS.get(post.status, post.status)
        summary = title if post.status in ("scheduled", "published") else f"[{label}] {title}"
        event.add("summary", summary)
        lines = [f"Status: {label}"]
        pillar = clean_line(post.pillar or "")
        if pillar:
            lines.append(f"Pillar: {pillar}")
            event.add("categories", [pillar])
        notes = clean_block(post.notes).replace("\t", " ")
        if notes:
            lines.append(notes)
        event.add("description", "\n".join(lines))
        event.add(
            "status", "CONFIRMED" if post.status in ("scheduled", "published") else "TENTATIVE"
        )
        cal.add_component(event)
    return cal.to_ical()
