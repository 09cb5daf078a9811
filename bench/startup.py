"""Startup benchmark: process start → Today's first paint with data.

Prints, as medians of several runs each in a fresh subprocess (headless
driver, same terminal size):
  * a bare Textual app (one Static) started the same way, until its first paint;
  * ReelRoom's Today on a demo workspace: until the triage list has drawn its
    rows ("list"), and until yesterday's numbers are drawn too ("all");
  * the same on a `--scale large` demo workspace (built first, in a separate
    process; its build time is printed separately);
with the ratio of each against the bare app and the peak RSS of the child
(os.wait4 rusage, per run; the parent stays small so the forked image does
not count). Goal: large within 1.5x of bare, under 200 MB.

The hook is the `TodayPainted(part, first)` message the Today pane posts after
it has drawn its items and its numbers: the child subclasses ReelRoomApp,
notes the time each first one reaches the App, and exits after both. Nothing
in the app itself changes for the benchmark.

    .venv/bin/python bench/startup.py [--runs 5] [--no-large] [--keep DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as `python bench/startup.py`, bench/ would come first on sys.path and a
# module there named like a stdlib one would shadow it; the repo root goes there.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

SIZE = (80, 24)


# --- child side: one start-up, as light as the real one ----------------------


def _mark(ready_file: str, *moments: float) -> None:
    Path(ready_file).write_text(" ".join(repr(m) for m in moments))


def child_bare(ready_file: str) -> None:
    """A bare Textual app: one Static, exit after its first paint."""
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("ready")

        def on_mount(self) -> None:
            self.call_after_refresh(self._done)

        def _done(self) -> None:
            now = time.monotonic()
            _mark(ready_file, now, now)
            self.exit()

    Bare().run(headless=True, size=SIZE)


def child_today(home: str, ready_file: str) -> None:
    """ReelRoom as `reelroom --home HOME` opens it, exit after Today's first data paint."""
    import warnings

    from app.workspace import open_workspace

    # Exiting at once can drop the App's "build the other tabs" task unstarted.
    warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
    workspace = open_workspace(home)
    from textual import on

    from app.tui import ReelRoomApp
    from screens.messages import TodayPainted

    class BenchApp(ReelRoomApp):
        painted: dict[str, float] = {}

        @on(TodayPainted)
        def _painted(self, message: TodayPainted) -> None:
            if message.first:
                self.painted[message.part] = time.monotonic()
            if {"items", "numbers"} <= self.painted.keys():
                _mark(ready_file, self.painted["items"], max(self.painted.values()))
                self.exit()

    BenchApp(workspace).run(headless=True, size=SIZE)


# --- parent side --------------------------------------------------------------


def run_once(case: str, home: str | None, scratch: Path) -> tuple[float, float, float]:
    """One child run: seconds from process start to the list and to everything
    painted, and the child's peak RSS in MB."""
    ready = scratch / f"ready-{case}-{time.monotonic_ns()}"
    argv = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        case,
        "--ready-file",
        str(ready),
    ]
    if home:
        argv += ["--home", home]
    started = time.monotonic()
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0 or not ready.exists():
        raise SystemExit(f"bench: the {case} child failed (exit {proc.returncode}):\n{err}")
    listed, painted = (float(x) for x in ready.read_text().split())
    return listed - started, painted - started, usage.ru_maxrss / 1024  # KiB on Linux


def child_build(root: Path, scale: str) -> None:
    """Seed a demo workspace in `root` (run in its own process)."""
    from app.demo.seed import seed_demo
    from app.workspace import open_workspace
    from storage.timefmt import utcnow

    workspace = open_workspace(str(root))
    seed_demo(
        workspace.store,
        workspace.home,
        now=utcnow(),
        scale=scale,
        make_clips=False,
        zone=workspace.config.zone,
    )
    workspace.store.close()


def build_home(root: Path, scale: str) -> float:
    """A demo workspace in `root`, built by a child process; seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--child",
            "build",
            "--home",
            str(root),
            "--scale",
            scale,
        ],
        check=True,
    )
    return time.perf_counter() - started


def measure(
    label: str, case: str, home: str | None, runs: int, scratch: Path
) -> tuple[str, float, float, float]:
    """Median start-ups (list, all) and the largest peak RSS over `runs` runs."""
    lists, alls, peaks = [], [], []
    for _ in range(runs):
        listed, painted, peak = run_once(case, home, scratch)
        lists.append(listed)
        alls.append(painted)
        peaks.append(peak)
    return label, statistics.median(lists), statistics.median(alls), max(peaks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median shown)")
    parser.add_argument("--no-large", action="store_true", help="skip the --scale large case")
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the homes in DIR")
    parser.add_argument("--child", choices=("bare", "today", "build"), help=argparse.SUPPRESS)
    parser.add_argument("--scale", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--ready-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "bare":
        child_bare(args.ready_file)
        return 0
    if args.child == "today":
        child_today(args.home, args.ready_file)
        return 0
    if args.child == "build":
        child_build(Path(args.home), args.scale)
        return 0

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reelroom-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    scales = ["normal"] + ([] if args.no_large else ["large"])
    homes: dict[str, Path] = {}
    for scale in scales:
        homes[scale] = base / scale
        if (homes[scale] / "reelroom.db").exists():
            print(f"demo home ({scale}): reusing {homes[scale]}")
        else:
            print(f"demo home ({scale}): built in {build_home(homes[scale], scale):.1f} s")

    print(f"\nstart-up to first paint, headless {SIZE[0]}x{SIZE[1]}, median of {args.runs} runs")
    results = [measure("bare Textual app", "bare", None, args.runs, base)]
    for scale in scales:
        results.append(
            measure(f"ReelRoom Today ({scale})", "today", str(homes[scale]), args.runs, base)
        )
    bare = results[0][2]
    print(f"{'case':<28}{'list':>8}{'all':>8}{'all/bare':>10}{'peak RSS':>10}")
    for label, listed, painted, peak in results:
        print(
            f"{label:<28}{listed * 1000:>6.0f}ms{painted * 1000:>6.0f}ms"
            f"{painted / bare:>9.2f}x{peak:>7.0f} MB"
        )
    if "large" in scales:
        _, _, large, peak = results[-1]
        verdict = "meets" if large / bare <= 1.5 and peak < 200 else "misses"
        print(
            f"\ngoal (large, all painted, ≤1.5x bare and <200 MB): {verdict} "
            f"({large / bare:.2f}x, {peak:.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
