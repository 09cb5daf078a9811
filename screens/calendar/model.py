"""Turning calendar storage rows into what the Calendar tab shows.

Pure functions of `storage.calendar` dataclasses, the posting slots and the
workspace zone: the days a view covers, day cells of entries, the pillar
mix footer, board columns, what a `/` filter text means, and detail views.
A day is always a local day of the workspace zone.
"""

from __future__ import annotations

import calendar as pycal
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from screens.modals.item_detail import DetailView
from storage.calendar import (
    BoardColumn,
    CalendarRange,
    CalPost,
    Deadline,
    PostCard,
    PostFilter,
)
from storage.models import POST_STATUSES, STATUS_LABELS, Account, Pillar
from storage.slots import Slot
from storage.vocab import DeliverableState
from widgets.board_columns import BoardCol, Card
from widgets.month_grid import DayCell, Entry, color_style, month_days
from widgets.safe_text import visible
from widgets.triage_list import fit_cells

VIEWS = ("month", "week", "agenda", "board")
AGENDA_DAYS = 14
STATUS_GLYPHS = {
    "idea": "·",
    "scripting": "✎",
    "ready_to_shoot": "◔",
    "shot": "◑",
    "editing": "◕",
    "ready": "●",
    "scheduled": "»",
    "published": "✓",
    "archived": "×",
}
DEADLINE_GLYPH, SHOOT_GLYPH = "!", "◎"
DEADLINE_COLOR = "red"
FREE_SLOT_GLYPH = "◌"

# What each glyph of the month and week views means: ? lists them all, the legend line
# under the month shows as many as fit.
LEGEND: tuple[tuple[str, str], ...] = (
    (FREE_SLOT_GLYPH + "N", "N posting slots still free that day"),
    (SHOOT_GLYPH, "a shoot"),
    (DEADLINE_GLYPH, "a brand deliverable due"),
    *((glyph, STATUS_LABELS.get(status, status)) for status, glyph in STATUS_GLYPHS.items()),
)


def legend_text(width: int) -> Text:
    """One line: "◌N free slots · ◎ shoot · ! deliverable · · idea · ✎ scripting …",
    as many as fit `width` cells (? lists them all)."""
    short = {
        FREE_SLOT_GLYPH + "N": "free slots",
        SHOOT_GLYPH: "shoot",
        DEADLINE_GLYPH: "deliverable",
    }
    out = Text("Key ", style=Style(bold=True))
    for glyph, meaning in LEGEND:
        piece = f"{glyph} {short.get(glyph, meaning)}  "
        if out.cell_len + cell_len(piece) > width:
            out.append("… ? lists all", Style(dim=True))
            break
        out.append(glyph + " ", Style(bold=True))
        out.append(short.get(glyph, meaning) + "  ", Style(dim=True))
    out.truncate(width)
    return out


def add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = pycal.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def view_days(view: str, selected: date) -> tuple[date, date]:
    """The first and last local day a view shows around the selected day."""
    if view == "week":
        monday = selected - timedelta(days=selected.weekday())
        return monday, monday + timedelta(days=6)
    if view == "agenda":
        return selected, selected + timedelta(days=AGENDA_DAYS - 1)
    weeks = month_days(selected.year, selected.month)
    return weeks[0][0], weeks[-1][-1]


def hhmm(moment: datetime) -> str:
    """ "HH:MM" of an (already local) time; cheaper than strftime in hot loops."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def post_entry(post: CalPost, zone: ZoneInfo, local: datetime | None = None) -> Entry:
    """A planned post as a calendar entry (`local`: its planned time in `zone`, if known)."""
    if local is None and post.planned_at is not None:
        local = post.planned_at.astimezone(zone)
    detail = f"{post.pillar or 'no pillar'} · {STATUS_LABELS.get(post.status, post.status)}"
    return Entry(
        f"post:{post.id}",
        STATUS_GLYPHS.get(post.status, "?"),
        hhmm(local) if local else "",
        post.title,
        post.color or "",
        detail,
    )


def deadline_entry(item: Deadline, zone: ZoneInfo) -> Entry:
    """A deliverable deadline as a calendar entry."""
    return Entry(
        f"deadline:{item.id}",
        DEADLINE_GLYPH,
        hhmm(item.due_at.astimezone(zone)),
        f"{item.partner}: {item.description}",
        DEADLINE_COLOR,
        f"due · {item.deal} · {DeliverableState(item.status).label}",
    )


def day_cells(
    data: CalendarRange,
    slots: list[Slot],
    zone: ZoneInfo,
    first: date,
    last: date,
    account_id: int | None = None,
) -> dict[date, DayCell]:
    """Every day in [first, last] with its entries (by time) and free slot times.

    A slot is free on a day when no post is planned at its local time that day
    (the rule of `storage.slots.free_times`, computed here in one pass).
    """
    entries: dict[date, list[Entry]] = {}
    taken: dict[date, set[str]] = {}
    for post in data.posts:
        if post.planned_at is None:
            continue
        local = post.planned_at.astimezone(zone)
        day = local.date()
        taken.setdefault(day, set()).add(hhmm(local))
        entries.setdefault(day, []).append(post_entry(post, zone, local))
    for item in data.deadlines:
        entries.setdefault(item.due_at.astimezone(zone).date(), []).append(
            deadline_entry(item, zone)
        )
    for shoot in data.shoots:
        local = shoot.shoot_at.astimezone(zone)
        entries.setdefault(local.date(), []).append(
            Entry(
                f"shoot:{shoot.post_id}",
                SHOOT_GLYPH,
                hhmm(local),
                f"shoot: {shoot.title}",
                shoot.color or "",
                f"shoot · {STATUS_LABELS.get(shoot.status, shoot.status)}",
            )
        )
    by_weekday: dict[int, set[str]] = {}
    for slot in slots:
        if account_id is None or slot.account_id == account_id:
            by_weekday.setdefault(slot.weekday, set()).add(slot.local_time)
    cells = {}
    day = first
    while day <= last:
        items = tuple(sorted(entries.get(day, ()), key=lambda e: (e.time, e.key)))
        free = tuple(sorted(by_weekday.get(day.weekday(), set()) - taken.get(day, set())))
        cells[day] = DayCell(day, items, free)
        day += timedelta(days=1)
    return cells


def with_moving(cells: dict[date, DayCell], moving: str | None, day: date) -> dict[date, DayCell]:
    """The cells with the entry being moved (key `moving`) shown on `day` instead."""
    if moving is None:
        return cells
    found = [(d, e) for d, cell in cells.items() for e in cell.entries if e.key == moving]
    if not found:
        return cells
    out = dict(cells)
    source, entry = found[0]
    out[source] = replace(
        out[source], entries=tuple(e for e in out[source].entries if e is not entry)
    )
    target = out.get(day, DayCell(day))
    out[day] = replace(
        target, entries=tuple(sorted((*target.entries, entry), key=lambda e: (e.time, e.key)))
    )
    return out


def header(view: str, selected: date, first: date, last: date, described: str, moving: str) -> str:
    """The line above a view: what it shows, the filter, and the post being moved (its title)."""
    if view == "month":
        title = f"{selected:%B %Y}"
    elif view == "board":
        title = "Pipeline board"
    else:
        title = f"{first:%d %b} – {last:%d %b %Y}"
    if moving:  # the move is all that matters now: which post, where to, how to finish
        name = moving if cell_len(moving) <= 30 else fit_cells(moving, 30)
        return f"Moving “{name}” → {selected:%a %d %b} · Enter drops · Esc cancels"
    parts = [title, view]
    if described:
        parts.append(f"filter: {described}")
    return " · ".join(parts)


# --- pillar mix --------------------------------------------------------------


@dataclass(frozen=True)
class MixItem:
    """One pillar's planned count and share against its target share."""

    name: str
    color: str
    planned: int
    share: float
    target: float | None


def pillar_mix(posts: tuple[CalPost, ...], pillars: list[Pillar]) -> list[MixItem]:
    """Planned vs target share per pillar over `posts` (archived posts left out)."""
    counted = [p for p in posts if p.status != "archived"]
    total = len(counted)
    items = []
    for pillar in pillars:
        planned = sum(1 for p in counted if p.pillar_id == pillar.id)
        share = planned / total if total else 0.0
        items.append(MixItem(pillar.name, pillar.color, planned, share, pillar.target_share))
    return items


def mix_text(items: list[MixItem], width: int) -> Text:
    """One labelled line: each pillar's share of the posts shown against its target.

    Wide: "Pillar mix (posts · planned/target share): ■ Recipes 11 · 32%/35% …";
    narrow (below 120): "Mix %, planned/target: ■Recipe 32/35 …", names cut to fit. A share 10 points or more off its target is bold."""
    wide = width >= 118
    label = "Pillar mix (posts · planned/target share): " if wide else "Mix %, planned/target: "
    out = Text(label, style=Style(bold=True))
    if not items:
        out.append("no pillars yet", Style(dim=True))
        return out
    each = max(8, (width - cell_len(label)) // len(items))
    for item in items:
        if wide:
            target = "" if item.target is None else f"/{item.target:.0%}"
            figures = f" {item.planned} · {item.share:.0%}{target}"
        else:
            target = "" if item.target is None else f"/{round(item.target * 100)}"
            figures = f" {round(item.share * 100)}{target}"
        off = item.target is not None and abs(item.share - item.target) >= 0.1
        name_cells = max(1, each - cell_len(figures) - 2)
        out.append("■", color_style(item.color))
        name = visible(" ".join(item.name.split()))
        out.append(name if cell_len(name) <= name_cells else fit_cells(name, name_cells).rstrip())
        out.append(figures, Style(bold=True) if off else Style(dim=True))
        out.append(" ")
    out.truncate(width)
    return out


# --- board -------------------------------------------------------------------


def board_columns(columns: list[BoardColumn], zone: ZoneInfo) -> tuple[BoardCol, ...]:
    """Storage columns as widget columns (archived last, as stored order has it)."""
    out = []
    for col in columns:
        cards = tuple(
            Card(
                f"post:{p.id}",
                STATUS_GLYPHS.get(p.status, "?"),
                p.title,
                (
                    "bad date"  # a stored date that cannot be read: shown, flagged
                    if p.bad_date
                    else p.planned_at.astimezone(zone).strftime("%a %d %b")
                    if p.planned_at
                    else "—"
                ),
                p.color or "",
            )
            for p in col.posts
        )
        out.append(
            BoardCol(col.status, STATUS_LABELS.get(col.status, col.status), col.count, cards)
        )
    return tuple(out)


# --- the `/` filter ----------------------------------------------------------


def filter_choices(pillars: list[Pillar], accounts: list[Account]) -> list[str]:
    """Every word `/` understands: pillar names, statuses, platform:handle."""
    return [
        *(p.name for p in pillars),
        *POST_STATUSES,
        *(f"{a.platform}:{a.handle}" for a in accounts),
    ]


def parse_filter(
    text: str, pillars: list[Pillar], accounts: list[Account]
) -> tuple[PostFilter, list[str]]:
    """Comma-separated terms → a filter, and the terms that matched nothing."""
    pillar_id = status = account_id = None
    unknown = []
    for raw in text.split(","):
        term = raw.strip()
        if not term:
            continue
        key = term.casefold().replace(" ", "_")
        handle = term.lstrip("@").casefold()
        pillar = next((p for p in pillars if p.name.casefold() == term.casefold()), None)
        pillar = pillar or next((p for p in pillars if term.casefold() in p.name.casefold()), None)
        account = next(
            (
                a
                for a in accounts
                if handle in (f"{a.platform}:{a.handle}".casefold(), a.handle.casefold())
            ),
            None,
        )
        if key in POST_STATUSES:
            status = key
        elif account is not None:
            account_id = account.id
        elif pillar is not None:
            pillar_id = pillar.id
        else:
            unknown.append(term)
    return PostFilter(pillar_id, status, account_id), unknown


def describe_filter(flt: PostFilter, pillars: list[Pillar], accounts: list[Account]) -> str:
    """ "pillar X · status Y · @handle", or "" when nothing is filtered."""
    parts = []
    if flt.pillar_id is not None:
        parts += [p.name for p in pillars if p.id == flt.pillar_id]
    if flt.status is not None:
        parts.append(STATUS_LABELS.get(flt.status, flt.status))
    if flt.account_id is not None:
        parts += [f"{a.platform}:{a.handle}" for a in accounts if a.id == flt.account_id]
    return " · ".join(parts)


# --- details -----------------------------------------------------------------


def _local(moment: datetime | None, zone: ZoneInfo) -> str:
    return "—" if moment is None else moment.astimezone(zone).strftime("%a %d %b %Y %H:%M")


def post_view(card: PostCard, zone: ZoneInfo) -> DetailView:
    """A post's detail modal: fields, script estimate, shot coverage, notes."""
    post = card.post
    fields = [
        ("Pillar", post.pillar or "—"),
        ("Status", STATUS_LABELS.get(post.status, post.status)),
        (
            "Planned",
            f"cannot be read: {post.bad_date!r}"
            if post.bad_date
            else _local(post.planned_at, zone),
        ),
        ("Shoot", _local(card.shoot_at, zone)),
        ("Target", "—" if card.target_seconds is None else f"{card.target_seconds} s"),
        (
            "Script",
            "no script yet"
            if card.script_seconds is None
            else f"about {card.script_seconds:g} s spoken",
        ),
        (
            "Shots",
            "no shot list"
            if not card.shots_total
            else f"{card.shots_done}/{card.shots_total} shot",
        ),
        ("Clips", f"{card.clips} linked"),
    ]
    if post.accounts:
        fields.append(("Accounts", ", ".join(post.accounts)))
    return DetailView(post.title, "Post", tuple(fields), (("Notes", card.notes),))


def deadline_view(item: Deadline, zone: ZoneInfo) -> DetailView:
    """A deliverable deadline's detail modal."""
    fields = (
        ("Partner", item.partner),
        ("Deal", item.deal),
        ("Due", _local(item.due_at, zone)),
        ("Status", DeliverableState(item.status).label),
        ("Post", "—" if item.post_id is None else f"#{item.post_id}"),
    )
    return DetailView(item.description, "Deliverable", fields)
