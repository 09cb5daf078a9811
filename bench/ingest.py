"""Ingest and watch figures on generated clips (prints; not a test).

    .venv/bin/python bench/ingest.py [--clips 300] [--workers N] [--latency-files 20]

1. Ingest: ReelRoom's `ingest_paths` (walk, content key, ffprobe, rows in
   batches; full hashes and posters excluded — they run afterwards, off the
   import path) against bare `ffprobe` over the same files with the same
   parallelism. Goal: ratio ≤ 1.15.
2. Watch latency: from a file's last write to its row being visible to
   another connection, with the default 2 s settle window.
   Goal: p95 ≤ settle + 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media_watch.ingest import ingest_paths
from media_watch.probe import probe_argv
from media_watch.tools import require_tool
from media_watch.watcher import Watcher
from storage import Store
from storage.footage import FootageRepo


def ffmpeg(*args: str) -> None:
    subprocess.run([require_tool("ffmpeg"), "-nostdin", "-v", "error", "-y", *args], check=True)


def make_clips(folder: Path, count: int, workers: int) -> list[Path]:
    """`count` distinct small clips: a few encodes, then remuxes with distinct metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = []
    for i, size in enumerate(("320x180", "180x320", "320x180")):
        seed = folder / f"seed{i}.mp4"
        ffmpeg(
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=s={size}:r=30:d=2,hue=h={i * 60}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={300 + i * 50}:duration=2",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-c:a",
            "aac",
            "-shortest",
            str(seed),
        )
        seeds.append(seed)
    out = [folder / f"clip {n:04d}.mp4" for n in range(count)]

    def remux(n: int) -> None:
        ffmpeg(
            "-i",
            str(seeds[n % len(seeds)]),
            "-c",
            "copy",
            "-metadata",
            f"title=clip {n}",
            "-metadata",
            f"comment={n * 7919}",
            str(out[n]),
        )

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(remux, range(count)))
    for seed in seeds:
        seed.unlink()
    return out


def bare_ffprobe(paths: list[Path], workers: int) -> float:
    ffprobe = require_tool("ffprobe")

    def one(path: Path) -> None:
        subprocess.run(
            probe_argv(ffprobe, str(path)),
            capture_output=True,
            check=True,
            stdin=subprocess.DEVNULL,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, paths))
    return time.perf_counter() - started


def reelroom_ingest(folder: Path, workers: int, scratch: Path, round_no: int) -> float:
    db_dir = scratch / f"db{round_no}"
    db_dir.mkdir()
    store = Store(db_dir / "reelroom.db")
    started = time.perf_counter()
    summary = ingest_paths(store, [folder], workers=workers, wait_background=False)
    elapsed = time.perf_counter() - started
    assert summary.counts["imported"] == len(list(folder.glob("*.mp4"))), summary.counts
    return elapsed


def watch_latency(scratch: Path, sources: list[Path], settle: float) -> list[float]:
    watched = scratch / "watched"
    watched.mkdir()
    (scratch / "wdb").mkdir()
    store = Store(scratch / "wdb" / "reelroom.db")
    stop = threading.Event()
    watcher = Watcher(store, [watched], settle_s=settle, thumbs_dir=None)
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    reader = Store(scratch / "wdb" / "reelroom.db")
    repo = FootageRepo(reader)
    time.sleep(1.0)
    latencies = []
    for n, src in enumerate(sources):
        target = watched / f"arrival {n:03d}.mp4"
        with target.open("wb") as fh:
            fh.write(src.read_bytes())
        last_write = time.perf_counter()
        while not repo.path_states([str(target)]):
            time.sleep(0.01)
        latencies.append(time.perf_counter() - last_write)
    stop.set()
    thread.join(timeout=30)
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=300)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-files", type=int, default=20)
    parser.add_argument("--settle", type=float, default=2.0)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rr-bench-"))
    try:
        clips = make_clips(scratch / "clips", args.clips, args.workers)
        bare, ours = [], []
        for round_no in range(args.rounds):  # alternate so both see a warm cache
            bare.append(bare_ffprobe(clips, args.workers))
            ours.append(reelroom_ingest(scratch / "clips", args.workers, scratch, round_no))
        b, o = statistics.median(bare), statistics.median(ours)
        print(f"ingest: {len(clips)} clips, {args.workers} workers, median of {args.rounds} rounds")
        print(f"  bare ffprobe        {b:7.2f} s")
        print(
            f"  reelroom ingest     {o:7.2f} s   (rows written; full hashes and posters "
            "excluded, they run afterwards)"
        )
        print(f"  ratio               {o / b:7.3f}   (goal <= 1.15)")
        lat = watch_latency(scratch, clips[: args.latency_files], args.settle)
        lat.sort()
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        print(
            f"watch latency, last write -> row visible, {len(lat)} files, settle {args.settle:g} s"
        )
        print(
            f"  median {statistics.median(lat):.2f} s   p95 {p95:.2f} s   max {lat[-1]:.2f} s   "
            f"(goal p95 <= {args.settle + 0.5:.1f} s)"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
