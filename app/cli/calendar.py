"""`reelroom calendar export FILE.ics`: the content calendar for other apps."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from app.calendar_ics import build_calendar, workspace_uid
from app.output import say
from app.workspace import open_workspace
from storage.posts import PostRepo
from storage.timefmt import utcnow


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `calendar` and its sub-commands."""
    cal = sub.add_parser("calendar", help="export the content calendar", parents=[common])
    csub = cal.add_subparsers(
        dest="calendar_command", metavar="SUBCOMMAND", required=True, parser_class=type(cal)
    )
    exp = csub.add_parser(
        "export", help="write an iCalendar (.ics) file of planned posts", parents=[common]
    )
    exp.add_argument("file", metavar="FILE.ics")
    exp.set_defaults(handler=calendar_export)


def calendar_export(args: argparse.Namespace) -> int:
    """Write the .ics atomically (a temp file renamed into place)."""
    target = Path(args.file)
    if target.is_dir():
        say(f"reelroom: {target} is a folder; give a file name such as {target / 'reelroom.ics'}.")
        return 1
    ws = open_workspace(args.home)
    posts = PostRepo(ws.store).list()
    data = build_calendar(
        posts,
        ws_uid=workspace_uid(ws.store),
        stamp=utcnow(),
        zone_name=ws.config.workspace.timezone,
    )
    tmp = target.with_name(f".{target.name}.partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        say(f"reelroom: cannot write {target} ({exc.strerror}).")
        return 1
    count = sum(1 for p in posts if p.planned_at is not None)
    say(f"wrote {count} events to {target}")
    for post in posts:
        if "planned_at" in post.bad_fields:
            say(
                f"reelroom: post {post.id}: its stored planned date "
                f"{post.bad_fields['planned_at']!r} cannot be read; left out of {target.name}."
            )
    return 0
