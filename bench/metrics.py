"""Numbers benchmark: each chart query and Today's numbers, on the normal and the large demo.

For each query (storage/metrics: series, followers, per-publication figures,
best time, pillar/hook comparison, ranking, a post's curve against its pillar;
storage/today: yesterday's numbers) it prints the median time of several
runs on a `--scale large` demo workspace (1.3M snapshots, 16.7k publications)
and on the normal demo built in the same run, and the ratio of the two.
Goal: every query under 100 ms on the large workspace. The workspaces are
built first in child processes (their build times are printed), or reused
with --keep DIR.

Then the Numbers tab itself (the App headless with only that tab), on each
workspace, against a bare Textual app (one Static filling the screen)
measured in the same run: its first content paint (App start to the tab's
NumbersPainted; the bare app: start to its first refresh) and, for each
chart, a redraw on resize (80x24 ↔ 160x48, from the resize to the screen
drawn again; the bare app redraws its Static). Medians, and ratios to the
bare app.

    .venv/bin/python bench/metrics.py [--runs 7] [--keep DIR] [--part queries|tab|all]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path[0] = str(ROOT)

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from datetime import timedelta  # noqa: E402
from typing import Any  # noqa: E402

GOAL_MS = 100.0


def child_build(root: Path, scale: str) -> None:
    from app.demo.seed import seed_demo
    from app.workspace import open_workspace
    from storage.timefmt import utcnow

    ws = open_workspace(str(root))
    seed_demo(ws.store, ws.home, now=utcnow(), scale=scale, make_clips=False, zone=ws.config.zone)
    ws.store.close()


def build_home(root: Path, scale: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", "build", "--home", str(root),
         "--scale", scale],
        check=True,
    )  # fmt: skip
    return time.perf_counter() - started


def queries(home: Path) -> dict[str, Callable[[], object]]:
    """The queries the Numbers charts and Today make, on one workspace."""
    from app.workspace import open_workspace
    from storage.metrics import posts as P
    from storage.metrics import series as S
    from storage.metrics.days import Filter
    from storage.timefmt import utcnow
    from storage.today import TodayRepo

    ws = open_workspace(str(home))
    conn, zone = ws.store.conn, ws.config.zone
    now = utcnow()
    today = now.astimezone(zone).date()
    first = today - timedelta(days=89)
    account = conn.execute("SELECT id FROM accounts ORDER BY id LIMIT 1").fetchone()[0]
    pillar = conn.execute("SELECT id FROM pillars ORDER BY id LIMIT 1").fetchone()[0]
    post = conn.execute(
        "SELECT p.post_id FROM metric_pubs l JOIN publications p ON p.id = l.publication_id "
        "ORDER BY l.snapshots DESC, p.post_id LIMIT 1"
    ).fetchone()[0]
    week = now - timedelta(days=7)
    repo = TodayRepo(ws.store)
    return {
        "Today: yesterday vs 7-day avg": lambda: repo.numbers(now, zone),
        "views/day, all, 90 days": lambda: S.daily(conn, first, today, zone),
        "views/day, one account, 90 d": lambda: S.daily(
            conn, first, today, zone, Filter(account_ids=(account,))
        ),
        "views/day, one pillar, 90 d": lambda: S.daily(
            conn, first, today, zone, Filter(pillar_ids=(pillar,))
        ),
        "views/day, all, 1 year": lambda: S.daily(conn, today - timedelta(days=364), today, zone),
        "views/day, one post, 90 d": lambda: S.post_daily(conn, post, first, today, zone),
        "followers/day, 90 days": lambda: S.followers(conn, first, today, zone),
        "best time grid, all time": lambda: P.best_time_grid(conn, zone),
        "best time grid, 90 d, account": lambda: P.best_time_grid(
            conn, zone, since=now - timedelta(days=90), flt=Filter(account_ids=(account,))
        ),
        "pillar comparison, all time": lambda: P.compare_groups(conn, "pillar"),
        "hook comparison, all time": lambda: P.compare_groups(conn, "hook"),
        "hook comparison, 90 d, pillar": lambda: P.compare_groups(
            conn, "hook", since=now - timedelta(days=90), flt=Filter(pillar_ids=(pillar,))
        ),
        "publication list, all 16k": lambda: P.figures(conn),
        "top/bottom, last 7 days": lambda: P.ranked(P.figures(conn, since=week)),
        "post curve vs pillar": lambda: P.post_curves(conn, post),
    }


def measure(home: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU milliseconds of each query (CPU: this process's time,
    less swayed by other processes on a busy machine than the wall clock)."""
    out = {}
    for name, run in queries(home).items():
        run()  # warm: the pages a person's second look finds in the cache
        walls, cpus = [], []
        for _ in range(runs):
            started, cpu = time.perf_counter(), time.process_time()
            run()
            walls.append(time.perf_counter() - started)
            cpus.append(time.process_time() - cpu)
        out[name] = (statistics.median(walls) * 1000, statistics.median(cpus) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per query (median shown)")
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the homes in DIR")
    parser.add_argument("--child", choices=("build",), help=argparse.SUPPRESS)
    parser.add_argument("--scale", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument(
        "--part", choices=("queries", "tab", "all"), default="all", help="what to measure"
    )
    args = parser.parse_args(argv)
    if args.child == "build":
        child_build(Path(args.home), args.scale)
        return 0
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="reelroom-numbers-"))
    homes = {}
    for scale in ("normal", "large"):
        homes[scale] = base / scale
        if (homes[scale] / "reelroom.db").exists():
            print(f"demo home ({scale}): reusing {homes[scale]}")
        else:
            print(f"demo home ({scale}): built in {build_home(homes[scale], scale):.1f} s")
    if args.part in ("queries", "all"):
        report_queries(homes, args.runs)
    if args.part in ("tab", "all"):
        report_tab(homes, args.runs)
    return 0


def report_queries(homes: dict[str, Path], runs: int) -> None:
    """Each chart query's median on both workspaces, and the verdict."""
    normal, large = measure(homes["normal"], runs), measure(homes["large"], runs)
    print(f"\nmedian of {runs} runs (warm cache), wall clock (CPU)")
    print(f"{'query':<32}{'normal':>16}{'large':>18}{'large/normal':>14}")
    worst = worst_cpu = 0.0
    for name in normal:
        (nw, nc), (lw, lc) = normal[name], large[name]
        worst, worst_cpu = max(worst, lw), max(worst_cpu, lc)
        print(
            f"{name:<32}{nw:>6.1f}ms ({nc:>5.1f}){lw:>8.1f}ms ({lc:>5.1f}){lw / max(nw, 1e-6):>13.1f}x"
        )
    verdict = "meets" if worst < GOAL_MS else "misses"
    print(
        f"\ngoal (every query < {GOAL_MS:.0f} ms on large): {verdict} "
        f"(slowest {worst:.1f} ms wall, {worst_cpu:.1f} ms CPU)"
    )


# --- the Numbers tab ------------------------------------------------------------------

SIZES = ((80, 24), (160, 48))
CHART_KEYS = {"time": "v", "best": "b", "compare": "c", "post": "p"}


async def bare_run(resizes: int) -> dict[str, float]:
    """Seconds: a bare app's first paint, and its redraw per resize."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Static

    painted = asyncio.Event()

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("numbers " * 400)

        def on_mount(self) -> None:
            self.call_after_refresh(painted.set)

    out: dict[str, float] = {}
    started = time.perf_counter()
    app = Bare()
    async with app.run_test(size=SIZES[0]) as pilot:
        await painted.wait()
        out["first paint"] = time.perf_counter() - started
        out["resize"] = await _resizes(pilot, resizes)
    return out


async def _resizes(pilot: Any, count: int) -> float:
    """Seconds per resize, alternating sizes, each until the screen is drawn again."""
    await pilot.pause()
    t0 = time.perf_counter()
    for i in range(count):
        await pilot.resize_terminal(*SIZES[(i + 1) % 2])
        await pilot.pause()
    spent = (time.perf_counter() - t0) / count
    if count % 2:
        await pilot.resize_terminal(*SIZES[0])
        await pilot.pause()
    return spent


async def tab_run(home: Path, resizes: int) -> dict[str, float]:
    """Seconds: the Numbers tab's first paint, and per chart its redraw per resize."""
    import asyncio

    from app.tabs import TABS
    from app.tui import ReelRoomApp
    from app.workspace import open_workspace
    from screens.numbers.messages import NumbersPainted
    from storage.timefmt import utcnow

    painted: list[float] = []
    now = utcnow()

    def hook(message: object) -> None:
        if isinstance(message, NumbersPainted):
            painted.append(time.perf_counter())

    async def next_paint(after: int) -> float:
        while len(painted) <= after:
            await asyncio.sleep(0.002)
        return painted[after]

    ws = open_workspace(str(home))
    tabs = tuple(t for t in TABS if t.id == "numbers")
    out: dict[str, float] = {}
    started = time.perf_counter()
    app = ReelRoomApp(ws, clock=lambda: now, poll_interval=None, tabs=tabs)
    async with app.run_test(size=SIZES[0], message_hook=hook) as pilot:
        out["first paint"] = await next_paint(0) - started
        for chart, key in CHART_KEYS.items():
            mark = len(painted)
            await pilot.press(key)
            await next_paint(mark)
            await app.workers.wait_for_complete()
            out[f"resize: {chart}"] = await _resizes(pilot, resizes)
    ws.store.close()
    return out


def report_tab(homes: dict[str, Path], runs: int, resizes: int = 10) -> None:
    """The tab's first paint and redraws on both workspaces, against the bare app."""
    import asyncio

    results: dict[str, list[dict[str, float]]] = {"bare": [], "normal": [], "large": []}
    asyncio.run(bare_run(2))  # warm: imports and first-use costs out of every figure
    asyncio.run(tab_run(homes["normal"], 2))
    for _ in range(runs):  # the cases take turns, so a busy machine weighs on all alike
        results["bare"].append(asyncio.run(bare_run(resizes)))
        for scale in ("normal", "large"):
            results[scale].append(asyncio.run(tab_run(homes[scale], resizes)))
    med = {
        case: {k: statistics.median(r[k] for r in rs) * 1000 for k in rs[0]}
        for case, rs in results.items()
    }
    bare = med["bare"]
    print(f"\nNumbers tab, median of {runs} runs ({resizes} resizes each, 80x24 <-> 160x48)")
    print(f"{'figure':<22}{'bare':>10}{'normal':>12}{'ratio':>8}{'large':>12}{'ratio':>8}")
    for name in med["normal"]:
        base = bare["first paint" if name == "first paint" else "resize"]
        n, lg = med["normal"][name], med["large"][name]
        print(
            f"{name:<22}{base:>8.1f}ms{n:>10.1f}ms{n / base:>7.1f}x{lg:>10.1f}ms{lg / base:>7.1f}x"
        )


if __name__ == "__main__":
    sys.exit(main())
