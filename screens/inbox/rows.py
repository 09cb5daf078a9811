"""The Inbox tab's words: table columns and cells, ages, the reply-window countdown,
the header, the accounts line, and the thread as text.

Pure functions from storage values to the plain values the widgets take.
Every text from a platform goes through `visible` (terminal escapes and bidi
overrides shown, never obeyed) and is cut by terminal cells, so CJK, emoji
and right-to-left text keep the columns straight and a 5,000-character
comment stays one row.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from textual.content import Content

from storage.inbox import InboxQuery
from storage.inbox_models import AccountBacklog, InboxItem, Thread
from storage.timefmt import from_db
from widgets import cells
from widgets.footage_table import TableColumn, TableRow
from widgets.safe_text import visible

PLATFORM_SHORT = {"tiktok": "TT", "youtube": "YT", "instagram": "IG", "kuaishou": "KS"}
WARN_BEFORE = timedelta(hours=2)  # a window closing sooner than this is shown as a warning
STATE_WORDS = {"new": "new", "done": "done", "spam": "spam", "all": "every state"}


# Joiners and presentation selectors that terminals and rich count differently (a ZWJ
# emoji sequence is one 2-cell picture on screen, several pictures to a width count):
# dropped from list cells, so each emoji is its own picture and columns stay straight.
_JOINERS = dict.fromkeys([0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)])


def one_line(text: str) -> str:
    """Platform text on one line for a list cell: control characters visible, emoji
    sequences split into single pictures."""
    return visible(" ".join(text.split())).translate(_JOINERS)


def age(delta: timedelta) -> str:
    """A short age: 45s, 12m, 5h, 3d, 8w."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h"
    if seconds < 14 * 86400:
        return f"{seconds // 86400}d"
    return f"{seconds // (7 * 86400)}w"


def window_end(item: InboxItem, hours: int) -> datetime | None:
    """When the platform stops taking replies to the item (None: no window)."""
    received = from_db(item.received_at)
    if not hours or received is None:
        return None
    return received + timedelta(hours=hours)


def countdown(item: InboxItem, hours: int, now: datetime) -> str | None:
    """The reply window left ("3h 20m left", "closed"), or None without a window."""
    ends = window_end(item, hours)
    if ends is None:
        return None
    left = ends - now
    if left <= timedelta(0):
        return "closed"
    minutes = int(left.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}m left"
    if minutes < 48 * 60:
        return f"{minutes // 60}h {minutes % 60:02d}m left"
    return f"{minutes // (24 * 60)}d left"


def state_text(item: InboxItem, hours: int, now: datetime) -> tuple[str, str]:
    """The state cell and its tone: deleted, the reply's state, triage, the countdown."""
    if item.deleted:
        return "deleted", "muted"
    if item.reply_state == "failed":
        return "reply failed", "error"
    if item.reply_state == "pending":
        return "sending", "active"
    if item.reply_state == "sent":
        return "replied", "muted"
    if item.status in ("done", "spam"):
        return item.status, "muted"
    if not item.can_reply:
        return "no replies", "muted"
    left = countdown(item, hours, now)
    if left is None:
        return "", ""
    ends = window_end(item, hours)
    closing = left == "closed" or (ends is not None and ends - now < WARN_BEFORE)
    return left, "warning" if closing else ""


WIDE_TABLE = 110  # a table this wide shows labels and the assignee in their own columns


def columns(width: int) -> list[TableColumn]:
    """Columns for a table `width` cells wide; the comment takes what is left."""
    if width >= WIDE_TABLE:
        fixed = [
            TableColumn("age", "Age", 5),
            TableColumn("account", "Account", 14),
            TableColumn("author", "From", 14),
            TableColumn("labels", "Labels", 14),
        ]
        tail = [TableColumn("state", "State", 12), TableColumn("assignee", "Who", 8)]
    else:
        fixed = [
            TableColumn("age", "Age", 4),
            TableColumn("account", "Acct", 9),
            TableColumn("author", "From", 11),
        ]
        tail = [TableColumn("state", "State", 10)]
    used = sum(c.width + 2 for c in (*fixed, *tail)) + 2 + 2  # cell padding, scrollbar
    return [*fixed, TableColumn("body", "Comment", max(12, width - used)), *tail]


def account_label(platform: str, handle: str) -> str:
    return f"{PLATFORM_SHORT.get(platform, platform[:2].upper())} {visible(handle)}"


def row(item: InboxItem, now: datetime, hours: int, *, labels_apart: bool = True) -> TableRow:
    """One table row of an item (`labels_apart`: labels have their own column; otherwise
    the state column shows the first label when there is no state to say)."""
    received = from_db(item.received_at) or now
    state, tone = state_text(item, hours, now)
    if not state and not labels_apart and item.labels:
        state = item.labels[0]
    marks = "↳ " if item.parent_id else ""
    if item.edited_at:
        marks += "(edited) "
    short_labels = " ".join(item.labels)
    cells = {
        "age": age(now - received),
        "account": account_label(item.platform, item.handle),
        "author": one_line(item.author),
        "labels": short_labels,
        "body": marks + one_line(item.body),
        "state": state,
        "assignee": visible(item.assignee or ""),
    }
    return TableRow(str(item.id), cells, tone)


def header_text(total: int, query: InboxQuery, label_filter: str | None) -> Content:
    """What the list shows: count, state, order, label filter."""
    order = "oldest first" if query.order == "oldest" else "newest first"
    parts: list[str | tuple[str, str]] = [
        (f"{total:,} {STATE_WORDS.get(query.state, query.state)}", "bold"),
        f" · {order}",
        f" · label {label_filter}" if label_filter else " · any label",
    ]
    return Content.assemble("Inbox  ", *parts)


def _short(handle: str, width: int = 14) -> str:
    return cells.fit(handle, width).rstrip() if cell_len(handle) > width else handle


def accounts_text(
    backlogs: list[AccountBacklog], notes: dict[int, str], now: datetime, *, compact: bool = False
) -> Content:
    """Each account's unanswered count and oldest age; plainly, which have no comment API.

    `compact` (a narrow terminal): the counts on one line, then one line per account
    without a comment API.
    """
    if not backlogs:
        return Content.styled("No accounts yet.", "$text-muted")
    pieces: list[str | tuple[str, str]] = []
    said: list[str | tuple[str, str]] = []
    for b in backlogs:
        note = b.comments_note or notes.get(b.account_id)
        short = f"{PLATFORM_SHORT.get(b.platform, b.platform)} {_short(visible(b.handle))}"
        name = short if compact else f"{b.platform}:{visible(b.handle)}"
        oldest = from_db(b.oldest_at)
        count = f"{b.unanswered} new" + (f", oldest {age(now - oldest)}" if oldest else "")
        if compact:
            if pieces:
                pieces.append((" · ", "$text-muted"))
            pieces.append(
                f"{name} {b.unanswered}" if b.unanswered else (f"{name} 0", "$text-muted")
            )
            if note:
                said += ["\n", (f"{name}: {note}.", "$text-warning")]
            continue
        if note:
            pieces.append(f"{name} {count if b.unanswered else 'nothing new'} ")
            pieces.append((f"— {note}; only imported comments show here", "$text-warning"))
        elif b.unanswered:
            pieces.append(f"{name} {count}")
        else:
            pieces.append((f"{name} all answered", "$text-muted"))
        if b.last_error and not note:
            pieces.append((f" (last sync: {one_line(b.last_error)[:80]})", "$text-error"))
        pieces.append("\n")
    if not compact:
        pieces.pop()
    return Content.assemble(*pieces, *said)


def thread_content(thread: Thread, now: datetime, zone: ZoneInfo, hours: int) -> Content:
    """The thread, oldest first, the highlighted item marked, with its replies and old texts."""
    parts: list[str | tuple[str, str]] = []
    for m in thread.messages:
        received = from_db(m.received_at) or now
        head = f"{'▶ ' if m.id == thread.item.id else '  '}{one_line(m.author)}"
        if m.own:
            head += " (you)"
        parts.append((head, "bold"))
        parts.append(
            (
                f"  {received.astimezone(zone):%d %b %H:%M} · {age(now - received)} ago",
                "$text-muted",
            )
        )
        if m.deleted:
            parts.append(("  deleted on the platform", "$text-warning"))
        if m.labels:
            parts.append((f"  [{', '.join(m.labels)}]", "$text-accent"))
        parts.append("\n")
        parts.append(visible(m.body, lines=True).strip() + "\n\n")
    for e in thread.edits:
        parts.append(
            (f"Earlier text (until {from_db(e.replaced_at):%d %b %H:%M}):\n", "$text-muted")
        )
        parts.append(visible(e.body, lines=True) + "\n")
    for r in thread.replies:
        tone = {"failed": "$text-error", "pending": "bold", "sent": "$text-success"}[r.state]
        parts.append((f"Reply {r.id}: {r.state}", tone))
        if r.error:
            parts.append((f" — {one_line(r.error)}", tone))
        parts.append("\n" + visible(r.body, lines=True) + "\n")
    left = countdown(thread.item, hours, now)
    if left is not None and not thread.item.reply_state:
        parts.append((f"Reply window: {left}\n", "$text-warning" if left == "closed" else ""))
    return Content.assemble(*parts)


def video_content(thread: Thread) -> Content:
    """The video beside the thread: its title, link, the post's hook and script."""
    video = thread.video
    if video is None:
        return Content.styled("Not linked to a video ReelRoom knows.", "$text-muted")
    parts: list[str | tuple[str, str]] = [(one_line(video.title), "bold"), "\n"]
    if video.remote_url:
        parts += [(visible(video.remote_url), "$text-muted"), "\n"]
    if video.imported:
        parts += [("imported from the platform", "$text-muted"), "\n"]
    if video.gone:
        parts += [("the platform no longer lists it", "$text-warning"), "\n"]
    parts += ["\n", ("Hook", "bold"), "\n", visible(video.hook or "—", lines=True), "\n\n"]
    parts += [("Script", "bold"), "\n", visible(video.script or "No script.", lines=True)]
    return Content.assemble(*parts)
