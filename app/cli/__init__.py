"""The `reelroom` command: parse, open the workspace, dispatch.

`reelroom` alone opens the TUI. Every command takes `--home`; listings take
`--json`. Exit 0 on success, 1 on a failure the user must act on, 2 on a
usage error. Headless commands never import Textual: the TUI is imported
only when it is about to run.
"""

from __future__ import annotations

import argparse
import importlib
import sqlite3
import sys
from typing import Callable, Sequence

from app.config import ConfigError
from app.home import Home, HomeError, resolve_home
from app.output import say
from media_watch.tools import ToolError
from storage import StoreError
from storage.dbfile import error_message

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

# Which module registers each command. A module's `register(sub, common)` adds
# its commands; a command's handler takes the parsed arguments and returns the
# exit status. Only the module of the command being run is imported, so
# `reelroom` (the TUI) and each command start without loading the others.
COMMANDS: dict[str, str] = {
    "demo": "app.cli.demo",
    "doctor": "app.cli.doctor",
    "posts": "app.cli.posts",
    "script": "app.cli.script",
    "calendar": "app.cli.calendar",
    "ingest": "app.cli.footage",
    "watch": "app.cli.footage",
    "footage": "app.cli.footage",
    "render": "app.cli.render",
    "worker": "app.cli.worker",
    "workspace": "app.cli.workspace",
    "accounts": "app.cli.accounts",
    "publish": "app.cli.publish",
    "metrics": "app.cli.metrics",
    "report": "app.cli.report",
    "inbox": "app.cli.inbox",
    "saved-replies": "app.cli.saved_replies",
    "deals": "app.cli.deals",
}


def command_word(argv: Sequence[str]) -> str | None:
    """The first positional word of argv (skipping `--home DIR`), if any."""
    skip = False
    for word in argv:
        if skip:
            skip = False
            continue
        if word == "--home":
            skip = True
            continue
        if word.startswith("-"):
            continue
        return word
    return None


def modules_for(argv: Sequence[str]) -> list[str]:
    """The command modules to load: one for a known command, none for the TUI.

    Help and unknown words load every module, so the listing and the
    "invalid choice" message name every command.
    """
    word = command_word(argv)
    if word in COMMANDS:
        return [COMMANDS[word]]
    if word is None and not set(argv) & {"-h", "--help"}:
        return []
    return list(dict.fromkeys(COMMANDS.values()))


class UsageError(Exception):
    """Raised by the parser instead of exiting, so main() decides the exit."""


class Parser(argparse.ArgumentParser):
    """argparse with one-paragraph usage errors and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}. Run `{self.prog} --help` to see what it takes.")


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The command tree (with argv given: just the part argv needs)."""
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
    names = list(dict.fromkeys(COMMANDS.values())) if argv is None else modules_for(argv)
    for name in names:
        importlib.import_module(name).register(sub, common)
    parser.set_defaults(handler=run_tui)
    return parser


def run_tui(args: argparse.Namespace) -> int:
    """Open the Textual app on the workspace."""
    from app import heap
    from app.first_read import launch
    from app.workspace import open_workspace

    heap.pause()  # until the first paint (app/heap.py): the imports and the App's build

    workspace = open_workspace(args.home)
    return launch(workspace)  # Textual is imported only there


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
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
        say(f"reelroom: {error_message(exc, Home(resolve_home(args.home)).db_path)}")
        return EXIT_FAIL
    except KeyboardInterrupt:
        say("reelroom: interrupted.")
        return 130
    except BrokenPipeError:
        return EXIT_OK
