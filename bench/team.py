"""Team-mode benchmark: the same work on SQLite and on PostgreSQL, side by side.

Prints, each engine measured in this run (SQLite is the baseline the ratios
are taken against):
  * no-op jobs per second with 4 `reelroom worker` processes (goal on
    PostgreSQL: 500/s or more) — workers started and idle, then N jobs queued
    in one transaction, timed until every one is done (also from the
    queueing's commit, the workers' rate alone);
  * seconds from a worker's death (SIGKILL) to its job running again on
    another worker (goal on PostgreSQL: 15 s or less) — on SQLite that is the
    lease running out (`--lease-seconds`, default 10 here), on PostgreSQL the
    stalled-delivery recovery;
  * the TUI's first paint of Today (bench/startup.py's child) on the same
    demo workspace on each engine (the PostgreSQL one made by
    `reelroom workspace copy`).

PostgreSQL is a throwaway server of the system package (tests/pg_cluster.py)
on loopback, with fsync on and synchronous_commit off — about the durability
of SQLite's WAL with synchronous=NORMAL.

    .venv/bin/python bench/team.py [--jobs 2000] [--workers 4] [--concurrency 2] [--runs 3]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)
sys.path.append(str(ROOT / "tests"))
sys.path.append(str(ROOT / "bench"))

import argparse  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from pg_cluster import Cluster  # noqa: E402

LEASE_S = 10


def write_home(root: Path, url: str = "") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    text = '[workspace]\ntimezone = "UTC"\n'
    if url:
        text += f'\n[storage]\nurl = "{url}"\n'
    (root / "config.toml").write_text(text, encoding="utf-8")
    return root


class Workers:
    """N `reelroom worker` processes, each logging to its own file."""

    def __init__(self, homes: list[Path], *args: str) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs: list[Path] = []
        for n, home in enumerate(homes):
            log = home / f"worker-{n}.err"
            self.logs.append(log)
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "app.cli", "--home", str(home), "worker", *args],
                    cwd=ROOT,
                    stdout=subprocess.DEVNULL,
                    stderr=log.open("w"),
                )
            )

    def wait_started(self, timeout: float = 120) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if all(
                log.exists() and " started" in log.read_text(errors="replace") for log in self.logs
            ):
                return
            time.sleep(0.1)
        raise SystemExit("bench: workers did not start:\n" + self.logs[0].read_text())

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()


def open_store(home: Path):  # type: ignore[no-untyped-def]
    from app.workspace import open_workspace

    return open_workspace(str(home)).store


def jobs_per_second(homes: list[Path], jobs: int, concurrency: int) -> tuple[float, float]:
    """Jobs per second from the start of the queueing, and from its commit."""
    from storage.jobs import JobQueue

    workers = Workers(homes, "--concurrency", str(concurrency))
    try:
        workers.wait_started()
        queue = JobQueue(open_store(homes[0]))
        before = queue.counts("noop")["done"]
        started = time.perf_counter()
        queue.enqueue_many("noop", [{} for _ in range(jobs)])
        committed = time.perf_counter()
        while queue.counts("noop")["done"] < before + jobs:
            time.sleep(0.02)
        ended = time.perf_counter()
        return jobs / (ended - started), jobs / (ended - committed)
    finally:
        workers.stop()


def death_to_rerun(homes: list[Path], *args: str) -> float:
    from storage.jobs import JobQueue

    queue = JobQueue(open_store(homes[0]))
    first = Workers(homes[:1], *args)
    second: Workers | None = None
    try:
        first.wait_started()
        job = queue.enqueue("noop", {"sleep_s": 600}).job
        while queue.get(job.id).state != "running":
            time.sleep(0.02)
        second = Workers(homes[1:2], *args)
        second.wait_started()
        killed = time.perf_counter()
        os.kill(first.procs[0].pid, signal.SIGKILL)
        pid = f"-{second.procs[0].pid}-"
        while True:
            now = queue.get(job.id)
            if now.state == "running" and pid in (now.lease_owner or ""):
                took = time.perf_counter() - killed
                break
            time.sleep(0.02)
        queue.cancel(job.id)
        return took
    finally:
        first.stop()
        if second is not None:
            second.stop()


def first_paint(home: Path, runs: int, scratch: Path) -> float:
    from startup import run_once

    return statistics.median(run_once("today", str(home), scratch)[1] for _ in range(runs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3, help="TUI start-ups per engine (median)")
    parser.add_argument("--only", choices=("jobs", "death", "paint"), help="one figure only")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="reelroom-team-bench-"))
    cluster = Cluster(durable=True).start()
    try:
        cluster.make_template()
        sqlite_home = write_home(base / "sqlite")
        pg_url = cluster.new_database()
        pg_homes = [write_home(base / f"pg{n}", pg_url) for n in range(max(2, args.workers))]
        sqlite_homes = [sqlite_home] * max(2, args.workers)
        print(f"PostgreSQL {cluster.bindir.parent.name} on 127.0.0.1:{cluster.port}; {base}")

        if args.only in (None, "jobs"):
            report_rate(args, sqlite_homes, pg_homes)
        if args.only in (None, "death"):
            report_death(sqlite_homes, pg_homes)
        if args.only in (None, "paint"):
            report_paint(args, cluster, base)
    finally:
        cluster.stop()
    return 0


def report_rate(args: argparse.Namespace, sqlite_homes: list[Path], pg_homes: list[Path]) -> None:
    if True:
        rate: dict[str, float] = {}
        run: dict[str, float] = {}
        for name, homes in (("sqlite", sqlite_homes), ("postgres", pg_homes)):
            rate[name], run[name] = jobs_per_second(
                homes[: args.workers], args.jobs, args.concurrency
            )
        print(
            f"\nno-op jobs/s, {args.workers} workers x concurrency {args.concurrency}, "
            f"{args.jobs} jobs"
        )
        for name, value in rate.items():
            print(
                f"  {name:<10}{value:>9.0f}/s  x{value / rate['sqlite']:.2f}"
                f"   (from the queueing's commit: {run[name]:.0f}/s"
                f"  x{run[name] / run['sqlite']:.2f})"
            )
        print("  goal on postgres: >= 500/s, queueing included")


def report_death(sqlite_homes: list[Path], pg_homes: list[Path]) -> None:
    if True:
        death = {
            "sqlite": death_to_rerun(sqlite_homes, "--lease-seconds", str(LEASE_S)),
            "postgres": death_to_rerun(pg_homes),
        }
        print("\nworker killed (SIGKILL) -> its job running on another worker")
        print(f"  {'sqlite':<10}{death['sqlite']:>8.1f} s  (lease {LEASE_S} s)")
        print(
            f"  {'postgres':<10}{death['postgres']:>8.1f} s  "
            f"x{death['postgres'] / death['sqlite']:.2f}  (goal <= 15 s)"
        )


def report_paint(args: argparse.Namespace, cluster: Cluster, base: Path) -> None:
    if True:
        demo = write_home(base / "demo")
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "startup.py"),
                "--child",
                "build",
                "--home",
                str(demo),
                "--scale",
                "normal",
            ],
            check=True,
        )
        demo_url = cluster.new_database()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "--home",
                str(demo),
                "workspace",
                "copy",
                "--to",
                demo_url,
            ],
            cwd=ROOT,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        demo_pg = write_home(base / "demo-pg", demo_url)
        paint = {
            "sqlite": first_paint(demo, args.runs, base),
            "postgres": first_paint(demo_pg, args.runs, base),
        }
        print(f"\nTUI start -> Today painted (demo workspace), median of {args.runs}")
        for name, value in paint.items():
            print(f"  {name:<10}{value:>8.3f} s  x{value / paint['sqlite']:.2f}")


if __name__ == "__main__":
    raise SystemExit(main())
