"""The base of every tab's pane: the App's calls, width, worker failures, database workers.

A tab's pane subclasses `Pane` (a TabPage), passing its title, id and what
closes its thread's SQLite connection (a repository or a services object):

    class NotesPane(Pane):
        def __init__(self, repo: NotesRepo, *, title: str = "Notes", id: str = "notes"):
            super().__init__(title, id=id, db=repo)

        def reload_data(self) -> None:
            self.run_db(lambda: NotesRead(self.repo.list()), group="notes",
                        description="Reading the notes")

What the base gives every pane:

- The calls the App makes, declared here: `focus_list()` (keyboard to the
  pane's main widget), `reload_data()` (read again: on mount, `r`, another
  process wrote, a stale tab shown), `take_request(request)` (act on a
  `TabRequest` another tab posted, e.g. "open the new-render form").
- Width: on mount and whenever the terminal's width changes, `fit_width(app
  width)` sets `self.wide` and the `-wide` class from `WIDE_COLUMNS` (120); a
  pane that lays out more overrides `fit_width` and calls
  `super().fit_width(width)` first. A Resize at the width already fitted (one
  comes each time a tab is shown) does not call it: nothing would change.
- Mount: `fit_width`, then `reload_data()`. A pane's own `on_mount` runs just
  before (Textual calls the handler of every class; do not call super()).
- Worker failures: `Worker.StateChanged` does not bubble, so the base turns an
  error into a `WorkerFailed` message the App shows as a notification.
- `run_db(read, group=…, description=…)`: `read` runs in a thread worker
  (exclusive in its group unless told otherwise, errors forwarded as above);
  the thread's connection is closed after it, and the message `read`
  returns is posted to the pane unless the worker was cancelled meanwhile
  (None posts nothing). A read that posts as it goes (several pages) calls
  `post_unless_cancelled` itself. Workers never touch widgets: the pane's
  `@on(ThatMessage)` handler does.

A tab whose table pages a big list from SQLite (keyset pages, a window of a
few hundred rows) subclasses `PagedPane` (screens/paged/pane.py) instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar, Protocol

from textual import on
from textual.events import Mount, Resize
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

from screens.messages import WorkerFailed
from widgets.tab_page import TabPage


class HasConnection(Protocol):
    """What a pane's workers close when they end: the thread's SQLite connection."""

    def close_connection(self) -> None: ...


@dataclass
class TabRequest(Message):
    """A pane asks another tab to act (subclass it, naming the tab in `tab`).

    The App shows that tab (building its pane first if it is still
    pending) and hands the request to the pane's `take_request` once the
    pane is built and shown.
    """

    tab: ClassVar[str] = ""  # the id of the tab that takes the request
    tab_title: ClassVar[str] = ""  # its title, for "There is no … tab here."


class Pane(TabPage):
    """A tab's pane (see the module docstring for what the base does)."""

    WIDE_COLUMNS: ClassVar[int] = 120

    def __init__(self, title: str, *, id: str, db: HasConnection) -> None:
        super().__init__(title, id=id)
        self.db = db
        self.wide = False

    # --- what the App calls --------------------------------------------------

    def focus_list(self) -> None:
        """Put the keyboard on the pane's main widget (the first focusable one here)."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def reload_data(self) -> None:
        """Read the pane's data again (a pane with data overrides this)."""

    def help_notes(self) -> tuple[tuple[str, str], ...]:
        """(what is typed or shown, what it means) lines `?` shows under the keys: a
        syntax, a legend (titled by `help_notes_title`)."""
        return ()

    help_notes_title = "What you see"

    def take_request(self, request: TabRequest) -> None:
        """Act on a request another tab sent here (a pane that takes some overrides this)."""
        self.notify(f"{self.id} cannot do {type(request).__name__}.", severity="warning")

    # --- width ---------------------------------------------------------------

    def fit_width(self, width: int) -> None:
        """Lay the pane out for a terminal `width` columns wide (`-wide` from WIDE_COLUMNS)."""
        self.wide = width >= self.WIDE_COLUMNS
        self.set_class(self.wide, "-wide")

    _fitted_width: int | None = None  # the width fit_width last laid the pane out for

    def _fit(self) -> None:
        width = self.app.size.width
        if width != self._fitted_width:
            self._fitted_width = width
            self.fit_width(width)

    @on(Mount)
    def _pane_mounted(self) -> None:
        self._fit()
        self.reload_data()

    @on(Resize)
    def _pane_resized(self) -> None:
        self._fit()

    # --- workers -------------------------------------------------------------

    def run_db(
        self,
        read: Callable[[], Message | None],
        *,
        group: str,
        description: str,
        exclusive: bool = True,
    ) -> Worker[None]:
        """Run `read` in a thread worker; post the message it returns (see the module docstring)."""

        def work() -> None:
            try:
                message = read()
            finally:
                self.db.close_connection()
            if message is not None:
                self.post_unless_cancelled(message)

        return self.run_worker(
            work,
            thread=True,
            exclusive=exclusive,
            exit_on_error=False,
            group=group,
            description=description,
        )

    def post_unless_cancelled(self, message: Message) -> bool:
        """From a worker thread: post `message` unless the worker was cancelled; False if it was."""
        if get_current_worker().is_cancelled:
            return False
        self.post_message(message)
        return True

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """Hand worker errors to the App, which shows them."""
        if event.state == WorkerState.ERROR:
            worker = event.worker
            self.post_message(WorkerFailed(worker.description or worker.name, str(worker.error)))
