"""The tab host's parts: the tabs widget, stand-in panes, the tabs' stylesheets.

`Tabs` is the TabbedContent the App shows (focus landing in a hidden pane
does not switch to it); `PendingPane` stands in for a tab until its pane is
built; `stylesheets()` are the sheets every screen needs and
`tab_stylesheet()` a tab's own, read when its pane is built (app/tui.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from textual.message import Message
from textual.widgets import TabbedContent, TabPane

from app.tabs import TABS


class PendingPane(TabPane):
    """Stands in for a tab's pane until the pane is built.

    It has its own id (`<tab>-pending`): the real pane is added beside it and
    shown before the stand-in is removed, because removing the active tab
    makes Tabs activate a neighbour a moment later, undoing the switch.
    """


class Tabs(TabbedContent):
    """The tabs; focus landing in a hidden pane does not bring that pane back.

    TabbedContent shows the pane that holds a newly focused widget. A focus
    asked for just before the person switched tabs (focus is applied a moment
    later) would then undo the switch; here the tab the person chose stays,
    and the App puts the keyboard back on it."""

    @dataclass
    class StrayFocus(Message):
        """A widget of a hidden pane took the keyboard; the shown pane should have it."""

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.stop()
        event.prevent_default()  # not TabbedContent's own handler: it would switch
        if event.tab_pane.id != self.active:
            self.post_message(self.StrayFocus())


def pending_id(tab_id: str) -> str:
    """The id of a tab's stand-in pane."""
    return f"{tab_id}-pending"


STYLES = Path(__file__).with_name("styles")


def tab_stylesheet(tab_id: str) -> Path | None:
    """A tab's own stylesheet, app/styles/<tab>.tcss, if it has one."""
    path = STYLES / f"{tab_id}.tcss"
    return path if path.is_file() else None


def stylesheets() -> list[str | PurePath]:
    """The stylesheets every screen needs: base.tcss first, then the others by name,
    leaving out the tabs' own (read when a tab's pane is built: `load_tab_styles`)."""
    base = STYLES / "base.tcss"
    own = {f"{spec.id}.tcss" for spec in TABS}
    return [base, *sorted(p for p in STYLES.glob("*.tcss") if p != base and p.name not in own)]
