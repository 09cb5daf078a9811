"""`reelroom metrics sync|import|export`: numbers from the platforms, from studio exports, to CSV.

`sync` fetches every followed publication's numbers now (and each account's
follower count); the worker does the same on a schedule. `import` reads a
TikTok Studio or YouTube Studio CSV export (app/metrics/csv_import.py lists
the columns); `export` writes the stored snapshots as CSV. Headless: no
Textual here.
"""

from __future__ import annotations

import argparse
import csv
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from app.output import emit_json, say
from app.workspace import Workspace, open_workspace
from storage.timefmt import to_db, utcnow


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `metrics …`."""
    top = sub.add_parser(
        "metrics", help="numbers: sync from the platforms, import and export CSV", parents=[common]
    )
    msub = top.add_subparsers(
        dest="metrics_command", metavar="SUBCOMMAND", required=True, parser_class=type(top)
    )
    sync = msub.add_parser(
        "sync", help="fetch every followed publication's numbers now", parents=[common]
    )
    sync.add_argument("--account", action="append", metavar="PLATFORM:HANDLE", help="only these")
    sync.add_argument("--json", action="store_true", help="print one JSON document")
    sync.set_defaults(handler=cmd_sync)

    imp = msub.add_parser(
        "import", help="read a TikTok/YouTube Studio CSV export", parents=[common]
    )
    imp.add_argument("file", metavar="FILE.csv")
    imp.add_argument("--platform", required=True, choices=("tiktok", "youtube"))
    imp.add_argument("--account", metavar="PLATFORM:HANDLE", help="only this account's videos")
    imp.add_argument(
        "--as-of",
        metavar="ISO",
        help="when the export was taken (workspace zone unless an offset is given); "
        "default: the file's modification time",
    )
    imp.add_argument("--json", action="store_true", help="print one JSON document")
    imp.set_defaults(handler=cmd_import)

    exp = msub.add_parser("export", help="write the stored snapshots as CSV", parents=[common])
    exp.add_argument("file", metavar="FILE.csv", help="where to write ('-' for stdout)")
    exp.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (local)")
    exp.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (local)")
    exp.add_argument("--account", metavar="PLATFORM:HANDLE", help="only this account")
    exp.set_defaults(handler=cmd_export)


class UsageProblem(Exception):
    """A bad argument: the message says which and what to give."""


def _account_ids(ws: Workspace, name: str | None) -> list[int] | None:
    from storage.accounts import AccountError, AccountRepo

    if not name:
        return None
    try:
        return [AccountRepo(ws.store).by_name(name).id]
    except AccountError as exc:  # it says what is wrong and what to do
        raise UsageProblem(str(exc)) from None


def cmd_sync(args: argparse.Namespace) -> int:
    """Fetch now; one line (or JSON object) per account."""
    from app.metrics.sync import followed_accounts, sync_account
    from app.publishing.connect import account_connector
    from platforms.base import PlatformError
    from storage.accounts import AccountError

    ws = open_workspace(args.home)
    try:
        accounts = followed_accounts(ws, args.account)
    except AccountError as exc:
        say(f"reelroom: {exc}")
        return 2
    if not accounts:
        say("reelroom: no account has a published publication to follow yet.")
    reports, failed = [], False
    for account in accounts:
        try:
            connector = account_connector(ws, account)
            try:
                report = sync_account(ws, account, connector, now=utcnow(), due_only=False)
            finally:
                connector.close()
        except PlatformError as exc:
            failed = True
            say(f"reelroom: {account.name}: {exc.message}")
            continue
        reports.append(report)
        if not args.json:
            followers = "" if report.followers is None else f", {report.followers:,} followers"
            say(
                f"{account.name}: {report.added} snapshots of {report.asked} publications"
                f"{followers}" + "".join(f"; {n}" for n in report.notes)
            )
    if args.json:
        emit_json({"accounts": [r.to_json() for r in reports]})
    return 1 if failed else 0


def _as_of(ws: Workspace, text: str | None, path: Path) -> str:
    if text is None:
        return to_db(datetime.fromtimestamp(int(path.stat().st_mtime), UTC))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"--as-of {text!r} is not an ISO date/time (2026-05-01T09:30)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ws.config.zone)
    return to_db(moment)


def cmd_import(args: argparse.Namespace) -> int:
    """Store the export's good rows; name the bad ones; exit 1 when any was bad."""
    from app.metrics.csv_import import ImportFileError, parse_export, snapshot_for
    from storage.metrics.export import publications_by_remote
    from storage.metrics.writer import SnapshotRow, record_snapshots

    ws = open_workspace(args.home)
    path = Path(args.file)
    try:
        accounts = _account_ids(ws, args.account)
        at = _as_of(ws, args.as_of, path) if path.exists() else ""
        parsed = parse_export(path, args.platform)
    except UsageProblem as exc:
        say(f"reelroom: {exc}")
        return 2
    except (ImportFileError, OSError) as exc:
        say(f"reelroom: nothing was imported: {exc}")
        return 1
    found = publications_by_remote(
        ws.store.conn, args.platform, [r.remote_id for r in parsed.rows], accounts
    )
    errors = list(parsed.errors)
    rows: list[SnapshotRow] = []
    for row in parsed.rows:
        pubs = found.get(row.remote_id)
        if not pubs:
            errors.append(
                f"{path.name}:{row.line}: no {args.platform} publication has the video id "
                f"{row.remote_id} (only videos published through ReelRoom can be matched)"
            )
            continue
        rows.extend(snapshot_for(pub, at, row) for pub in pubs)
    with ws.store.write() as conn:
        done = record_snapshots(conn, rows)
    for message in errors:
        say(f"reelroom: {message}")
    if parsed.unknown:
        say(f"reelroom: unknown columns left out: {', '.join(parsed.unknown)}")
    if args.json:
        emit_json(
            {
                "added": done.added,
                "already_stored": done.skipped,
                "captured_at": at,
                "errors": errors,
                "unknown_columns": parsed.unknown,
            }
        )
    else:
        say(
            f"imported {done.added} snapshots as of {at} ({done.skipped} already stored); "
            f"{len(errors)} rows left out"
        )
    return 1 if errors else 0


def _day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageProblem(f"{name} {text!r} is not a date (YYYY-MM-DD)") from None


def cmd_export(args: argparse.Namespace) -> int:
    """Write every snapshot of the range (local days, both ends included) as CSV."""
    from storage.metrics.export import EXPORT_COLUMNS, snapshots

    ws = open_workspace(args.home)
    zone = ws.config.zone
    try:
        first, last = _day(args.start, "--from"), _day(args.end, "--to")
        accounts = _account_ids(ws, args.account)
    except UsageProblem as exc:
        say(f"reelroom: {exc}")
        return 2
    since = "" if first is None else to_db(datetime.combine(first, time(0), zone))
    until = (
        "9999" if last is None else to_db(datetime.combine(last + timedelta(days=1), time(0), zone))
    )
    rows = snapshots(ws.store.conn, since, until, accounts)
    if args.file == "-":
        import sys

        n = _write(sys.stdout, rows, EXPORT_COLUMNS)
    else:
        target = Path(args.file)
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("w", newline="", encoding="utf-8") as fh:
                n = _write(fh, rows, EXPORT_COLUMNS)
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            say(f"reelroom: {target} cannot be written ({exc.strerror}); nothing was exported")
            return 1
    say(f"exported {n} snapshots" + ("" if args.file == "-" else f" to {args.file}"))
    return 0


def _write(fh: object, rows: object, columns: tuple[str, ...]) -> int:
    writer = csv.writer(fh)  # type: ignore[arg-type]
    writer.writerow(columns)
    n = 0
    for row in rows:  # type: ignore[attr-defined]
        writer.writerow(["" if v is None else v for v in row])
        n += 1
    return n
