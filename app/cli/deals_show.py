"""`reelroom deals list/show/report`: reading deals from the shell (JSON or text).

`show` reads the deal whole (storage/deals/detail.py): its deliverables with
each post's script/footage/render/publications, the lead-time flags and the
disclosure gate on each publication, invoices, the sponsor report's
checkpoints, exclusivity conflicts and the gate's overrides. Reading a deal
keeps any report checkpoint that has passed. Headless: no Textual here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.deals.report_formats import render
from app.deals.views import deal_detail, deal_row_json, detail_json, iso, local, money
from app.output import emit_json, out, say, table, write_text_file
from app.workspace import Workspace
from storage.deals.detail import DealDetail, ItemDetail
from storage.deals.inputs import parse_stage
from storage.deals.models import Deal, Deliverable, Invoice
from storage.deals.money import plain_amount
from storage.deals.repo import DealRepo
from storage.deals.reports import SponsorReports
from storage.text_input import strip_controls
from storage.timefmt import utcnow
from storage.vocab import DeliverableState


def deal_json(deal: Deal) -> dict[str, Any]:
    return deal_row_json(deal)


def deliverable_json(item: Deliverable) -> dict[str, Any]:
    return {
        "id": item.id,
        "deal_id": item.deal_id,
        "description": item.description,
        "due_at": iso(item.due_at),
        "state": item.state,
        "posts": list(item.post_ids),
        "platforms": list(item.platforms),
        "hashtags": list(item.hashtags),
        "mentions": list(item.mentions),
        "links": list(item.links),
        "disclosure": list(item.disclosure),
        "approval": item.approval,
    }


def invoice_json(inv: Invoice) -> dict[str, Any]:
    return {
        "deal_id": inv.deal_id,
        "number": inv.number,
        "amount": plain_amount(inv.amount_minor, inv.currency),
        "amount_minor": inv.amount_minor,
        "currency": inv.currency,
        "issued_at": iso(inv.issued_at),
        "due_at": iso(inv.due_at),
        "paid_at": iso(inv.paid_at),
    }


def cmd_list(args: argparse.Namespace, ws: Workspace) -> int:
    """Deals in pipeline order: id, partner, title, stage, fee, currency, next deadline."""
    stages = [parse_stage(s, "--stage").value for s in args.stage or []]
    deals = DealRepo(ws.store).listing(stages or None)
    if args.json:
        emit_json([deal_row_json(d) for d in deals])
        return 0
    if not deals:
        say("No deals. Add one with `reelroom deals add --partner NAME --title T`.")
        return 0
    zone = ws.config.zone
    rows = [["ID", "PARTNER", "TITLE", "STAGE", "FEE", "NEXT DEADLINE"]]
    for d in deals:
        rows.append(
            [
                str(d.id),
                d.partner,
                d.title,
                d.stage_label,
                money(ws, d.fee_minor, d.currency),
                local(d.next_deadline, zone),
            ]
        )
    out(table(rows, [4, 22, 36, 13, 16, 16]))
    return 0


def _item_lines(ws: Workspace, i: ItemDetail) -> list[str]:
    zone, item = ws.config.zone, i.item
    needs = [f"disclosure: {', '.join(item.disclosure)}"]
    if item.platforms:
        needs.append(f"on {', '.join(item.platforms)}")
    needs += [*item.hashtags, *item.mentions, *item.links]
    if item.approval:
        needs.append("brand approves first")
    lines = [
        f"  [{item.id}] {item.description} — due {local(item.due_at, zone)} · "
        f"{DeliverableState(item.state).label}",
        f"      needs: {' · '.join(needs)}",
    ]
    lines += [f"      ⚑ {flag}" for flag in i.flags]
    if not i.posts:
        lines.append("      no post linked")
    for p in i.posts:
        parts = [
            f"script {'✓' if p.has_script else '✗'}",
            f"footage {p.clips}",
            f"render {p.render or '✗'}",
        ]
        lines.append(f"      post {p.post_id} “{p.title}” ({p.status}): {', '.join(parts)}")
        for pub in p.publications:
            verdict = i.gates.get(pub.id)
            gate = "—"
            if verdict is not None:
                gate = (
                    "disclosure ok"
                    if verdict.ok
                    else f"overridden ({verdict.override}): {verdict.text}"
                    if verdict.override
                    else f"held: {verdict.text}"
                )
            lines.append(
                f"        publication {pub.id} {pub.platform}:{pub.handle} {pub.state} · {gate}"
            )
    return lines


def show_text(ws: Workspace, d: DealDetail) -> str:
    zone, deal = ws.config.zone, d.deal
    window = (
        f"{local(deal.exclusive_from, zone)} → {local(deal.exclusive_until, zone)}"
        if deal.has_window
        else "—"
    )
    lines = [
        f"deal {deal.id}: {deal.title} — {deal.partner} · {deal.stage_label}",
        f"fee:         {money(ws, deal.fee_minor, deal.currency)}",
        f"disclosure:  {deal.disclosure}",
        f"usage:       {deal.usage_rights or '—'}",
        f"exclusive:   {window}",
        f"contact:     {deal.contact or '—'}",
        f"signed:      {local(deal.signed_at, zone)}   runs: {local(deal.starts_at, zone)} → "
        f"{local(deal.ends_at, zone)}",
        f"promised:    {', '.join(f'{k} {v:g}' for k, v in deal.promised.items()) or '—'}",
        "deliverables:",
    ]
    for i in d.items:
        lines += _item_lines(ws, i)
    if not d.items:
        lines.append("  none yet (`reelroom deals deliverable add --deal ID …`)")
    lines.append("invoices:")
    for inv in d.invoices:
        state = (
            f"paid {local(inv.paid_at, zone)}" if inv.paid_at else f"due {local(inv.due_at, zone)}"
        )
        if inv.overdue(utcnow()):
            state += " (OVERDUE)"
        lines.append(f"  {inv.number}: {money(ws, inv.amount_minor, inv.currency)}, {state}")
    if not d.invoices:
        lines.append("  none")
    lines.append("reports:")
    for cp in d.report.checkpoints:
        lines.append(
            f"  {cp.label}: {cp.total.views:,} views, {cp.total.engagements:,} engagements "
            f"({len(cp.rows)} deliverable(s)) — `reelroom deals report {deal.id}`"
        )
    for u in d.report.upcoming[:4]:
        lines.append(f"  next: {u.description} at {local(u.at, zone)} ({u.hours} h)")
    if not d.report.checkpoints and not d.report.upcoming:
        lines.append("  none yet (a report starts when a deliverable goes live)")
    for c in d.conflicts:
        lines.append(f"warning: {c.text()}")
    for e in d.overrides:
        lines.append(
            f"override: {local(e.at, zone)} publication {e.detail.get('publication_id')} "
            f"by {e.actor}: {e.detail.get('reason')} (missing: {'; '.join(e.detail.get('missing', []))})"
        )
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace, ws: Workspace) -> int:
    """One deal whole."""
    detail = deal_detail(ws, args.id)
    if args.json:
        emit_json(detail_json(detail))
    else:
        out(show_text(ws, detail))
    return 0


def cmd_report(args: argparse.Namespace, ws: Workspace) -> int:
    """The sponsor report (checkpoints that passed are kept on the way)."""
    now = utcnow()
    report = SponsorReports(ws.store, ws.config.deals.report_checkpoints_hours).assemble(
        args.id, now
    )
    text = render(report, args.format, ws.config.zone, ws.config.deals.locale, now)
    text = strip_controls(text)  # an export is valid whatever was stored
    if args.output:
        return write_text_file(Path(args.output), text, example=f"report.{args.format}")
    sys.stdout.write(text)
    return 0
