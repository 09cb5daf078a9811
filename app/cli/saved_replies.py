"""`reelroom saved-replies list|add|remove`: the team's canned answers.

A saved reply may hold `{author}`, `{video_title}`, `{link}` and
`{post_url}`, filled for each comment when it is used (`reelroom inbox
reply ID --saved NAME`, or the key in the Inbox tab); any other `{word}` is
refused when it is added. Headless: no Textual here.
"""

from __future__ import annotations

import argparse

from app.output import emit_json, say, table
from app.workspace import open_workspace
from storage.inbox import InboxError
from storage.inbox_replies import VARIABLES, SavedReplyRepo
from widgets.safe_text import visible


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `saved-replies …`."""
    saved = sub.add_parser(
        "saved-replies", help="canned replies with variables: list, add, remove", parents=[common]
    )
    ssub = saved.add_subparsers(
        dest="saved_command", metavar="SUBCOMMAND", required=True, parser_class=type(saved)
    )
    lst = ssub.add_parser("list", help="every saved reply", parents=[common])
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=cmd_saved_list)
    add = ssub.add_parser("add", help="add (or --replace) a saved reply", parents=[common])
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "text",
        metavar="TEXT",
        help="the reply; variables: " + ", ".join("{" + v + "}" for v in VARIABLES),
    )
    add.add_argument("--replace", action="store_true", help="change the one of that name")
    add.set_defaults(handler=cmd_saved_add)
    rem = ssub.add_parser("remove", help="remove a saved reply", parents=[common])
    rem.add_argument("name", metavar="NAME")
    rem.set_defaults(handler=cmd_saved_remove)


def cmd_saved_list(args: argparse.Namespace) -> int:
    ws = open_workspace(args.home)
    replies = SavedReplyRepo(ws.store).all()
    if args.json:
        emit_json([r.to_json() for r in replies])
        return 0
    if not replies:
        say("No saved replies. Add one: `reelroom saved-replies add NAME 'Thanks {author}!'`.")
        return 0
    rows = [["NAME", "TEXT"]] + [[visible(r.name), visible(r.body)] for r in replies]
    print(table(rows, [16, 100]))
    return 0


def cmd_saved_add(args: argparse.Namespace) -> int:
    ws = open_workspace(args.home)
    try:
        reply = SavedReplyRepo(ws.store).add(args.name, args.text, replace=args.replace)
    except InboxError as exc:
        say(f"reelroom: nothing was saved: {exc}.")
        return 1
    say(f"saved reply {visible(reply.name)} stored")
    return 0


def cmd_saved_remove(args: argparse.Namespace) -> int:
    ws = open_workspace(args.home)
    try:
        SavedReplyRepo(ws.store).remove(args.name)
    except InboxError as exc:
        say(f"reelroom: {exc}.")
        return 1
    say(f"saved reply {visible(args.name)} removed")
    return 0
