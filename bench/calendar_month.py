"""Benchmark of the Calendar tab on a `--scale large` demo workspace.

Prints, with medians over repeated runs:
  - the storage read of one month grid (posts, deadlines, shoots, slots);
  - the MonthGrid widget turning a full month into screen lines, against the
    same widget with empty data (the baseline of this run);
  - first paint of the App, and a move between months (`]`/`[`, key press
    to painted screen) in the headless App — once onto a month the pane has
    read ahead, once onto a month not read yet — against the same App on an
    empty workspace. Goal: under 50 ms per move.

Usage: .venv/bin/python bench/calendar_month.py [--home DIR] [--size-factor F]
       [--moves N] [--size 160x48]
Without --home a large demo is seeded into a temporary folder first (that
takes a while); with --home an existing workspace (e.g. one made by
`reelroom demo --scale large --no-tui --home DIR`) is used as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path, and this file
# would shadow the standard library's `calendar`: put the project root there.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from typing import Any, Callable  # noqa: E402

from textual import events  # noqa: E402

from app.demo.seed import seed_demo  # noqa: E402
from app.tui import ReelRoomApp  # noqa: E402
from app.workspace import Workspace, open_workspace  # noqa: E402
from screens.calendar import model as cm  # noqa: E402
from screens.calendar.messages import CalendarPainted  # noqa: E402
from screens.calendar.pane import CalendarPane  # noqa: E402
from storage.calendar import CalendarRepo, local_day_bounds  # noqa: E402
from storage.posts import PostRepo  # noqa: E402
from widgets.month_grid import MonthGrid  # noqa: E402

SEED_NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def workspace(root: Path, zone: str = "Asia/Shanghai") -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    config = root / "config.toml"
    if not config.exists():
        config.write_text(f'[workspace]\ntimezone = "{zone}"\n', encoding="utf-8")
    return open_workspace(str(root))


def read_month(ws: Workspace, now: datetime, repeat: int) -> tuple[list[float], int]:
    repo, zone = CalendarRepo(ws.store), ws.config.zone
    first, last = cm.view_days("month", now.astimezone(zone).date())
    start, end = local_day_bounds(first, last, zone)
    count = len(repo.range(start, end).posts)
    return timed(lambda: (repo.range(start, end), repo.slots()), repeat), count


def send_key(app: ReelRoomApp, key: str) -> None:
    """Hand one key to the App the way its driver does."""
    event = events.Key(key, None)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


async def drive(
    ws: Workspace, now: datetime, size: tuple[int, int], moves: int, repeat: int
) -> dict[str, Any]:
    """First paint, month moves and widget render times in the headless App."""
    painted: list[float] = []

    def hook(message: Any) -> None:
        if isinstance(message, CalendarPainted):
            painted.append(time.perf_counter())

    async def wait_paint(count: int) -> None:
        while len(painted) < count:
            await asyncio.sleep(0.0005)

    started = time.perf_counter()
    app = ReelRoomApp(ws, clock=lambda: now, poll_interval=None)
    result: dict[str, Any] = {}
    async with app.run_test(size=size, message_hook=hook) as pilot:
        await wait_paint(1)
        result["first_paint"] = painted[0] - started
        await app.workers.wait_for_complete()
        await pilot.press("2")
        await pilot.pause()
        pane = app.query_one(CalendarPane)
        keys = ["right_square_bracket"] * moves + ["left_square_bracket"] * moves
        for label, cold in (("moves_ahead", False), ("moves_cold", True)):
            steps: list[float] = []
            for key in keys:
                await app.workers.wait_for_complete()  # the read-ahead of neighbours is done
                await pilot.pause()
                if cold:
                    pane._cache.clear()  # as if the month had never been read
                before = len(painted)
                start = time.perf_counter()
                send_key(app, key)  # as the terminal driver does; no Pilot idle-waiting
                await wait_paint(before + 1)
                steps.append(painted[-1] - start)
            result[label] = steps
        grid = app.query_one(MonthGrid)
        result["entries"] = sum(len(c.entries) for c in pane.cells.values())
        result["render_full"] = timed(grid._build_strips, repeat)
        grid.show(grid.year, grid.month, {}, selected=grid.selected, today=grid.today)
        result["render_empty"] = timed(grid._build_strips, repeat)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="an existing (large demo) workspace")
    parser.add_argument(
        "--size-factor",
        type=float,
        default=1.0,
        help="shrink the large demo when seeding (e.g. 0.1 for a quick run)",
    )
    parser.add_argument("--moves", type=int, default=12, help="months forward, then back")
    parser.add_argument("--repeat", type=int, default=30, help="repeats of the timed reads/renders")
    parser.add_argument("--size", default="160x48", help="terminal size, e.g. 80x24")
    args = parser.parse_args(argv)
    width, height = (int(x) for x in args.size.lower().split("x"))
    temp = tempfile.TemporaryDirectory(prefix="rr-bench-")
    if args.home is None:
        print(f"seeding a large demo (x{args.size_factor:g}) …", file=sys.stderr, flush=True)
        big = workspace(Path(temp.name) / "large")
        seeded = time.perf_counter()
        seed_demo(
            big.store,
            big.home,
            now=SEED_NOW,
            scale="large",
            make_clips=False,
            zone=big.config.zone,
            size_factor=args.size_factor,
        )
        print(f"seeded in {time.perf_counter() - seeded:.1f} s", file=sys.stderr)
        now = SEED_NOW
    else:
        big = open_workspace(str(args.home))
        now = datetime.now(UTC)
    empty = workspace(Path(temp.name) / "empty")

    posts = PostRepo(big.store).count()
    month_reads, month_posts = read_month(big, now, args.repeat)
    empty_reads, _ = read_month(empty, now, args.repeat)
    full = asyncio.run(drive(big, now, (width, height), args.moves, args.repeat))
    base = asyncio.run(drive(empty, now, (width, height), args.moves, args.repeat))

    def line(name: str, value: float, baseline: float, note: str = "") -> None:
        ratio = value / baseline if baseline else float("nan")
        print(f"{name:<34} {value:8.2f} ms   baseline {baseline:7.2f} ms   x{ratio:5.1f}  {note}")

    print(
        f"workspace: {posts} posts; this month grid holds {month_posts} posts "
        f"({full['entries']} entries with deadlines and shoots); terminal {width}x{height}"
    )
    line("month read (storage)", median_ms(month_reads), median_ms(empty_reads), "vs empty DB")
    line(
        "month grid render (widget)",
        median_ms(full["render_full"]),
        median_ms(full["render_empty"]),
        "vs same widget, empty data",
    )
    line(
        "first paint of the app",
        full["first_paint"] * 1000,
        base["first_paint"] * 1000,
        "vs empty workspace",
    )
    for label, name in (
        ("moves_ahead", "month move, read ahead"),
        ("moves_cold", "month move, not read yet"),
    ):
        line(
            f"{name} (median)", median_ms(full[label]), median_ms(base[label]), "vs empty workspace"
        )
        line(
            f"{name} (max)", max(full[label]) * 1000, max(base[label]) * 1000, "vs empty workspace"
        )
    for label, name in (("moves_ahead", "read ahead"), ("moves_cold", "not read yet")):
        ms = median_ms(full[label])
        print(
            f"goal: a month move under 50 ms — {name}: median {ms:.1f} ms "
            f"{'meets' if ms < 50 else 'misses'} it"
        )
    temp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
