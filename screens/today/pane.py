"""The Today tab: a keyboard triage list of what needs attention now.

`TodayPane` gets a `TodayRepo`, a clock and the workspace zone through its
constructor. Every read runs in a database worker of the pane base (its own
SQLite connection) that posts a typed message; handlers update the widgets. The triage list is
read first; yesterday's numbers are read once the list is on screen, and only
when their snapshots changed. `reload_data()`
re-runs the bounded queries, keeping the highlighted row. At 120 columns and
wider the numbers move from a strip above the list to a side panel.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList

from screens.messages import DetailLoaded, NumbersLoaded, TodayLoaded, TodayPainted
from screens.pane import Pane
from screens.publish.messages import PublishPost
from screens.today import rows as today_rows
from storage.deals.money import DEFAULT_LOCALE
from storage.today import TodayRepo
from widgets.numbers_strip import NumbersStrip
from widgets.triage_list import TriageList

if TYPE_CHECKING:
    from screens.modals.item_detail import DetailView


class TodayPane(Pane):
    """Today: triage sections and yesterday's numbers."""

    BINDINGS = [
        Binding(
            "p",
            "publish",
            "Publish",
            id="today.publish",
            tooltip="Publish the highlighted post: the new-publication form (Publish tab)",
        ),
    ]

    def __init__(
        self,
        repo: TodayRepo,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        locale: str = DEFAULT_LOCALE,
        title: str = "Today",
        id: str = "today",
    ) -> None:
        super().__init__(title, id=id, db=repo)
        self.repo = repo
        self.clock = clock
        self.zone = zone
        self.locale = locale
        self._painted: set[str] = set()
        self._numbers_key: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield NumbersStrip(id="today-numbers")
        yield TriageList(id="today-list")

    def fit_width(self, width: int) -> None:
        """Numbers as a strip below 120 columns, as a side panel from there."""
        super().fit_width(width)
        self.query_one(NumbersStrip).compact = not self.wide

    def focus_list(self) -> None:
        """Put the keyboard on the triage list."""
        self.query_one(TriageList).focus()

    # --- reading -------------------------------------------------------------

    def reload_data(self) -> None:
        """Read Today again (bounded queries in workers); the highlight stays put."""
        self._load_items()

    def _load_items(self) -> None:
        """The triage items and, in the same read, yesterday's numbers when their day
        or their roll-ups changed (a few hundred rows: no second round trip), so
        both are drawn in one refresh."""

        def read() -> TodayLoaded | None:
            now = self.clock()
            items = TodayLoaded(self.repo.items(now, self.zone), now)
            key = self.repo.numbers_key(now, self.zone)
            if key != self._numbers_key:  # same day, same sums: the numbers shown still hold
                numbers = NumbersLoaded(self.repo.numbers(now, self.zone), key)
                if self.post_unless_cancelled(items):
                    self.post_unless_cancelled(numbers)
                return None
            return items

        self.run_db(read, group="today", description="Reading Today")

    @on(TodayLoaded)
    def _show_items(self, message: TodayLoaded) -> None:
        message.stop()
        triage = self.query_one(TriageList)
        triage.show_sections(
            today_rows.sections(message.items, message.now, self.zone, self.locale)
        )
        self._painted_part("items")

    @on(NumbersLoaded)
    def _show_numbers(self, message: NumbersLoaded) -> None:
        message.stop()
        self._numbers_key = message.key
        day, figures = today_rows.figures(message.numbers)
        self.query_one(NumbersStrip).show_figures(day, figures)
        self._painted_part("numbers")

    def _painted_part(self, part: str) -> None:
        first = part not in self._painted
        self._painted.add(part)
        self.call_after_refresh(self.post_message, TodayPainted(part, first))

    # --- details -------------------------------------------------------------

    @on(OptionList.OptionSelected, "#today-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._load_detail(event.option.id)

    def _load_detail(self, key: str) -> None:
        self.run_db(
            lambda: DetailLoaded(key, self._detail_view(key)),
            group="today-detail",
            description="Reading the item",
        )

    def _detail_view(self, key: str) -> DetailView | None:
        kind, _, rest = key.partition(":")
        ident = int(rest.split(":")[-1])
        zone = self.zone
        if kind == "publication":
            failed = self.repo.failed_publication(int(rest.split(":")[0]))
            if failed is not None:
                return today_rows.failed_publication_view(failed, zone)
        if kind in ("post", "publication"):
            post = self.repo.post_detail(ident)
            return None if post is None else today_rows.post_view(post, zone)
        if kind == "render":
            render = self.repo.render_detail(ident)
            return None if render is None else today_rows.render_view(render, zone)
        if kind == "inbox":
            inbox = self.repo.inbox_detail(ident)
            return None if inbox is None else today_rows.inbox_view(inbox, zone)
        if kind == "login":
            logins = self.repo.logins_needed().items
            login = next((a for a in logins if a.account_id == ident), None)
            return None if login is None else today_rows.login_view(login, zone)
        if kind == "deliverable":
            item = self.repo.deliverable_detail(ident)
            return None if item is None else today_rows.deliverable_view(item, zone, self.locale)
        if kind == "invoice":
            overdue = self.repo.overdue_invoices(self.clock()).items
            bill = next((i for i in overdue if i.id == ident), None)
            return None if bill is None else today_rows.invoice_view(bill, zone, self.locale)
        raise ValueError(f"unknown Today item {key!r}")

    def action_publish(self) -> None:
        """p: open the new-publication form for the highlighted post (or publication's post)."""
        option = self.query_one(TriageList).highlighted_option
        key = option.id if option is not None else None
        kind, _, rest = (key or "").partition(":")
        if kind not in ("post", "publication"):
            self.notify("Highlight a post or a publication first.", severity="warning")
            return
        self.post_message(PublishPost(int(rest.split(":")[-1])))

    @on(DetailLoaded)
    def _show_detail(self, message: DetailLoaded) -> None:
        message.stop()
        if message.view is None:
            self.notify(
                "That item is gone (changed elsewhere); Today was read again.", severity="warning"
            )
            self.reload_data()
            return
        from screens.modals.item_detail import ItemDetailScreen  # on Enter, not at start

        self.app.push_screen(ItemDetailScreen(message.view))
