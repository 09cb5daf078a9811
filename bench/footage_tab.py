"""Footage tab figures on a 100k-clip workspace against an empty one (prints; not a test).

    .venv/bin/python bench/footage_tab.py [--clips 100000] [--runs 5] [--keep DIR]

Two workspaces are built first: one empty, one holding `--clips` synthetic
assets (the demo's large-footage generator, rows only). Each run starts the
App headless at 80x24 with only the Footage tab and times, until the pane
posts `FootagePainted` (it does so after the table has drawn new rows):

  * first rows — from the App starting to the first window on screen;
  * page      — j held at the window's end: from the key that crosses the
                 paging threshold to the next page drawn (100k only: an empty
                 library has no second page);
  * jump G/g  — from the key to the last / first window drawn;
  * sort      — `s` (to an unindexed column: linked post) to the window drawn;
  * filter    — `/portrait` Enter to the filtered window drawn.

Medians over the runs, and the ratio 100k / empty where both exist (an empty
library draws no rows, so the jump ratios mostly measure drawing 100 rows).
Goal: first rows within 1.5x of the empty library; a page, a jump and an
indexed sort under 200 ms on the 2-core edit box.
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

from app.demo import footage as demo_footage  # noqa: E402
from app.demo.scale import DemoTime  # noqa: E402
from app.tabs import TABS  # noqa: E402
from app.tui import ReelRoomApp  # noqa: E402
from app.workspace import Workspace, open_workspace  # noqa: E402
from screens.footage.messages import FootagePainted  # noqa: E402
from screens.footage.pane import FootagePane  # noqa: E402
from storage import seeding  # noqa: E402

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
FOOTAGE = tuple(spec for spec in TABS if spec.id == "footage")
CHUNK = 10_000


def build(root: Path, clips: int) -> Workspace:
    """A workspace under `root` with `clips` synthetic assets (0: empty)."""
    root.mkdir(parents=True)
    (root / "config.toml").write_text('[workspace]\ntimezone = "UTC"\n', encoding="utf-8")
    ws = open_workspace(str(root))
    if clips:
        rows = demo_footage.footage_rows(
            DemoTime(NOW), clips, root / "footage", 1, 1, [], str(root / "thumbs" / "poster.jpg")
        )
        with seeding.bulk_session(ws.store, relax=True) as conn:
            deferred = seeding.drop_indexes(conn, ("assets", "asset_paths"))
            batch: list[tuple[str, tuple]] = []
            for item in rows:
                batch.append(item)
                if len(batch) >= CHUNK and item[0] == "asset_paths":
                    _write(conn, batch)
                    batch = []
            _write(conn, batch)
            seeding.create_indexes(conn, deferred)
    return ws


def _write(conn: Any, batch: list[tuple[str, tuple]]) -> None:
    seeding.insert_rows(
        conn, "assets", demo_footage.ASSET_COLS, [r for table, r in batch if table == "assets"]
    )
    seeding.insert_rows(
        conn,
        "asset_paths",
        demo_footage.PATH_COLS,
        [r for table, r in batch if table == "asset_paths"],
    )


class Clock:
    """Painted messages as they reach the App, stamped."""

    def __init__(self) -> None:
        self.painted: list[tuple[float, str]] = []

    def hook(self, message: Any) -> None:
        if isinstance(message, FootagePainted):
            self.painted.append((time.perf_counter(), message.kind))

    async def until(self, kind: str, after: int, limit: float = 30.0) -> float:
        """The stamp of the first `kind` painted message after index `after`."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            for stamp, seen in self.painted[after:]:
                if seen == kind:
                    return stamp
            await asyncio.sleep(0.002)
        raise TimeoutError(f"no {kind} painted within {limit} s")


async def one_run(ws: Workspace, paging: bool) -> dict[str, float]:
    """Figures (seconds) of one App start on `ws`."""
    clock = Clock()
    app = ReelRoomApp(ws, clock=lambda: NOW, poll_interval=None, tabs=FOOTAGE)
    out: dict[str, float] = {}
    started = time.perf_counter()
    async with app.run_test(size=(80, 24), message_hook=clock.hook) as pilot:
        out["first rows"] = await clock.until("window", 0) - started
        pane = app.query_one(FootagePane)
        if paging:
            await pilot.press("pagedown")
            while pane.table.cursor_row < len(pane.rows) - 1 - pane.table.near - 1:
                await pilot.press("down")
            mark, t0 = len(clock.painted), time.perf_counter()
            await pilot.press("down")
            out["page"] = await clock.until("page", mark) - t0
        for name, keys in (
            ("jump G", ("G",)),
            ("jump g", ("g",)),
            ("sort", ("s",)),
            ("filter", ("slash", *"portrait", "enter")),
        ):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if name == "filter":
                await pilot.press(*keys[:-1])
                keys = keys[-1:]
            mark, t0 = len(clock.painted), time.perf_counter()
            await pilot.press(*keys)
            out[name] = await clock.until("window", mark) - t0
    return out


def medians(ws: Workspace, runs: int, paging: bool) -> dict[str, float]:
    results = [asyncio.run(one_run(ws, paging)) for _ in range(runs)]
    return {key: statistics.median(r[key] for r in results) for key in results[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the workspaces here and keep them")
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="rr-footage-bench-"))
    started = time.perf_counter()
    empty = build(scratch / "empty", 0)
    full = build(scratch / "full", args.clips)
    print(
        f"built {args.clips:,}-clip workspace in {time.perf_counter() - started:.1f} s ({scratch})"
    )
    base = medians(empty, args.runs, paging=False)
    big = medians(full, args.runs, paging=True)
    print(f"Footage tab, 80x24, median of {args.runs} runs")
    print(f"{'':12} {'empty':>10} {f'{args.clips:,} clips':>14} {'ratio':>7}")
    for key, value in big.items():
        if key in base:
            print(
                f"{key:12} {base[key] * 1000:8.1f} ms {value * 1000:11.1f} ms "
                f"{value / base[key]:6.2f}x"
            )
        else:
            print(f"{key:12} {'—':>10} {value * 1000:11.1f} ms {'':>7}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
