"""The base of a tab whose table holds a window of rows paged from SQLite (keyset pages).

`PagedPane[S, R, Q, W]` (the tab's services S, rows of type R read under
queries of type Q, the tab's `WindowLoaded` message W) keeps a window of a
few hundred rows in `rows` and its table:

- `reload_data()` reads the window again around the highlighted row (the
  same span of rows as now, so nothing jumps), or from `HOME` ("first"; a tab
  may define its own mode, e.g. Publish's "now") when nothing is highlighted;
  `set_query(query)` reads from `HOME` under another filter or order.
- Each read bumps a generation: an answer to an older read is dropped.
- Near either end of the window the table posts `NearEdge`: the page next to
  it is read (once at a time per edge) and added; past `max_window` rows the
  other end is trimmed. g/G (`JumpRequested`) read the first/last page.
- Workers never touch widgets: the window read (`_fetch_window`: WindowAsk
  → the tab's `WindowLoaded`) and the page reads (through `_keyset()`) run
  in `run_db` workers; the handlers here paint.

A tab takes `(services, **options: Unpack[PaneOptions])` and gives its
TITLE, ID, READING (worker group and descriptions) and PAINTED message, its
keyset pages (`_keyset`), first query (`_first_query`) and window reader
(`_fetch_window`), its table (`table`), its rows' cells (`_table_rows`) and
what it shows with a new window (`_paint_window`, which paints the rows, e.g. with
`_show_rows_at`); `_show_header` shows a query about to be read (optional).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, ClassVar, Generic, Required, TypedDict, TypeVar
from zoneinfo import ZoneInfo

from textual import on

from screens.paged.messages import PageLoaded, WindowLoaded, WindowPainted
from screens.paged.window import Keyed, Keyset, Span, WindowAsk
from screens.pane import HasConnection, Pane
from widgets.footage_table import FootageTable, TableRow

S = TypeVar("S", bound=HasConnection)  # the tab's services
R = TypeVar("R", bound=Keyed)  # a row
Q = TypeVar("Q")  # the query rows are read under
W = TypeVar("W", bound=WindowLoaded[Any, Any])  # the tab's window message

PAGE = 100
MAX_WINDOW = 400


class PaneOptions(TypedDict, total=False):
    """A paged tab's constructor options besides its services (`**options` of each tab)."""

    clock: Required[Callable[[], datetime]]
    zone: Required[ZoneInfo]
    title: str  # by default the tab's TITLE
    id: str  # by default the tab's ID
    page_size: int
    max_window: int


class PagedPane(Pane, Generic[S, R, Q, W]):
    """A tab's pane over a paged table (see the module docstring)."""

    TITLE: ClassVar[str] = ""
    ID: ClassVar[str] = ""
    HOME: ClassVar[str] = "first"  # the window read when there is no row to stay on
    PAINTED: ClassVar[type[WindowPainted]] = WindowPainted
    READING: ClassVar[tuple[str, str, str]] = ("list", "Reading the list", "Reading a page")

    def __init__(
        self,
        services: S,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        title: str | None = None,
        id: str | None = None,
        page_size: int = PAGE,
        max_window: int = MAX_WINDOW,
    ) -> None:
        super().__init__(
            self.TITLE if title is None else title, id=self.ID if id is None else id, db=services
        )
        self.services = services
        self.clock = clock
        self.zone = zone
        self.page_size = page_size
        self.max_window = max(max_window, 2 * page_size)
        self.keyset = self._keyset()
        self.query_state = self._first_query()
        self.rows: list[R] = []
        self.total = 0
        self.at_start = self.at_end = True
        self._generation = 0
        self._pending: set[str] = set()
        self._now = clock()

    # --- what the tab gives ----------------------------------------------------

    def _keyset(self) -> Keyset[R, Q, Any]:
        """The keyset pages of the tab's rows (read in workers)."""
        raise NotImplementedError

    def _first_query(self) -> Q:
        """The query the tab opens with."""
        raise NotImplementedError

    def _fetch_window(self, ask: WindowAsk[R, Q]) -> W:
        """Read a window (in a worker thread): the tab's window reader."""
        raise NotImplementedError

    @property
    def table(self) -> FootageTable:
        """The paged table."""
        raise NotImplementedError

    def _table_rows(self, rows: list[R]) -> list[TableRow]:
        """The table's rows for these rows."""
        raise NotImplementedError

    def _paint_window(self, message: W, unchanged: bool) -> None:
        """Show a new window (already in `rows`, `total`, `at_start`/`at_end`);
        `unchanged`: the same rows and count as before."""
        self._show_rows_at(message)

    def _show_header(self) -> None:
        """Show the query about to be read (a tab with a header overrides this)."""

    # --- the window ------------------------------------------------------------

    def focus_list(self) -> None:
        """Put the keyboard on the table."""
        self.table.focus()

    def highlighted(self) -> R | None:
        """The row under the cursor."""
        key = self.table.highlighted_key
        return next((r for r in self.rows if str(r.id) == key), None)

    def reload_data(self) -> None:
        """Read the window again around the highlighted row (from `HOME` at first)."""
        self._read_window("anchor")

    def set_query(self, query: Q) -> None:
        """Show the list under another filter or order, from `HOME`."""
        self.query_state = query
        self._show_header()
        self._read_window(self.HOME)

    def _read_window(self, mode: str, anchor: R | None = None) -> None:
        """Start a window read: "first", "last", a tab's own mode, or "anchor" (around
        `anchor`, by default the highlighted row; `HOME` when there is none)."""
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
        elif mode == "anchor":  # nothing highlighted, or `anchor` is not (Publish's `_follow`)
            mode = self.HOME
        generation, query, read = self._generation, self.query_state, self._fetch_window
        area, reading, _ = self.READING
        self.run_db(
            lambda: read(
                WindowAsk(generation, query, mode, anchor, self.page_size, self.clock(), span)
            ),
            group=f"{area}-window",
            description=reading,
        )

    @on(WindowLoaded)
    def _show_window(self, message: W) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        window = message.window
        unchanged = bool(window.rows == self.rows and message.total == self.total and self.rows)
        self.rows, self.total = list(window.rows), message.total
        self.at_start, self.at_end = window.at_start, window.at_end
        self._now = message.now
        self._paint_window(message, unchanged)
        self.table.check_edges()
        self.call_after_refresh(self.post_message, self.PAINTED("window", len(self.rows)))

    def _show_rows_at(self, message: W) -> None:
        """Paint `rows`, the cursor on the window's cursor row (else at its index)."""
        window = message.window
        self.table.show_rows(
            self._table_rows(self.rows),
            cursor_key=None if window.cursor_id is None else str(window.cursor_id),
            cursor_index=window.cursor_index,
        )

    # --- paging ----------------------------------------------------------------

    @on(FootageTable.NearEdge)
    def _near_edge(self, event: FootageTable.NearEdge) -> None:
        event.stop()
        edge = event.edge
        done = self.at_end if edge == "end" else self.at_start
        if done or edge in self._pending or not self.rows:
            return
        self._pending.add(edge)
        generation, query, keyset, limit = (
            self._generation,
            self.query_state,
            self.keyset,
            self.page_size,
        )
        row = self.rows[-1] if edge == "end" else self.rows[0]

        def page() -> PageLoaded[R]:
            rows, complete = keyset.edge_page(query, row, edge, limit)
            return PageLoaded(generation, edge, rows, complete)

        area, _, reading = self.READING
        self.run_db(page, group=f"{area}-page", description=reading, exclusive=False)

    @on(PageLoaded)
    def _add_page(self, message: PageLoaded[R]) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pending.discard(message.edge)
        table = self.table
        if message.edge == "end":
            self.rows.extend(message.rows)
            self.at_end = message.complete
            table.append_rows(self._table_rows(message.rows))
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
        self.call_after_refresh(self.post_message, self.PAINTED("page", len(message.rows)))

    @on(FootageTable.JumpRequested)
    def _jump_requested(self, event: FootageTable.JumpRequested) -> None:
        event.stop()
        self.jump(last=event.where == "last")

    def jump(self, *, last: bool) -> None:
        """g/Home and G/End: read the first or the last page."""
        self._read_window("last" if last else "first")
