"""`reelroom posts …`: the content plan from the command line."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from app.output import emit_json, out, say, table
from app.posts_import import ImportFileError, parse_file
from app.workspace import open_workspace
from storage.models import POST_STATUSES, STATUS_LABELS
from storage.posts import PostRepo


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `posts` and its sub-commands."""
    posts = sub.add_parser("posts", help="list and manage posts", parents=[common])
    posts_sub = posts.add_subparsers(
        dest="posts_command", metavar="SUBCOMMAND", required=True, parser_class=type(posts)
    )
    lst = posts_sub.add_parser("list", help="list posts by planned time", parents=[common])
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help="only posts planned on or after this date (YYYY-MM-DD, workspace zone)",
    )
    lst.add_argument(
        "--to",
        dest="end",
        metavar="DATE",
        help="only posts planned on or before this date (YYYY-MM-DD, workspace zone)",
    )
    lst.set_defaults(handler=posts_list)

    add = posts_sub.add_parser("add", help="add a post", parents=[common])
    add.add_argument("--title", required=True, help="the post's working title")
    add.add_argument(
        "--date",
        metavar="ISO",
        help="planned publish time, YYYY-MM-DD[THH:MM] in the workspace zone",
    )
    add.add_argument("--pillar", metavar="NAME", help="an existing pillar (series)")
    add.add_argument("--status", choices=POST_STATUSES, default="idea")
    add.add_argument("--json", action="store_true", help="print the new post as JSON")
    add.set_defaults(handler=posts_add)

    imp = posts_sub.add_parser(
        "import", help="add post ideas from a .csv or .json file", parents=[common]
    )
    imp.add_argument("file", metavar="FILE.csv|FILE.json")
    imp.add_argument("--json", action="store_true", help="print the outcome as JSON")
    imp.set_defaults(handler=posts_import)


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
    out(table(rows, [6, 16, 14, 16, 60]))
    say(f"{len(posts)} posts ({datetime.now(UTC).astimezone(zone):%Z} times)")
    return 0


def posts_add(args: argparse.Namespace) -> int:
    """Create one post and print it."""
    ws = open_workspace(args.home)
    repo = PostRepo(ws.store)
    title = args.title.strip()
    if not title:
        say("reelroom: --title is empty; give the post a working title.")
        return 2
    try:
        planned = parse_day(args.date, ws.config.zone, flag="--date") if args.date else None
    except DateArgError as exc:
        say(str(exc))
        return 2
    pillar_id = None
    if args.pillar:
        pillar = repo.pillar_by_name(args.pillar)
        if pillar is None:
            names = ", ".join(p.name for p in repo.pillars()) or "none yet"
            say(f"reelroom: there is no pillar {args.pillar!r} (pillars: {names}).")
            return 1
        pillar_id = pillar.id
    post = repo.add(title, status=args.status, pillar_id=pillar_id, planned_at=planned)
    if args.json:
        emit_json(post.to_json())
    else:
        out(str(post.id))
        say(f"added post {post.id}: {post.title}")
    return 0


def posts_import(args: argparse.Namespace) -> int:
    """Add every good row of a CSV/JSON file; report each bad row by line."""
    ws = open_workspace(args.home)
    repo = PostRepo(ws.store)
    pillars = {p.name: p.id for p in repo.pillars()}
    try:
        parsed = parse_file(Path(args.file), zone=ws.config.zone, pillars=set(pillars))
    except ImportFileError as exc:
        say(f"reelroom: {exc}")
        return 1
    added = [
        repo.add(
            r.title,
            status=r.status,
            pillar_id=pillars.get(r.pillar) if r.pillar else None,
            planned_at=r.planned_at,
            target_seconds=r.target_seconds,
            notes=r.notes,
        )
        for r in parsed.rows
    ]
    for message in parsed.errors:
        say(message)
    if args.json:
        emit_json({"added": [p.to_json() for p in added], "errors": parsed.errors})
    say(f"added {len(added)} posts; {len(parsed.errors)} rows left out")
    return 1 if parsed.errors else 0
