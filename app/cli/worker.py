"""`reelroom worker`: the headless worker that runs queued jobs of every kind.

It claims jobs through the queue (storage/jobs.py) and runs each with the
handler its kind has in app/handlers.py (on PostgreSQL through procrastinate:
app/team_worker.py); with `--watch` it also imports
footage as it arrives. Logs go to logs/worker.log and stderr. Headless: no
Textual here.
"""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from pathlib import Path
from typing import Any

from app.handlers import handlers_for
from app.output import say
from app.worker import Worker
from app.workspace import Workspace, open_workspace
from media_watch.tools import ToolMissing
from storage.jobs import JobQueue

GRACE_S = 10.0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `worker`."""
    wrk = sub.add_parser(
        "worker", help="run queued jobs (renders, …) until stopped", parents=[common]
    )
    wrk.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="jobs run at once (default: [worker] concurrency in config.toml)",
    )
    wrk.add_argument(
        "--watch",
        nargs="+",
        default=[],
        metavar="DIR",
        help="also watch these folders and import footage as it arrives",
    )
    wrk.add_argument("--once", action="store_true", help="run what is queued now, then exit")
    wrk.add_argument(
        "--lease-seconds",
        type=float,
        default=None,
        metavar="S",
        help="seconds a claimed job stays ours without a heartbeat (default: config)",
    )
    wrk.add_argument(
        "--grace",
        type=float,
        default=GRACE_S,
        metavar="S",
        help=f"on SIGTERM/SIGINT, seconds running jobs get before they are handed "
        f"back to the queue (default {GRACE_S:g})",
    )
    wrk.set_defaults(handler=cmd_worker)


def worker_logger(logs_dir: Path) -> logging.Logger:
    """'reelroom.worker' logging to logs/worker.log and stderr."""
    log = logging.getLogger("reelroom.worker")
    log.setLevel(logging.INFO)
    log.propagate = False
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    logs_dir.mkdir(parents=True, exist_ok=True)
    for handler in (
        logging.FileHandler(logs_dir / "worker.log", encoding="utf-8"),
        logging.StreamHandler(),
    ):
        handler.setFormatter(fmt)
        log.addHandler(handler)
    return log


def _watch_thread(
    ws: Workspace, folders: list[str], stop: threading.Event, log: logging.Logger
) -> threading.Thread:
    from media_watch.watcher import Watcher

    watcher = Watcher(
        ws.store,
        [Path(f).expanduser() for f in folders],
        settle_s=ws.config.watch.settle_seconds,
        force_polling=ws.config.watch.force_polling,
        thumbs_dir=ws.home.thumbs,
        on_note=log.info,
        on_outcome=lambda row: log.info("footage %s: %s", row.outcome, row.path),
    )

    def run() -> None:
        try:
            watcher.run(stop)
        except ToolMissing as exc:
            log.error("watching stopped: %s", exc)
        finally:
            ws.store.close()

    thread = threading.Thread(target=run, name="watch", daemon=True)
    thread.start()
    return thread


def cmd_worker(args: argparse.Namespace) -> int:
    """Claim and run jobs until SIGTERM/SIGINT (or until drained, with --once)."""
    ws = open_workspace(args.home)
    concurrency = args.concurrency if args.concurrency is not None else ws.config.worker.concurrency
    lease = (
        args.lease_seconds
        if args.lease_seconds is not None
        else float(ws.config.worker.lease_seconds)
    )
    for flag, value, low in (
        ("--concurrency", concurrency, 1),
        ("--lease-seconds", lease, 1),
        ("--grace", args.grace, 0),
    ):
        if value < low:
            say(f"reelroom: {flag} must be {low} or more.")
            return 2
    log = worker_logger(ws.home.logs)
    stop, watch_stop = threading.Event(), threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if stop.is_set():
            return
        log.info("got %s: stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    watcher = _watch_thread(ws, args.watch, watch_stop, log) if args.watch else None
    worker_class: type[Worker] = Worker
    if ws.store.dialect.postgres:  # team mode: procrastinate delivers the jobs
        from app.team_worker import TeamWorker

        worker_class = TeamWorker
    worker = worker_class(
        ws.store,
        handlers_for(ws),
        concurrency=concurrency,
        lease_s=lease,
        once=args.once,
        grace_s=args.grace,
        queue=JobQueue(ws.store),
        log=log,
    )
    try:
        worker.run(stop)
    finally:
        watch_stop.set()
        if watcher is not None:
            watcher.join(timeout=10.0)
    return 1 if getattr(worker, "broken", False) else 0
