"""`reelroom demo`: fill a home with a realistic demo workspace and open it.

With no --home and no $REELROOM_HOME the demo uses its own folder (never the
user's real workspace) and says where it is on stderr. A workspace that
already holds real work is refused with exit 1 and left untouched.
"""

from __future__ import annotations

import argparse
import os
import time

from app.output import say
from app.workspace import open_workspace
from storage.timefmt import utcnow


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `demo`."""
    demo = sub.add_parser(
        "demo", help="fill a workspace with demo data and open it", parents=[common]
    )
    demo.add_argument(
        "--no-tui", action="store_true", help="fill the workspace, do not open the TUI"
    )
    demo.add_argument(
        "--scale",
        choices=("normal", "large"),
        default="normal",
        help="large: a stress workspace (>=10k posts, >=100k clips, >=1M snapshots)",
    )
    demo.set_defaults(handler=run_demo)


def demo_home_arg(home_arg: str | None) -> str:
    """--home, else $REELROOM_HOME, else the demo's own folder."""
    if home_arg:
        return home_arg
    env = os.environ.get("REELROOM_HOME")
    if env:
        return env
    from app.demo.seed import demo_home

    return str(demo_home())


def run_demo(args: argparse.Namespace) -> int:
    """Seed the workspace, then open the TUI unless --no-tui."""
    from app.demo.seed import NotADemoWorkspace, seed_demo

    ws = open_workspace(demo_home_arg(getattr(args, "home", None)))
    say(f"reelroom: demo workspace in {ws.home.root}")
    started = time.perf_counter()
    try:
        report = seed_demo(
            ws.store,
            ws.home,
            now=utcnow(),
            scale=args.scale,
            zone=ws.config.zone,
            progress=say if args.scale == "large" else None,
        )
    except NotADemoWorkspace as exc:
        say(f"reelroom: {exc}")
        return 1
    for warning in report.warnings:
        say(f"reelroom: {warning}")
    if report.already_seeded:
        say(
            f"reelroom: already a demo workspace (seeded as {report.seeded_as}); nothing added. "
            "For a fresh one, remove the folder or pick another --home."
        )
    else:
        c = report.counts
        say(
            f"reelroom: demo ready in {time.perf_counter() - started:.1f} s: {c['posts']:,} posts, "
            f"{c['publications']:,} publications, {c['inbox_items']:,} inbox items, "
            f"{c['metric_snapshots']:,} metric snapshots, {c['assets']:,} clips, "
            f"{c['deals']:,} deals."
        )
    if args.no_tui:
        return 0
    from app.first_read import launch  # Textual is imported only there

    return launch(ws)
