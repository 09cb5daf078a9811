"""The tab host's parts: the tabs widget and the tabs' stylesheets.

`TabHost` is the App's tab host: a `TabBar` (one line, one widget) over a
`ContentSwitcher`, with the part of TabbedContent's interface the App uses
(focus landing in a hidden pane does not switch to it), and tabs whose pane
is not built yet (their title is in the bar; no widget stands in for them);
`stylesheets()` are the sheets every screen needs, `tab_stylesheet()` a
tab's own, read when its pane is built, and `MODALS_STYLESHEET` the
modals', read when the first one opens (app/tui.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Sequence

from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.message import Message
from textual.widget import Widget
from textual.widgets import ContentSwitcher

from app.tabs import TABS
from widgets.tab_bar import TabBar
from widgets.tab_page import TabPage


class TabHost(Widget):
    """The tab host: a `TabBar` over a `ContentSwitcher` holding the panes.

    It keeps the part of `TabbedContent`'s interface the App uses: `active`
    (the shown tab's id; setting it shows that tab), `active_pane`,
    `get_pane`, `add_pane(pane, after=…)` and `remove_pane`, and a
    `TabActivated` message whenever the shown tab changes, once for the
    first as the host mounts, none for setting the tab already shown. The
    bar's titles are the tabs' titles in order and follow `active`.

    A tab may be *pending*: named in `tabs=[(id, title), …]` with no pane yet.
    The bar shows its title; showing it posts `TabActivated` with no pane
    (the content area is empty until then), and `add_pane` of a pane with
    its id fills it in place, showing the pane (and posting `TabActivated`
    again) if the tab is the one shown. No widget stands in for a pending
    tab: eight such widgets cost Today's first paint about 6 ms.

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
        """The host shows another tab (or its first, as it mounts); `pane` is None
        for a pending tab."""

        tabs: TabHost
        tab_id: str
        pane: TabPage | None

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
        tabs: Sequence[tuple[str, str]] = (),
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._composed: list[TabPage] = []  # the panes given in compose, until composed
        self._active = initial
        self._order: list[tuple[str, str]] = list(tabs)  # (id, title) of every tab, in order
        self._leaving: set[TabPage] = set()  # panes being removed

    def compose_add_child(self, widget: Widget) -> None:
        """Panes yielded inside `with TabHost(...)` go to the switcher."""
        if not isinstance(widget, TabPage):
            raise TypeError(f"TabHost holds TabPages, not {type(widget).__name__}")
        self._composed.append(widget)

    def compose(self) -> ComposeResult:
        panes, self._composed = self._composed, []
        for pane in panes:
            self._enter(pane, None)
        if not self._active and self._order:
            self._active = self._order[0][0]
        shown = self._active if any(pane.id == self._active for pane in panes) else None
        yield TabBar(*self._bar_values())
        with ContentSwitcher(initial=shown):
            yield from panes

    def on_mount(self) -> None:
        if self._active:
            self.post_message(self.TabActivated(self, self._active, self.active_pane))

    # --- the tabs -------------------------------------------------------------

    @property
    def _switcher(self) -> ContentSwitcher:
        return self.get_child_by_type(ContentSwitcher)

    def _panes(self) -> list[TabPage]:
        return [
            child
            for child in self._switcher.children
            if isinstance(child, TabPage) and child not in self._leaving
        ]

    def _ids(self) -> list[str]:
        """Every tab's id, in order."""
        return [tab_id for tab_id, _title in self._order]

    def _enter(self, pane: TabPage, after: str | None) -> None:
        """Put a pane's tab in the order: in place if it was pending, else after `after`."""
        ids = self._ids()
        if pane.id in ids:
            self._order[ids.index(pane.id)] = (pane.id or "", pane.tab_title)
        else:
            at = ids.index(after) + 1 if after in ids else len(ids)
            self._order.insert(at, (pane.id or "", pane.tab_title))

    def _bar_values(self) -> tuple[list[str], int]:
        """The bar's titles, and the index of the shown tab (-1: none)."""
        ids = self._ids()
        active = ids.index(self._active) if self._active in ids else -1
        return [title for _id, title in self._order], active

    def _show_in_bar(self) -> None:
        self.get_child_by_type(TabBar).show(*self._bar_values())

    @property
    def pending(self) -> tuple[str, ...]:
        """The ids of the tabs with no pane yet, in order."""
        built = {pane.id for pane in self._panes()}
        return tuple(tab_id for tab_id in self._ids() if tab_id not in built)

    @property
    def active(self) -> str:
        """The id of the shown tab ("" when there is none)."""
        return self._active

    @active.setter
    def active(self, tab_id: str) -> None:
        if tab_id == self._active:
            return
        if not self.children:
            self._active = tab_id  # not composed yet: compose shows it
            return
        pane = None if tab_id in self.pending else self.get_pane(tab_id)  # ValueError: no such tab
        self._active = tab_id
        self._switcher.current = tab_id if pane is not None else None
        self._show_in_bar()
        self.post_message(self.TabActivated(self, tab_id, pane))

    @property
    def active_pane(self) -> TabPage | None:
        """The shown pane, if any (none while the shown tab is pending)."""
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
        """Add a pane: in its pending tab's place, or as a new tab after the tab with
        id `after` (or last). Hidden, unless its tab is the one shown."""
        self._enter(pane, after)
        pane.display = False
        # The switcher's children keep the tabs' order: after the last built tab before it.
        built = {p.id: p for p in self._panes()}
        ids = self._ids()
        earlier = [built[i] for i in ids[: ids.index(pane.id or "")] if i in built]
        if earlier:
            mounted = self._switcher.mount(pane, after=earlier[-1])
        elif built:
            mounted = self._switcher.mount(pane, before=0)
        else:
            mounted = self._switcher.mount(pane)
        self._show_in_bar()

        async def add() -> None:
            await mounted
            if pane.id == self._active and pane.parent is not None:
                self._switcher.current = pane.id
                self.post_message(self.TabActivated(self, self._active, pane))

        return AwaitComplete(add())

    def remove_pane(self, pane_id: str) -> AwaitComplete:
        """Remove a pane and its tab. Removing the shown tab shows the one after it
        (or before)."""
        try:
            pane = self.get_pane(pane_id)
        except ValueError:
            return AwaitComplete()
        ids = self._ids()
        self._leaving.add(pane)
        at = ids.index(pane_id)
        del self._order[at]
        if pane_id == self._active:
            neighbour = ids[at + 1] if at + 1 < len(ids) else ids[at - 1] if at > 0 else None
            if neighbour is not None:
                self.active = neighbour
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
        if 0 <= event.index < len(self._order):
            self.active = self._order[event.index][0]

    def _on_tab_page_focused(self, event: TabPage.Focused) -> None:
        event.stop()
        if event.page.id != self.active:
            self.post_message(self.StrayFocus())


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
