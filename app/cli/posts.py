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
from storage.text_input import TextInputError, check_title
from storage.timefmt import YEAR_MAX, YEAR_MIN, TimeRangeError, check_range
from widgets.safe_text import visible


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

    edit = posts_sub.add_parser(
        "edit", help="change a post's title, pillar, length, date or status", parents=[common]
    )
    edit.add_argument("post_id", metavar="ID", type=int, help="the post's id (posts list)")
    edit.add_argument("--title", help="a new working title")
    edit.add_argument("--pillar", metavar="NAME", help="an existing pillar (series); '' removes it")
    edit.add_argument(
        "--target-seconds",
        metavar="N",
        help="the spoken length to aim for, in seconds; '' removes it",
    )
    edit.add_argument(
        "--date",
        metavar="ISO",
        help="planned publish time, YYYY-MM-DD[THH:MM] in the workspace zone (a bare date "
        "keeps the time of day); '' unplans it",
    )
    edit.add_argument("--status", choices=POST_STATUSES)
    edit.add_argument("--json", action="store_true", help="print the edited post as JSON")
    edit.set_defaults(handler=posts_edit)

    imp = posts_sub.add_parser(
        "import", help="add post ideas from a .csv or .json file", parents=[common]
    )
    imp.add_argument("file", metavar="FILE.csv|FILE.json")
    imp.add_argument("--json", action="store_true", help="print the outcome as JSON")
    imp.set_defaults(handler=posts_import)


class DateArgError(ValueError):
    """A --from/--to value that is not a date."""


def parse_day(text: str, zone: ZoneInfo, *, flag: str) -> datetime:
    """A YYYY-MM-DD (or full ISO time) in the workspace zone, as an aware time
    within the years ReelRoom accepts (storage.timefmt.check_range)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise DateArgError(
            f"reelroom: {flag} {text!r} is not a date. Use YYYY-MM-DD, e.g. {flag} 2026-12-01."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return check_range(moment, flag)
    except TimeRangeError:
        raise DateArgError(
            f"reelroom: {flag} {text!r} is outside the years {YEAR_MIN}-{YEAR_MAX}; "
            "give a date in that range."
        ) from None


def undecodable(flag: str, value: str) -> str | None:
    """A message when a command-line value holds bytes that are not UTF-8 (else None)."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return None
    return (
        f"reelroom: {flag} {visible(value)} holds bytes that are not UTF-8 text (shown as \\xNN); "
        "type it again in a UTF-8 terminal."
    )


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
        if "planned_at" in p.bad_fields:
            planned = f"! {p.bad_fields['planned_at']}"
        status = STATUS_LABELS.get(p.status, p.status)
        rows.append([str(p.id), planned, status, p.pillar or "—", p.title])
    planned_width = min(32, max(16, *(len(visible(r[1])) for r in rows)))
    out(table(rows, [6, planned_width, 14, 16, 60]))
    problems = [line for p in posts for line in p.problems]
    for line in problems:
        say(f"reelroom: {line}; it is listed with its stored text (marked !).")
    say(f"{len(posts)} posts ({datetime.now(UTC).astimezone(zone):%Z} times)")
    return 0


def posts_add(args: argparse.Namespace) -> int:
    """Create one post and print it."""
    for flag, value in (("--title", args.title), ("--pillar", args.pillar or "")):
        message = undecodable(flag, value)
        if message:
            say(message)
            return 2
    try:
        title = check_title(args.title, "--title")
    except TextInputError as exc:
        say(f"reelroom: {exc}.")
        return 2
    ws = open_workspace(args.home)
    repo = PostRepo(ws.store)
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


def posts_edit(args: argparse.Namespace) -> int:
    """Change the fields given (checked as `posts add` checks them); print the post."""
    ws = open_workspace(args.home)
    repo, zone = PostRepo(ws.store), ws.config.zone
    post = repo.get(args.post_id)
    if post is None:
        say(f"reelroom: there is no post {args.post_id} (see `reelroom posts list`).")
        return 1
    changes: dict[str, object] = {}
    if args.title is not None:
        if not args.title.strip():
            say("reelroom: --title is empty; give the post a working title.")
            return 2
        changes["title"] = args.title.strip()
    if args.status is not None:
        changes["status"] = args.status
    if args.pillar is not None:
        if not args.pillar.strip():
            changes["pillar_id"] = None
        else:
            pillar = repo.pillar_by_name(args.pillar)
            if pillar is None:
                names = ", ".join(p.name for p in repo.pillars()) or "none yet"
                say(f"reelroom: there is no pillar {args.pillar!r} (pillars: {names}).")
                return 1
            changes["pillar_id"] = pillar.id
    if args.target_seconds is not None:
        text = args.target_seconds.strip()
        if not text:
            changes["target_seconds"] = None
        elif not text.isdigit() or not 1 <= int(text) <= 3600:
            say(
                f"reelroom: --target-seconds {args.target_seconds!r} is not a length; "
                "give whole seconds from 1 to 3600, e.g. --target-seconds 45."
            )
            return 2
        else:
            changes["target_seconds"] = int(text)
    if args.date is not None:
        if not args.date.strip():
            changes["planned_at"] = None
        else:
            try:
                planned = parse_day(args.date, zone, flag="--date")
            except DateArgError as exc:
                say(str(exc))
                return 2
            if len(args.date.strip()) <= 10 and post.planned_at is not None:
                kept = post.planned_at.astimezone(zone).timetz().replace(tzinfo=None)
                planned = datetime.combine(planned.date(), kept, zone)
            changes["planned_at"] = planned
    if not changes:
        say(
            "reelroom: nothing to change; give --title, --pillar, --target-seconds, --date "
            "or --status."
        )
        return 2
    edited = repo.edit(post.id, **changes)
    if edited is None:
        say(f"reelroom: post {post.id} was deleted meanwhile; nothing was changed.")
        return 1
    if args.json:
        emit_json(edited.to_json())
    else:
        print(edited.id)
        say(f"edited post {edited.id}: {', '.join(sorted(changes))}")
    return 0


def posts_import(args: argparse.Namespace) -> int:
    """Check every row of a CSV/JSON file, report each bad row by line, then add
    the good rows in one transaction (rows imported before are skipped)."""
    ws = open_workspace(args.home)
    repo = PostRepo(ws.store)
    pillars = {p.name: p.id for p in repo.pillars()}
    try:
        parsed = parse_file(Path(args.file), zone=ws.config.zone, pillars=set(pillars))
    except ImportFileError as exc:
        say(f"reelroom: {exc}")
        return 1
    for message in parsed.errors:
        say(message)
    drafts = [r.draft(pillars.get(r.pillar) if r.pillar else None) for r in parsed.rows]
    try:
        added = repo.add_many(drafts)
    except ValueError as exc:  # parse_file checked every row: this is a bug, said plainly
        say(f"reelroom: nothing was imported: {exc}.")
        return 1
    again = len(drafts) - len(added)
    if args.json:
        emit_json(
            {
                "added": [p.to_json() for p in added],
                "already_imported": again,
                "errors": parsed.errors,
            }
        )
    say(
        f"added {len(added)} posts; {again} already imported before; "
        f"{len(parsed.errors)} rows left out"
    )
    return 1 if parsed.errors else 0
