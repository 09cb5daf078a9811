"""`reelroom deals …`: brand deals from the shell — list, show, add, stage, deliverables,
invoices and the sponsor report.

Money is typed as a decimal in the deal's currency (`--fee 1500.00 --currency
EUR`; JPY has no minor unit, KWD three) and stored as integer minor units;
it is shown with Babel in `[deals] locale`. Times are read in the workspace's
zone unless they carry an offset. Bad input names the option and stores
nothing (exit 1; 2 for a malformed value). Headless: no Textual here.
"""

from __future__ import annotations

import argparse
from typing import Callable

from app.cli import deals_show
from app.cli.numbers import ID
from app.output import emit_json, out, say
from app.workspace import Workspace, open_workspace
from storage.deals.exclusivity import conflicts
from storage.deals.inputs import (
    DealInputError,
    parse_disclosure,
    parse_hashtags,
    parse_links,
    parse_mentions,
    parse_platforms,
    parse_promises,
    parse_stage,
    parse_state,
    parse_time,
)
from storage.deals.invoices import InvoiceRepo
from storage.deals.money import MoneyError, check_currency, parse_amount, plain_amount
from storage.deals.repo import DealError, DealRepo, NewDeal, NewDeliverable
from storage.posts import PostRepo
from storage.timefmt import to_db


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `deals` and its sub-commands."""
    deals = sub.add_parser(
        "deals", help="brand deals: list, show, add, stage, deliverables, invoices, reports",
        parents=[common],
    )  # fmt: skip
    dsub = deals.add_subparsers(
        dest="deals_command", metavar="SUBCOMMAND", required=True, parser_class=type(deals)
    )
    lst = dsub.add_parser("list", help="deals in pipeline order", parents=[common])
    lst.add_argument("--stage", action="append", default=None, metavar="STAGE", help="only these")
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=_run(deals_show.cmd_list))

    show = dsub.add_parser("show", help="one deal whole", parents=[common])
    show.add_argument("id", type=ID, metavar="ID")
    show.add_argument("--json", action="store_true", help="print one JSON document")
    show.set_defaults(handler=_run(deals_show.cmd_show))

    add = dsub.add_parser("add", help="add a deal (and its partner when new)", parents=[common])
    add.add_argument("--partner", required=True, metavar="NAME", help="the brand")
    add.add_argument("--title", required=True, metavar="T")
    add.add_argument("--fee", metavar="AMOUNT", default="0", help="e.g. 1500.00 (default 0)")
    add.add_argument("--currency", metavar="CODE", default="USD", help="ISO 4217 (default USD)")
    add.add_argument("--stage", metavar="STAGE", default="lead", help="default lead")
    add.add_argument(
        "--disclosure", metavar="WORDING", default="#ad",
        help='what the caption must carry: "#ad", "#werbung", "广告" (default #ad)',
    )  # fmt: skip
    add.add_argument("--usage-rights", metavar="TEXT", default="")
    add.add_argument("--exclusive-from", metavar="ISO", default=None)
    add.add_argument("--exclusive-until", metavar="ISO", default=None)
    add.add_argument("--contact", metavar="TEXT", default="", help="the deal's contact")
    add.add_argument("--starts", metavar="ISO", default=None)
    add.add_argument("--ends", metavar="ISO", default=None)
    add.add_argument(
        "--promise", action="append", default=None, metavar="KEY=N",
        help="a promised figure: views=150000, engagement_rate=5%% (repeat)",
    )  # fmt: skip
    add.add_argument("--category", metavar="C", default=None, help="the partner's category")
    add.add_argument(
        "--competitors", metavar="A,B", default=None, help="brands the partner competes with"
    )
    add.add_argument("--notes", metavar="TEXT", default="")
    add.add_argument("--json", action="store_true", help="print the deal as JSON")
    add.set_defaults(handler=_run(cmd_add))

    stage = dsub.add_parser("stage", help="move a deal to a stage", parents=[common])
    stage.add_argument("id", type=ID, metavar="ID")
    stage.add_argument("stage", metavar="STAGE", help="lead … paid, or lost")
    stage.set_defaults(handler=_run(cmd_stage))

    item = dsub.add_parser("deliverable", help="a deal's deliverables", parents=[common])
    isub = item.add_subparsers(
        dest="deliverable_command", metavar="SUBCOMMAND", required=True, parser_class=type(item)
    )
    iadd = isub.add_parser("add", help="add a deliverable to a deal", parents=[common])
    iadd.add_argument("--deal", type=ID, required=True, metavar="ID")
    iadd.add_argument("--post", type=ID, action="append", default=[], metavar="ID")
    iadd.add_argument("--platforms", metavar="LIST", default="", help="tiktok,instagram")
    iadd.add_argument("--due", required=True, metavar="ISO", help="a date (end of day) or time")
    iadd.add_argument("--description", metavar="T", default=None, help="default: the post")
    iadd.add_argument(
        "--disclosure", nargs="+", action="extend", default=None, metavar="flag|hashtag|label",
        help="how it must disclose (default hashtag)",
    )  # fmt: skip
    iadd.add_argument("--hashtags", metavar='"#ad #brand"', default="")
    iadd.add_argument("--mentions", metavar="@brand", default="")
    iadd.add_argument("--links", metavar="URL…", default="")
    iadd.add_argument("--approval", action="store_true", help="the brand approves a draft first")
    iadd.add_argument("--json", action="store_true", help="print the deliverable as JSON")
    iadd.set_defaults(handler=_run(cmd_deliverable_add))
    istate = isub.add_parser("state", help="set a deliverable's state", parents=[common])
    istate.add_argument("id", type=ID, metavar="ID")
    istate.add_argument("state", metavar="STATE", help="to do, draft sent, changes asked, …")
    istate.set_defaults(handler=_run(cmd_deliverable_state))

    inv = dsub.add_parser(
        "invoice", help="record an invoice, or that it was paid", parents=[common]
    )
    inv.add_argument("id", type=ID, metavar="ID", help="the deal")
    inv.add_argument("--number", required=True, metavar="N")
    inv.add_argument("--amount", metavar="A", default=None, help="default: the deal's fee")
    inv.add_argument("--due", metavar="D", default=None)
    inv.add_argument("--issued", metavar="D", default=None, help="default: now")
    inv.add_argument(
        "--paid", nargs="?", const="now", default=None, metavar="D", help="it was paid (on D)"
    )
    inv.add_argument("--json", action="store_true", help="print the invoice as JSON")
    inv.set_defaults(handler=_run(cmd_invoice))

    rep = dsub.add_parser("report", help="the sponsor report", parents=[common])
    rep.add_argument("id", type=ID, metavar="ID")
    rep.add_argument("--format", choices=("md", "html", "csv"), default="md")
    rep.add_argument("--output", metavar="FILE", default=None, help="write it here (else stdout)")
    rep.set_defaults(handler=_run(deals_show.cmd_report))


def _run(command: Callable[[argparse.Namespace, Workspace], int]) -> Callable[..., int]:
    """Open the workspace; a bad value is exit 2, a refused change exit 1, nothing stored."""

    def handler(args: argparse.Namespace) -> int:
        ws = open_workspace(args.home)
        try:
            return command(args, ws)
        except (DealInputError, MoneyError) as exc:
            say(f"reelroom: nothing was changed: {exc}.")
            return 2
        except DealError as exc:
            say(f"reelroom: nothing was changed: {exc}.")
            return 1

    return handler


def _money(text: str, currency: str, field_name: str) -> int:
    try:
        return parse_amount(text, currency)
    except MoneyError as exc:
        raise DealInputError(field_name, str(exc)) from None


def cmd_add(args: argparse.Namespace, ws: Workspace) -> int:
    """Add a deal."""
    zone = ws.config.zone
    try:
        currency = check_currency(args.currency)
    except MoneyError as exc:
        raise DealInputError("--currency", str(exc)) from None
    new = NewDeal(
        partner=args.partner,
        title=args.title,
        fee_minor=_money(args.fee, currency, "--fee"),
        currency=currency,
        stage=parse_stage(args.stage, "--stage").value,
        disclosure=args.disclosure,
        usage_rights=args.usage_rights,
        exclusive_from=parse_time(args.exclusive_from, zone, "--exclusive-from"),
        exclusive_until=parse_time(
            args.exclusive_until, zone, "--exclusive-until", end_of_day=True
        ),
        contact=args.contact,
        promised=parse_promises(args.promise),
        starts_at=parse_time(args.starts, zone, "--starts"),
        ends_at=parse_time(args.ends, zone, "--ends", end_of_day=True),
        notes=args.notes,
        category=args.category,
        competitors=None
        if args.competitors is None
        else tuple(n.strip() for n in args.competitors.split(",") if n.strip()),
    )
    deal = DealRepo(ws.store).add(new)
    _warn_conflicts(ws, deal.id)
    if args.json:
        emit_json(deals_show.deal_json(deal))
    else:
        out(str(deal.id))
        say(f"deal {deal.id}: {deal.partner} · {deal.title} ({deal.stage_label})")
    return 0


def _warn_conflicts(ws: Workspace, deal_id: int) -> None:
    for conflict in conflicts(ws.store, deal_id):
        say(f"reelroom: warning: {conflict.text()}.")


def cmd_stage(args: argparse.Namespace, ws: Workspace) -> int:
    """Move a deal to a stage."""
    stage = parse_stage(args.stage)
    deal, old = DealRepo(ws.store).set_stage(args.id, stage.value)
    if old == stage:
        say(f"deal {deal.id} is already {stage.label}.")
    else:
        say(
            f"deal {deal.id}: {deal.partner} · {deal.title}: {old.replace('_', ' ')} → {stage.label}"
        )
    return 0


def cmd_deliverable_add(args: argparse.Namespace, ws: Workspace) -> int:
    """Add a deliverable (its posts, platforms, deadline and requirements)."""
    zone = ws.config.zone
    due = parse_time(args.due, zone, "--due", end_of_day=True)
    assert due is not None
    description = args.description
    if description is None:
        post = PostRepo(ws.store).get(args.post[0]) if args.post else None
        description = post.title if post is not None else "Deliverable"
    new = NewDeliverable(
        deal_id=args.deal,
        description=description,
        due_at=due,
        post_ids=tuple(dict.fromkeys(args.post)),
        platforms=parse_platforms(args.platforms),
        hashtags=parse_hashtags(args.hashtags),
        mentions=parse_mentions(args.mentions),
        links=parse_links(args.links),
        disclosure=parse_disclosure(args.disclosure),
        approval=args.approval,
    )
    item = DealRepo(ws.store).add_deliverable(new)
    _warn_conflicts(ws, args.deal)
    if args.json:
        emit_json(deals_show.deliverable_json(item))
    else:
        out(str(item.id))
        say(f"deliverable {item.id} of deal {item.deal_id}: {item.description}, due {to_db(due)}")
    return 0


def cmd_deliverable_state(args: argparse.Namespace, ws: Workspace) -> int:
    """Set a deliverable's state (the brand's approval, live)."""
    state = parse_state(args.state)
    item, old = DealRepo(ws.store).set_deliverable_state(args.id, state.value)
    say(f"deliverable {item.id}: {old.replace('_', ' ')} → {state.label}")
    return 0


def cmd_invoice(args: argparse.Namespace, ws: Workspace) -> int:
    """Record an invoice for a deal, or (with --paid) that it was paid."""
    zone = ws.config.zone
    repo = InvoiceRepo(ws.store)
    if args.paid is not None:
        if args.amount is not None or args.due is not None:
            raise DealInputError("--paid", "marks an invoice paid; leave --amount and --due out")
        when = None if args.paid == "now" else parse_time(args.paid, zone, "--paid")
        invoice = repo.mark_paid(args.id, args.number, at=when)
    else:
        if args.due is None:
            raise DealInputError("--due", "an invoice needs its due date (e.g. --due 2026-12-31)")
        deal = DealRepo(ws.store).must(args.id)
        amount = (
            deal.fee_minor
            if args.amount is None
            else _money(args.amount, deal.currency, "--amount")
        )
        due = parse_time(args.due, zone, "--due", end_of_day=True)
        assert due is not None
        invoice = repo.add(
            args.id, args.number, amount, due, issued_at=parse_time(args.issued, zone, "--issued")
        )
    if args.json:
        emit_json(deals_show.invoice_json(invoice))
    else:
        state = "paid" if invoice.paid_at else f"due {invoice.due_at.astimezone(zone):%Y-%m-%d}"
        say(
            f"invoice {invoice.number} of deal {invoice.deal_id}: "
            f"{plain_amount(invoice.amount_minor, invoice.currency)} {invoice.currency}, {state}"
        )
    return 0
