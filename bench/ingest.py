"""Ingest and watch figures on generated clips (prints; not a test).

    .venv/bin/python bench/ingest.py [--clips 300] [--long-clips 20] [--rounds 3]
                                     [--latency-files 20] [--workers N] [--fresh]

Each figure times the whole `reelroom ingest DIR` command (a subprocess, start
to exit, posters and full hashes included: a person waits for all of it)
against bare tools doing the same work with the same parallelism (`xargs -P`),
alternating the two so both see a warm cache; median of --rounds.

1. Short clips (--clips, distinct 2 s clips): against bare `ffprobe` alone.
   Goal: ratio <= 0.5.
2. Long clips (--long-clips, 60 s, half 1080p and half 4K, generated once with
   `-preset ultrafast` and cached in the temp folder): against bare ffprobe +
   a one-frame ffmpeg poster + `b3sum` of every byte. Goal: ratio <= 1.1.
3. Watch latency: from a file's last write to its row being visible to
   another connection, with the default 2 s settle window, posters on.
   Goal: p95 <= settle + 0.5 s.
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
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from media_watch.tools import require_tool
from media_watch.watcher import Watcher
from storage import Store
from storage.footage import FootageRepo

REELROOM = str(Path(sys.executable).with_name("reelroom"))
CACHE = Path(tempfile.gettempdir()) / "rr-bench-ingest-cache"
LONG_SECONDS = 60
LONG_SEED_SECONDS = 6


def ffmpeg(*args: str) -> None:
    subprocess.run([require_tool("ffmpeg"), "-nostdin", "-v", "error", "-y", *args], check=True)


def _remux_copies(seeds: list[Path], out: list[Path], workers: int, loops: int = 0) -> None:
    """One copy per output of a seed (round robin), made distinct by its metadata."""

    def remux(n: int) -> None:
        partial = out[n].with_name(out[n].name + ".partial.mp4")
        ffmpeg(
            *(["-stream_loop", str(loops)] if loops else []),
            "-i",
            str(seeds[n % len(seeds)]),
            "-c",
            "copy",
            "-metadata",
            f"title=clip {n}",
            "-metadata",
            f"comment={n * 7919}",
            str(partial),
        )
        partial.rename(out[n])

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(remux, [n for n in range(len(out)) if not out[n].exists()]))


def make_clips(folder: Path, count: int, workers: int) -> list[Path]:
    """`count` distinct 2 s clips: three small encodes, then remuxes with distinct metadata."""
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / f"clip {n:04d}.mp4" for n in range(count)]
    if all(p.exists() for p in out):
        return out
    seeds = []
    for i, size in enumerate(("320x180", "180x320", "320x180")):
        seed = folder.parent / f"short-seed{i}.mp4"
        if not seed.exists():
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
    _remux_copies(seeds, out, workers)
    return out


def make_long_clips(folder: Path, count: int, workers: int) -> list[Path]:
    """`count` distinct 60 s clips, alternately 1080p and 4K (a 6 s encode looped by copy)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / f"long {n:02d} {'4k' if n % 2 else '1080p'}.mp4" for n in range(count)]
    if all(p.exists() for p in out):
        return out
    seeds = []
    for size, rate in (("1920x1080", "6M"), ("3840x2160", "16M")):
        seed = folder.parent / f"long-seed-{size}.mp4"
        if not seed.exists():
            ffmpeg(
                "-f",
                "lavfi",
                "-i",
                f"testsrc2=s={size}:r=30:d={LONG_SEED_SECONDS}",
                "-f",
                "lavfi",
                "-i",
                f"sine=frequency=440:duration={LONG_SEED_SECONDS}",
                "-c:v",
                "libx264",
                "-preset",
                "ultrafast",
                "-b:v",
                rate,
                "-g",
                "60",
                "-pix_fmt",
                "yuv420p",
                "-c:a",
                "aac",
                "-shortest",
                str(seed),
            )
        seeds.append(seed)
    _remux_copies(seeds, out, workers, loops=LONG_SECONDS // LONG_SEED_SECONDS - 1)
    return out


def _xargs(paths: list[Path], workers: int, *argv: str) -> None:
    """`printf '%s\\0' PATHS | xargs -0 -P WORKERS -n 1 ARGV…`, output dropped."""
    subprocess.run(
        ["xargs", "-0", "-P", str(workers), "-n", "1", *argv],
        input=b"".join(os.fsencode(p) + b"\0" for p in paths),
        stdout=subprocess.DEVNULL,
        check=True,
    )


def bare_ffprobe(paths: list[Path], workers: int) -> float:
    started = time.perf_counter()
    ffprobe = require_tool("ffprobe")
    _xargs(paths, workers, ffprobe, "-v", "error", "-show_format", "-show_streams", "-of", "json")
    return time.perf_counter() - started


def bare_tools(paths: list[Path], workers: int, scratch: Path) -> float:
    """ffprobe, a one-frame poster and b3sum, per file, in parallel.

    The poster is ffmpeg's cheapest: the first frame, no seek (on these clips a
    seek made ffmpeg 5.1 two to four times slower), scaled and written as JPEG.
    """
    posters = scratch / "bare-posters"
    posters.mkdir(exist_ok=True)
    poster = (
        f'exec "{require_tool("ffmpeg")}" -nostdin -v error -y -i "$1" -frames:v 1 '
        '-vf "scale=min(480\\,iw):-2" -q:v 4 '
        f'"{posters}/$(basename "$1").jpg"'
    )
    started = time.perf_counter()
    bare_ffprobe(paths, workers)
    _xargs(paths, workers, "sh", "-c", poster, "poster")
    _xargs(paths, workers, _hasher())
    return time.perf_counter() - started


def _hasher() -> str:
    found = shutil.which("b3sum")
    if found is None:
        sys.exit("bench: b3sum is needed for the bare hash (apt-get install b3sum)")
    return found


def whole_command(folder: Path, scratch: Path, round_no: int, expect: int) -> float:
    """`reelroom --home NEW ingest FOLDER` as a subprocess, start to exit."""
    home = scratch / f"home-{folder.name}-{round_no}"
    started = time.perf_counter()
    done = subprocess.run(
        [REELROOM, "--home", str(home), "ingest", str(folder)],
        capture_output=True,
        stdin=subprocess.DEVNULL,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    last = done.stdout.strip().splitlines()[-1:] or ["(no output)"]
    if done.returncode != 0 or not last[0].startswith(f"{expect} imported"):
        sys.exit(f"bench: ingest failed ({done.returncode}): {last[0]}\n{done.stderr}")
    assets = FootageRepo(Store(home / "reelroom.db")).list()
    unfinished = [a.name for a in assets if a.full_hash is None or a.thumbnail is None]
    if unfinished:
        sys.exit(f"bench: ingest exited before hashes/posters of {unfinished[:3]}")
    shutil.rmtree(home, ignore_errors=True)
    return elapsed


def alternate(
    rounds: int, bare: Callable[[], float], ours: Callable[[int], float]
) -> tuple[float, float]:
    b, o = [], []
    for round_no in range(rounds):
        b.append(bare())
        o.append(ours(round_no))
    return statistics.median(b), statistics.median(o)


def report(title: str, bare_label: str, b: float, o: float, goal: float) -> None:
    print(title)
    print(f"  {bare_label:<38} {b:7.2f} s")
    print(f"  {'reelroom ingest (whole command)':<38} {o:7.2f} s")
    print(f"  {'ratio':<38} {o / b:7.3f}   (goal <= {goal:g})", flush=True)


def watch_latency(scratch: Path, sources: list[Path], settle: float) -> list[float]:
    watched = scratch / "watched"
    watched.mkdir()
    (scratch / "wdb").mkdir()
    store = Store(scratch / "wdb" / "reelroom.db")
    stop = threading.Event()
    watcher = Watcher(store, [watched], settle_s=settle, thumbs_dir=scratch / "wdb" / "thumbs")
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--clips", type=int, default=300, help="short clips (0 skips)")
    parser.add_argument("--long-clips", type=int, default=20, help="60 s clips (0 skips)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-files", type=int, default=20, help="(0 skips)")
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--fresh", action="store_true", help=f"regenerate the clips in {CACHE}")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rr-bench-"))
    if args.fresh:
        shutil.rmtree(CACHE, ignore_errors=True)
    print(f"{args.workers} workers, median of {args.rounds} rounds, alternating", flush=True)
    try:
        if args.clips:
            folder = CACHE / f"short-{args.clips}"
            clips = make_clips(folder, args.clips, args.workers)
            b, o = alternate(
                args.rounds,
                lambda: bare_ffprobe(clips, args.workers),
                lambda n: whole_command(folder, scratch, n, len(clips)),
            )
            report(f"1. {len(clips)} short clips", "bare ffprobe (xargs -P)", b, o, 0.5)
        if args.long_clips:
            folder = CACHE / f"long-{args.long_clips}"
            longs = make_long_clips(folder, args.long_clips, args.workers)
            b, o = alternate(
                args.rounds,
                lambda: bare_tools(longs, args.workers, scratch),
                lambda n: whole_command(folder, scratch, n, len(longs)),
            )
            label = "bare ffprobe + poster + b3sum (xargs -P)"
            report(f"2. {len(longs)} clips of 60 s, 1080p/4K", label, b, o, 1.1)
        if args.latency_files:
            sources = make_clips(CACHE / "short-latency", args.latency_files, args.workers)
            lat = sorted(watch_latency(scratch, sources, args.settle))
            p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
            print(f"3. watch latency, last write -> row visible, {len(lat)} files")
            print(
                f"  median {statistics.median(lat):.2f} s   p95 {p95:.2f} s   max {lat[-1]:.2f} s"
                f"   (goal p95 <= settle {args.settle:g} + 0.5 = {args.settle + 0.5:.1f} s)"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
