"""Publish tab figures on the large demo workspace against an empty one (prints; not a test).

    .venv/bin/python bench/publish_tab.py [--runs 5] [--moves 200] [--keep DIR]

Two workspaces are built first: one empty, one filled by the demo at its
large scale (`reelroom demo --scale large`: 10,000 posts and their
publications, without clips), both seeded at the same `now`. Each run
starts the App headless at 80x24 with only the Publish tab and times, until
the pane posts `PublishPainted` (it does so after the table has drawn):

  * first rows  — from the App starting to the first window on screen;
  * reload (r)  — what another process's write costs: the window read again
                  around the cursor and the changed rows redrawn;
  * jump G / g  — from the key to the last / first window drawn;
  * filter f    — `f` (to go) to the filtered window drawn;
  * account @   — `@` (one account) to its window drawn;
  * key move    — j and k, `--moves` of each from the top of the queue, per
                  key from press to the screen updated (pages are read as the
                  cursor nears an end of the window: included).

Medians over the runs, and the ratio large / empty (an empty queue draws no
rows, so those ratios mostly measure reading and drawing a window). The
key move is also measured in the Renders tab on the same workspace (a
bounded list that never pages): the floor of a key pressed through the
test pilot and the screen redrawn on this machine at this moment, so the
ratio says what the Publish tab adds. Goal: first rows within 1.5x of the
empty workspace; under 50 ms per key move.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# The repo root replaces this script's folder on the path: a bench module
# named like a stdlib one would otherwise shadow it.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from app.demo.seed import seed_demo  # noqa: E402
from app.tabs import TABS  # noqa: E402
from app.tui import ReelRoomApp  # noqa: E402
from app.workspace import Workspace, open_workspace  # noqa: E402
from screens.publish.messages import PublishPainted  # noqa: E402
from screens.publish.pane import PublishPane  # noqa: E402
from storage import seeding  # noqa: E402

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
PUBLISH = tuple(spec for spec in TABS if spec.id == "publish")
RENDERS = tuple(spec for spec in TABS if spec.id == "renders")


def build(root: Path, large: bool) -> Workspace:
    """A workspace under `root`: the large demo, or nothing (reused when already there)."""
    fresh = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text('[workspace]\ntimezone = "Asia/Shanghai"\n', "utf-8")
    ws = open_workspace(str(root))
    if large and fresh:
        seed_demo(ws.store, ws.home, now=NOW, scale="large", make_clips=False, zone=ws.config.zone)
    return ws


class Clock:
    """Painted messages as they reach the App, stamped."""

    def __init__(self) -> None:
        self.painted: list[tuple[float, str]] = []

    def hook(self, message: Any) -> None:
        if isinstance(message, PublishPainted):
            self.painted.append((time.perf_counter(), message.kind))

    async def until(self, kind: str, after: int, limit: float = 60.0) -> float:
        """The stamp of the first `kind` painted message after index `after`."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            for stamp, seen in self.painted[after:]:
                if seen == kind:
                    return stamp
            await asyncio.sleep(0.002)
        raise TimeoutError(f"no {kind} painted within {limit} s")


async def one_run(ws: Workspace, moves: int) -> dict[str, float]:
    """Figures (seconds) of one App start on `ws`."""
    clock = Clock()
    app = ReelRoomApp(ws, clock=lambda: NOW, poll_interval=None, tabs=PUBLISH)
    out: dict[str, float] = {}
    started = time.perf_counter()
    async with app.run_test(size=(80, 24), message_hook=clock.hook) as pilot:
        out["first rows"] = await clock.until("window", 0) - started
        pane = app.query_one(PublishPane)
        figures = [("reload (r)", "r"), ("filter f", "f")]
        if pane.rows:  # an empty queue has no table to jump in, and no account to pick
            figures[1:1] = [("jump G", "G"), ("jump g", "g")]
            figures.append(("account @", "at"))
        for name, key in figures:
            await app.workers.wait_for_complete()
            await pilot.pause()
            mark, t0 = len(clock.painted), time.perf_counter()
            await pilot.press(key)
            out[name] = await clock.until("window", mark) - t0
        await pilot.press("f", "f", "f", "f", "at", "at", "at", "at", "g")  # all, every account
        await app.workers.wait_for_complete()
        await pilot.pause()
        if pane.rows:
            t0 = time.perf_counter()
            for key in ("j",) * moves + ("k",) * moves:
                await pilot.press(key)
            await app.workers.wait_for_complete()
            await pilot.pause()
            out["key move"] = (time.perf_counter() - t0) / (2 * moves)
    return out


async def floor_run(ws: Workspace, moves: int) -> float:
    """Seconds per j/k in the Renders tab (a bounded list, no paging): the house's floor
    for one key pressed and the screen updated, on this machine, now."""
    app = ReelRoomApp(ws, clock=lambda: NOW, poll_interval=None, tabs=RENDERS)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        t0 = time.perf_counter()
        for key in ("j",) * moves + ("k",) * moves:
            await pilot.press(key)
        return (time.perf_counter() - t0) / (2 * moves)


def medians(ws: Workspace, runs: int, moves: int) -> dict[str, float]:
    results = [asyncio.run(one_run(ws, moves)) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--moves", type=int, default=200, help="j (then k) presses per run")
    parser.add_argument("--keep", type=Path, help="build the workspaces here and keep them")
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="rr-publish-bench-"))
    started = time.perf_counter()
    empty = build(scratch / "empty", large=False)
    full = build(scratch / "large", large=True)
    publications = seeding.table_counts(full.store, ("publications",))["publications"]
    print(
        f"large demo: {publications:,} publications, built in "
        f"{time.perf_counter() - started:.1f} s ({scratch})"
    )
    base = medians(empty, args.runs, args.moves)
    big = medians(full, args.runs, args.moves)
    print(f"Publish tab, 80x24, median of {args.runs} runs")
    print(f"{'':12} {'empty':>10} {'large demo':>12} {'ratio':>7}")
    for key, value in big.items():
        if key in base:
            print(
                f"{key:12} {base[key] * 1000:8.1f} ms {value * 1000:9.1f} ms "
                f"{value / base[key]:6.2f}x"
            )
        else:
            print(f"{key:12} {'—':>10} {value * 1000:9.1f} ms {'':>7}")
    floor = statistics.median(asyncio.run(floor_run(full, args.moves)) for _ in range(args.runs))
    print(
        f"{'key move':12} Renders tab on the same workspace: {floor * 1000:.1f} ms "
        f"(Publish / Renders {big['key move'] / floor:.2f}x)"
    )
    print("goal: first rows within 1.5x of empty; key move under 50 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
