"""The Scripts tab's post picker: posts as triage rows, writing-stage posts first.

Pure functions from storage `Post` values to `TriageSection`s of the shared
TriageList widget, filtered by a case-insensitive text match on the title,
pillar or status.
"""

from __future__ import annotations

from typing import Iterable
from zoneinfo import ZoneInfo

from storage.models import STATUS_LABELS, Post
from widgets.values import TriageRow, TriageSection

WRITING = ("scripting", "ready_to_shoot")
DONE = ("published", "archived")
# Rows shown per section; the rest are counted ("… N more") and found by filtering.
# A list of 10k posts would take seconds to lay out each time the tab is shown.
SECTION_ROWS = 100


def matches(post: Post, needle: str) -> bool:
    """True when the filter text is in the title, pillar or status."""
    if not needle.strip():
        return True
    hay = " ".join((post.title, post.pillar or "", STATUS_LABELS.get(post.status, post.status)))
    return needle.strip().casefold() in hay.casefold()


def post_row(post: Post, has_script: bool, zone: ZoneInfo) -> TriageRow:
    """One post: planned day, title, status and whether it has a script."""
    when = post.planned_at.astimezone(zone).strftime("%a %d %b") if post.planned_at else "unplanned"
    if "planned_at" in post.bad_fields:
        when, tone = "bad date", "error"  # a stored date that cannot be read: shown, flagged
        return TriageRow(
            f"post:{post.id}", when, post.title, STATUS_LABELS.get(post.status, ""), tone
        )
    status = STATUS_LABELS.get(post.status, post.status)
    detail = status if has_script else f"{status} · no script"
    tone = "" if has_script else "warning"
    return TriageRow(
        f"post:{post.id}", when, post.title, detail, tone if post.status in WRITING else ""
    )


def sections(
    posts: Iterable[Post], with_script: set[int], zone: ZoneInfo, needle: str = ""
) -> list[TriageSection]:
    """Writing now (scripting, ready to shoot), then other open posts, then done ones."""
    groups: dict[str, list[TriageRow]] = {"writing": [], "other": [], "done": []}
    more = dict.fromkeys(groups, 0)
    for post in posts:
        if not matches(post, needle):
            continue
        group = "writing" if post.status in WRITING else "done" if post.status in DONE else "other"
        if len(groups[group]) < SECTION_ROWS:
            groups[group].append(post_row(post, post.id in with_script, zone))
        else:
            more[group] += 1  # counted, not laid out
    hint = f" matching “{needle.strip()}”" if needle.strip() else ""
    empty = {
        "writing": f"No post in scripting or ready to shoot{hint}",
        "other": f"No other open post{hint}",
        "done": f"Nothing published yet{hint}",
    }
    titles = {"writing": "Writing now", "other": "Other posts", "done": "Published and archived"}
    return [
        TriageSection(
            key,
            titles[key],
            tuple(rows),
            empty[key],
            more=more[key],
            more_hint=" (press / to filter)",
        )
        for key, rows in groups.items()
    ]
