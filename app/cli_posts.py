"""`reelroom posts …`: the content plan from the command line."""

from __future__ import annotations

import argparse
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from app.output import emit_json, say, table
from app.workspace import open_workspace
from storage.models import STATUS_LABELS
from storage.posts import PostRepo


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `posts` and its sub-commands."""
    posts = sub.add_parser("posts", help="list and manage posts", parents=[common])
    posts_sub = posts.add_subparsers(dest="posts_command", metavar="SUBCOMMAND", required=True,
                                     parser_class=type(posts))
    lst = posts_sub.add_parser("list", help="list posts by planned time", parents=[common])
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.add_argument("--from", dest="start", metavar="DATE",
                     help="only posts planned on or after this date (YYYY-MM-DD, workspace zone)")
    lst.add_argument("--to", dest="end", metavar="DATE",
                     help="only posts planned on or before this date (YYYY-MM-DD, workspace zone)")
    lst.set_defaults(handler=posts_list)


class DateArgError(ValueError):
    """A --from/--to value that is not a date."""


def parse_day(text: str, zone: ZoneInfo, *, flag: str) -> datetime:
    """A YYYY-MM-DD (or full ISO time) in the workspace zone, as an aware time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DateArgError(
            f"reelroom: {flag} {text!r} is not a date. Use YYYY-MM-DD, e.g. {flag} 2026-12-01."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment


def posts_list(args: argparse.Namespace) -> int:
    """Print posts, as a table or one JSON document."""
    ws = open_workspace(args.home)
    zone = ws.config.zone
    try:
        start = parse_day(args.start, zone, flag="--from") if args.start else None
        end = None
        if args.end:
            end = parse_day(args.end, zone, flag="--to")
            if len(args.end) <= 10:  # a bare date includes that whole day
                end = datetime.combine(end.date() + timedelta(days=1), time(0), zone)
    except DateArgError as exc:
        say(str(exc))
        return 2
    posts = PostRepo(ws.store).list(start=start, end=end)
    if args.json:
        emit_json([p.to_json() for p in posts])
        return 0
    rows = [["ID", "PLANNED", "STATUS", "PILLAR", "TITLE"]]
    for p in posts:
        planned = p.planned_at.astimezone(zone).strftime("%Y-%m-%d %H:%M") if p.planned_at else "—"
        rows.append([str(p.id), planned, STATUS_LABELS[p.status], p.pillar or "—", p.title])
    print(table(rows, [6, 16, 14, 16, 60]))
    say(f"{len(posts)} posts ({datetime.now(timezone.utc).astimezone(zone):%Z} times)")
    return 0
