"""Turning Today's storage rows into what the Today pane shows.

Pure functions from `storage.today` dataclasses (and the clock and zone) to
plain widget values: triage sections and figures (an opened item's views are
in screens/today/details.py). Times are shown in the workspace zone;
"overdue 3d" counts local calendar days.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from storage.deals.money import DEFAULT_LOCALE, format_money
from widgets.values import Figure, TriageRow, TriageSection

if TYPE_CHECKING:  # annotations: the rows are built from these in the read, not before
    from storage.deals.models import OverdueInvoice
    from storage.today_models import (
        DueDeliverable,
        DuePost,
        FailedPublication,
        FailedRender,
        InboxBacklog,
        LoginNeeded,
        TodayItems,
        UpcomingPublication,
    )
    from storage.today_numbers import YesterdayNumbers

SHORT_PLATFORM = {
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "kuaishou": "Kuaishou",
}
METRIC_LABELS = {
    "views": "views",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "followers_gained": "followers",
}


def local(moment: datetime | None, zone: ZoneInfo, fmt: str = "%a %d %b %H:%M") -> str:
    """A stored UTC time shown in the workspace zone ("—" when unset)."""
    return "—" if moment is None else moment.astimezone(zone).strftime(fmt)


def age(delta: timedelta) -> str:
    """A duration as the largest whole unit: 45m, 5h, 3d."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 60 * 24:
        return f"{minutes // 60}h"
    return f"{minutes // (60 * 24)}d"


def day_label(due: datetime | None, now: datetime, zone: ZoneInfo) -> tuple[str, str]:
    """ "overdue 3d", "due today" or "due in 2d" (local days), with its tone;
    "bad date" when the stored date cannot be read (the row is still shown)."""
    if due is None:
        return "bad date", "error"
    days = (due.astimezone(zone).date() - now.astimezone(zone).date()).days
    if days < 0:
        return f"overdue {-days}d", "error"
    if days == 0:
        return "due today", "warning"
    return f"due in {days}d", ""


def account_label(platform: str, handle: str) -> str:
    """ "TikTok @handle"."""
    return f"{SHORT_PLATFORM.get(platform, platform)} @{handle}"


# What a post in each stage must have done by its deadline (storage.today_sections.LEAD_DAYS).
STAGE_DEADLINES: dict[str, str] = {
    "idea": "start the script",
    "scripting": "finish the script",
    "ready_to_shoot": "shoot",
    "shot": "start the edit",
    "editing": "finish the edit",
    "ready": "schedule it",
}


def deadline_text(status: str, due: datetime | None, zone: ZoneInfo, fmt: str = "%a %d") -> str:
    """ "start the script by Fri 27": the deadline of the post's stage."""
    return f"{STAGE_DEADLINES.get(status, 'move on')} by {local(due, zone, fmt)}"


def post_row(post: DuePost, now: datetime, zone: ZoneInfo) -> TriageRow:
    """A due post: how late, title, and which deadline of its stage that is."""
    when, tone = day_label(post.due_at, now, zone)
    if post.status == "ready_to_shoot" and post.shoot_at is not None:
        detail = f"shoot {local(post.shoot_at, zone, '%a %H:%M')}"
    else:
        detail = deadline_text(post.status, post.due_at, zone)
    return TriageRow(f"post:{post.id}", when, post.title, detail, tone)


def publication_row(pub: UpcomingPublication, now: datetime, zone: ZoneInfo) -> TriageRow:
    """A publication going out: its local time (or how late it is), post, account."""
    if pub.scheduled_at is None:
        when, tone = "bad date", "error"
    elif pub.scheduled_at < now:
        when, tone = f"late {age(now - pub.scheduled_at)}", "error"
    else:
        same_day = pub.scheduled_at.astimezone(zone).date() == now.astimezone(zone).date()
        when, tone = local(pub.scheduled_at, zone, "%H:%M" if same_day else "%a %H:%M"), ""
    return TriageRow(
        f"publication:{pub.id}:{pub.post_id}",
        when,
        pub.post_title,
        account_label(pub.platform, pub.handle),
        tone,
    )


def render_row(render: FailedRender, now: datetime) -> TriageRow:
    """A failed render: how long ago, recipe and post, first line of the error."""
    when = "failed" if render.failed_at is None else f"{age(now - render.failed_at)} ago"
    title = render.recipe if not render.post_title else f"{render.post_title} · {render.recipe}"
    error = (render.error or render.state).strip().splitlines()
    return TriageRow(f"render:{render.job_id}", when, title, error[0] if error else "", "error")


def failed_publication_row(pub: FailedPublication, now: datetime) -> TriageRow:
    """A failed publication: how long ago, post and account, the platform's reason."""
    when = "failed" if pub.failed_at is None else f"{age(now - pub.failed_at)} ago"
    error = (pub.error or "failed").strip().splitlines()
    return TriageRow(
        f"publication:{pub.id}:{pub.post_id}",
        when,
        f"{pub.post_title} · {account_label(pub.platform, pub.handle)}",
        error[0] if error else "",
        "error",
    )


def login_row(item: LoginNeeded) -> TriageRow:
    """An account a person must log in to again."""
    return TriageRow(
        f"login:{item.account_id}",
        "log in",
        account_label(item.platform, item.handle),
        f"reelroom accounts add {item.platform} {item.handle} --credentials FILE.json",
        "warning",
    )


def inbox_row(backlog: InboxBacklog, now: datetime) -> TriageRow:
    """An account's unanswered count and the age of the oldest."""
    oldest = backlog.oldest_at
    tone = "warning" if oldest is None or now - oldest > timedelta(hours=24) else ""
    return TriageRow(
        f"inbox:{backlog.account_id}",
        f"{backlog.unanswered} new",
        account_label(backlog.platform, backlog.handle),
        "oldest: bad date" if oldest is None else f"oldest {age(now - oldest)} ago",
        tone,
    )


def deliverable_row(item: DueDeliverable, now: datetime, zone: ZoneInfo) -> TriageRow:
    """A deliverable: due label, description, partner; what it lacks for its lead times first."""
    when, tone = day_label(item.due_at, now, zone)
    detail = f"{item.partner} · {item.deal_title}"
    if item.flags:
        detail = f"⚑ {item.flags[0]} · {detail}"
        tone = tone or "warning"
    return TriageRow(f"deliverable:{item.id}", when, item.description, detail, tone)


def invoice_row(item: OverdueInvoice, now: datetime, zone: ZoneInfo, locale: str) -> TriageRow:
    """An overdue invoice: how late, number and partner, amount and deal."""
    when, _ = day_label(item.due_at, now, zone)
    return TriageRow(
        f"invoice:{item.id}",
        when,
        f"{item.number} · {item.partner}",
        f"{format_money(item.amount_minor, item.currency, locale)} · {item.deal_title}",
        "error",
    )


def sections(
    items: TodayItems,
    now: datetime,
    zone: ZoneInfo,
    locale: str = DEFAULT_LOCALE,
    *,
    hidden: frozenset[str] = frozenset(),
) -> list[TriageSection]:
    """Every Today section, in triage order, without the items marked handled (`hidden`)."""
    return [_without(section, hidden) for section in _sections(items, now, zone, locale)]


def _without(section: TriageSection, hidden: frozenset[str]) -> TriageSection:
    rows = tuple(r for r in section.rows if r.key not in hidden)
    if len(rows) == len(section.rows):
        return section
    gone = len(section.rows) - len(rows)
    return replace(
        section,
        rows=rows,
        more_hint=f"{gone} marked handled today"
        + (f" · {section.more_hint}" if section.more_hint else ""),
    )


def _sections(items: TodayItems, now: datetime, zone: ZoneInfo, locale: str) -> list[TriageSection]:
    found = [
        TriageSection(
            "posts",
            "Shoots & posts due",
            tuple(post_row(p, now, zone) for p in items.due_posts.items),
            "Nothing due today",
            items.due_posts.more,
        ),
        TriageSection(
            "going_out",
            "Going out in 24 h",
            tuple(publication_row(p, now, zone) for p in items.going_out.items),
            "Nothing going out in the next 24 h",
            items.going_out.more,
        ),
        TriageSection(
            "renders",
            "Failed renders",
            tuple(render_row(r, now) for r in items.failed_renders.items),
            "Nothing failed",
            items.failed_renders.more,
        ),
        TriageSection(
            "inbox",
            "Inbox",
            tuple(inbox_row(i, now) for i in items.inbox.items),
            "Nothing unanswered",
            items.inbox.more,
        ),
        TriageSection(
            "deliverables",
            "Deliverables due ≤7 d",
            tuple(deliverable_row(d, now, zone) for d in items.deliverables.items),
            "No deliverables due this week",
            items.deliverables.more,
        ),
    ]
    release = []  # shown only when there is something to act on
    if items.failed_publications.total:
        release.append(
            TriageSection(
                "publications",
                "Failed publications",
                tuple(failed_publication_row(p, now) for p in items.failed_publications.items),
                "Nothing failed",
                items.failed_publications.more,
            )
        )
    if items.logins.total:
        release.append(
            TriageSection(
                "logins",
                "Log in again",
                tuple(login_row(a) for a in items.logins.items),
                "Every login works",
                items.logins.more,
            )
        )
    if items.invoices.total:
        found.append(
            TriageSection(
                "invoices",
                "Overdue invoices",
                tuple(invoice_row(i, now, zone, locale) for i in items.invoices.items),
                "Nothing overdue",
                items.invoices.more,
            )
        )
    return found[:3] + release + found[3:]


def figures(numbers: YesterdayNumbers) -> tuple[str, list[Figure]]:
    """The numbers' day label and figures."""
    shown = [
        Figure(METRIC_LABELS.get(f.name, f.name), f.yesterday, f.week_avg, f.change)
        for f in numbers.figures
    ]
    return numbers.day.strftime("%a %d %b"), shown
