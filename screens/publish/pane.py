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

from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from screens.publish import rows as pr
from screens.publish.actions import PublishActions
from screens.publish.keys import PUBLISH_KEYS
from screens.publish.messages import PublishPainted, QueueLoaded, QueuePageLoaded
from screens.publish.services import PublishServices
from screens.publish.window import Span, read_window
from storage.accounts import AccountRow
from storage.publication_models import Publication
from storage.publish_queue import QueueQuery, key_of
from widgets.footage_table import TableRow
from widgets.queue_table import QueueTable
from widgets.safe_text import visible

PAGE = 100
MAX_WINDOW = 400


class EmptyNote(Static, can_focus=True):
    """What the tab says when it lists nothing; it holds the keyboard meanwhile, so
    the tab's keys (filters, a, r) still work."""


class PublishPane(PublishActions):
    """Publish: the queue by time with state and upload progress, per account."""

    BINDINGS = PUBLISH_KEYS

    def __init__(
        self,
        services: PublishServices,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        title: str = "Publish",
        id: str = "publish",
        page_size: int = PAGE,
        max_window: int = MAX_WINDOW,
    ) -> None:
        super().__init__(title, id=id, db=services)
        self.services = services
        self.clock = clock
        self.zone = zone
        self.page_size = page_size
        self.max_window = max(max_window, 2 * page_size)
        self.filter = pr.FILTERS[0]
        self.query_state = QueueQuery()
        self.rows: list[Publication] = []
        self.accounts: list[AccountRow] = []
        self.counts: dict[str, int] = {}
        self.total = 0
        self.at_start = self.at_end = True
        self._generation = 0
        self._pending: set[str] = set()
        self._read_once = False
        self._width = 80
        self._now = clock()

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

    def highlighted(self) -> Publication | None:
        """The publication under the cursor."""
        key = self.table.highlighted_key
        return next((p for p in self.rows if str(p.id) == key), None)

    # --- reading the window ----------------------------------------------------

    def reload_data(self) -> None:
        """Read the window again around the highlighted publication (around now at first)."""
        self._read_window("anchor" if self._read_once else "now")

    def _read_window(self, mode: str, anchor: Publication | None = None) -> None:
        """Start a window read: "now", "first", "last" or "anchor" (around `anchor`,
        by default the highlighted publication)."""
        self._read_once = True
        self._generation += 1
        self._pending.clear()
        if mode == "anchor" and anchor is None:
            anchor = self.highlighted()
        span = None
        if anchor is not None and anchor is self.highlighted():  # the same rows as now
            index = self.table.cursor_row
            span = Span(
                max(self.page_size // 2, index), max(self.page_size, len(self.rows) - index)
            )
        elif mode == "anchor":
            mode = "now"
        generation, query = self._generation, self.query_state
        self.run_db(
            lambda: read_window(
                self.services,
                generation,
                query,
                mode,
                anchor,
                page=self.page_size,
                now=self.clock(),
                span=span,
            ),
            group="publish-window",
            description="Reading the publish queue",
        )

    @on(QueueLoaded)
    def _show_window(self, message: QueueLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.rows = list(message.rows)
        self.total, self.counts, self.accounts = message.total, message.counts, message.accounts
        self.at_start, self.at_end = message.at_start, message.at_end
        self._now = message.now
        cursor = None if message.cursor_id is None else str(message.cursor_id)
        self._paint_rows(cursor, message.cursor_index)
        if message.top:
            self.call_after_refresh(self.table.scroll_cursor_near_top)
        self._paint_header()
        self.table.check_edges()
        self.call_after_refresh(self.post_message, PublishPainted("window", len(self.rows)))

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

    # --- paging ----------------------------------------------------------------

    @on(QueueTable.NearEdge)
    def _near_edge(self, event: QueueTable.NearEdge) -> None:
        event.stop()
        done = self.at_end if event.edge == "end" else self.at_start
        if done or event.edge in self._pending or not self.rows:
            return
        self._pending.add(event.edge)
        generation, query = self._generation, self.query_state
        edge_row = self.rows[-1] if event.edge == "end" else self.rows[0]
        after, backwards = key_of(edge_row), event.edge == "start"

        def page() -> QueuePageLoaded:
            rows = self.services.queue.page(
                query, after=after, backwards=backwards, limit=self.page_size
            )
            complete = len(rows) < self.page_size
            return QueuePageLoaded(
                generation, event.edge, rows[::-1] if backwards else rows, complete
            )

        self.run_db(
            page, group="publish-page", description="Reading a page of the queue", exclusive=False
        )

    @on(QueuePageLoaded)
    def _add_page(self, message: QueuePageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pending.discard(message.edge)
        table = self.table
        fresh = self._table_rows(message.rows)
        if message.edge == "end":
            self.rows.extend(message.rows)
            self.at_end = message.complete
            table.append_rows(fresh)
            extra = len(self.rows) - self.max_window
            if extra > 0:
                del self.rows[:extra]
                table.drop_front(extra)
                self.at_start = False
        else:
            self.rows[:0] = message.rows
            self.at_start = message.complete
            extra = max(0, len(self.rows) - self.max_window)
            if extra:
                del self.rows[-extra:]
                self.at_end = False
            key = table.highlighted_key
            table.show_rows(
                self._table_rows(self.rows), cursor_key=key, cursor_index=len(message.rows)
            )
        self.call_after_refresh(self.post_message, PublishPainted("page", len(message.rows)))

    @on(QueueTable.JumpRequested)
    def _jump(self, event: QueueTable.JumpRequested) -> None:
        event.stop()
        self._read_window("last" if event.where == "last" else "first")

    def _follow(self, pub: Publication) -> None:
        """Read the window around `pub` (just added: it may not be in the window yet)."""
        self._read_window("anchor", pub)

    def action_go_now(self) -> None:
        """t: the cursor on what goes out next (what just went out above it)."""
        self._read_window("now")

    # --- filters ---------------------------------------------------------------

    def set_query(self, query: QueueQuery) -> None:
        """Show the queue under another filter, around now."""
        self.query_state = query
        self._read_window("now")

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
