"""bench/startup.py's children run on a demo workspace, as the bench runs them.

The bench drives the App through its own entry points (launch, the tab host,
TodayPainted); a change to those that breaks the bench fails here, not at the
next measurement. Nothing here looks at a time's size.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from app.tabs import TABS
from app.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]


def run_child(case: str, home: Path, ready: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "startup.py"), "--child", case]
        + ["--home", str(home), "--ready-file", str(ready)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr


def test_the_today_child_marks_the_list_then_the_whole_paint(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    ready = tmp_path / "ready"
    run_child("today", demo_workspace.home.root, ready)
    listed, painted = (float(x) for x in ready.read_text().split())
    assert 0 < listed <= painted


def test_the_switch_child_times_a_switch_to_every_other_tab(
    demo_workspace: Workspace, tmp_path: Path
) -> None:
    ready = tmp_path / "ready"
    run_child("switch", demo_workspace.home.root, ready)
    times = json.loads(ready.read_text())
    assert list(times) == [spec.title for spec in TABS[1:]]
    assert all(isinstance(t, float) and t > 0 for t in times.values())
