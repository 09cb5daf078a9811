"""`reelroom workspace copy --to TARGET`: move a workspace to PostgreSQL (or back to a file).

The workspace's database (SQLite file or PostgreSQL) is copied into an empty
PostgreSQL database or a new SQLite file, every table checked row for row
(storage/copying.py). The home folder is not touched: config.toml, the
secrets file, thumbs/ and renders/ stay where they are. Afterwards each
machine's config.toml points at the new database ([storage] url). Headless.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.output import say
from app.workspace import open_workspace
from storage import Store
from storage.copying import CopyError, copy_workspace
from storage.dialect import is_postgres_url


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `workspace copy`."""
    ws = sub.add_parser("workspace", help="move the workspace's database", parents=[common])
    verbs = ws.add_subparsers(dest="verb", metavar="VERB", required=True)
    cp = verbs.add_parser(
        "copy",
        help="copy the database into an empty PostgreSQL database (or a new .db file)",
        parents=[common],
    )
    cp.add_argument(
        "--to", required=True, metavar="TARGET", help="postgresql://… URL or FILE.db path"
    )
    cp.add_argument("--json", action="store_true", help="print the per-table check as JSON")
    cp.set_defaults(handler=cmd_copy)


def cmd_copy(args: argparse.Namespace) -> int:
    """Copy, check, and say what to do next."""
    ws = open_workspace(args.home)
    target_arg = str(args.to)
    if not is_postgres_url(target_arg):
        path = Path(target_arg).expanduser().absolute()
        if path.exists() and path.stat().st_size > 0:
            say(f"reelroom: {path} exists; the copy goes into a new file. Pick another name.")
            return 1
        target_arg = str(path)
    if target_arg == ws.store.target:
        say("reelroom: the target is this workspace's own database.")
        return 1
    target = Store(target_arg)
    try:
        report = copy_workspace(ws.store, target)
    except CopyError as exc:
        say(f"reelroom: {exc}")
        return 1
    finally:
        target.close()
    if args.json:
        print(
            json.dumps(
                {
                    "from": ws.store.location,
                    "to": target.location,
                    "tables": [
                        {"table": r.table, "rows": r.target_rows, "checksum": r.target_sum}
                        for r in report
                    ],
                }
            )
        )
    else:
        for r in report:
            say(f"  {r.table:<18} {r.target_rows:>8} rows  checked")
    rows = sum(r.target_rows for r in report)
    say(f"copied {rows} rows in {len(report)} tables to {target.location}; every table checked.")
    if target.dialect.postgres:
        say(
            f'Next: on each machine set [storage] url = "{target.location}" in config.toml '
            "(with the real password, or in ~/.pgpass), or REELROOM_DATABASE_URL. "
            f"The secrets file stayed in {ws.home.root}; copy it to the machines that publish."
        )
    return 0
