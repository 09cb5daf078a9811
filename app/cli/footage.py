"""`reelroom ingest`, `reelroom watch` and `reelroom footage list`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from app.cli.numbers import float_in, int_in
from app.output import emit_json, out, say, table
from app.workspace import open_workspace
from media_watch.catalog import FileOutcome
from media_watch.ingest import IngestEvent, IngestSummary, ingest_paths
from media_watch.tools import ToolMissing
from storage.footage import FootageRepo
from storage.footage_models import Asset
from widgets.safe_text import visible


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `ingest`, `watch` and `footage list`."""
    ing = sub.add_parser("ingest", help="import footage files and folders once", parents=[common])
    ing.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive)")
    ing.add_argument("--json", action="store_true", help="print the summary as one JSON document")
    ing.add_argument(
        "--workers",
        type=int_in(1, 64),
        default=None,
        metavar="N",
        help="files read at once (default: the number of cores)",
    )
    ing.set_defaults(handler=cmd_ingest)

    wat = sub.add_parser(
        "watch", help="watch folders and import footage as it arrives", parents=[common]
    )
    wat.add_argument(
        "folders",
        nargs="*",
        metavar="DIR",
        help="folders to watch (default: [watch] folders in config.toml)",
    )
    wat.add_argument(
        "--settle",
        type=float_in(0, 3600, above=True),
        default=None,
        metavar="SECONDS",
        help="seconds a file must hold still before import (default: config, 2)",
    )
    wat.add_argument(
        "--polling",
        action="store_true",
        default=None,
        help="poll instead of inotify (network shares)",
    )
    wat.set_defaults(handler=cmd_watch)

    foot = sub.add_parser("footage", help="the footage library", parents=[common])
    foot_sub = foot.add_subparsers(
        dest="footage_command", metavar="SUBCOMMAND", required=True, parser_class=type(foot)
    )
    lst = foot_sub.add_parser("list", help="list footage", parents=[common])
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.add_argument("--rejected", action="store_true", help="only files that were rejected")
    lst.add_argument("--missing", action="store_true", help="only assets whose files are gone")
    lst.set_defaults(handler=cmd_footage_list)


# --- ingest -----------------------------------------------------------------


class _Reporter:
    """A rich progress bar on a terminal, else one plain line per file on stdout."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.task: Any = None
        if not quiet and sys.stdout.isatty() and sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), transient=True
            )

    def __call__(self, event: IngestEvent) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            self._bar(event)
        elif event.phase == "file" and event.file is not None:
            row = event.file
            out(
                f"{row.outcome:<10} {visible(row.path)}"
                + (
                    f"  ({visible(row.reason)})" if row.reason and row.outcome == "rejected" else ""
                ),
                flush=True,
            )
        elif event.phase == "rows_done":
            say("finishing full hashes…")

    def _bar(self, event: IngestEvent) -> None:
        if event.phase == "scan":
            self.bar.start()
            self.task = self.bar.add_task("importing", total=event.total)
        elif event.phase in ("file", "background") and self.task is not None:
            self.bar.update(self.task, completed=event.done, total=event.total)
        elif event.phase == "rows_done" and self.task is not None:
            self.bar.update(self.task, description="full hashes", completed=0, total=None)
        elif event.phase == "done":
            self.bar.stop()


def cmd_ingest(args: argparse.Namespace) -> int:
    """Import once; exit 0 when every file got an outcome."""
    ws = open_workspace(args.home)
    reporter = _Reporter(quiet=args.json)
    try:
        summary = ingest_paths(
            ws.store,
            [Path(p) for p in args.paths],
            thumbs_dir=ws.home.thumbs,
            workers=args.workers,
            progress=reporter,
        )
    except ToolMissing as exc:
        if reporter.bar is not None:
            reporter.bar.stop()
        say(f"reelroom: {exc}")
        return 1
    if args.json:
        emit_json(summary.to_json())
    else:
        out(summary_line(summary))
        if summary.marked_missing:
            say(
                f"{len(summary.marked_missing)} known file(s) are gone from these folders and "
                "are now marked missing (reelroom footage list --missing)."
            )
        for failure in summary.background_failures:
            say(f"reelroom: {failure}")
    return 0


def summary_line(summary: IngestSummary) -> str:
    """'3 imported, 1 duplicates, …' in the fixed order."""
    counts = summary.counts
    return ", ".join(
        f"{counts[k]} {k}"
        for k in ("imported", "duplicates", "moved", "unchanged", "rejected", "ignored")
    )


# --- watch ------------------------------------------------------------------


def cmd_watch(args: argparse.Namespace) -> int:
    """Run the watcher until SIGINT/SIGTERM."""
    from media_watch.watcher import Watcher

    ws = open_workspace(args.home)
    folders = args.folders or list(ws.config.watch.folders)
    if not folders:
        say(
            "reelroom: no folders to watch. Name them (reelroom watch DIR...) or list them "
            f"under [watch] folders in {ws.home.config_path}."
        )
        return 2
    settle = args.settle if args.settle is not None else ws.config.watch.settle_seconds
    polling = bool(args.polling) if args.polling is not None else ws.config.watch.force_polling
    missing = [f for f in folders if not Path(f).expanduser().is_dir()]
    for folder in missing:
        say(f"reelroom: {folder} does not exist (yet); it is watched from when it appears.")
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if not stop.is_set():
            say("reelroom: stopping the watcher (the file being imported is finished first)…")
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        watcher = Watcher(
            ws.store,
            [Path(f).expanduser() for f in folders],
            settle_s=settle,
            force_polling=polling,
            thumbs_dir=ws.home.thumbs,
            on_outcome=_print_outcome,
            on_note=say,
        )
        say(
            f"reelroom: watching {len(folders)} folder(s), settle {settle:g} s"
            f"{', polling' if polling else ''}. Stop with Ctrl-C."
        )
        watcher.run(stop)
    except ToolMissing as exc:
        say(f"reelroom: {exc}")
        return 1
    pending = sorted(watcher.pending)
    if pending:
        names = ", ".join(Path(p).name for p in pending[:5]) + (" …" if len(pending) > 5 else "")
        say(
            f"reelroom: watcher stopped. {len(pending)} file(s) were still settling and were "
            f"not imported ({names}): the next `reelroom watch` (or `reelroom ingest`) takes them."
        )
    else:
        say("reelroom: watcher stopped. No file was waiting to be imported.")
    return 0


def _print_outcome(row: FileOutcome) -> None:
    extra = f"  ({row.reason})" if row.reason and row.outcome in ("rejected", "moved") else ""
    out(f"{row.outcome:<10} {visible(row.path)}{visible(extra)}", flush=True)


# --- footage list -------------------------------------------------------------


def cmd_footage_list(args: argparse.Namespace) -> int:
    """List assets as a table or one JSON document."""
    ws = open_workspace(args.home)
    statuses = tuple(s for s, on in (("rejected", args.rejected), ("missing", args.missing)) if on)
    assets = FootageRepo(ws.store).list(statuses=statuses or None)
    if args.json:
        emit_json([a.to_json() for a in assets])
        return 0
    rows = [["ID", "KIND", "NAME", "DUR", "SIZE WxH", "FPS", "CODEC", "STATUS"]]
    rows.extend(_row(a) for a in assets)
    out(table(rows, [6, 5, 36, 7, 10, 6, 9, 60]))
    say(f"{len(assets)} assets")
    return 0


def _row(a: Asset) -> list[str]:
    dur = f"{a.duration_s:.1f}s" if a.duration_s is not None else "—"
    res = f"{a.display_width}x{a.display_height}" if a.display_width else "—"
    fps = (f"{a.fps:g}" + ("v" if a.vfr else "")) if a.fps else "—"
    status = a.status if a.status != "rejected" else f"rejected: {a.reason}"
    return [str(a.id), a.kind, a.name, dur, res, fps, a.video_codec or a.audio_codec or "—", status]
