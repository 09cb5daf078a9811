"""The Textual App: a thin router over the tabs of app/tabs.py.

The App wires services into panes, owns the keys every tab shares (digits
switch tabs, ? help, r refresh, q quit, ctrl+p palette), shows worker errors,
and polls `PRAGMA data_version` (on a connection that never writes) so writes by
other processes and by any pane refresh the active pane within about a second
and mark the other tabs stale. Only the first tab is built before its
first paint; the others are pending tabs of the host (a title, no pane) and
are built right after (or at once when shown). Panes are `screens.pane.Pane`s:
the App calls their `focus_list`, `reload_data` and `take_request`, and
routes a `TabRequest` one pane posts to the tab it names, handing it over
once that pane is shown.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen
from textual.worker import Worker, WorkerState

from app import heap
from app.commands import ReelRoomCommands
from app.main_screen import MainScreen
from app.tab_host import (
    MODALS_STYLESHEET,
    TabHost,
    stylesheets,
    tab_stylesheet,
)
from app.tabs import TABS, TabContext, TabSpec
from app.workspace import Workspace
from screens.messages import TodayPainted, WorkerFailed
from screens.pane import Pane, TabRequest
from storage.timefmt import utcnow
from widgets.footer import KeyBar
from widgets.safe_text import visible
from widgets.tab_page import TabPage

if TYPE_CHECKING:
    from app.first_read import EarlyRead
    from screens.modals.help import KeyHelp

BUILD_FALLBACK_S = 1.0  # build the other tabs this long after Today's list at the latest

__all__ = ["TABS", "ReelRoomApp", "TabContext", "TabSpec", "run"]


# Keys that move around rather than act: left out of the palette's tab actions.
NAVIGATION_KEYS = {
    "left",
    "right",
    "up",
    "down",
    "j",
    "k",
    "g",
    "G",
    "home",
    "end",
    "enter",
    "escape",
    "shift+left",
    "shift+right",
    "left_square_bracket",
    "right_square_bracket",
    "t",
}


def _digit_bindings() -> list[Binding]:
    return [
        Binding(
            str(n),
            f"switch_tab({n})",
            f"Tab {n}",
            id=f"app.tab_{n}",
            show=False,
            tooltip=f"Switch to tab {n}",
        )
        for n in range(1, 10)
    ]


class ReelRoomApp(App[int]):
    """ReelRoom's TUI."""

    CSS_PATH = stylesheets()  # absolute paths: subclasses elsewhere work
    TITLE = "ReelRoom"
    COMMANDS = App.COMMANDS | {ReelRoomCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave ReelRoom"),
        Binding(
            "question_mark",
            "help",
            "Keys",
            id="app.help",
            key_display="?",
            tooltip="Show every active key",
        ),
        Binding(
            "f1",
            "help",
            "Keys",
            id="app.help_f1",
            show=False,
            tooltip="Show every active key (also where ? is typed, as in the script editor)",
        ),
        Binding(
            "r",
            "refresh",
            "Refresh",
            id="app.refresh",
            tooltip="Read the active tab again from the database",
        ),
        *_digit_bindings(),
    ]

    def __init__(
        self,
        workspace: Workspace,
        *,
        clock: Callable[[], datetime] = utcnow,
        poll_interval: float | None = 0.5,
        tabs: Sequence[TabSpec] = TABS,
        settle_heap: bool = False,
        early_read: EarlyRead | None = None,
    ) -> None:
        super().__init__()
        self.settle_heap = settle_heap  # app/heap.py: run() paused the collector
        self.workspace = workspace
        self.clock = clock
        self.poll_interval = poll_interval
        self.tabs = tuple(tabs)
        self._tab_context = TabContext(workspace, clock, early_read)
        # Polled from the version read before Today's early read, when there was one.
        self._data_version: int | None = early_read.data_version if early_read else None
        self._stale: set[str] = set()
        self._building: set[str] = set()
        self._requests: dict[str, TabRequest] = {}  # by tab id, until its pane is shown
        self._tabs_started = False

    def load_tab_styles(self, tab_id: str) -> None:
        """Add a tab's own stylesheet (once), before its pane is built: the other
        tabs' rules are not parsed before the first paint. Its rules are nested
        under its pane type, so nothing already on screen changes."""
        path = tab_stylesheet(tab_id)
        if path is not None:
            self._load_stylesheet(path)

    def _load_stylesheet(self, path: Path) -> None:
        if self.stylesheet.has_source(str(path), ""):
            return
        # As a widget's DEFAULT_CSS joins when its type is first mounted: the rules
        # are parsed again (unchanged sources from the stylesheet's parse cache) the
        # next time a node is styled. Keyed like Stylesheet.read would key the file.
        self.stylesheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""))

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        """Textual's push_screen; the modals' rules (app/styles/modals.tcss, under their
        types and their boxes' ids) are read as the first modal opens, not before
        Today's first paint."""
        if isinstance(screen, ModalScreen):
            self._load_stylesheet(MODALS_STYLESHEET)
        return super().push_screen(screen, *args, **kwargs)

    def compose(self) -> ComposeResult:
        first = self.tabs[0]
        self.load_tab_styles(first.id)
        with TabHost(initial=first.id, tabs=[(s.id, s.title) for s in self.tabs], id="tabs"):
            yield first.build(self._tab_context)  # the others are built later (_build_tabs)
        yield KeyBar()

    def get_default_screen(self) -> MainScreen:
        """The screen the App opens on (app/main_screen.py)."""
        return MainScreen(id="_default")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of every pane: control characters from data made visible."""
        super().notify(
            visible(message, lines=True),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def on_mount(self) -> None:
        self.title = visible(f"ReelRoom · {self.workspace.home.root.name}")
        self._focus_active()
        if self.poll_interval:
            if self._data_version is None:
                self._data_version = self.workspace.store.change_counter()
            self.set_interval(self.poll_interval, self._poll_data_version, name="data_version")
        if self.settle_heap:
            self.set_timer(heap.SETTLE_BACKSTOP_S, heap.settle, name="heap backstop")

    # --- tabs ----------------------------------------------------------------

    def tab_titles(self) -> list[str]:
        """Titles of the tabs in order (digit n goes to the n-th)."""
        return [spec.title for spec in self.tabs]

    def tab_actions(self) -> list[tuple[str, Callable[[], object], str]]:
        """Every built tab's own actions for the palette: (name, run, help), named
        "<Tab>: <what the key says>"; running one shows the tab, then acts there."""
        found: list[tuple[str, Callable[[], object], str]] = []
        tabbed = self.query_one("#tabs", TabHost)
        for number, spec in enumerate(self.tabs, start=1):
            panes = tabbed.query(f"#{spec.id}")
            pane = panes.first() if panes else None
            if not isinstance(pane, Pane):
                continue
            seen: set[str] = set()
            for binding in pane.BINDINGS:
                if not isinstance(binding, Binding) or binding.action in seen:
                    continue
                if not binding.id or set(binding.key.split(",")) & NAVIGATION_KEYS:
                    continue
                seen.add(binding.action)
                found.append(
                    (
                        f"{spec.title}: {binding.description}",
                        functools.partial(self._run_tab_action, spec.id, binding.action),
                        f"{binding.tooltip or binding.description} "
                        f"(tab {number}, key {self.get_key_display(binding)})",
                    )
                )
        return found

    def _run_tab_action(self, tab_id: str, action: str) -> None:
        """Show the tab, then run one of its actions there (as its key would)."""
        self.show_tab(tab_id)
        pane = self.query_one("#tabs", TabHost).query(f"#{tab_id}").first()
        self.call_after_refresh(pane.run_action, action)

    def _active_pane(self) -> TabPage | None:
        return self.query_one("#tabs", TabHost).active_pane

    def _focus_active(self, tries: int = 5) -> None:
        """Put the keyboard on the active pane's main widget, and make sure it got there.

        A widget that is not laid out yet (a pane just shown or just built, a
        view that was hidden) refuses focus without a word, so focus is
        checked after the next refresh and asked for again a few times."""
        pane = self._active_pane()
        if not isinstance(pane, Pane):
            return
        pane.focus_list()
        if tries > 1:
            self.call_after_refresh(self._check_focus, pane, tries - 1)

    def _check_focus(self, pane: Pane, tries: int) -> None:
        if self._active_pane() is not pane:
            return  # another tab was shown meanwhile: its own call focuses it
        focused = self.screen_stack[0].focused
        if focused is None or pane not in focused.ancestors_with_self:
            self._focus_active(tries)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Digits for tabs that do not exist are not keys at all; none switch under a modal."""
        if action == "switch_tab" and parameters:
            number = parameters[0]
            exists = isinstance(number, int) and 1 <= number <= len(self.tabs)
            return exists and not isinstance(self.screen, ModalScreen)
        return True

    def action_switch_tab(self, number: int) -> None:
        """Show the n-th tab (1-based)."""
        if 1 <= number <= len(self.tabs):
            self.show_tab(self.tabs[number - 1].id)

    def show_tab(self, tab_id: str) -> None:
        """Show a tab by id (a pending one is built: `_tab_shown`)."""
        self.query_one("#tabs", TabHost).active = tab_id

    @on(TabHost.TabActivated)
    def _tab_shown(self, event: TabHost.TabActivated) -> None:
        pane_id = event.tab_id
        if event.pane is None:  # pending: built now, and shown by the host once added
            # The keyboard does not stay in the tab just hidden (its keys would
            # act there); a pending tab has nothing to focus.
            self.screen.set_focus(None)
            self.run_worker(
                self._build_tabs(pane_id),
                group="tabs",
                exit_on_error=False,
                description="Building a tab",
            )
            return
        if pane_id in self._stale:
            self._stale.discard(pane_id)
            self._reload(event.pane)
        self._hand_request()
        self._focus_active()

    @on(TabHost.StrayFocus)
    def _stray_focus(self) -> None:
        self.call_after_refresh(self._focus_active)

    @on(TodayPainted)
    def _first_paint(self, message: TodayPainted) -> None:
        """Once the first tab has shown all it shows, build the others (nothing the
        first screen does not show is built or imported before that). Should its
        numbers be slow to come, the others are built a second after its list."""
        if not message.first:
            return
        if message.part == "numbers":  # posted after its refresh: the paint is done
            self._start_building()
        elif message.part == "items":
            self.set_timer(BUILD_FALLBACK_S, self._start_building, name="build tabs")

    def _start_building(self) -> None:
        if self._tabs_started:
            return
        self._tabs_started = True
        if self.settle_heap:
            heap.settle()
        self.run_worker(
            self._build_tabs(),
            group="tabs",
            exit_on_error=False,
            description="Building the tabs",
        )

    async def _build_tabs(self, only: str | None = None) -> None:
        """Build the pending tabs' panes (or only one), in their places. The host shows
        a pane whose tab is shown once it is added, and posts TabActivated again for
        it (`_tab_shown` hands it its request and the keyboard), also when a digit
        showed it while it was being added."""
        tabbed = self.query_one("#tabs", TabHost)
        for spec in self.tabs:
            if only is not None and spec.id != only:
                continue
            if spec.id not in tabbed.pending or spec.id in self._building:
                continue
            self._building.add(spec.id)
            try:
                self.load_tab_styles(spec.id)
                await tabbed.add_pane(spec.build(self._tab_context))
            except Exception:
                self._requests.pop(spec.id, None)  # nothing will take it
                raise
            finally:
                self._building.discard(spec.id)
        if only is None and self.settle_heap:
            heap.settle()  # the built tabs live as long as the App

    @on(TabRequest)
    def _route_request(self, request: TabRequest) -> None:
        """A pane asked another tab to act: show that tab; its pane takes the request."""
        if not any(spec.id == request.tab for spec in self.tabs):
            self.notify(f"There is no {request.tab_title} tab here.", severity="warning")
            return
        self._requests[request.tab] = request  # a newer request for a tab replaces an older
        tabbed = self.query_one("#tabs", TabHost)
        # Focus left in the tab being hidden would be given back to it when the
        # request's modal closes over the new tab (a stray focus: see TabHost).
        tabbed.screen.set_focus(None)
        self.show_tab(request.tab)  # builds it if pending; then it takes the request
        self._hand_request()

    def _hand_request(self) -> None:
        """Give the active pane the request waiting for it, if any (once it is built)."""
        pane = self._active_pane()
        if isinstance(pane, Pane) and pane.id in self._requests:
            pane.take_request(self._requests.pop(pane.id or ""))

    # --- refreshing ----------------------------------------------------------

    def action_refresh(self) -> None:
        """Read the active tab again."""
        pane = self._active_pane()
        if pane is not None:
            self._reload(pane)

    @staticmethod
    def _reload(pane: TabPage) -> None:
        if isinstance(pane, Pane):
            pane.reload_data()

    def _poll_data_version(self) -> None:
        """Something committed (another process, a worker thread or a pane on this
        thread): refresh the active pane, mark the rest stale."""
        version = self.workspace.store.change_counter()
        if version == self._data_version:
            return
        self._data_version = version
        active = self._active_pane()
        self._stale = {spec.id for spec in self.tabs} - {active.id if active else ""}
        if active is not None:
            self._reload(active)

    # --- help and errors -----------------------------------------------------

    def action_help(self) -> None:
        """Show every key active right now."""
        from screens.modals.help import HelpScreen  # only when asked: not before the first paint

        if isinstance(self.screen, HelpScreen):
            return
        pane = self._active_pane()
        under_modal = self.screen is not self.screen_stack[0]
        if isinstance(pane, Pane) and not under_modal:
            self.push_screen(HelpScreen(self.key_help(), pane.help_notes(), pane.help_notes_title))
        else:
            self.push_screen(HelpScreen(self.key_help()))

    def key_help(self) -> list[KeyHelp]:
        """The active bindings, keys of one action joined; ReelRoom's own keys first."""
        groups: dict[tuple[str, str], list[str]] = {}
        ours: set[tuple[str, str]] = set()
        for active in self.screen.active_bindings.values():
            if not active.enabled:
                continue
            binding = active.binding
            description = binding.description or binding.tooltip or binding.action
            if binding.action.startswith("switch_tab("):
                number = int(binding.action[len("switch_tab(") : -1])
                description = f"Go to {self.tabs[number - 1].title}"
            group = (binding.action, description)
            keys = groups.setdefault(group, [])
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
            if binding.id:
                ours.add(group)
        order = sorted(groups, key=lambda g: g not in ours)  # stable: ours, then the rest
        from screens.modals.help import KeyHelp

        return [KeyHelp(" ".join(groups[g]), g[1]) for g in order]

    @on(WorkerFailed)
    def _pane_worker_failed(self, message: WorkerFailed) -> None:
        """A pane's worker failed (panes forward their Worker.StateChanged errors)."""
        self.report_failure(message.what, message.error)

    @on(Worker.StateChanged)
    def _app_worker_failed(self, event: Worker.StateChanged) -> None:
        """One of the App's own workers (building tabs) failed."""
        if event.state == WorkerState.ERROR:
            worker = event.worker
            self.report_failure(worker.description or worker.name, str(worker.error))

    def report_failure(self, what: str, error: str) -> None:
        """Show a background failure to the user; the app keeps running."""
        self.notify(
            f"{what} failed: {error}",
            title="Background work failed",
            severity="error",
            timeout=10,
            markup=False,
        )


def run(
    workspace: Workspace,
    app_type: type[ReelRoomApp] = ReelRoomApp,
    *,
    early_read: EarlyRead | None = None,
    **run_options: Any,
) -> int:
    """Run the TUI on an open workspace; the exit status. `early_read` is Today's
    first read, started before Textual was imported (app.first_read.launch, which
    `reelroom` and bench/startup.py start the App with)."""
    heap.pause()
    try:
        app = app_type(workspace, settle_heap=True, early_read=early_read)
        app.run(**run_options)
    finally:
        heap.settle()
    return app.return_code or 0
