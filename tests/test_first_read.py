"""Today's early first read (app/first_read.py): a forked child reads Today while the
App starts, and the Today pane shows its read in the first frame.

A fork is only taken in a process with one thread, and a pytest worker has
more, so each case runs in a fresh Python process (as `reelroom` starts) on a
real workspace file: the demo, which has an overdue invoice (Babel formats its
amount in the child). The pane's side of it is checked in process with the
read the child would have sent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FROZEN, Messages, settle
from rows import add_post

from app.tabs import TABS, TabContext, TabSpec
from app.tui import ReelRoomApp
from app.workspace import Workspace
from screens.messages import NumbersLoaded, TodayLoaded, TodayPainted
from screens.today import pane as today_pane
from screens.today.reading import TodayRead, read_today
from storage.deals.money import DEFAULT_LOCALE
from storage.today import TodayRepo
from widgets.triage_list import TriageList

ROOT = Path(__file__).resolve().parents[1]

# Runs in a fresh process: starts an early read on HOME in MODE and prints what happened.
SCRIPT = r"""
import json, os, sys, threading, time
from datetime import datetime, timezone

home, mode = sys.argv[1], sys.argv[2]
from app.first_read import EarlyRead
from app.workspace import open_workspace

FROZEN = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)
ws = open_workspace(home, create=False)
clock = lambda: FROZEN
if mode == "open-connection":
    ws.store.conn.execute("SELECT 1")
if mode == "thread":
    threading.Thread(target=time.sleep, args=(2,), daemon=True).start()
if mode == "fails":
    def clock():
        raise RuntimeError("the clock broke")
if mode == "slow":
    def clock():
        time.sleep(30)
        return FROZEN

if mode == "commit-before-go":
    # A post saved just after the App took its data_version: the child, which waits
    # for that, must see it (and a later one the App's polling would catch).
    sys.path.insert(0, "tests")
    from rows import add_post
    taken = ws.store.change_counter

    def then_commit():
        version = taken()
        time.sleep(0.5)  # long after the child could have read, were it not waiting
        add_post(ws.store, "saved meanwhile", "idea", planned=FROZEN)
        return version

    ws.store.change_counter = then_commit

early = EarlyRead.start(ws, clock=clock)
out = {"started": early is not None}
if early is not None:
    out["pid"] = early.pid
    started = time.monotonic()
    if mode == "close":
        early.close()
        read = None
    else:
        read = early.result(timeout=0.3 if mode == "slow" else 20)
    out["waited"] = time.monotonic() - started
    out["got"] = read is not None
    out["babel_numbers_here"] = "babel.numbers" in sys.modules  # before reading here below
    try:
        os.waitpid(-1, os.WNOHANG)
        out["children_left"] = True
    except ChildProcessError:
        out["children_left"] = False
    if read is not None:
        from app.deal_settings import lead_times
        from screens.today.reading import read_today
        from storage.today import TodayRepo

        repo = TodayRepo(ws.store, leads=lead_times(ws.config))
        here = read_today(repo, FROZEN, ws.config.zone, ws.config.deals.locale)
        out["same_as_here"] = read == here
        out["keys"] = [row.key for section in read.sections for row in section.rows]
        out["detail"] = [row.detail for section in read.sections for row in section.rows]
        out["numbers"] = read.numbers is not None and read.key is not None
        out["titles"] = [row.title for section in read.sections for row in section.rows]
print(json.dumps(out))
"""


def early(home: Path, mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(home), mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_child_reads_today_as_the_pane_would(demo_workspace: Workspace) -> None:
    """The child's read is the very read the pane makes (sections, numbers, their key),
    overdue invoice included; Babel's number formatting never loads in the parent,
    and the child is collected."""
    out = early(demo_workspace.home.root, "read")
    assert out["started"] is True and out["got"] is True
    assert out["babel_numbers_here"] is False
    assert out["children_left"] is False
    assert any(str(key).startswith("invoice:") for key in out["keys"])  # type: ignore[attr-defined]
    assert "$2,000.00 · Knife care tips (2 videos)" in out["detail"]  # type: ignore[operator]
    assert out["numbers"] is True
    assert out["same_as_here"] is True


def test_the_child_reads_after_the_version_is_taken(demo_workspace: Workspace) -> None:
    """The child reads only once the App's data_version is taken: a commit right after
    that is in the child's read (any later one is seen by the App's polling), so no
    commit falls between the two."""
    out = early(demo_workspace.home.root, "commit-before-go")
    assert out["got"] is True and out["children_left"] is False
    assert any("saved meanwhile" in title for title in out["titles"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("mode", ["open-connection", "thread"])
def test_no_fork_when_it_is_not_safe(demo_workspace: Workspace, mode: str) -> None:
    """With a connection to the database open, or a second thread running, there is
    no child: SQLite connections and held locks must not cross a fork."""
    out = early(demo_workspace.home.root, mode)
    assert out == {"started": False}


def test_a_failing_child_gives_no_read(demo_workspace: Workspace) -> None:
    """A child whose read fails gives None (the pane then reads itself) and is collected."""
    out = early(demo_workspace.home.root, "fails")
    assert out["started"] is True and out["got"] is False and out["children_left"] is False


def test_a_slow_child_is_stopped(demo_workspace: Workspace) -> None:
    """A child slower than the wait is killed and collected; the wait is the timeout's."""
    out = early(demo_workspace.home.root, "slow")
    assert out["started"] is True and out["got"] is False and out["children_left"] is False
    assert 0.3 <= float(out["waited"]) < 10  # type: ignore[arg-type]


def test_closing_without_taking_the_read_collects_the_child(demo_workspace: Workspace) -> None:
    out = early(demo_workspace.home.root, "close")
    assert out["started"] is True and out["got"] is False and out["children_left"] is False


# Runs `reelroom`'s own start (app.first_read.launch) on HOME, headless, and prints
# what Today's first frame held and whether the App's process read Today itself.
LAUNCH = r"""
import json, sys
from app.workspace import open_workspace
from app.first_read import launch

ws = open_workspace(sys.argv[1], create=False)
seen = {}

def app_type():
    from textual import on
    from app.tui import ReelRoomApp
    from screens.messages import TodayPainted
    from storage.today import TodayRepo
    from widgets.triage_list import TriageList

    items = TodayRepo.items
    def counted(self, *args, **kwargs):
        seen["reads_here"] = seen.get("reads_here", 0) + 1
        return items(self, *args, **kwargs)
    TodayRepo.items = counted  # in this process only: the child forked before

    class Once(ReelRoomApp):
        @on(TodayPainted)
        def _painted(self, message):
            if message.first and message.part == "items":
                seen["rows"] = self.query_one(TriageList).row_keys
                seen["babel_numbers"] = "babel.numbers" in sys.modules
            if message.first and message.part == "numbers":
                self.exit()
    return Once

seen["exit"] = launch(ws, app_type, headless=True, size=(80, 24))
print(json.dumps(seen))
"""


def test_reelroom_starts_with_the_childs_read(demo_workspace: Workspace) -> None:
    """`reelroom`'s own start: Today's first frame holds the rows, overdue invoice
    included, and the App's process neither read Today nor loaded Babel's number
    formatting before it."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH, str(demo_workspace.home.root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["exit"] == 0
    assert any(key.startswith("invoice:") for key in seen["rows"])
    assert "reads_here" not in seen and seen["babel_numbers"] is False


# --- the pane's side ------------------------------------------------------------


class SentRead:
    """What the App gets from EarlyRead: a read (computed here as the child would) and
    the data_version taken before it."""

    def __init__(self, read: TodayRead | None, data_version: int | None) -> None:
        self.read, self.data_version, self.taken = read, data_version, 0

    def result(self) -> TodayRead | None:
        self.taken += 1
        return self.read


def app_with(ws: Workspace, sent: SentRead, *, poll: float | None = None) -> ReelRoomApp:
    today = next(s for s in TABS if s.id == "today")
    app = ReelRoomApp(
        ws,
        clock=lambda: FROZEN,
        poll_interval=poll,
        tabs=(today,),
        early_read=sent,  # type: ignore[arg-type]  # EarlyRead's interface
    )
    return app


def repo_of(ws: Workspace) -> TodayRepo:
    return TodayRepo(ws.store)


async def test_the_pane_shows_the_early_read_without_reading(
    demo_workspace: Workspace, messages: Messages, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given an early read, the first frame holds its rows and numbers; the pane does
    not read Today itself for it (no thread, no worker, no message)."""
    ws = demo_workspace
    read = read_today(repo_of(ws), FROZEN, ws.config.zone, DEFAULT_LOCALE)
    sent = SentRead(read, ws.store.change_counter())

    def no_read(self: today_pane.TodayPane) -> bool:
        raise AssertionError("the pane read Today itself")

    monkeypatch.setattr(today_pane.TodayPane, "_first_read", no_read)
    app = app_with(ws, sent)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        shown = app.query_one(TriageList).row_keys
        assert shown == [row.key for s in read.sections for row in s.rows] and shown
        assert sent.taken == 1
        assert messages.of(TodayLoaded) == [] and messages.of(NumbersLoaded) == []
        assert [m.part for m in messages.of(TodayPainted) if m.first] == ["items", "numbers"]


async def test_without_an_early_read_the_pane_reads_itself(
    demo_workspace: Workspace, messages: Messages
) -> None:
    """No read from the child (it failed, was late, or never forked): the pane reads
    Today as it mounts, as before."""
    ws = demo_workspace
    sent = SentRead(None, None)
    app = app_with(ws, sent)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        expected = read_today(repo_of(ws), FROZEN, ws.config.zone, DEFAULT_LOCALE)
        assert app.query_one(TriageList).row_keys == [
            row.key for s in expected.sections for row in s.rows
        ]
        assert sent.taken == 1


async def test_a_commit_after_the_early_read_is_shown(
    demo_workspace: Workspace, messages: Messages
) -> None:
    """A post saved between the child's read and the App's start is not lost from
    view: the App polls from the version taken before the read, and reads again."""
    ws = demo_workspace
    read = read_today(repo_of(ws), FROZEN, ws.config.zone, DEFAULT_LOCALE)
    sent = SentRead(read, ws.store.change_counter())
    post = add_post(ws.store, "新的 late idea", "idea", planned=FROZEN + timedelta(days=1))
    app = app_with(ws, sent, poll=0.05)
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        triage = app.query_one(TriageList)
        assert await messages.until(lambda: f"post:{post}" in triage.row_keys)
        await settle(pilot)


def test_the_today_factory_hands_the_pane_the_early_read(demo_workspace: Workspace) -> None:
    sent = SentRead(None, None)
    spec: TabSpec = next(s for s in TABS if s.id == "today")
    pane = spec.build(TabContext(demo_workspace, lambda: FROZEN, sent))  # type: ignore[arg-type]
    assert isinstance(pane, today_pane.TodayPane)
    assert pane._early_read is not None
    pane._early_read()
    assert sent.taken == 1
