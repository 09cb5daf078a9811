"""Render-worker overhead and queue throughput figures (prints; not a test).

    .venv/bin/python bench/render.py [--seconds 15] [--reps 3] [--jobs 2000]

1. Overhead: one render job (recipe `vertical`, x264 ultrafast, one generated
   clip) run through the worker — claim, plan, ffmpeg with progress parsing,
   heartbeats, ffprobe verification, rename, poster, preflight, completion —
   against the exact final argv the job stored, run bare with subprocess.
   Alternating runs, medians. Goal: ratio ≤ 1.03.
2. Throughput: no-op jobs claimed and completed per second by 1 worker
   process and by 4 worker processes (each one slot, the real worker with its
   log file). Processes start, import and open the database first; the clock
   runs from "go" until every process has drained the queue.
   Goal: ≥ 500 jobs/s.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.handlers import handlers_for
from app.worker import Worker
from app.workspace import open_workspace
from media_watch.ingest import ingest_paths
from media_watch.render_job import prepare_render
from media_watch.tools import require_tool
from storage.footage import FootageRepo
from storage.jobs import JobQueue
from storage.renders import RenderRepo
from storage.vocab import JobKind


def make_clip(path: Path, seconds: float) -> None:
    subprocess.run(
        [
            require_tool("ffmpeg"),
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=s=640x360:r=30:d={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            str(path),
        ],
        check=True,
    )


def quiet_log() -> logging.Logger:
    log = logging.getLogger("bench.render")
    log.addHandler(logging.NullHandler())
    log.propagate = False
    return log


def run_through_worker(home: Path, clip_id: int) -> tuple[float, list[str]]:
    """Queue one render and run it with an in-process worker; (seconds, stored argv)."""
    ws = open_workspace(str(home))
    prepared = prepare_render(ws.store, "vertical", ["encode.x264_preset=ultrafast"], [clip_id])
    repo = RenderRepo(ws.store)
    added = repo.add(
        recipe="vertical",
        params={},
        clip_ids=[clip_id],
        output_dir=ws.home.renders,
        idem_key=None,
        extra_payload=prepared.payload,
    )
    worker = Worker(
        ws.store, handlers_for(ws, (JobKind.RENDER,)), once=True, lease_s=30, log=quiet_log()
    )
    start = time.perf_counter()
    worker.run(threading.Event())
    elapsed = time.perf_counter() - start
    render = repo.get(added.job.id)
    if render is None or render.job.state != "done":
        raise SystemExit(f"the bench render failed: {render.job.last_error if render else '?'}")
    return elapsed, render.argv or []


def run_bare(argv: list[str], out_dir: Path) -> float:
    """The same argv, writing to a scratch file, plain subprocess; seconds."""
    target = out_dir / "bare.mp4"
    bare = [a if not a.endswith(".partial.mp4") else "file:" + str(target) for a in argv]
    start = time.perf_counter()
    subprocess.run(bare, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def overhead(seconds: float, reps: int) -> None:
    with tempfile.TemporaryDirectory(prefix="rr-bench-") as tmp:
        home = Path(tmp) / "home"
        ws = open_workspace(str(home))
        clip = Path(tmp) / "clip.mp4"
        make_clip(clip, seconds)
        ingest_paths(ws.store, [clip], thumbs_dir=None, workers=1)
        clip_id = FootageRepo(ws.store).list()[0].id
        worker_times, bare_times = [], []
        for _ in range(reps):
            took, argv = run_through_worker(home, clip_id)
            worker_times.append(took)
            bare_times.append(run_bare(argv, Path(tmp)))
        w, b = statistics.median(worker_times), statistics.median(bare_times)
        print(f"render job ({seconds:g} s clip → 1080x1920, ultrafast), median of {reps}:")
        print(
            f"  through the worker  {w:7.3f} s   (runs: {', '.join(f'{t:.2f}' for t in worker_times)})"
        )
        print(
            f"  bare ffmpeg argv    {b:7.3f} s   (runs: {', '.join(f'{t:.2f}' for t in bare_times)})"
        )
        print(f"  ratio               {w / b:7.3f}   (goal ≤ 1.03)")


CHILD = """
import sys, threading, time
sys.path.insert(0, {root!r})
from app.cli.worker import worker_logger
from app.worker import Worker, noop_handler
from app.workspace import open_workspace
ws = open_workspace({home!r})
log = worker_logger(ws.home.logs)
log.handlers = [h for h in log.handlers if h.__class__.__name__ == "FileHandler"]
worker = Worker(ws.store, {{"noop": noop_handler}}, once=True, lease_s=60, log=log)
ws.store.data_version()  # open this process's connection before "go"
print("ready", flush=True)
sys.stdin.readline()
stats = worker.run(threading.Event())
print(stats.done, flush=True)
"""


def throughput(processes: int, jobs: int) -> float:
    root = str(Path(__file__).resolve().parent.parent)
    with tempfile.TemporaryDirectory(prefix="rr-bench-") as tmp:
        home = str(Path(tmp) / "home")
        ws = open_workspace(home)
        JobQueue(ws.store).enqueue_many("noop", [{} for _ in range(jobs)])
        code = CHILD.format(root=root, home=home)
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(processes)
        ]
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        start = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        done = sum(int(proc.communicate()[0].strip() or 0) for proc in procs)
        elapsed = time.perf_counter() - start
        counts = JobQueue(ws.store).counts("noop")
        if done != jobs or counts["done"] != jobs:
            raise SystemExit(f"throughput run lost jobs: {done} reported, {counts}")
        return jobs / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the render clip")
    parser.add_argument("--reps", type=int, default=3, help="render runs of each kind")
    parser.add_argument("--jobs", type=int, default=2000, help="no-op jobs per throughput run")
    parser.add_argument("--skip-render", action="store_true", help="only the queue figures")
    args = parser.parse_args()
    if not shutil.which("ffmpeg"):
        raise SystemExit("ffmpeg is needed: apt-get install ffmpeg")
    if not args.skip_render:
        overhead(args.seconds, args.reps)
    print(f"queue throughput ({args.jobs} no-op jobs, claim + complete, one slot per process):")
    for processes in (1, 4):
        rate = throughput(processes, args.jobs)
        print(
            f"  {processes} worker process{'es' if processes > 1 else '  '}  {rate:8.0f} jobs/s"
            "   (goal ≥ 500/s)"
        )


if __name__ == "__main__":
    main()
