"""Turning deals into what the Deals tab shows: board columns, list rows, the header, the
detail's fields and blocks. Pure functions of storage rows, the clock, zone and locale.

Text from the database goes through `safe` (control characters dropped) and
`fit` (cut by terminal cells) before it reaches a widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from storage.deals.detail import DealDetail, ItemDetail
from storage.deals.models import Deal, OverdueInvoice
from storage.deals.money import format_money
from storage.deals.reports import checkpoint_label, figure_text
from storage.vocab import DealStage, DeliverableState
from widgets.board_columns import BoardCol, Card
from widgets.cells import fit
from widgets.safe_text import visible

VIEWS = ("board", "list")
STATE_GLYPHS = {
    DeliverableState.TO_DO: "○",
    DeliverableState.DRAFT_SENT: "◔",
    DeliverableState.CHANGES_ASKED: "◑",
    DeliverableState.APPROVED: "◕",
    DeliverableState.LIVE: "●",
}


def safe(text: str) -> str:
    """Text from the database with control characters made visible (widgets/safe_text.py,
    the one function every tab uses): no terminal escape gets through."""
    return visible(text, lines=True)


def when(moment: datetime | None, zone: ZoneInfo, fmt: str = "%a %d %b") -> str:
    return "—" if moment is None else moment.astimezone(zone).strftime(fmt)


def stage_title(stage: DealStage) -> str:
    return stage.label.capitalize()


def board(deals: list[Deal], zone: ZoneInfo) -> tuple[BoardCol, ...]:
    """One column per stage (the pipeline, then lost), a card per deal."""
    cols = []
    for stage in DealStage:
        cards = tuple(
            Card(str(d.id), "", safe(f"{d.partner}: {d.title}"), when(d.next_deadline, zone))
            for d in deals
            if d.stage == stage
        )
        cols.append(BoardCol(stage.value, stage_title(stage), len(cards), cards))
    return tuple(cols)


@dataclass(frozen=True)
class Column:
    """A list column: its key, title and width (0: takes what is left)."""

    key: str
    title: str
    width: int


def columns(width: int) -> list[Column]:
    """The list's columns for a terminal `width` cells wide (fee from 120)."""
    cols = [Column("id", "ID", 4), Column("partner", "Partner", 18), Column("title", "Title", 0)]
    cols += [Column("stage", "Stage", 13), Column("deadline", "Next due", 10)]
    if width >= 120:
        cols.insert(4, Column("fee", "Fee", 14))
        cols[1] = Column("partner", "Partner", 24)
    used = sum(c.width + 2 for c in cols)
    rest = max(12, width - used - 6)
    return [Column(c.key, c.title, rest) if c.width == 0 else c for c in cols]


def row(deal: Deal, cols: list[Column], zone: ZoneInfo, locale: str) -> list[str]:
    """One deal as list cells, each fitted to its column."""
    values = {
        "id": str(deal.id),
        "partner": safe(deal.partner),
        "title": safe(deal.title),
        "stage": deal.stage_label,
        "fee": format_money(deal.fee_minor, deal.currency, locale),
        "deadline": when(deal.next_deadline, zone),
    }
    return [fit(values[c.key], c.width, right=c.key == "fee") for c in cols]


def header(
    deals: list[Deal], overdue: tuple[OverdueInvoice, ...], view: str, now: datetime, zone: ZoneInfo
) -> str:
    """ "5 deals · 2 in production · next due Mon 30 Nov · 1 invoice overdue · board"."""
    if not deals:
        return "No deals yet: `reelroom deals add --partner NAME --title T` adds one."
    live = [d for d in deals if d.stage not in (DealStage.PAID, DealStage.LOST)]
    working = sum(1 for d in deals if d.stage == DealStage.IN_PRODUCTION)
    upcoming = [d.next_deadline for d in live if d.next_deadline is not None]
    parts = [f"{len(deals)} deals", f"{working} in production"]
    if upcoming:
        first = min(upcoming)
        parts.append(f"{'overdue since' if first < now else 'next due'} {when(first, zone)}")
    if overdue:
        parts.append(f"{len(overdue)} invoice{'s' if len(overdue) > 1 else ''} overdue")
    parts.append(view)
    return " · ".join(parts)


# --- the detail ---------------------------------------------------------------------


def deal_fields(deal: Deal, zone: ZoneInfo, locale: str) -> tuple[tuple[str, str], ...]:
    window = (
        f"{when(deal.exclusive_from, zone, '%d %b %Y')} → {when(deal.exclusive_until, zone, '%d %b %Y')}"
        if deal.has_window
        else "—"
    )
    promised = ", ".join(
        f"{k.replace('_', ' ')} {figure_text(k, v, locale)}" for k, v in deal.promised.items()
    )
    return (
        ("Partner", safe(deal.partner)),
        ("Stage", deal.stage_label),
        ("Fee", format_money(deal.fee_minor, deal.currency, locale)),
        ("Disclosure", safe(deal.disclosure)),
        ("Usage rights", safe(deal.usage_rights) or "—"),
        ("Exclusive", window),
        ("Contact", safe(deal.contact) or "—"),
        ("Promised", promised or "—"),
    )


def progress_cell(i: ItemDetail) -> str:
    """Script, footage, render, publications of a deliverable's posts: "S✓ F✓ R· P 1/3"."""
    if not i.posts:
        return "no post"
    script = all(p.has_script for p in i.posts)
    footage = all(p.clips for p in i.posts)
    render = all(p.rendered for p in i.posts)
    pubs = [pub for p in i.posts for pub in p.publications]
    out = sum(1 for pub in pubs if pub.state == "published")

    def mark(ok: bool) -> str:
        return "✓" if ok else "·"

    return f"S{mark(script)} F{mark(footage)} R{mark(render)} P {out}/{len(pubs)}"


def gate_cell(i: ItemDetail) -> str:
    """The gate over a deliverable's publications: ok, held N, overridden, or — (none)."""
    verdicts = list(i.gates.values())
    if not verdicts:
        return "—"
    held = sum(1 for v in verdicts if v.blocked)
    if held:
        return f"held {held}"
    if any(v.override and v.problems for v in verdicts):
        return "overridden"
    return "ok"


def item_row(i: ItemDetail, zone: ZoneInfo) -> list[str]:
    item = i.item
    flag = "⚑ " if i.flags else ""
    state = DeliverableState(item.state)
    return [
        when(item.due_at, zone, "%d %b"),
        safe(flag + item.description),
        f"{STATE_GLYPHS[state]} {state.label}",
        progress_cell(i),
        gate_cell(i),
    ]


def item_block(i: ItemDetail, zone: ZoneInfo) -> str:
    """The highlighted deliverable: what it needs, its flags, each post and publication."""
    item = i.item
    needs = [f"disclosure {'+'.join(item.disclosure)}"]
    if item.platforms:
        needs.append(", ".join(item.platforms))
    needs += [*item.hashtags, *item.mentions, *item.links]
    if item.approval:
        needs.append("brand approves first")
    lines = [f"Needs: {safe(' · '.join(needs))}"]
    lines += [f"⚑ {f}" for f in i.flags]
    for p in i.posts:
        lines.append(
            f"Post {p.post_id} “{safe(p.title)}” ({p.status.replace('_', ' ')}): "
            f"script {'✓' if p.has_script else '✗'} · footage {p.clips} · "
            f"render {p.render or '✗'}"
        )
        for pub in p.publications:
            verdict = i.gates.get(pub.id)
            if verdict is None or verdict.ok:
                gate = "disclosure ok"
            elif verdict.override:
                gate = f"overridden ({safe(verdict.override)}): {safe(verdict.text)}"
            else:
                gate = f"HELD: {safe(verdict.text)}"
            lines.append(f"  #{pub.id} {pub.platform}:{safe(pub.handle)} {pub.state} · {gate}")
    if not i.posts:
        lines.append("No post linked yet.")
    return "\n".join(lines)


def report_block(d: DealDetail, zone: ZoneInfo, locale: str) -> str:
    """The sponsor report's checkpoints, and what comes next."""
    lines = []
    for cp in d.report.checkpoints:
        total = cp.total
        rate = figure_text("engagement_rate", total.engagement_rate, locale)
        lines.append(
            f"{cp.label:>5}: {figure_text('views', total.views, locale)} views · "
            f"{figure_text('engagements', total.engagements, locale)} engagements ({rate})"
            f" · {len(cp.rows)} deliverable{'s' if len(cp.rows) != 1 else ''}"
        )
    for key, actual, promised, ratio in d.report.against_promise():
        share = "—" if ratio is None else f"{ratio:.0%} of it"
        lines.append(
            f"Promised {key.replace('_', ' ')} {figure_text(key, promised, locale)}: "
            f"{figure_text(key, actual, locale)} so far ({share})"
        )
    for u in d.report.upcoming[:3]:
        lines.append(
            f"Next: {safe(u.description)} at {checkpoint_label(u.hours)}, {when(u.at, zone, '%a %d %b %H:%M')}"
        )
    return "\n".join(lines) or "No deliverable is live yet."


def invoice_block(d: DealDetail, zone: ZoneInfo, locale: str, now: datetime) -> str:
    lines = []
    for inv in d.invoices:
        amount = format_money(inv.amount_minor, inv.currency, locale)
        if inv.paid_at is not None:
            state = f"paid {when(inv.paid_at, zone, '%d %b %Y')}"
        else:
            state = f"due {when(inv.due_at, zone, '%d %b %Y')}" + (
                " · OVERDUE" if inv.overdue(now) else ""
            )
        lines.append(f"{safe(inv.number)}: {amount} · {state}")
    return "\n".join(lines) or "No invoice yet (i records one)."


def notes_block(d: DealDetail, zone: ZoneInfo) -> str:
    """Exclusivity warnings and the gate's overrides."""
    lines = [f"⚠ {safe(c.text())}" for c in d.conflicts]
    for e in d.overrides:
        lines.append(
            f"Override {when(e.at, zone, '%d %b %H:%M')} · publication "
            f"{e.detail.get('publication_id')} · {safe(str(e.detail.get('reason', '')))}"
        )
    return "\n".join(lines)
