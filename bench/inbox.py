"""Inbox figures: the tab on 50k items, and a full comment sync against the fake (prints;
not a test).

    .venv/bin/python bench/inbox.py [--items 50000] [--moves 300] [--comments 1000]
                                    [--runs 3] [--large-demo] [--keep DIR]

The tab. Two workspaces: one with 100 inbox items (the baseline) and one with
`--items` (default 50,000, what `reelroom demo --scale large` holds; with
`--large-demo` that very demo is built, else the items are written directly,
spread over four accounts and 90 days). Each run starts the App headless at
80x24 with only the Inbox tab and times, from the messages the pane posts
after drawing:

  * open  — from the App starting to the first window on screen;
  * move  — each `j` of `--moves` (crossing several page reads on the big one):
            median, 95th percentile and worst, from the key to every widget having
            handled what it caused (the Pilot's press), in wall time and in this
            process's CPU time (the box is shared: the load average is printed);
  * G     — the key to the last window drawn (the far end of the list).

The sync. The fake YouTube (tests/fakeplatforms, real HTTP on loopback in this
process) holds one video with `--comments` new comments (100 a page). A full
ReelRoom sync of it into a fresh workspace (connector, quota ledger, labels on
arrival, one transaction per page with its cursor, the next page read while
one is stored) against a bare httpx loop that requests and parses the same
pages. Alternating runs, best of `--runs`, wall and this process's CPU time,
at each `--latency` (a round trip the fake waits before answering: 0 is bare
loopback, where the fake answers in a few ms; real platforms take tens of ms).

Goals: a move under 50 ms at 50k; the sync within 1.2x of the bare requests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # a bench module named like a stdlib one must not shadow it
sys.path.insert(1, str(ROOT / "tests"))

from app.tabs import TABS  # noqa: E402
from app.tui import ReelRoomApp  # noqa: E402
from app.workspace import Workspace, open_workspace  # noqa: E402
from screens.inbox.messages import InboxPainted  # noqa: E402
from screens.inbox.pane import InboxPane  # noqa: E402
from storage import seeding  # noqa: E402
from storage.timefmt import to_db  # noqa: E402

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
INBOX = tuple(spec for spec in TABS if spec.id == "inbox")
WORDS = (
    "How long in the pan?", "Love this 🔥", "这家店在哪里？求地址！", "美味しそう！",
    "We'd love to collab, who handles partnerships?", "too salty for me", "هل يمكن؟",
)  # fmt: skip


# --- the tab ---------------------------------------------------------------------------


def build(root: Path, items: int, large_demo: bool) -> Workspace:
    """A workspace with `items` inbox items (or the large demo)."""
    root.mkdir(parents=True)
    (root / "config.toml").write_text('[workspace]\ntimezone = "UTC"\n', encoding="utf-8")
    ws = open_workspace(str(root))
    if large_demo:
        from app.demo.seed import seed_demo

        seed_demo(ws.store, ws.home, now=NOW, scale="large", make_clips=False)
        return ws
    rng = random.Random(11)
    with seeding.bulk_session(ws.store, relax=True) as conn:
        for n, platform in enumerate(("tiktok", "youtube", "instagram", "kuaishou"), start=1):
            conn.execute(
                "INSERT INTO accounts (id, platform, handle, created_at) VALUES (?, ?, ?, ?)",
                (n, platform, f"bench{n}", to_db(NOW)),
            )
        rows = []
        for i in range(1, items + 1):
            received = NOW - timedelta(seconds=rng.randint(60, 90 * 86400))
            status = rng.choices(("new", "done", "spam"), weights=(30, 60, 10))[0]
            rows.append(
                (i, rng.randint(1, 4), "comment", f"r{i}", f"fan{rng.randint(1, 900)}",
                 rng.choice(WORDS), to_db(received), status, '["question"]' if i % 3 else "[]")
            )  # fmt: skip
        seeding.insert_rows(
            conn,
            "inbox_items",
            ("id", "account_id", "kind", "remote_id", "author", "body", "received_at",
             "status", "labels"),
            rows,
        )  # fmt: skip
    return ws


class Painted:
    """InboxPainted messages as they reach the App, stamped."""

    def __init__(self) -> None:
        self.seen: list[tuple[float, str]] = []

    def hook(self, message: Any) -> None:
        if isinstance(message, InboxPainted):
            self.seen.append((time.perf_counter(), message.kind))

    async def until(self, kind: str, after: int, limit: float = 60.0) -> float:
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            for stamp, what in self.seen[after:]:
                if what == kind:
                    return stamp
            await asyncio.sleep(0.002)
        raise TimeoutError(f"no {kind} painted within {limit} s")


async def one_run(ws: Workspace, moves: int) -> dict[str, Any]:
    painted = Painted()
    app = ReelRoomApp(ws, clock=lambda: NOW, poll_interval=None, tabs=INBOX)
    started = time.perf_counter()
    out: dict[str, Any] = {}
    async with app.run_test(size=(80, 24), message_hook=painted.hook) as pilot:
        out["open"] = await painted.until("window", 0) - started
        pane = app.query_one(InboxPane)
        times, cpu = [], []
        for _ in range(moves):
            t0, c0 = time.perf_counter(), time.process_time()
            await pilot.press("j")  # sent, and every widget has handled what it caused
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        out["moves"], out["cpu"] = times, cpu
        out["pages"] = sum(1 for _, kind in painted.seen if kind == "page")
        await app.workers.wait_for_complete()
        mark, t0 = len(painted.seen), time.perf_counter()
        await pilot.press("G")
        out["G"] = await painted.until("window", mark) - t0
        out["rows"] = len(pane.rows)
    return out


def tab_figures(ws: Workspace, runs: int, moves: int) -> dict[str, float]:
    results = [asyncio.run(one_run(ws, moves)) for _ in range(runs)]
    every = sorted(t for r in results for t in r["moves"])
    cpu = sorted(t for r in results for t in r["cpu"])
    return {
        "open": statistics.median(r["open"] for r in results),
        "move median": statistics.median(every),
        "move p95": every[int(len(every) * 0.95) - 1],
        "move worst": every[-1],
        "move cpu med": statistics.median(cpu),
        "move cpu p95": cpu[int(len(cpu) * 0.95) - 1],
        "G": statistics.median(r["G"] for r in results),
        "pages": statistics.median(r["pages"] for r in results),
    }


# --- the sync -----------------------------------------------------------------------------


def sync_figures(
    scratch: Path, comments: int, runs: int, latency_ms: float = 0.0
) -> tuple[tuple[float, float], tuple[float, float], int]:
    """((wall, CPU) of the best sync, the same of the bare loop, pages) in seconds."""
    import httpx
    from fakeplatforms import FakePlatforms
    from inboxing import add_account, connector, inbox_home, published

    from app.inbox.sync import CommentSync
    from storage.inbox_sync import SyncRepo

    fake = FakePlatforms()
    fake.server.latency_s = latency_ms / 1000.0
    try:
        fake.youtube.daily_units = 10_000_000
        doc = fake.youtube.add_channel("bench")
        video = fake.youtube.add_video(doc["user_id"], "Bench")
        for n in range(comments):
            fake.youtube.add_comment(
                video, WORDS[n % len(WORDS)] + f" #{n}", author=f"fan{n % 300}",
                at=NOW - timedelta(seconds=comments - n),
            )  # fmt: skip
        best_sync = best_bare = cpu_sync = cpu_bare = float("inf")
        pages = 0
        for run in range(runs):
            ws = inbox_home(scratch / f"sync-{latency_ms:g}-{run}", fake)
            account = add_account(ws, "youtube", doc)
            published(ws, account, video)
            conn = connector(ws, account, fake)
            targets = SyncRepo(ws.store).targets(account.id)
            t0, c0 = time.perf_counter(), time.process_time()
            report = CommentSync(ws, account, conn).run(targets)
            best_sync = min(best_sync, time.perf_counter() - t0)
            cpu_sync = min(cpu_sync, time.process_time() - c0)
            assert report.new == comments, report
            pages = report.pages
            conn.close()
            with httpx.Client(timeout=60) as client:
                t0, c0 = time.perf_counter(), time.process_time()
                token, got = None, 0
                while True:
                    params = {"part": "snippet,replies", "videoId": video, "maxResults": "100",
                              "order": "time", "textFormat": "plainText"}  # fmt: skip
                    if token:
                        params["pageToken"] = token
                    answer = client.get(
                        f"{fake.url}/youtube/youtube/v3/commentThreads",
                        params=params,
                        headers={"Authorization": f"Bearer {doc['access_token']}"},
                    )
                    body = answer.json()
                    got += len(body["items"])
                    token = body.get("nextPageToken")
                    if not token:
                        break
                best_bare = min(best_bare, time.perf_counter() - t0)
                cpu_bare = min(cpu_bare, time.process_time() - c0)
                assert got == comments
        return (best_sync, cpu_sync), (best_bare, cpu_bare), pages
    finally:
        fake.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--large-demo", action="store_true", help="build the large demo instead")
    parser.add_argument("--keep", type=Path, help="build the workspaces here and keep them")
    parser.add_argument("--sync-only", action="store_true", help="only the sync figures")
    parser.add_argument(
        "--latency",
        type=float,
        nargs="+",
        default=[0.0, 50.0],
        metavar="MS",
        help="round trips the fake waits before each answer (default: 0 = loopback, and 50)",
    )
    args = parser.parse_args()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="rr-inbox-bench-"))
    if args.sync_only:
        return sync_part(scratch, args)
    started = time.perf_counter()
    small = build(scratch / "small", 100, False)
    big = build(scratch / "big", args.items, args.large_demo)
    count = big.store.conn.execute("SELECT count(*) FROM inbox_items").fetchone()[0]
    print(f"built workspaces in {time.perf_counter() - started:.1f} s ({scratch}); "
          f"{count:,} inbox items")  # fmt: skip
    base = tab_figures(small, args.runs, min(args.moves, 90))
    large = tab_figures(big, args.runs, args.moves)
    print(f"Inbox tab, 80x24, {args.runs} runs (moves: every j of every run)")
    print(f"{'':12} {'100 items':>11} {f'{count:,} items':>14} {'ratio':>7}")
    for key, value in large.items():
        if key == "pages":
            print(f"{'page reads':12} {base[key]:>11.0f} {value:>14.0f}")
            continue
        print(f"{key:12} {base[key] * 1000:8.1f} ms {value * 1000:11.1f} ms "
              f"{value / base[key]:6.2f}x")  # fmt: skip
    wall = "met" if large["move p95"] < 0.050 else "NOT met"
    cpu = "met" if large["move cpu p95"] < 0.050 else "NOT met"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"goal: a move under 50 ms at {count:,} items (95th percentile): wall {wall}, "
          f"CPU {cpu} (load average {load} on {os.cpu_count()} cores)")  # fmt: skip
    return sync_part(scratch, args)


def sync_part(scratch: Path, args: argparse.Namespace) -> int:
    print(f"Sync of {args.comments:,} new comments, fake YouTube (the fake's own work counts "
          f"in both; best of {args.runs}): ReelRoom's sync (stored, labelled, cursor per page) "
          "/ a bare httpx loop over the same pages")  # fmt: skip
    print(f"{'round trip':>12} {'pages':>6} {'bare wall':>10} {'sync wall':>10} {'ratio':>7} "
          f"{'bare CPU':>10} {'sync CPU':>10} {'ratio':>7}")  # fmt: skip
    for latency in args.latency:
        (sync, sync_cpu), (bare, bare_cpu), pages = sync_figures(
            scratch, args.comments, args.runs, latency
        )
        print(f"{latency:9.0f} ms {pages:6d} {bare * 1000:7.1f} ms {sync * 1000:7.1f} ms "
              f"{sync / bare:6.2f}x {bare_cpu * 1000:7.1f} ms {sync_cpu * 1000:7.1f} ms "
              f"{sync_cpu / bare_cpu:6.2f}x")  # fmt: skip
    print("goal: sync within 1.2x of the bare requests (wall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
