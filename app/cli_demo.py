"""`reelroom demo`: fill a home with a realistic demo workspace."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `demo`."""
    demo = sub.add_parser("demo", help="fill a workspace with demo data and open it",
                          parents=[common])
    demo.add_argument("--no-tui", action="store_true", help="fill the workspace, do not open the TUI")
    demo.add_argument("--scale", choices=("normal", "large"), default="normal",
                      help="large: a stress workspace (>=10k posts, >=100k clips, >=1M snapshots)")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Seed the workspace, then open the TUI unless --no-tui."""
    raise SystemExit("demo: being written")
