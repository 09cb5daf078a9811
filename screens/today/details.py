"""Today's detail panel: the views of an opened item, from storage.today's detail rows.

Pure functions from the detail reads (and the zone) to `DetailView`s, the
content of the item detail modal. Imported when an item is first opened, so
that neither they nor the modal's module load before Today's first paint;
the triage list's rows are in screens/today/rows.py.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from screens.modals.item_detail import DetailView
from screens.today.rows import SHORT_PLATFORM, account_label, deadline_text, local
from storage.deals.models import OverdueInvoice
from storage.deals.money import DEFAULT_LOCALE, format_money
from storage.models import PLATFORM_LABELS, STATUS_LABELS
from storage.today_detail_models import (
    DeliverableDetail,
    InboxDetail,
    PostDetail,
    PostRenderLine,
    RenderDetail,
)
from storage.today_models import FailedPublication, LoginNeeded
from storage.today_sections import LEAD_DAYS
from storage.vocab import DealStage, DeliverableState


def login_view(item: LoginNeeded, zone: ZoneInfo) -> DetailView:
    """Why an account needs a login, and what to do about it."""
    fix = f"reelroom accounts add {item.platform} {item.handle} --credentials FILE.json"
    fields = (
        ("Account", f"{item.platform}:{item.handle}"),
        ("Refused", local(item.checked_at, zone)),
        ("Fix", fix),
    )
    todo = (
        f"1. Log in to {SHORT_PLATFORM.get(item.platform, item.platform)} as @{item.handle} "
        "and get fresh tokens (README, “Publishing”).\n"
        f"2. Run: {fix}\n"
        "   (the JSON holds the new tokens; what you give replaces the old).\n"
        "3. Until then its publications do not go out: each fails saying so. Once it\n"
        "   works, R in the Publish tab (6) sends a failed one again."
    )
    return DetailView(
        account_label(item.platform, item.handle),
        "Login needed",
        fields,
        (("The platform said", item.error or "—"), ("What to do", todo)),
    )


def failed_publication_view(pub: FailedPublication, zone: ZoneInfo) -> DetailView:
    """A failed publication: the platform's reason and what to do about it."""
    fields = (
        ("Post", pub.post_title),
        ("Account", f"{pub.platform}:{pub.handle}"),
        ("Failed", local(pub.failed_at, zone)),
        ("Attempts", str(pub.attempts)),
    )
    todo = (
        f"Send it again: Publish tab (6), highlight it, press R — or "
        f"`reelroom publish retry {pub.id}`.\n"
        "If the caption was refused, e there changes it first. If the file was refused,\n"
        "render it with the platform's recipe the error names, then add it again (p).\n"
        "If the account needs a login, fix that first (its own line in Today).\n"
        f"Every request and answer: Enter on it in Publish, or `reelroom publish show {pub.id}`."
    )
    return DetailView(
        f"{pub.post_title} · {account_label(pub.platform, pub.handle)}",
        "Failed publication",
        fields,
        (("The platform said", pub.error or "No reason recorded"), ("What to do", todo)),
    )


def invoice_view(item: OverdueInvoice, zone: ZoneInfo, locale: str) -> DetailView:
    """An overdue invoice and what to do about it."""
    fields = (
        ("Partner", item.partner),
        ("Deal", f"{item.deal_title} (deal {item.deal_id})"),
        ("Amount", format_money(item.amount_minor, item.currency, locale)),
        ("Due", local(item.due_at, zone)),
        ("Paid", f"reelroom deals invoice {item.deal_id} --number {item.number} --paid"),
    )
    return DetailView(f"Invoice {item.number}", "Overdue invoice", fields)


def stage_deadline(post: PostDetail, zone: ZoneInfo) -> str:
    """Which deadline the post's stage has: "start the script by Fri 27 Nov (planned
    Fri 04 Dec)"; "—" for stages that have none."""
    if post.status not in LEAD_DAYS or post.planned_at is None:
        if post.status == "ready_to_shoot" and post.shoot_at is not None:
            return f"shoot by {local(post.shoot_at, zone)}"
        return "—"
    if post.status == "ready_to_shoot" and post.shoot_at is not None:
        return f"shoot by {local(post.shoot_at, zone)}"
    due = post.planned_at - timedelta(days=LEAD_DAYS[post.status])
    return (
        f"{deadline_text(post.status, due, zone, '%a %d %b')}"
        f" (planned {local(post.planned_at, zone, '%a %d %b')})"
    )


def post_view(post: PostDetail, zone: ZoneInfo) -> DetailView:
    """A post's detail."""
    length = "—" if post.target_seconds is None else f"{post.target_seconds} s"
    fields = (
        ("Pillar", post.pillar or "—"),
        ("Status", STATUS_LABELS.get(post.status, post.status)),
        ("Deadline", stage_deadline(post, zone)),
        ("Planned", local(post.planned_at, zone)),
        ("Shoot", local(post.shoot_at, zone)),
        ("Target length", length),
        ("Shots", _coverage(post.shots_covered, post.shots_total)),
    )
    pubs = (
        "\n".join(
            f"{PLATFORM_LABELS.get(p.platform, p.platform)} @{p.handle}: {p.state}"
            f" · {local(p.published_at or p.scheduled_at, zone)}"
            + (f" · {p.remote_url}" if p.remote_url else "")
            for p in post.publications
        )
        or "No publications yet"
    )
    blocks: tuple[tuple[str, str], ...] = (
        ("Notes", post.notes or "No notes"),
        ("Publications", pubs),
    )
    if post.renders:
        blocks += (("Renders", "\n".join(render_line(r) for r in post.renders)),)
    return DetailView(post.title, "Post", fields, blocks)


def render_line(render: PostRenderLine) -> str:
    """ "#12 done → …/renders/post-3-tiktok.mp4" (the Renders tab shows the full path)."""
    if render.output_path:
        parts = render.output_path.replace("\\", "/").rstrip("/").split("/")
        short = "…/" + "/".join(parts[-2:]) if len(parts) > 2 else render.output_path
        return f"#{render.job_id} {render.state} → {short}"
    return f"#{render.job_id} {render.state}"


def render_view(render: RenderDetail, zone: ZoneInfo) -> DetailView:
    """A render job's detail with its log tail."""
    fields = (
        ("Recipe", render.recipe),
        ("Post", render.post_title or "—"),
        ("State", render.state),
        ("Attempts", f"{render.attempts} of {render.max_attempts}"),
        ("Failed", local(render.failed_at, zone)),
        ("Output", render.output_path or "—"),
    )
    return DetailView(
        f"job {render.job_id}",
        "Render",
        fields,
        (
            ("Error", render.error or "No error recorded"),
            ("Log tail", render.log_tail or "No log kept"),
        ),
    )


def inbox_view(inbox: InboxDetail, zone: ZoneInfo) -> DetailView:
    """An account's unanswered items, newest first."""
    label = account_label(inbox.platform, inbox.handle)
    lines = (
        "\n".join(
            f"{local(i.received_at, zone, '%d %b %H:%M')}  {i.kind:<7} {i.author}: "
            f"{' '.join(i.body.split())}"
            for i in inbox.latest
        )
        or "Nothing unanswered"
    )
    return DetailView(
        label, "Inbox", (("Unanswered", str(inbox.unanswered)),), (("Latest", lines),)
    )


def deliverable_view(
    item: DeliverableDetail, zone: ZoneInfo, locale: str = DEFAULT_LOCALE
) -> DetailView:
    """A deliverable with its deal, partner, fee and disclosure."""
    fields = (
        ("Deal", f"{item.deal_title} ({DealStage(item.deal_status).label})"),
        ("Partner", item.partner),
        ("Fee", format_money(item.fee_minor, item.currency, locale)),
        ("Due", local(item.due_at, zone)),
        ("Status", DeliverableState(item.status).label),
        ("Post", item.post_title or "—"),
        ("Disclosure", item.disclosure),
    )
    return DetailView(item.description, "Deliverable", fields)


def _coverage(covered: int, total: int) -> str:
    from storage.shots import coverage_text  # a detail's words: not needed for the first paint

    return coverage_text(covered, total)
