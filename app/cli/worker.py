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
from typing import Any, Callable

from app.cli.numbers import float_in, int_in
from app.handlers import handlers_for
from app.output import say
from app.worker import Worker, WorkerStats
from app.workspace import Workspace, open_workspace
from storage.jobs import JobQueue
from widgets.safe_text import visible

GRACE_S = 10.0
GRACE_MAX_S = 3600.0
# The same ceilings as [worker] in config.toml (app/config/settings.py); a lease
# may be as short as 1 s here (tests of lost leases), 5 s in config.toml.
CONCURRENCY_MAX = 64
LEASE_MAX_S = 86400.0


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `worker`."""
    wrk = sub.add_parser(
        "worker", help="run queued jobs (renders, …) until stopped", parents=[common]
    )
    wrk.add_argument(
        "--concurrency",
        type=int_in(1, CONCURRENCY_MAX),
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
        type=float_in(1, LEASE_MAX_S),
        default=None,
        metavar="S",
        help="seconds a claimed job stays ours without a heartbeat (default: config)",
    )
    wrk.add_argument(
        "--grace",
        type=float_in(0, GRACE_MAX_S),
        default=GRACE_S,
        metavar="S",
        help=f"on SIGTERM/SIGINT, seconds running jobs get before they are handed "
        f"back to the queue (default {GRACE_S:g})",
    )
    wrk.set_defaults(handler=cmd_worker)


class VisibleFormatter(logging.Formatter):
    """Log lines with control characters from data (file names, errors) made visible."""

    def format(self, record: logging.LogRecord) -> str:
        return visible(super().format(record), lines=True)


def worker_logger(logs_dir: Path) -> logging.Logger:
    """'reelroom.worker' logging to logs/worker.log and stderr."""
    log = logging.getLogger("reelroom.worker")
    log.setLevel(logging.INFO)
    log.propagate = False
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()
    fmt = VisibleFormatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z")
    logs_dir.mkdir(parents=True, exist_ok=True)
    for handler in (
        logging.FileHandler(logs_dir / "worker.log", encoding="utf-8"),
        logging.StreamHandler(),
    ):
        handler.setFormatter(fmt)
        log.addHandler(handler)
    return log


def _watch_thread(
    ws: Workspace,
    folders: list[str],
    stop: threading.Event,
    log: logging.Logger,
    on_crash: Callable[[str, BaseException], None],
) -> threading.Thread:
    """Watch folders on a thread; if watching dies, the worker stops and exits non-zero."""
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
        except BaseException as exc:  # ffprobe gone, or a bug: never a silent dead watcher
            on_crash("watching footage", exc)
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
    log = worker_logger(ws.home.logs)
    stop, watch_stop = threading.Event(), threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        if stop.is_set():
            say(
                "reelroom: already stopping: running jobs finish within the grace period "
                f"({args.grace:g} s), then they are handed back to the queue."
            )
            return
        log.info("got %s: stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    if not args.once:  # syncs on a schedule: one tick job waits in the queue (app/inbox)
        from app.inbox.schedule import ensure_schedule

        ensure_schedule(ws)
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
    watcher = _watch_thread(ws, args.watch, watch_stop, log, worker.crash) if args.watch else None
    try:
        stats = worker.run(stop)
    finally:
        watch_stop.set()
        if watcher is not None:
            watcher.join(timeout=10.0)
    if worker.failure is not None:
        say(
            f"reelroom: the worker stopped because {worker.failure}. Its running jobs were "
            "handed back to the queue; see logs/worker.log. Run it again (systemd restarts it)."
        )
        return 1
    say(stopped_summary(stats, JobQueue(ws.store).counts()))
    return 1 if getattr(worker, "broken", False) else 0


def stopped_summary(stats: WorkerStats, counts: dict[str, int]) -> str:
    """What a person needs after stopping the worker: what it handed back, what waits."""
    parts = [f"reelroom: worker stopped ({stats.done} done, {stats.failed} failed)."]
    if stats.handed_back_ids:
        ids = ", ".join(str(i) for i in stats.handed_back_ids)
        parts.append(f"Handed back to the queue, unfinished: job {ids}.")
    else:
        parts.append("Nothing was left running.")
    waiting = counts.get("queued", 0) + counts.get("failed", 0)
    running = counts.get("running", 0)
    if waiting:
        parts.append(f"{waiting} job(s) wait in the queue for the next `reelroom worker`.")
    if running:
        parts.append(f"{running} job(s) still run in other workers.")
    return " ".join(parts)
