"""`reelroom report week|post`: a summary a person can send, as Markdown or HTML.

Written to stdout, or to a file with --output. Times are in the workspace's
zone. Headless: no Textual here.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.output import say
from app.workspace import open_workspace
from storage.timefmt import utcnow


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `report …`."""
    top = sub.add_parser("report", help="a week's or a post's numbers, to send", parents=[common])
    rsub = top.add_subparsers(
        dest="report_command", metavar="SUBCOMMAND", required=True, parser_class=type(top)
    )
    week = rsub.add_parser("week", help="the week's summary (Monday to Sunday)", parents=[common])
    week.add_argument(
        "--week", metavar="YYYY-MM-DD", help="a day of the week to report (default: this week)"
    )
    post = rsub.add_parser("post", help="one post against its pillar", parents=[common])
    post.add_argument("id", type=int, metavar="ID")
    for cmd in (week, post):
        cmd.add_argument(
            "--format", choices=("md", "html"), default="md", help="md (default) or html"
        )
        cmd.add_argument("--output", metavar="FILE", help="write here instead of stdout")
    week.set_defaults(handler=cmd_week)
    post.set_defaults(handler=cmd_post)


def _emit(text: str, output: str | None) -> int:
    if output is None:
        print(text, end="")
        return 0
    target = Path(output)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        say(f"reelroom: {target} cannot be written ({exc.strerror})")
        return 1
    say(f"report written to {target}")
    return 0


def cmd_week(args: argparse.Namespace) -> int:
    from app.reports.data import week_report
    from app.reports.html import week_html
    from app.reports.markdown import week_md

    ws = open_workspace(args.home)
    now = utcnow()
    try:
        day = date.fromisoformat(args.week) if args.week else now.astimezone(ws.config.zone).date()
    except ValueError:
        say(f"reelroom: --week {args.week!r} is not a date (YYYY-MM-DD)")
        return 2
    report = week_report(ws, day, now)
    return _emit(week_html(report) if args.format == "html" else week_md(report), args.output)


def cmd_post(args: argparse.Namespace) -> int:
    from app.reports.data import NoSuchPost, post_report
    from app.reports.html import post_html
    from app.reports.markdown import post_md

    ws = open_workspace(args.home)
    try:
        report = post_report(ws, args.id, utcnow())
    except NoSuchPost as exc:
        say(f"reelroom: {exc}")
        return 1
    return _emit(post_html(report) if args.format == "html" else post_md(report), args.output)
