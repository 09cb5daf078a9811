"""The `reelroom` command: parse, open the workspace, dispatch.

`reelroom` alone opens the TUI. Every command takes `--home`; listings take
`--json`. Exit 0 on success, 1 on a failure the user must act on, 2 on a
usage error. Headless commands never import Textual: the TUI is imported
only when it is about to run.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from typing import Callable, Sequence

from app import cli_calendar, cli_demo, cli_doctor, cli_footage, cli_posts, cli_script
from app.config import ConfigError
from app.home import HomeError
from app.output import say
from media_watch.tools import ToolError
from storage import StoreError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

# Each module adds its commands to the parser; a command's handler takes the
# parsed arguments and returns the exit status.
COMMAND_MODULES = (cli_demo, cli_doctor, cli_footage, cli_posts, cli_script, cli_calendar)


class UsageError(Exception):
    """Raised by the parser instead of exiting, so main() decides the exit."""


class Parser(argparse.ArgumentParser):
    """argparse with one-paragraph usage errors and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}. Run `{self.prog} --help` to see what it takes.")


def build_parser() -> Parser:
    """The whole command tree."""
    home_help = "workspace folder (default: $REELROOM_HOME, else the user data dir)"
    # Sub-commands accept --home too; SUPPRESS keeps a value given before the
    # command from being reset by the sub-parser's default.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--home", metavar="DIR", default=argparse.SUPPRESS, help=home_help)
    parser = Parser(
        prog="reelroom",
        description="Short-video operations from the terminal. With no command, opens the TUI.",
    )
    parser.add_argument("--home", metavar="DIR", default=None, help=home_help)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in COMMAND_MODULES:
        module.register(sub, common)
    parser.set_defaults(handler=run_tui)
    return parser


def run_tui(args: argparse.Namespace) -> int:
    """Open the Textual app on the workspace."""
    from app.workspace import open_workspace

    workspace = open_workspace(args.home)
    from app.tui import run  # Textual is imported only here

    return run(workspace)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        say(str(exc))
        return EXIT_USAGE
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except (HomeError, ConfigError, StoreError) as exc:
        say(f"reelroom: {exc}")
        return EXIT_FAIL
    except ToolError as exc:  # ffmpeg/ffprobe missing or broken: the message says what to install
        say(f"reelroom: {exc}")
        return EXIT_FAIL
    except sqlite3.DatabaseError as exc:
        say(f"reelroom: the workspace database cannot be read ({exc}). Run `reelroom doctor` "
            "to check it; if it is damaged, restore the newest reelroom.db.bak-* copy beside it.")
        return EXIT_FAIL
    except KeyboardInterrupt:
        say("reelroom: interrupted.")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
