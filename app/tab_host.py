"""The tab host's parts: the tabs widget, stand-in panes, the tabs' stylesheets.

`TabHost` is the App's tab host: a `TabBar` (one line, one widget) over a
`ContentSwitcher`, with the part of TabbedContent's interface the App uses
(focus landing in a hidden pane does not switch to it); `PendingPane` stands
in for a tab until its pane is built; `stylesheets()` are the sheets every
screen needs, `tab_stylesheet()` a tab's own, read when its pane is built,
and `MODALS_STYLESHEET` the modals', read when the first one opens
(app/tui.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from app.tabs import TABS
from widgets.tab_bar import TabBar
from widgets.tab_page import TabPage


class PendingPane(TabPage):
    """Stands in for a tab's pane until the pane is built.

    It has its own id (`<tab>-pending`): the real pane is added after it and
    shown before the stand-in is removed, so the stand-in is never the shown
    pane when it goes (removing the shown pane shows a neighbour).
    """


class TabHost(Widget):
    """The tab host: a `TabBar` over a `ContentSwitcher` holding the panes.

    It keeps the part of `TabbedContent`'s interface the App uses: `active`
    (the shown pane's id; setting it shows that pane), `active_pane`,
    `get_pane`, `add_pane(pane, after=…)` and `remove_pane`, and a
    `TabActivated` message whenever the shown pane changes, once for the
    first pane as the host mounts, none for setting the pane already shown.
    The bar's titles are the panes' titles in order and follow `active`.

    Focus landing in a hidden pane does not show it (TabbedContent would): a
    focus asked for just before the person switched tabs (focus is applied a
    moment later) would then undo the switch. The host posts `StrayFocus`
    instead, and the App puts the keyboard back on the shown pane."""

    DEFAULT_CSS = """
    TabHost {
        height: 1fr;
        & > TabBar {
            dock: top;
        }
    }
    """

    @dataclass
    class TabActivated(Message):
        """The host shows another pane (or its first, as it mounts)."""

        ALLOW_SELECTOR_MATCH = {"pane"}

        tabs: TabHost
        pane: TabPage

        @property
        def control(self) -> TabHost:
            """The host that switched."""
            return self.tabs

    @dataclass
    class StrayFocus(Message):
        """A widget of a hidden pane took the keyboard; the shown pane should have it."""

    def __init__(
        self,
        *,
        initial: str = "",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._composed: list[TabPage] = []  # the panes given in compose, until composed
        self._active = initial
        self._leaving: set[TabPage] = set()  # panes being removed

    def compose_add_child(self, widget: Widget) -> None:
        """Panes yielded inside `with TabHost(...)` go to the switcher."""
        if not isinstance(widget, TabPage):
            raise TypeError(f"TabHost holds TabPages, not {type(widget).__name__}")
        self._composed.append(widget)

    def compose(self) -> ComposeResult:
        panes, self._composed = self._composed, []
        if not self._active and panes:
            self._active = panes[0].id or ""
        yield TabBar(*self._bar_values(panes))
        with ContentSwitcher(initial=self._active or None):
            yield from panes

    def on_mount(self) -> None:
        pane = self.active_pane
        if pane is not None:
            self.post_message(self.TabActivated(self, pane))

    # --- the panes ------------------------------------------------------------

    @property
    def _switcher(self) -> ContentSwitcher:
        return self.get_child_by_type(ContentSwitcher)

    def _panes(self) -> list[TabPage]:
        return [
            child
            for child in self._switcher.children
            if isinstance(child, TabPage) and child not in self._leaving
        ]

    def _bar_values(self, panes: list[TabPage]) -> tuple[list[str], int]:
        """The bar's titles for these panes, and the index of the shown one (-1: none)."""
        ids = [pane.id for pane in panes]
        active = ids.index(self._active) if self._active in ids else -1
        return [pane.tab_title for pane in panes], active

    def _show_in_bar(self) -> None:
        self.get_child_by_type(TabBar).show(*self._bar_values(self._panes()))

    @property
    def active(self) -> str:
        """The id of the shown pane ("" when there is none)."""
        return self._active

    @active.setter
    def active(self, pane_id: str) -> None:
        if pane_id == self._active:
            return
        if not self.children:
            self._active = pane_id  # not composed yet: compose shows it
            return
        pane = self.get_pane(pane_id)
        self._active = pane_id
        self._switcher.current = pane_id
        self._show_in_bar()
        self.post_message(self.TabActivated(self, pane))

    @property
    def active_pane(self) -> TabPage | None:
        """The shown pane, if any."""
        if not self._active or not self.children:
            return None
        try:
            return self.get_pane(self._active)
        except ValueError:
            return None

    def get_pane(self, pane_id: str) -> TabPage:
        """The pane with this id; ValueError if there is none."""
        for pane in self._panes():
            if pane.id == pane_id:
                return pane
        raise ValueError(f"No pane with id {pane_id!r}")

    def add_pane(self, pane: TabPage, *, after: str | None = None) -> AwaitComplete:
        """Add a pane (hidden) after the pane with id `after`, or last."""
        pane.display = False
        mounted = self._switcher.mount(pane, after=self.get_pane(after) if after else None)
        self._show_in_bar()
        return AwaitComplete(mounted)

    def remove_pane(self, pane_id: str) -> AwaitComplete:
        """Remove a pane. Removing the shown pane shows the one after it (or before)."""
        try:
            pane = self.get_pane(pane_id)
        except ValueError:
            return AwaitComplete()
        panes = self._panes()
        self._leaving.add(pane)
        if pane_id == self._active:
            at = panes.index(pane)
            after, before = panes[at + 1 :], panes[:at]
            neighbour = after[0] if after else before[-1] if before else None
            if neighbour is not None:
                self.active = neighbour.id or ""
            else:
                self._active = ""
                self._switcher.current = None
        self._show_in_bar()

        async def remove() -> None:
            try:
                await pane.remove()
            finally:
                self._leaving.discard(pane)

        return AwaitComplete(remove())

    # --- messages -------------------------------------------------------------

    @on(TabBar.Clicked)
    def _title_clicked(self, event: TabBar.Clicked) -> None:
        event.stop()
        panes = self._panes()
        if 0 <= event.index < len(panes):
            self.active = panes[event.index].id or ""

    def _on_tab_page_focused(self, event: TabPage.Focused) -> None:
        event.stop()
        if event.page.id != self.active:
            self.post_message(self.StrayFocus())


def pending_id(tab_id: str) -> str:
    """The id of a tab's stand-in pane."""
    return f"{tab_id}-pending"


STYLES = Path(__file__).with_name("styles")


def tab_stylesheet(tab_id: str) -> Path | None:
    """A tab's own stylesheet, app/styles/<tab>.tcss, if it has one."""
    path = STYLES / f"{tab_id}.tcss"
    return path if path.is_file() else None


MODALS_STYLESHEET = STYLES / "modals.tcss"  # read when the first modal is pushed (app/tui.py)


def stylesheets() -> list[str | PurePath]:
    """The stylesheets every screen needs: base.tcss first, then the others by name,
    leaving out the tabs' own (read when a tab's pane is built: `load_tab_styles`)
    and the modals' (read when the first modal opens)."""
    base = STYLES / "base.tcss"
    later = {f"{spec.id}.tcss" for spec in TABS} | {MODALS_STYLESHEET.name}
    return [base, *sorted(p for p in STYLES.glob("*.tcss") if p != base and p.name not in later)]
