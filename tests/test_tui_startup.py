"""What the TUI loads before Today's first paint: Today's own modules and rules only.

Started as `reelroom` starts it (app.first_read.launch): Today's first read
is made by a child process, so not even Today's own reads load before the paint.

The other tabs' screens, repositories and stylesheets come when their panes are
built, after that paint. Checked in a fresh interpreter (a subprocess), so what
pytest or other tests imported cannot hide an import.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json, sys
from pathlib import Path
from app.workspace import open_workspace
from app.first_read import launch

seen = {}

def probe():
    from textual import on
    from app.tui import ReelRoomApp
    from screens.messages import TodayPainted

    class Probe(ReelRoomApp):
        @on(TodayPainted)
        def _painted(self, message):
            if message.first and message.part == "numbers" and not seen:
                seen["modules"] = sorted(sys.modules)
                seen["sheets"] = sorted(
                    Path(p).name for p, _ in self.stylesheet.source if p.endswith(".tcss")
                )
                self.exit()

    return Probe

launch(open_workspace(sys.argv[1]), probe, headless=True, size=(80, 24))  # as `reelroom` starts
print(json.dumps(seen))
"""

MAKE = "import sys; from app.workspace import open_workspace; open_workspace(sys.argv[1])"

# Modules of the other tabs (and of what Today does only on a key) that the
# first paint must not wait for.
LATER = (
    "screens.calendar",
    "screens.scripts",
    "screens.footage",
    "screens.renders",
    "screens.publish",
    "screens.inbox",
    "screens.deals",
    "storage.jobs",
    "storage.posts",
    "storage.publications",
    "storage.scripts",
    # Today's detail panel: read and shown when an item is opened.
    "screens.modals.item_detail",
    "screens.today.details",
    "storage.today_details",
    "storage.today_detail_models",
    # Today's own reads and their values: its first rows come read by a child process
    # (app/first_read.py), and Babel's number formatting with them.
    "storage.today_models",
    "storage.today_sections",
    "storage.today_release",
    "storage.deals.models",
    "storage.deals.repo",
    "storage.deals.progress",  # its lead times (storage.deals.lead_times) do load
    "storage.models",
    "storage.metrics",  # the numbers' read; their values (storage.today_numbers) do load
    "babel",  # not even its core: the default locale needs no check (check_locale)
    # SQLite runs the SQL as written: the PostgreSQL translation and its patterns stay out.
    "storage.pg_translate",
    # The tab host is our own: Textual's TabbedContent and Tabs are never shown.
    "textual.widgets._tabbed_content",
    "textual.widgets._tabs",
)


def test_today_paints_before_the_other_tabs_are_loaded(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    made = subprocess.run(  # the workspace exists, as on every start but the first
        [sys.executable, "-c", MAKE, home], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert made.returncode == 0, made.stderr
    done = subprocess.run(
        [sys.executable, "-c", PROBE, home],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    loaded = [m for m in seen["modules"] if m.startswith(LATER)]
    assert loaded == []
    assert "screens.today.pane" in seen["modules"]  # the probe does see Today's own
    assert seen["sheets"] == ["base.tcss", "today.tcss"]  # modals.tcss: at the first modal
