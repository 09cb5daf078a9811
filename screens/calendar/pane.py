"""The Calendar tab: month, week and agenda views of posts, and the pipeline board.

`CalendarPane` gets a `CalendarRepo`, a `PostRepo`, a clock and the zone
through its constructor. Reads run in a database worker that posts
`CalendarLoaded`; short writes (new post, move, status step) run on the UI
thread's own connection and are followed by a read. Keys: arrows move by
day (up/down by week), `[`/`]` by month (week in week/agenda), `t` today,
`j`/`k` the entry of the day, Enter opens it, `n` new post, `m` arrows Enter
moves a post keeping its local time, `<`/`>` step its status, `/` filter,
`v` next view (month → week → agenda → board).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from screens.calendar import model as cm
from screens.calendar.cache import RangeCache
from screens.calendar.edit import CalendarEditing
from screens.calendar.keys import CALENDAR_KEYS
from screens.calendar.messages import CalendarLoaded, CalendarPainted, PostCardLoaded
from screens.modals.item_detail import ItemDetailScreen
from screens.pane import Pane
from storage.calendar import (
    BoardColumn,
    CalendarRange,
    CalendarRepo,
    PostFilter,
    local_day_bounds,
)
from storage.models import Account, Pillar
from storage.posts import PostRepo
from storage.script_text import DEFAULT_CPM, DEFAULT_WPM
from storage.slots import Slot, SlotSpec
from widgets.board_columns import BoardCol, BoardColumns
from widgets.month_grid import DayCell, MonthGrid
from widgets.safe_text import visible
from widgets.week_view import AgendaView, WeekView


class CalendarPane(CalendarEditing, Pane):
    """Calendar views and the post pipeline board."""

    BINDINGS = CALENDAR_KEYS

    def __init__(
        self,
        repo: CalendarRepo,
        posts: PostRepo,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        words_per_minute: int = DEFAULT_WPM,
        cjk_chars_per_minute: int = DEFAULT_CPM,
        slot_specs: tuple[SlotSpec, ...] = (),
        title: str = "Calendar",
        id: str = "calendar",
        view: str = "month",
    ) -> None:
        super().__init__(title, id=id, db=repo)
        self.repo, self.posts, self.clock, self.zone = repo, posts, clock, zone
        self.wpm, self.cpm = words_per_minute, cjk_chars_per_minute
        self.view = view
        self.selected = clock().astimezone(zone).date()
        self.entry_index = 0
        self.moving: str | None = None
        self.filter = PostFilter()
        self.filter_text = ""
        self.data: CalendarRange | None = None
        self.cells: dict[date, DayCell] = {}
        self.slots: list[Slot] = []
        self.pillars: list[Pillar] = []
        self.accounts: list[Account] = []
        self.board: tuple[BoardCol, ...] = ()
        self.board_cursor = (0, 0)
        self._wanted: tuple[date, date] | None = None
        self._cache = RangeCache()
        self._generation = 0
        self._loaded: tuple[date, date] | None = None
        self._want_key: str | None = None
        self.undo_steps: list[tuple[str, int, dict[str, object]]] = []
        self._slot_specs = slot_specs  # config.toml's [[slots]], added to the DB on first read

    def compose(self) -> ComposeResult:
        yield Static("", id="cal-header")
        yield MonthGrid(id="cal-month")
        yield WeekView(id="cal-week")
        yield AgendaView(id="cal-agenda")
        yield BoardColumns(id="cal-board")
        yield AgendaView(id="cal-day")
        yield Static("", id="cal-legend")
        yield Static("", id="cal-mix")

    def on_mount(self) -> None:
        """Show the first view (the base then reads the data)."""
        self._show_view()

    def fit_width(self, width: int) -> None:
        """Lay the footer out again for the new width."""
        super().fit_width(width)
        self.paint()

    def _view_widget(self) -> Widget:
        return self.query_one(
            {
                "month": "#cal-month",
                "week": "#cal-week",
                "agenda": "#cal-agenda",
                "board": "#cal-board",
            }[self.view]
        )

    def help_notes(self) -> tuple[tuple[str, str], ...]:
        """The glyphs of the month and week views, for ?."""
        return cm.LEGEND

    def focus_list(self) -> None:
        """Put the keyboard on the current view."""
        self._view_widget().focus()

    def _show_view(self) -> None:
        for view, selector in (
            ("month", "#cal-month"),
            ("week", "#cal-week"),
            ("agenda", "#cal-agenda"),
            ("board", "#cal-board"),
        ):
            self.query_one(selector).set_class(view != self.view, "-hidden")
        self.query_one("#cal-day").set_class(self.view != "month", "-hidden")
        self.query_one("#cal-legend").set_class(self.view not in ("month", "week"), "-hidden")
        self.query_one("#cal-mix").set_class(self.view == "board", "-hidden")

    # --- reading -------------------------------------------------------------

    def _range(self) -> tuple[date, date]:
        return cm.view_days("month" if self.view == "board" else self.view, self.selected)

    def reload_data(self) -> None:
        """Read the visible range (and the board when shown) again, forgetting cached reads."""
        self._cache.clear()
        self._generation += 1
        self._request()

    def _request(self) -> None:
        """Show the visible range: from the cache when it holds it, else read it."""
        first, last = self._range()
        self._wanted = (first, last)
        cached = self._cache.get((first, last, self.filter, self.view == "board"))
        if cached is not None:
            self._show_loaded(cached)
            return
        seed, self._slot_specs = self._slot_specs, ()
        self._read(first, last, self.filter, self.view == "board", seed, self._generation)

    def _neighbours(self) -> list[tuple[date, date]]:
        """The previous and next page of the current view."""
        if self.view == "month":
            days = [cm.add_months(self.selected, -1), cm.add_months(self.selected, 1)]
        else:
            days = [self.selected - timedelta(days=7), self.selected + timedelta(days=7)]
        ranges = [cm.view_days(self.view, day) for day in days]
        return [r for r in ranges if (*r, self.filter, False) not in self._cache]

    def _prefetch(self, ranges: list[tuple[date, date]], flt: PostFilter, generation: int) -> None:
        def read() -> None:
            for first, last in ranges:
                message = self._read_range(first, last, flt, False, (), generation, prefetched=True)
                if not self.post_unless_cancelled(message):
                    break

        self.run_db(
            read,
            group="calendar-ahead",
            description="Reading the next and previous page ahead",
            exclusive=False,
        )

    def _read_range(
        self,
        first: date,
        last: date,
        flt: PostFilter,
        with_board: bool,
        seed: tuple[SlotSpec, ...],
        generation: int,
        prefetched: bool = False,
    ) -> CalendarLoaded:
        start, end = local_day_bounds(first, last, self.zone)
        unmatched = self.repo.seed_slots(seed)[1] if seed else []
        data = self.repo.range(start, end, flt)
        slots, accounts = self.repo.slots(), self.repo.accounts()
        pillars = self.posts.pillars()
        board = self.repo.board(flt) if with_board else None
        cells = cm.day_cells(data, slots, self.zone, first, last, flt.account_id)
        return CalendarLoaded(
            first,
            last,
            data,
            cells,
            slots,
            pillars,
            accounts,
            board,
            unmatched,
            flt,
            prefetched,
            generation,
        )

    def _read(
        self,
        first: date,
        last: date,
        flt: PostFilter,
        with_board: bool,
        seed: tuple[SlotSpec, ...],
        generation: int,
    ) -> None:
        self.run_db(
            lambda: self._read_range(first, last, flt, with_board, seed, generation),
            group="calendar",
            description="Reading the calendar",
        )

    @on(CalendarLoaded)
    def _loaded_data(self, message: CalendarLoaded) -> None:
        message.stop()
        if message.unmatched:
            self.notify(
                f"config.toml [[slots]]: no account matches {', '.join(message.unmatched)};"
                " add it under [[accounts]] or fix the name.",
                severity="warning",
            )
        if message.flt != self.filter or message.generation != self._generation:
            return  # read for a filter no longer in force, or before the data changed
        self._cache.put(message)
        if (message.first, message.last) != self._wanted:
            return  # an older read or a read ahead; kept in the cache
        self._show_loaded(message)

    def _show_loaded(self, message: CalendarLoaded) -> None:
        self.data, self.slots = message.data, message.slots
        self.pillars, self.accounts = message.pillars, message.accounts
        self.cells = message.cells
        self._loaded = (message.first, message.last)
        if message.board is not None:
            self._set_board(message.board)
        self._follow_wanted_key()
        self.paint()
        self.call_after_refresh(self.post_message, CalendarPainted(message.first, message.last))
        ahead = self._neighbours() if self.view != "board" else []
        if ahead:
            self._prefetch(ahead, self.filter, self._generation)

    def _set_board(self, columns: list[BoardColumn]) -> None:
        self.board = cm.board_columns(columns, self.zone)
        col, row = self.board_cursor
        col = min(col, len(self.board) - 1)
        self.board_cursor = (col, max(0, min(row, len(self.board[col].cards) - 1)))

    def _follow_wanted_key(self) -> None:
        key, self._want_key = self._want_key, None
        if key is None:
            return
        for c, column in enumerate(self.board):
            for r, card in enumerate(column.cards):
                if card.key == key:
                    self.board_cursor = (c, r)
        for day, cell in self.cells.items():
            keys = [e.key for e in cell.entries]
            if key in keys:
                self.selected, self.entry_index = day, keys.index(key)

    # --- painting ------------------------------------------------------------

    def _entries(self) -> tuple:
        return self.cells.get(self.selected, DayCell(self.selected)).entries

    def current_key(self) -> str | None:
        """The key of the highlighted entry or card ("post:12", "deadline:3"…)."""
        if self.view == "board":
            col, row = self.board_cursor
            if self.board and row < len(self.board[col].cards):
                return self.board[col].cards[row].key
            return None
        entries = self._entries()
        return entries[self.entry_index].key if self.entry_index < len(entries) else None

    def paint(self) -> None:
        """Show the current state in every visible widget."""
        today = self.clock().astimezone(self.zone).date()
        current = self.current_key()
        first, last = self._range()
        shown = cm.with_moving(self.cells, self.moving, self.selected)
        days = tuple(
            shown.get(first + timedelta(days=i), DayCell(first + timedelta(days=i)))
            for i in range((last - first).days + 1)
        )
        if self.view == "month":
            self.query_one(MonthGrid).show(
                self.selected.year,
                self.selected.month,
                shown,
                selected=self.selected,
                today=today,
                marked=self.moving,
            )
            cell = shown.get(self.selected, DayCell(self.selected))
            self.query_one("#cal-day", AgendaView).show(
                (cell,), selected=self.selected, today=today, current=current, marked=self.moving
            )
        elif self.view == "week":
            self.query_one(WeekView).show(
                days, selected=self.selected, today=today, current=current, marked=self.moving
            )
        elif self.view == "agenda":
            self.query_one("#cal-agenda", AgendaView).show(
                days, selected=self.selected, today=today, current=current, marked=self.moving
            )
        else:
            self.query_one(BoardColumns).show(self.board, self.board_cursor)
        header = cm.header(
            self.view,
            self.selected,
            first,
            last,
            cm.describe_filter(self.filter, self.pillars, self.accounts),
            self.moving_title(),
        )
        self.query_one("#cal-header", Static).update(Content(visible(header)), layout=False)
        self.query_one("#cal-legend", Static).update(
            cm.legend_text(max(20, self.app.size.width - 2)), layout=False
        )
        if self.data is not None:
            mix = cm.pillar_mix(self.data.posts, self.pillars)
            self.query_one("#cal-mix", Static).update(
                cm.mix_text(mix, max(20, self.app.size.width - 2)), layout=False
            )

    # --- moving around -------------------------------------------------------

    def select_day(self, day: date) -> None:
        """Select `day`, reading its range when it is not loaded."""
        self.selected, self.entry_index = day, 0
        loaded = self._loaded
        if loaded is None or self._range() != loaded:
            self._request()
        self.paint()

    def action_day(self, days: int) -> None:
        """Arrows: a day (or a week) in the calendar views."""
        self.select_day(self.selected + timedelta(days=days))

    def action_board(self, columns: int, rows: int) -> None:
        """Arrows on the board: the next column or card."""
        col, row = self.board_cursor
        col = max(0, min(len(self.board) - 1, col + columns))
        self._board_to(col, row + rows)

    def _board_to(self, col: int, row: int) -> None:
        if not self.board:
            return
        cards = len(self.board[col].cards)
        self.board_cursor = (col, max(0, min(row, cards - 1)))
        self.paint()

    def action_page(self, step: int) -> None:
        """[ and ]: a month in the month view, a week in week and agenda."""
        if self.view == "month":
            self.select_day(cm.add_months(self.selected, step))
        elif self.view != "board":
            self.select_day(self.selected + timedelta(days=7 * step))

    def action_today(self) -> None:
        """Select today."""
        self.select_day(self.clock().astimezone(self.zone).date())

    def action_entry(self, step: int) -> None:
        """j/k: the next or previous entry of the day (card on the board)."""
        if self.view == "board":
            self._board_to(self.board_cursor[0], self.board_cursor[1] + step)
            return
        count = len(self._entries())
        if count:
            self.entry_index = max(0, min(count - 1, self.entry_index + step))
            self.paint()

    def action_next_view(self) -> None:
        """Month → week → agenda → board → month."""
        self.view = cm.VIEWS[(cm.VIEWS.index(self.view) + 1) % len(cm.VIEWS)]
        self._show_view()
        self.focus_list()
        self._request()
        self.paint()

    @on(MonthGrid.DayClicked)
    def _clicked_day(self, message: MonthGrid.DayClicked) -> None:
        message.stop()
        self.select_day(message.day)

    @on(BoardColumns.CardClicked)
    def _clicked_card(self, message: BoardColumns.CardClicked) -> None:
        message.stop()
        self._board_to(message.column, message.row)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that apply to the view shown (so `?` lists just those)."""
        if action == "cancel_move":
            return self.moving is not None
        if action in ("new_post", "move", "page", "slots", "day", "today"):
            return self.view != "board"
        if action == "board":
            return self.view == "board"
        return True

    # --- opening -------------------------------------------------------------

    def action_open(self) -> None:
        """Enter: drop the post being moved, else open the highlighted entry."""
        if self.moving:
            self._drop()
            return
        key = self.current_key()
        if key is None:
            return
        kind, _, ident = key.partition(":")
        if kind == "deadline" and self.data is not None:
            item = next((d for d in self.data.deadlines if d.id == int(ident)), None)
            if item is not None:
                self.app.push_screen(ItemDetailScreen(cm.deadline_view(item, self.zone)))
            return
        self._read_card(int(ident))

    def _read_card(self, post_id: int) -> None:
        self.run_db(
            lambda: PostCardLoaded(post_id, self.repo.card(post_id, wpm=self.wpm, cpm=self.cpm)),
            group="calendar-card",
            description="Reading the post",
        )

    @on(PostCardLoaded)
    def _show_card(self, message: PostCardLoaded) -> None:
        message.stop()
        if message.card is None:
            self.notify(
                "That post is gone (deleted elsewhere); the calendar was read again.",
                severity="warning",
            )
            self.reload_data()
            return
        self.app.push_screen(ItemDetailScreen(cm.post_view(message.card, self.zone)))
