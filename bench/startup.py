"""Startup benchmark: process start → Today's first paint with data, and tab switches.

Prints, as medians of several runs each in a fresh subprocess (headless
driver, same terminal size; the cases take turns run by run, so a busy
machine weighs on all of them alike):
  * a bare Textual app (one Static) started the same way, until its first paint;
  * ReelRoom's Today on a demo workspace: until the triage list has drawn its
    rows ("list"), and until yesterday's numbers are drawn too ("all");
  * the same on a `--scale large` demo workspace (built first, in a separate
    process; its build time is printed separately);
with the ratio of each against the bare app, the child's CPU time (user +
system: what the start-up costs, less swayed by other processes than the
wall clock; for ReelRoom it includes the process that reads Today while the
App starts, app/first_read.py, which the App's process waits for) and its
peak RSS (os.wait4 rusage, per run; the parent stays small so the forked
image does not count). Goal: large within 1.5x of bare,
under 200 MB.

Then, on the large workspace, switching to each other tab once the others
are built and have read their data: from the key to the tab painted with its
data (its database workers done and a refresh after). Goal: each within
100 ms. Beside them, the same switch in a bare Textual app with tabs (to a
text tab, and to a tab holding a 40 x 6 DataTable), timed the same way, the first time each is shown
and again: the floor Textual itself sets on this machine now; each of
ReelRoom's tabs (shown for the first time) as a ratio to the bare table tab's
first show.

With --instructions, the same two start-ups (bare, large) once each under
valgrind's callgrind: the machine instructions the App's process runs until
the paint (the early-read child not counted). Unlike the clock this hardly
moves from run to run (hash seed fixed), so it shows a change of a few ms
that the shared machine's noise hides; it does not see cache misses or page
faults, which make ReelRoom's instructions a little slower than the bare
app's, so the clock's ratio stays the goal's measure.

With --tmux, the same start-ups in a real terminal: `reelroom` and a bare
app in a detached tmux session (80x24), timed until `tmux capture-pane`
shows Today's numbers (the strip's " views " figure) or the bare app's text.

The hook is the `TodayPainted(part, first)` message the Today pane posts after
it has drawn its items and its numbers: the child subclasses ReelRoomApp,
notes the time each first one reaches the App, and exits after both. Nothing
in the app itself changes for the benchmark.

    .venv/bin/python bench/startup.py [--runs 5] [--no-large] [--keep DIR] [--tmux] [--instructions]
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
import shlex  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

SIZE = (80, 24)
EXIT_AT_PAINT = "REELROOM_BENCH_EXIT_AT_PAINT"


# --- child side: one start-up, as light as the real one ----------------------


def _mark(ready_file: str, *moments: float) -> None:
    Path(ready_file).write_text(" ".join(repr(m) for m in moments))
    if os.environ.get(EXIT_AT_PAINT):  # counting instructions: up to the paint, not the exit
        os._exit(0)


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

    from app import heap
    from app.workspace import open_workspace

    heap.pause()  # as app.cli's run_tui does

    # Exiting at once can drop the App's "build the other tabs" task unstarted.
    warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
    workspace = open_workspace(home)
    from app.first_read import launch

    def bench_app() -> type:  # called by launch once Textual is imported
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

        return BenchApp

    launch(workspace, bench_app, headless=True, size=SIZE)  # as `reelroom` starts it


def child_switch(home: str, ready_file: str) -> None:
    """Open ReelRoom, wait for every tab to be built, then time a switch to each."""
    import asyncio
    import json
    import warnings

    from app import heap
    from app.workspace import open_workspace

    heap.pause()  # as app.cli's run_tui does

    warnings.filterwarnings("ignore", "coroutine .* was never awaited", RuntimeWarning)
    workspace = open_workspace(home)
    from textual import on

    from app.tab_host import TabHost
    from app.tui import ReelRoomApp, run
    from screens.messages import TodayPainted

    class SwitchApp(ReelRoomApp):
        times: dict[str, float] = {}

        @on(TodayPainted)
        def _painted(self, message: TodayPainted) -> None:
            if message.first and message.part == "numbers":
                self.run_worker(self._switches(), group="bench")

        async def _refreshed(self) -> None:
            done = asyncio.Event()
            self.call_after_refresh(done.set)
            await done.wait()

        async def _idle(self, pane: object) -> None:
            while any(w.node is pane and w.is_running for w in self.workers):
                await asyncio.sleep(0.002)

        async def _switches(self) -> None:
            tabbed = self.query_one("#tabs", TabHost)
            while tabbed.pending:
                await asyncio.sleep(0.01)
            # Built means read too: each new pane's first read (Scripts' 10,000
            # posts) is done before the first key, as for a person who starts the
            # App and then goes to a tab.
            while any(w.is_running for w in self.workers if w.group != "bench"):
                await asyncio.sleep(0.01)
            await self._refreshed()
            for n, spec in enumerate(self.tabs[1:], start=2):
                started = time.monotonic()
                self.action_switch_tab(n)
                await self._refreshed()
                pane = tabbed.get_pane(spec.id)
                await self._idle(pane)
                await self._refreshed()
                self.times[spec.title] = time.monotonic() - started
            Path(ready_file).write_text(json.dumps(self.times))
            self.exit()

    run(workspace, SwitchApp, headless=True, size=SIZE)


def child_bare_switch(ready_file: str) -> None:
    """The floor for a tab switch: a bare Textual app with tabs (text; a 40 x 6
    DataTable of demo-like rows), switched and timed as child_switch does."""
    import asyncio
    import json

    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Static, TabbedContent, TabPane

    class BareTabs(App[None]):
        times: dict[str, float] = {}

        def compose(self) -> ComposeResult:
            with TabbedContent(id="tabs"):
                with TabPane("One", id="one"):
                    yield Static("bare tabs ready")
                with TabPane("Text", id="text"):
                    yield Static("\n".join(f"line {n} of a text tab 街头小吃" for n in range(30)))
                with TabPane("Table", id="table"):
                    yield DataTable(id="grid", cursor_type="row")

        def on_mount(self) -> None:
            grid = self.query_one(DataTable)
            grid.add_columns("when", "title", "platform", "state", "views", "note")
            grid.add_rows(
                (
                    f"Mon {n:02} Dec",
                    f"街头小吃 第{n}集 煎饼果子",
                    "tiktok",
                    "posted",
                    str(n * 97),
                    "ok",
                )
                for n in range(40)
            )
            self.call_after_refresh(lambda: self.run_worker(self._switches()))

        def action_show(self, tab: str) -> None:
            self.query_one(TabbedContent).active = tab
            pane = self.query_one(f"#{tab}", TabPane)
            self.call_after_refresh(lambda: pane.query("DataTable, Static").first().focus())

        async def _refreshed(self) -> None:
            done = asyncio.Event()
            self.call_after_refresh(done.set)
            await done.wait()

        async def _switches(self) -> None:
            await asyncio.sleep(0.3)
            for when in ("first", "again"):  # never shown yet; then shown before
                for tab in ("one", "text", "table"):
                    started = time.monotonic()
                    await self.run_action(f"show('{tab}')")
                    await self._refreshed()
                    await self._refreshed()
                    if tab != "one":
                        self.times[f"bare: {tab} tab, {when}"] = time.monotonic() - started
            Path(ready_file).write_text(json.dumps(self.times))
            self.exit()

    BareTabs().run(headless=True, size=SIZE)


# --- parent side --------------------------------------------------------------


def run_once(case: str, home: str | None, scratch: Path) -> tuple[float, float, float, float]:
    """One child run: seconds from process start to the list and to everything
    painted, the child's CPU seconds and its peak RSS in MB."""
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
    cpu = usage.ru_utime + usage.ru_stime
    return listed - started, painted - started, cpu, usage.ru_maxrss / 1024  # KiB on Linux


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
    cases: list[tuple[str, str, str | None]], runs: int, scratch: Path
) -> list[tuple[str, float, float, float, float]]:
    """Median start-ups (list, all, CPU) and the largest peak RSS of each case
    (label, child case, home), the cases taking turns run by run."""
    got: dict[str, list[tuple[float, float, float, float]]] = {c[0]: [] for c in cases}
    for _ in range(runs):
        for label, case, home in cases:
            got[label].append(run_once(case, home, scratch))
    out = []
    for label, *_ in cases:
        rows = got[label]
        out.append(
            (
                label,
                statistics.median(r[0] for r in rows),
                statistics.median(r[1] for r in rows),
                statistics.median(r[2] for r in rows),
                max(r[3] for r in rows),
            )
        )
    return out


def measure_switches(home: str | None, runs: int, scratch: Path) -> dict[str, float]:
    """Median seconds of each tab switch on `home` (None: the bare tabs' floor)."""
    import json

    got: dict[str, list[float]] = {}
    for _ in range(runs):
        ready = scratch / f"switch-{time.monotonic_ns()}"
        child = ["--child", "switch", "--home", home] if home else ["--child", "bareswitch"]
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), *child, "--ready-file", str(ready)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        if done.returncode != 0 or not ready.exists():
            raise SystemExit(f"bench: the switch child failed:\n{done.stderr.decode()}")
        for title, seconds in json.loads(ready.read_text()).items():
            got.setdefault(title, []).append(seconds)
    return {title: statistics.median(v) for title, v in got.items()}


BARE_SCRIPT = """
from textual.app import App
from textual.widgets import Static
class Bare(App):
    def compose(self):
        yield Static("bare app ready")
Bare().run()
"""


def tmux_once(socket: str, command: list[str], marker: str, timeout_s: float = 60.0) -> float:
    """Seconds from starting `command` in a detached 80x24 session on our own tmux
    server (`-L socket`) until the pane shows `marker`; the session is ended after."""
    tmux = ["tmux", "-L", socket]
    started = time.monotonic()
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "bench", "-x", "80", "-y", "24",
         " ".join(shlex.quote(c) for c in command)],
        check=True,
    )  # fmt: skip
    shown = ""
    try:
        while time.monotonic() - started < timeout_s:
            shown = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "bench"], capture_output=True, text=True
            ).stdout
            if marker in shown:
                return time.monotonic() - started
            time.sleep(0.005)
        raise SystemExit(f"bench: tmux never showed {marker!r}; the screen was:\n{shown}")
    finally:
        subprocess.run([*tmux, "kill-session", "-t", "bench"], capture_output=True)


def measure_tmux(home: str, runs: int, scratch: Path) -> tuple[float, float]:
    """Median seconds to Today's numbers in tmux, and to a bare app's text. A tmux
    server of our own (its socket named for this process) keeps other sessions apart."""
    bare_py = scratch / "bare_app.py"
    bare_py.write_text(BARE_SCRIPT)
    reelroom = [sys.executable, "-m", "app.cli", "--home", home]
    socket = f"rr-bench-{os.getpid()}"
    bare, ours = [], []
    # A session that outlives the measured ones: without it the server exits with
    # each measured session, and the next new-session can reach it while it is
    # going ("server exited unexpectedly").
    subprocess.run(
        ["tmux", "-L", socket, "new-session", "-d", "-s", "hold", "-x", "80", "-y", "24",
         f"{shlex.quote(sys.executable)} -c 'import time; time.sleep(3600)'"],
        check=True,
    )  # fmt: skip
    try:
        for _ in range(runs):
            bare.append(tmux_once(socket, [sys.executable, str(bare_py)], "bare app ready"))
            # the strip's first line (day, views, likes, comments): yesterday's numbers drawn
            ours.append(tmux_once(socket, reelroom, " views "))
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    return statistics.median(ours), statistics.median(bare)


def count_instructions(case: str, home: str | None, base: Path) -> int | None:
    """Instructions the start-up's own process runs until the paint (callgrind's Ir);
    None without valgrind."""
    import re
    import shutil

    if shutil.which("valgrind") is None:
        return None
    ready = base / f"ready-ir-{case}-{time.monotonic_ns()}"
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", case]
    argv += ["--ready-file", str(ready)] + (["--home", home] if home else [])
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0", EXIT_AT_PAINT: "1"},
    )
    _out, err = proc.communicate()
    found = re.search(rf"=={proc.pid}== Collected : (\d+)", err)
    if proc.returncode != 0 or found is None:
        raise SystemExit(f"bench: the {case} child failed under valgrind:\n{err[-2000:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median shown)")
    parser.add_argument("--no-large", action="store_true", help="skip the --scale large case")
    parser.add_argument("--keep", metavar="DIR", help="build (or reuse) the homes in DIR")
    parser.add_argument("--tmux", action="store_true", help="also time start-ups in tmux")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the start-ups' instructions under valgrind (deterministic)",
    )
    parser.add_argument(
        "--child",
        choices=("bare", "today", "build", "switch", "bareswitch"),
        help=argparse.SUPPRESS,
    )
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
    if args.child == "switch":
        child_switch(args.home, args.ready_file)
        return 0
    if args.child == "bareswitch":
        child_bare_switch(args.ready_file)
        return 0

    # ReelRoom's modules as an installed package has them, compiled (./rr setup does
    # the same; Textual's were compiled by pip): no start recompiles them.
    packages = ["app", "screens", "widgets", "storage", "media_watch", "platforms"]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *packages],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
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
    cases: list[tuple[str, str, str | None]] = [("bare Textual app", "bare", None)]
    cases += [(f"ReelRoom Today ({s})", "today", str(homes[s])) for s in scales]
    results = measure(cases, args.runs, base)
    bare, bare_cpu = results[0][2], results[0][3]
    print(
        f"{'case':<28}{'list':>8}{'all':>8}{'all/bare':>10}{'CPU':>8}{'CPU/bare':>10}{'peak RSS':>10}"
    )
    for label, listed, painted, cpu, peak in results:
        print(
            f"{label:<28}{listed * 1000:>6.0f}ms{painted * 1000:>6.0f}ms"
            f"{painted / bare:>9.2f}x{cpu * 1000:>6.0f}ms{cpu / bare_cpu:>9.2f}x{peak:>7.0f} MB"
        )
    if "large" in scales:
        _, _, large, large_cpu, peak = results[-1]
        verdict = "meets" if large / bare <= 1.5 and peak < 200 else "misses"
        print(
            f"\ngoal (large, all painted, ≤1.5x bare and <200 MB): {verdict} "
            f"({large / bare:.2f}x wall, {large_cpu / bare_cpu:.2f}x CPU, {peak:.0f} MB)"
        )
        if args.instructions:
            bare_ir = count_instructions("bare", None, base)
            ours_ir = count_instructions("today", str(homes["large"]), base)
            if bare_ir is None or ours_ir is None:
                print("instructions: valgrind is not installed")
            else:
                print(
                    f"instructions to the paint (callgrind): bare app {bare_ir / 1e6:.0f}M, "
                    f"ReelRoom Today (large) {ours_ir / 1e6:.0f}M ({ours_ir / bare_ir:.3f}x)"
                )
        switches = measure_switches(str(homes["large"]), args.runs, base)
        floors = measure_switches(None, args.runs, base)
        print(f"\nswitching tabs on the large workspace (key → painted), median of {args.runs}")
        for title, seconds in floors.items():
            print(f"  {title:<26}{seconds * 1000:>7.0f} ms  (a bare Textual app's floor)")
        table_floor = floors["bare: table tab, first"]
        for title, seconds in switches.items():
            print(
                f"  {title:<26}{seconds * 1000:>7.0f} ms  {seconds / table_floor:5.2f}x the bare table tab"
            )
        worst = max(switches.values(), default=0.0)
        print(
            f"goal (each ≤ 100 ms): {'meets' if worst <= 0.1 else 'misses'} (slowest {worst * 1000:.0f} ms)"
        )
        if args.tmux:
            ours, bare_t = measure_tmux(str(homes["large"]), args.runs, base)
            print(
                f"\nin tmux 80x24 (until the screen shows it): bare app {bare_t * 1000:.0f} ms, "
                f"ReelRoom Today's numbers {ours * 1000:.0f} ms ({ours / bare_t:.2f}x)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
