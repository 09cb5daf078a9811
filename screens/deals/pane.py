"""The Deals tab: every brand deal on a board of stages or in a list, and the keys that
move them.

`DealsPane` gets `DealsServices` (the deal and invoice repositories, how to read a
deal whole, the zone and money locale) and a clock. One bounded read (every deal with
its next deadline, the overdue invoices) runs in a database worker; `reload_data()`
reads again (also when another process wrote), keeping the cursor on the same deal.

Keys: v board ⇄ list; on the board h/l (←/→) move between stages and j/k (↑/↓)
within one; Enter opens the deal's detail (screens/deals/detail.py); > and < move
the highlighted deal one stage on or back and x marks it lost, each after a
confirmation naming the deal; a adds a deliverable to it; n opens the new-deal form
(screens/deals/new_deal.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Static

from screens.deals import rows as dr
from screens.deals.detail import DealDetailScreen, confirm_stage_text
from screens.deals.forms import AddDeliverableScreen
from screens.deals.messages import DealChanged, DealsLoaded, DealsPainted
from screens.deals.services import DealsServices
from screens.modals.confirm import ConfirmScreen
from screens.pane import Pane
from storage.deals.models import Deal
from storage.deals.repo import DealError, NewDeal, NewDeliverable, next_stage
from storage.timefmt import utcnow
from storage.vocab import DealStage
from widgets.board_columns import BoardCol, BoardColumns
from widgets.lists import KeyedDataTable


def _b(
    key: str,
    action: str,
    text: str,
    name: str,
    tip: str,
    show: bool = True,
    display: str | None = None,
) -> Binding:
    return Binding(
        key, action, text, id=f"deals.{name}", tooltip=tip, show=show, key_display=display
    )


DEALS_KEYS: list[BindingType] = [
    _b("v", "toggle_view", "Board/List", "view", "Switch between the board and the list"),
    _b("enter", "open", "Open", "open", "Open the highlighted deal"),
    _b(
        "greater_than_sign",
        "stage(1)",
        "Stage →",
        "stage_on",
        "Move the deal to the next stage (asks first)",
        display=">",
    ),
    _b(
        "less_than_sign",
        "stage(-1)",
        "← Stage",
        "stage_back",
        "Move the deal back a stage (asks first)",
        display="<",
    ),
    _b("x", "lost", "Lost", "lost", "Mark the highlighted deal lost (asks first)", show=False),
    _b("a", "add_deliverable", "Deliverable", "add", "Add a deliverable to the highlighted deal"),
    _b("n", "new_deal", "New deal", "new", "Add a deal: partner, title, fee, stage, dates"),
    _b("h,left", "column(-1)", "Stage left", "left", "Board: the stage to the left", show=False),
    _b("l,right", "column(1)", "Stage right", "right", "Board: the stage to the right", show=False),
    _b("j,down", "card(1)", "Next deal", "down", "Board: the next deal of the stage", show=False),
    _b(
        "k,up",
        "card(-1)",
        "Previous deal",
        "up",
        "Board: the previous deal of the stage",
        show=False,
    ),
]


class DealsPane(Pane):
    """Deals: board and list by stage."""

    BINDINGS = DEALS_KEYS

    def __init__(
        self,
        services: DealsServices,
        *,
        clock: Callable[[], datetime] = utcnow,
        title: str = "Deals",
        id: str = "deals",
    ) -> None:
        super().__init__(title, id=id, db=services)
        self.services = services
        self.clock = clock
        self.view = "board"
        self.deals: list[Deal] = []
        self.board: tuple[BoardCol, ...] = ()
        self.cursor = (0, 0)
        self._generation = 0
        self._width = 80
        self._want: int | None = None  # the deal the cursor should land on after a read

    def compose(self) -> ComposeResult:
        yield Static("", id="deals-header")
        yield BoardColumns(id="deals-board")
        table: KeyedDataTable[str] = KeyedDataTable(
            id="deals-table", cursor_type="row", classes="-hidden"
        )
        yield table

    def fit_width(self, width: int) -> None:
        """The list's columns follow the width (fee from 120)."""
        super().fit_width(width)
        if width != self._width:
            self._width = width
            if self.deals:
                self.paint()

    def focus_list(self) -> None:
        """The keyboard goes to the board or the list, whichever is shown."""
        self.query_one("#deals-board" if self.view == "board" else "#deals-table").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Board moves only on the board (the list has its own j/k)."""
        if action in ("column", "card"):
            return self.view == "board"
        return True

    # --- reading -------------------------------------------------------------------

    def reload_data(self) -> None:
        """Every deal (one bounded read), and the overdue invoices."""
        self._generation += 1
        generation, services = self._generation, self.services

        def read() -> DealsLoaded:
            now = self.clock()
            return DealsLoaded(
                generation, services.deals.listing(), services.invoices.overdue(now).items, now
            )

        self.run_db(read, group="deals", description="Reading the deals")

    @on(DealsLoaded)
    def _loaded(self, message: DealsLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        want = self._want if self._want is not None else self.highlighted_id()
        self._want = None
        self.deals = message.deals
        self.board = dr.board(self.deals, self.services.zone)
        self._land_on(want)
        self.query_one("#deals-header", Static).update(
            dr.header(self.deals, message.overdue, self.view, message.now, self.services.zone)
        )
        self.paint(want)
        self.call_after_refresh(self.post_message, DealsPainted(self.view, len(self.deals)))

    def _land_on(self, deal_id: int | None) -> None:
        if deal_id is not None:
            for c, column in enumerate(self.board):
                for r, card in enumerate(column.cards):
                    if card.key == str(deal_id):
                        self.cursor = (c, r)
                        return
        index = min(self.cursor[0], len(self.board) - 1)
        if not self.board[index].cards:  # an empty stage: the first stage with a deal
            index = next((c for c, col in enumerate(self.board) if col.cards), index)
        self.cursor = (index, max(0, min(self.cursor[1], len(self.board[index].cards) - 1)))

    # --- painting ------------------------------------------------------------------

    def paint(self, keep: int | None = None) -> None:
        """Show the board or the list; the list's cursor on `keep` (default: where it is)."""
        board = self.query_one("#deals-board", BoardColumns)
        table = self.query_one("#deals-table", KeyedDataTable)
        board.set_class(self.view != "board", "-hidden")
        table.set_class(self.view != "list", "-hidden")
        if self.view == "board":
            board.show(self.board, self.cursor)
            return
        cols = dr.columns(self._width)
        keep = keep if keep is not None else self.highlighted_id()
        table.clear(columns=True)
        for col in cols:
            table.add_column(col.title, width=col.width, key=col.key)
        for deal in self.deals:
            table.add_row(
                *dr.row(deal, cols, self.services.zone, self.services.locale), key=str(deal.id)
            )
        if keep is not None:
            index = next((i for i, d in enumerate(self.deals) if d.id == keep), 0)
            table.move_cursor(row=index)

    def highlighted_id(self) -> int | None:
        """The deal under the cursor (board or list)."""
        if self.view == "list":
            table = self.query_one("#deals-table", KeyedDataTable)
            if table.row_count and 0 <= table.cursor_row < len(self.deals):
                return self.deals[table.cursor_row].id
            return None
        col, row = self.cursor
        if self.board and col < len(self.board) and row < len(self.board[col].cards):
            return int(self.board[col].cards[row].key)
        return None

    def highlighted(self) -> Deal | None:
        found = self.highlighted_id()
        return next((d for d in self.deals if d.id == found), None)

    def action_toggle_view(self) -> None:
        """Board ⇄ list, the cursor on the same deal."""
        keep = self.highlighted_id()
        self.view = "list" if self.view == "board" else "board"
        self._land_on(keep)
        self.paint(keep)
        header = self.query_one("#deals-header", Static)
        header.update(dr.header(self.deals, (), self.view, self.clock(), self.services.zone))
        self.reload_data()
        self.focus_list()

    def action_column(self, step: int) -> None:
        if not self.board:
            return
        col = max(0, min(len(self.board) - 1, self.cursor[0] + step))
        self.cursor = (col, min(self.cursor[1], max(0, len(self.board[col].cards) - 1)))
        self.paint()

    def action_card(self, step: int) -> None:
        if not self.board:
            return
        col, row = self.cursor
        self.cursor = (col, max(0, min(len(self.board[col].cards) - 1, row + step)))
        self.paint()

    @on(BoardColumns.CardClicked)
    def _clicked(self, event: BoardColumns.CardClicked) -> None:
        event.stop()
        self.cursor = (event.column, event.row)
        self.paint()

    # --- acting --------------------------------------------------------------------

    def _current(self) -> Deal | None:
        deal = self.highlighted()
        if deal is None:
            self.notify("No deal is highlighted.", severity="warning")
        return deal

    @on(DataTable.RowSelected, "#deals-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        """The highlighted deal's detail."""
        deal = self._current()
        if deal is None:
            return

        def closed(changed: bool | None) -> None:
            if changed:
                self._want = deal.id
                self.reload_data()

        self.app.push_screen(DealDetailScreen(self.services, deal.id, self.clock), closed)

    def action_stage(self, step: int) -> None:
        """Ask, then move the highlighted deal one stage on (1) or back (-1)."""
        deal = self._current()
        if deal is not None:
            self._ask_stage(deal, next_stage(deal.stage, step))

    def action_lost(self) -> None:
        """Ask, then mark the highlighted deal lost."""
        deal = self._current()
        if deal is not None:
            self._ask_stage(deal, None if deal.stage == DealStage.LOST else DealStage.LOST)

    def _ask_stage(self, deal: Deal, new: DealStage | None) -> None:
        if new is None:
            self.notify(
                f"Deal {deal.id} is {deal.stage_label}: no stage that way.", severity="warning"
            )
            return
        question = confirm_stage_text(deal.title, deal.partner, deal.id, deal.stage, new)

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(deal.id, lambda: self._move(deal.id, new))

        self.app.push_screen(ConfirmScreen(question), answered)

    def _move(self, deal_id: int, stage: DealStage) -> str:
        deal, old = self.services.deals.set_stage(deal_id, stage.value, actor="tui")
        return f"Deal {deal.id}: {old.replace('_', ' ')} → {deal.stage_label}."

    def action_add_deliverable(self) -> None:
        """The new-deliverable form for the highlighted deal."""
        deal = self._current()
        if deal is None:
            return

        def done(new: object) -> None:
            if isinstance(new, NewDeliverable):
                self._write(deal.id, lambda: self._add(new))

        self.app.push_screen(
            AddDeliverableScreen(deal.id, dr.safe(deal.title), self.services.zone), done
        )

    def action_new_deal(self) -> None:
        """The new-deal form; the cursor lands on the deal once it is stored."""
        from screens.deals.new_deal import NewDealScreen

        def done(new: object) -> None:
            if isinstance(new, NewDeal):
                self._write(None, lambda: self._add_deal(new))

        self.app.push_screen(NewDealScreen(self.services.zone), done)

    def _add_deal(self, new: NewDeal) -> DealChanged:
        deal = self.services.deals.add(new, actor="tui")
        return DealChanged(
            f"Deal {deal.id} added: {deal.partner} · {deal.title} ({deal.stage_label}).",
            deal_id=deal.id,
        )

    def _add(self, new: NewDeliverable) -> str:
        item = self.services.deals.add_deliverable(new, actor="tui")
        return f"Deliverable {item.id} added to deal {item.deal_id}."

    def _write(self, deal_id: int | None, job: Callable[[], str | DealChanged]) -> None:
        def write() -> DealChanged:
            try:
                done = job()
            except (DealError, ValueError) as exc:
                return DealChanged(f"{exc}.", error=True)
            return done if isinstance(done, DealChanged) else DealChanged(done)

        self._want = deal_id
        self.run_db(write, group="deals-write", description="Changing the deal", exclusive=False)

    @on(DealChanged)
    def _changed(self, message: DealChanged) -> None:
        message.stop()
        if message.deal_id is not None:
            self._want = message.deal_id
        self.notify(
            message.text, severity="error" if message.error else "information", markup=False
        )
        self.reload_data()
