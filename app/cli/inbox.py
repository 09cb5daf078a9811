"""`reelroom inbox sync|list|show|label|done|reply|import`: the inbox from the shell.

`sync` reads comments of every published video now (or of one account);
accounts whose platform has no comment API say so. `list` pages through the
items (newest first) with the fields of issue 11 §5; `show` one item with
its thread, old texts and replies; `label`, `done` triage; `reply` queues a
reply the worker sends once; `import` reads comments exported elsewhere.
Text from platforms is printed with control characters made visible.
Headless: no Textual here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.output import emit_json, say, table
from app.workspace import Workspace, open_workspace
from storage.accounts import AccountError, AccountRepo, AccountRow
from storage.inbox import STATES, InboxError, InboxQuery, InboxRepo
from storage.inbox_models import InboxItem
from storage.inbox_replies import ReplyJournal
from storage.inbox_triage import LABELS, TriageRepo
from storage.timefmt import from_db
from widgets.safe_text import visible


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `inbox …`."""
    box = sub.add_parser(
        "inbox",
        help="comments of every account: sync, list, show, label, done, reply, import",
        parents=[common],
    )
    isub = box.add_subparsers(
        dest="inbox_command", metavar="SUBCOMMAND", required=True, parser_class=type(box)
    )
    syn = isub.add_parser("sync", help="read new comments now", parents=[common])
    syn.add_argument("--account", metavar="PLATFORM:HANDLE", default=None, help="only this one")
    syn.add_argument(
        "--full", action="store_true", help="read every comment again (edits, deletions)"
    )
    syn.add_argument("--json", action="store_true", help="print one JSON document")
    syn.set_defaults(handler=cmd_inbox_sync)

    lst = isub.add_parser("list", help="inbox items, newest first", parents=[common])
    lst.add_argument(
        "--state", choices=STATES, default="new", help="new (default), done, spam, all"
    )
    lst.add_argument("--label", choices=LABELS, default=None, help="only items with this label")
    lst.add_argument("--account", metavar="PLATFORM:HANDLE", default=None, help="only this one")
    lst.add_argument(
        "--oldest", action="store_true", help="oldest first (the longest-waiting at the top)"
    )
    lst.add_argument("--limit", type=int, default=None, metavar="N", help="at most N items")
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=cmd_inbox_list)

    show = isub.add_parser("show", help="one item with its thread and replies", parents=[common])
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print one JSON document")
    show.set_defaults(handler=cmd_inbox_show)

    lab = isub.add_parser("label", help="add (or --remove) a label", parents=[common])
    lab.add_argument("id", type=int, metavar="ID")
    lab.add_argument("label", metavar="LABEL", choices=LABELS, help=", ".join(LABELS))
    lab.add_argument("--remove", action="store_true", help="take the label off instead")
    lab.set_defaults(handler=cmd_inbox_label)

    done = isub.add_parser("done", help="mark an item done", parents=[common])
    done.add_argument("id", type=int, metavar="ID")
    done.set_defaults(handler=cmd_inbox_done)

    rep = isub.add_parser("reply", help="queue a reply; the worker sends it", parents=[common])
    rep.add_argument("id", type=int, metavar="ID")
    what = rep.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", metavar="T", help="the reply")
    what.add_argument("--saved", metavar="NAME", help="a saved reply, its variables filled")
    rep.add_argument("--json", action="store_true", help="print the reply as JSON")
    rep.set_defaults(handler=cmd_inbox_reply)

    imp = isub.add_parser(
        "import", help="comments exported elsewhere (.csv or .json)", parents=[common]
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--account", required=True, metavar="PLATFORM:HANDLE")
    imp.add_argument("--json", action="store_true", help="print one JSON document")
    imp.set_defaults(handler=cmd_inbox_import)


def _account(ws: Workspace, name: str | None) -> AccountRow | None:
    return AccountRepo(ws.store).by_name(name) if name else None


def _when(ws: Workspace, text: str | None) -> str:
    moment = from_db(text)
    return moment.astimezone(ws.config.zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def cmd_inbox_sync(args: argparse.Namespace) -> int:
    """Sync comments of every account (or one) now; say which accounts have no API."""
    from app.inbox.sync import sync_comments

    ws = open_workspace(args.home)
    try:
        only = _account(ws, args.account)
    except AccountError as exc:
        say(f"reelroom: {exc}.")
        return 1
    accounts = [only] if only else AccountRepo(ws.store).all()
    if not accounts:
        say("No accounts. Add one with `reelroom accounts add PLATFORM HANDLE --credentials F`.")
        return 0
    reports = []
    failed = False
    for account in accounts:
        report = sync_comments(ws, account, full=args.full)
        reports.append(report)
        failed = failed or bool(report.needs_login or report.errors)
        if args.json:
            continue
        name = visible(account.name)
        if report.note:
            say(f"{name}: no comments read — {report.note}.")
        elif report.needs_login:
            say(f"{name}: needs a login — {visible(report.needs_login)}")
        else:
            say(
                f"{name}: {report.videos} video(s), {report.new} new, {report.edited} edited, "
                f"{report.deleted} deleted on the platform ({report.pages} page(s))"
            )
        for error in report.errors:
            say(f"  {visible(error)}")
        if report.retry_after:
            say(f"  the platform asked to wait {report.retry_after:.0f} s; the rest resumes then")
    if args.json:
        emit_json([r.to_json() for r in reports])
    return 1 if failed else 0


def _rows(ws: Workspace, items: list[InboxItem]) -> str:
    rows = [["ID", "RECEIVED", "ACCOUNT", "AUTHOR", "STATE", "LABELS", "BODY"]]
    for i in items:
        state = i.status + (f"/{i.reply_state}" if i.reply_state else "")
        if i.deleted:
            state += " deleted"
        rows.append(
            [
                str(i.id),
                _when(ws, i.received_at),
                visible(i.account),
                visible(i.author),
                state,
                ",".join(i.labels),
                visible(" ".join(i.body.split())),
            ]
        )
    return table(rows, [7, 16, 22, 16, 16, 18, 60])


def cmd_inbox_list(args: argparse.Namespace) -> int:
    """Inbox items of a state (new by default), newest first."""
    ws = open_workspace(args.home)
    try:
        account = _account(ws, args.account)
    except AccountError as exc:
        say(f"reelroom: {exc}.")
        return 1
    if args.limit is not None and args.limit < 1:
        say("reelroom: --limit must be 1 or more.")
        return 2
    query = InboxQuery(
        state=args.state,
        label=args.label,
        account_id=account.id if account else None,
        order="oldest" if args.oldest else "newest",
    )
    items = InboxRepo(ws.store).listing(query, limit=args.limit)
    if args.json:
        emit_json([i.to_json() for i in items])
        return 0
    if not items:
        notes = [b for b in InboxRepo(ws.store).backlogs() if b.comments_note]
        say("Nothing in the inbox here.")
        for b in notes:
            say(f"  {visible(b.account)}: {b.comments_note}")
        return 0
    print(_rows(ws, items))
    return 0


def cmd_inbox_show(args: argparse.Namespace) -> int:
    """One item: its thread, old texts, replies (with the platform's words) and the video."""
    ws = open_workspace(args.home)
    thread = InboxRepo(ws.store).thread(args.id)
    if thread is None:
        say(f"reelroom: there is no inbox item {args.id}; `reelroom inbox list` shows them.")
        return 1
    if args.json:
        doc = thread.to_json()
        for reply, out in zip(thread.replies, doc["replies"], strict=True):
            out["steps"] = ReplyJournal(ws.store, reply.id).steps()
        emit_json(doc)
        return 0
    item = thread.item
    lines = [
        f"item {item.id}: {item.status}"
        + (f", reply {item.reply_state}" if item.reply_state else "")
        + (" — deleted on the platform" if item.deleted else ""),
        f"account:  {visible(item.account)}   labels: {', '.join(item.labels) or '—'}"
        + (f"   assigned to {visible(item.assignee)}" if item.assignee else ""),
    ]
    if thread.video:
        v = thread.video
        lines.append(f"video:    {visible(v.title)}  {v.remote_url or ''}")
        if v.hook:
            lines.append(f"hook:     {visible(' '.join(v.hook.split()))}")
    lines.append("")
    for m in thread.messages:
        mark = ">" if m.id == item.id else " "
        who = visible(m.author) + (" (you)" if m.own else "")
        gone = " [deleted]" if m.deleted else ""
        lines.append(f"{mark} {_when(ws, m.received_at)}  {who}{gone}")
        lines.append("    " + visible(m.body, lines=True).replace("\n", "\n    "))
    for e in thread.edits:
        lines.append(f"  earlier text (until {_when(ws, e.replaced_at)}): {visible(e.body)}")
    for r in thread.replies:
        lines.append(
            f"  reply {r.id} ({r.state}{', ' + visible(r.error) if r.error else ''}): "
            f"{visible(r.body)}"
        )
    print("\n".join(lines))
    return 0


def cmd_inbox_label(args: argparse.Namespace) -> int:
    from app.inbox.replies import actor

    ws = open_workspace(args.home)
    repo = TriageRepo(ws.store)
    try:
        if args.remove:
            repo.remove_label(args.id, args.label, actor=actor())
        else:
            repo.add_label(args.id, args.label, actor=actor())
    except InboxError as exc:
        say(f"reelroom: {exc}.")
        return 1
    item = InboxRepo(ws.store).must(args.id)
    say(f"item {item.id}: labels {', '.join(item.labels) or 'none'}")
    return 0


def cmd_inbox_done(args: argparse.Namespace) -> int:
    from app.inbox.replies import actor

    ws = open_workspace(args.home)
    try:
        TriageRepo(ws.store).set_state(args.id, "done", actor=actor())
    except InboxError as exc:
        say(f"reelroom: {exc}.")
        return 1
    say(f"item {args.id}: done")
    return 0


def cmd_inbox_reply(args: argparse.Namespace) -> int:
    """Queue a reply; `reelroom worker` sends it (never twice)."""
    from app.inbox.replies import queue_reply

    ws = open_workspace(args.home)
    try:
        reply = queue_reply(ws, args.id, text=args.text, saved=args.saved)
    except InboxError as exc:
        say(f"reelroom: nothing was queued: {exc}.")
        return 1
    if args.json:
        emit_json(reply.to_json())
    else:
        say(
            f"reply {reply.id} to item {args.id} queued (job {reply.job_id}); "
            f"the worker sends it. `reelroom inbox show {args.id}` follows it."
        )
    return 0


def cmd_inbox_import(args: argparse.Namespace) -> int:
    """Import comments from a file; bad rows by line, good rows kept."""
    from app.inbox.importer import ImportError_, import_comments

    ws = open_workspace(args.home)
    try:
        account = AccountRepo(ws.store).by_name(args.account)
        report = import_comments(ws, account, Path(args.file).expanduser())
    except (AccountError, ImportError_) as exc:
        say(f"reelroom: nothing was imported: {exc}")
        return 1
    if args.json:
        emit_json(report.to_json())
    else:
        for error in report.errors:
            say(visible(error))
        say(
            f"{report.new} new, {report.edited} edited, {report.unchanged} already there; "
            f"{len(report.errors)} bad row(s) left out"
        )
    return 1 if report.errors else 0
