"""The Publish tab: the publish queue by time, live, and the keys that steer it.

`PublishPane` gets `PublishServices` (the queue and publication
repositories, the form's and edit's checks), a clock and the workspace zone
through its constructor. The table holds one window of the queue read by
keyset pages (storage/publish_queue.py): it opens around now (what just
went out above, what goes out next below), moving near either end of the
window reads the next page, g/G read the first/last page, `t` goes back to
now. `reload_data()` — which the App calls when another process (the
worker) wrote — reads the window again around the highlighted publication,
and rows that changed are updated in place (an upload's progress ticks).
`f` cycles the state filter, `@` the account. Enter opens the detail; `e`,
`R`, `c`, `n`, `y`, `a` and the `PublishPost` request other tabs send are
in screens/publish/actions.py.
"""

from __future__ import annotations

from typing import Unpack

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from screens.paged.pane import PaneOptions
from screens.paged.window import WindowAsk
from screens.publish import rows as pr
from screens.publish.actions import PublishActions
from screens.publish.keys import PUBLISH_KEYS
from screens.publish.messages import PublishPainted, QueueLoaded
from screens.publish.services import PublishServices
from screens.publish.window import QueuePages, read_window
from storage.accounts import AccountRow
from storage.publication_models import Publication
from storage.publish_queue import QueueQuery
from widgets.footage_table import TableRow
from widgets.queue_table import QueueTable
from widgets.safe_text import visible


class EmptyNote(Static, can_focus=True):
    """What the tab says when it lists nothing; it holds the keyboard meanwhile, so
    the tab's keys (filters, a, r) still work."""


class PublishPane(PublishActions):
    """Publish: the queue by time with state and upload progress, per account."""

    BINDINGS = PUBLISH_KEYS

    HOME = "now"
    TITLE, ID = "Publish", "publish"
    PAINTED = PublishPainted
    READING = ("publish", "Reading the publish queue", "Reading a page of the queue")

    def __init__(self, services: PublishServices, **options: Unpack[PaneOptions]) -> None:
        super().__init__(services, **options)
        self.filter = pr.FILTERS[0]
        self.accounts: list[AccountRow] = []
        self.counts: dict[str, int] = {}
        self._width = 80

    def _keyset(self) -> QueuePages:
        return QueuePages(self.services.queue)

    def _first_query(self) -> QueueQuery:
        return QueueQuery()

    def _fetch_window(self, ask: WindowAsk[Publication, QueueQuery]) -> QueueLoaded:
        return read_window(self.services, ask)

    def compose(self) -> ComposeResult:
        yield Static("", id="publish-header")
        yield Static("", id="publish-accounts")
        yield QueueTable(near=max(2, min(25, self.page_size // 4)), id="publish-table")
        yield EmptyNote("", id="publish-empty")

    def fit_width(self, width: int) -> None:
        """Tries and a URL/error/note column from 120 columns."""
        super().fit_width(width)
        self._width = width
        self.table.set_columns(pr.columns(width))
        if self.rows:
            self._paint_rows()
        self._paint_header()

    @property
    def table(self) -> QueueTable:
        """The queue's table."""
        return self.query_one(QueueTable)

    def focus_list(self) -> None:
        """Put the keyboard on the table (on the empty note while nothing is listed)."""
        if self.table.display:
            self.table.focus()
        else:
            self.query_one(EmptyNote).focus()

    # --- the window ------------------------------------------------------------

    def _paint_window(self, message: QueueLoaded, unchanged: bool) -> None:
        self.counts, self.accounts = message.counts, message.accounts
        window = message.window
        cursor = None if window.cursor_id is None else str(window.cursor_id)
        self._paint_rows(cursor, window.cursor_index)
        if message.top:
            self.call_after_refresh(self.table.scroll_cursor_near_top)
        self._paint_header()

    def _paint_rows(self, cursor_key: str | None = None, cursor_index: int | None = None) -> None:
        table = self.table
        keep = table.highlighted_key if cursor_key is None else cursor_key
        index = table.cursor_row if cursor_index is None else cursor_index
        table.show_rows(self._table_rows(self.rows), cursor_key=keep, cursor_index=index)

    def _table_rows(self, pubs: list[Publication]) -> list[TableRow]:
        cells = next((c.width for c in pr.columns(self._width) if c.key == "progress"), 9)
        labels = pr.account_labels(self.accounts, self.wide)
        return [pr.row(p, self._now, self.zone, cells, labels) for p in pubs]

    def _paint_header(self) -> None:
        empty = not self.rows
        note = self.query_one(EmptyNote)
        had_focus = self.table.has_focus or note.has_focus
        self.table.display = not empty
        note.display = empty
        if had_focus:
            self.focus_list()
        if empty:
            note.update(
                Content(pr.empty_text(self.accounts, sum(self.counts.values()), self.filter))
            )
        self.query_one("#publish-header", Static).update(
            Content(
                visible(
                    pr.header(
                        self.filter,
                        self.query_state,
                        self.accounts,
                        self.total,
                        self.counts,
                        self.wide,
                    )
                )
            )
        )
        self.query_one("#publish-accounts", Static).update(
            Content(visible(pr.accounts_line(self.accounts, self._now) if self.accounts else ""))
        )

    def action_go_now(self) -> None:
        """t: the cursor on what goes out next (what just went out above it)."""
        self._read_window("now")

    # --- filters ---------------------------------------------------------------

    def action_cycle_filter(self) -> None:
        """All → to go → failed → published → cancelled → all."""
        self.filter = pr.next_filter(self.filter)
        self.set_query(QueueQuery(self.filter.states, self.query_state.account_id))

    def action_cycle_account(self) -> None:
        """Every account → the first → the next … → every account."""
        ids = [a.id for a in self.accounts]
        current = self.query_state.account_id
        if not ids:
            self.notify(
                "There are no accounts yet (`reelroom accounts add …`).", severity="warning"
            )
            return
        following = ids[ids.index(current) + 1] if current in ids[:-1] else None
        following = ids[0] if current is None else following
        self.set_query(QueueQuery(self.filter.states, following))
