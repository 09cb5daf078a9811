"""Benchmark of the deals room: sponsor report assembly and the Deals tab's first paint.

Prints, with medians over repeated runs, each as a ratio to its baseline measured in
the same run:
  - assembling every deal's sponsor report from the metric snapshots (kept reports
    removed before each run, so every checkpoint is assembled afresh), on a
    `--scale large` demo against the normal demo (the same five deals; the large one
    has many times the snapshots: the per-publication index lookup keeps it flat);
  - reading the kept reports again (nothing to assemble), against assembling;
  - the disclosure gate over every publication of the large demo, per publication;
  - the Deals tab's first paint in the headless App (every deal on the board) on the
    large demo, against the same App on an empty workspace.

Usage: .venv/bin/python bench/deals.py [--size-factor F] [--runs N] [--size 160x48]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import asyncio  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from typing import Any  # noqa: E402

from app.demo.seed import seed_demo  # noqa: E402
from app.tabs import TABS  # noqa: E402
from app.tui import ReelRoomApp  # noqa: E402
from app.workspace import Workspace, open_workspace  # noqa: E402
from screens.deals.messages import DealsPainted  # noqa: E402
from storage.deals.gate import DisclosureGate  # noqa: E402
from storage.deals.reports import SponsorReports  # noqa: E402

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def workspace(root: Path, scale: str | None, factor: float) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    (root / "config.toml").write_text('[workspace]\ntimezone = "Asia/Shanghai"\n')
    ws = open_workspace(str(root))
    if scale is not None:
        seed_demo(ws.store, ws.home, now=NOW, scale=scale, make_clips=False,
                  zone=ws.config.zone, size_factor=factor)  # fmt: skip
    return ws


def assemble_all(ws: Workspace, runs: int) -> tuple[float, float, int]:
    """Median seconds to assemble every report afresh, to read them kept; checkpoints kept."""
    fresh, kept, count = [], [], 0
    reports = SponsorReports(ws.store)
    for _ in range(runs):
        with ws.store.write() as conn:
            conn.execute("DELETE FROM deal_reports")
        start = time.perf_counter()
        count = reports.assemble_due(NOW)
        fresh.append(time.perf_counter() - start)
        start = time.perf_counter()
        reports.assemble_due(NOW)
        kept.append(time.perf_counter() - start)
    return statistics.median(fresh), statistics.median(kept), count


def gate_all(ws: Workspace) -> tuple[float, int]:
    ids = [r[0] for r in ws.store.conn.execute("SELECT id FROM publications")]
    gate = DisclosureGate(ws.store)
    start = time.perf_counter()
    gate.for_publications(ids)
    return (time.perf_counter() - start) / max(1, len(ids)), len(ids)


async def first_paint(ws: Workspace, size: tuple[int, int]) -> float:
    seen: list[float] = []
    spec = next(s for s in TABS if s.id == "deals")
    app = ReelRoomApp(ws, clock=lambda: NOW, poll_interval=None, tabs=(spec,))

    def hook(message: Any) -> None:
        if isinstance(message, DealsPainted) and not seen:
            seen.append(time.perf_counter())

    start = time.perf_counter()
    async with app.run_test(size=size, message_hook=hook) as pilot:
        while not seen and time.perf_counter() - start < 60:
            await pilot.pause(0.005)
    return seen[0] - start


def paint_median(ws: Workspace, size: tuple[int, int], runs: int) -> float:
    return statistics.median(asyncio.run(first_paint(ws, size)) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-factor", type=float, default=0.25, help="large demo volume (0.25)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="160x48")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        normal = workspace(Path(tmp) / "normal", "normal", 1.0)
        large = workspace(Path(tmp) / "large", "large", args.size_factor)
        empty = workspace(Path(tmp) / "empty", None, 1.0)
        snaps = {
            name: ws.store.conn.execute("SELECT count(*) FROM metric_snapshots").fetchone()[0]
            for name, ws in (("normal", normal), ("large", large))
        }
        n_fresh, n_kept, n_count = assemble_all(normal, args.runs)
        l_fresh, l_kept, l_count = assemble_all(large, args.runs)
        per_pub, pubs = gate_all(large)
        base_paint = paint_median(empty, size, args.runs)  # type: ignore[arg-type]
        paint = paint_median(large, size, args.runs)  # type: ignore[arg-type]
    print(f"snapshots: normal {snaps['normal']:,}, large {snaps['large']:,} "
          f"({snaps['large'] / max(1, snaps['normal']):.1f}x)")  # fmt: skip
    print(f"report assembly, every deal ({l_count} checkpoints kept): large {l_fresh * 1000:.1f} ms"
          f" vs normal {n_fresh * 1000:.1f} ms ({n_count} kept) = {l_fresh / n_fresh:.2f}x")  # fmt: skip
    print(f"reading kept reports: large {l_kept * 1000:.1f} ms = {l_kept / l_fresh:.2f}x of "
          f"assembling; normal {n_kept * 1000:.1f} ms = {n_kept / n_fresh:.2f}x")  # fmt: skip
    print(f"disclosure gate: {per_pub * 1e6:.0f} µs per publication over {pubs:,} publications")
    print(f"Deals tab first paint ({args.size}): large demo {paint * 1000:.0f} ms vs empty "
          f"workspace {base_paint * 1000:.0f} ms = {paint / base_paint:.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
