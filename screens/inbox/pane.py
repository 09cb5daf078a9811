"""The Inbox tab: every account's comments in one paged list, triaged from the keyboard.

`InboxPane` gets `InboxServices` (repositories and the app's inbox
functions), a clock and the workspace zone. The table holds a window of a
few hundred items read by keyset pages (50k items stay quick); nearing
either end reads the next page in a database worker. Enter opens the
thread beside the video's title, hook and script; r replies (a saved reply
inserted with its variables filled, the platform's limit shown), d done,
s spam, t labels, a assign, u undoes your last triage action; o flips the
order (oldest first: the longest-waiting on top), f cycles the state shown,
L the label. Ages and reply-window countdowns come from the clock. The
accounts line says which accounts have no comment API. At 120 columns and
wider labels and the assignee get columns; from 150 the highlighted item's
thread sits beside the list.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Unpack

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Static

from screens.inbox import rows as ir
from screens.inbox.keys import INBOX_KEYS
from screens.inbox.messages import InboxPainted, InboxWindowLoaded, ThreadLoaded, TriageDone
from screens.inbox.services import InboxServices
from screens.inbox.window import InboxPages, read_window
from screens.modals.inbox_label import AssignScreen, LabelScreen
from screens.modals.inbox_reply import ReplyDraft, ReplyLimits, ReplyScreen, SavedChoice
from screens.modals.inbox_thread import ThreadScreen
from screens.paged.pane import PagedPane, PaneOptions
from screens.paged.window import WindowAsk
from storage.inbox import STATES, InboxError, InboxQuery
from storage.inbox_models import AccountBacklog, InboxItem, SavedReply, Thread
from storage.inbox_triage import LABELS
from widgets.footage_table import FootageTable, TableRow

DETAIL_CELLS = 44  # the detail's width from DETAIL_AT columns (app/styles/inbox.tcss)
DETAIL_AT = 150  # the thread sits beside the list from this many columns


class InboxPane(PagedPane[InboxServices, InboxItem, InboxQuery, InboxWindowLoaded]):
    """Inbox: the paged list, the accounts line and (wide) the thread beside it."""

    BINDINGS = INBOX_KEYS

    TITLE, ID = "Inbox", "inbox"
    PAINTED = InboxPainted
    READING = ("inbox", "Reading the inbox", "Reading a page")

    def __init__(self, services: InboxServices, **options: Unpack[PaneOptions]) -> None:
        super().__init__(services, **options)
        self.detail = False
        self._labels_apart = True
        self._backlogs: tuple[list[AccountBacklog], dict[int, str]] = ([], {})

    def _keyset(self) -> InboxPages:
        return InboxPages(self.services.inbox)

    def _first_query(self) -> InboxQuery:
        return InboxQuery()

    def _fetch_window(self, ask: WindowAsk[InboxItem, InboxQuery]) -> InboxWindowLoaded:
        return read_window(self.services, ask)

    def compose(self) -> ComposeResult:
        yield Static("", id="inbox-header")
        yield Static("", id="inbox-accounts")
        with Horizontal(id="inbox-body"):
            yield FootageTable(id="inbox-table")
            with VerticalScroll(id="inbox-detail"):
                yield Static("", id="inbox-detail-body")

    def fit_width(self, width: int) -> None:
        """The thread beside the list from DETAIL_AT columns; columns fitted to the width."""
        had_detail = self.detail
        super().fit_width(width)
        self.detail = width >= DETAIL_AT
        self.set_class(self.detail, "-detail")
        table_width = width - (DETAIL_CELLS if self.detail else 0)
        columns = ir.columns(table_width)
        labels_apart = any(c.key == "labels" for c in columns)
        if labels_apart != self._labels_apart and self.rows:
            self._labels_apart = labels_apart
            self.table.set_columns(columns)
            self.table.show_rows(self._table_rows(self.rows), cursor_key=self.table.highlighted_key)
        else:
            self._labels_apart = labels_apart
            self.table.set_columns(columns)
        if self._backlogs[0]:
            self._show_accounts()
        if self.detail and not had_detail and self.rows:
            self._highlight_changed()

    @property
    def table(self) -> FootageTable:
        """The paged list."""
        return self.query_one("#inbox-table", FootageTable)

    def _hours(self, platform: str) -> int:
        return self.services.window_hours(platform)

    # --- the window ----------------------------------------------------------------------

    def _paint_window(self, message: InboxWindowLoaded, unchanged: bool) -> None:
        self._show_rows_at(message)
        self._show_header()
        self._backlogs = (message.backlogs, message.notes)
        self._show_accounts()
        self._highlight_changed()

    def _show_accounts(self) -> None:
        backlogs, notes = self._backlogs
        self.query_one("#inbox-accounts", Static).update(
            ir.accounts_text(backlogs, notes, self._now, compact=not self.wide)
        )

    def _table_rows(self, rows: list[InboxItem]) -> list[TableRow]:
        return [
            ir.row(i, self._now, self._hours(i.platform), labels_apart=self._labels_apart)
            for i in rows
        ]

    def _show_header(self) -> None:
        self.query_one("#inbox-header", Static).update(
            ir.header_text(self.total, self.query_state, self.query_state.label)
        )

    # --- order and filters ------------------------------------------------------------------

    def action_order(self) -> None:
        """Newest first, or oldest first (oldest unanswered on top in the new list)."""
        order = "oldest" if self.query_state.order == "newest" else "newest"
        self.set_query(replace(self.query_state, order=order))

    def action_filter_state(self) -> None:
        """Show the next state: new, done, spam, all."""
        nxt = STATES[(STATES.index(self.query_state.state) + 1) % len(STATES)]
        self.set_query(replace(self.query_state, state=nxt))

    def action_filter_label(self) -> None:
        """Only items with the next label, then any label again."""
        cycle: list[str | None] = [None, *LABELS]
        nxt = cycle[(cycle.index(self.query_state.label) + 1) % len(cycle)]
        self.set_query(replace(self.query_state, label=nxt))

    # --- one item ------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#inbox-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._highlight_changed()

    def _highlight_changed(self) -> None:
        item = self.highlighted()
        body = self.query_one("#inbox-detail-body", Static)
        if item is None:
            body.update("Nothing here." if not self.rows else "")
        elif self.detail:
            self._read_thread("detail", item.id)

    @on(DataTable.RowSelected, "#inbox-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._on_highlighted("open")

    def action_reply(self) -> None:
        """Reply to the highlighted comment."""
        self._on_highlighted("reply")

    def _on_highlighted(self, purpose: str) -> InboxItem | None:
        item = self.highlighted()
        if item is None:
            self.notify("No comment is highlighted.", severity="warning")
            return None
        if purpose in ("open", "reply"):
            self._read_thread(purpose, item.id)
        return item

    def _read_thread(self, purpose: str, item_id: int) -> None:
        group = "inbox-detail" if purpose == "detail" else "inbox-thread"

        def read() -> ThreadLoaded:
            saved = self.services.saved.all() if purpose == "reply" else []
            return ThreadLoaded(purpose, item_id, self.services.inbox.thread(item_id), saved)

        self.run_db(read, group=group, description="Reading the thread")

    @on(ThreadLoaded)
    def _thread_loaded(self, message: ThreadLoaded) -> None:
        message.stop()
        thread = message.thread
        if thread is None:
            self.notify("That comment is gone; the inbox was read again.", severity="warning")
            self.reload_data()
            return
        hours = self._hours(thread.item.platform)
        if message.purpose == "detail":
            current = self.highlighted()
            if current is not None and current.id == thread.item.id:
                self.query_one("#inbox-detail-body", Static).update(
                    ir.thread_content(thread, self._now, self.zone, hours)
                )
        elif message.purpose == "open":
            self.app.push_screen(
                ThreadScreen(
                    f"{thread.item.account} · {ir.one_line(thread.item.author)}",
                    ir.thread_content(thread, self._now, self.zone, hours),
                    ir.video_content(thread),
                ),
                lambda pressed: self._after_thread(thread, pressed),
            )
        elif message.purpose == "reply":
            self._open_reply(thread, message.saved)

    def _after_thread(self, thread: Thread, pressed: str | None) -> None:
        if pressed == "reply":
            self._read_thread("reply", thread.item.id)

    def _open_reply(self, thread: Thread, saved: list[SavedReply]) -> None:
        item = thread.item
        if item.own or item.deleted or not item.can_reply:
            self.notify("The platform takes no reply to this one.", severity="warning")
            return
        hours = self._hours(item.platform)

        def limits(text: str) -> ReplyLimits:
            check = self.services.check(item, text)
            return ReplyLimits(
                check.length, check.limit, ir.countdown(item, hours, self.clock()), check.problem
            )

        self.app.push_screen(
            ReplyScreen(
                f"Reply to {ir.one_line(item.author)} · {item.account}",
                item.body,
                [SavedChoice(s.name, s.body) for s in saved],
                lambda name: self.services.fill(item, name),
                limits,
                self._now,
            ),
            lambda draft: self._replied(item, draft),
        )

    def _replied(self, item: InboxItem, draft: ReplyDraft | None) -> None:
        if draft is None:
            return

        def queue() -> str:
            reply = self.services.queue_reply(item.id, draft.text, draft.saved)
            return f"reply {reply.id} queued; the worker sends it"

        self._write(item.id, queue, move_on=True)

    # --- triage --------------------------------------------------------------------------

    def _toggle(self, state: str) -> None:
        item = self._on_highlighted("triage")
        if item is None:
            return
        target = "new" if item.status == state else state
        actor = self.services.actor

        def change() -> str | None:
            changed = self.services.triage.set_state(item.id, target, actor=actor)
            return f"marked {target}" if changed else None

        self._write(item.id, change, move_on=target != "new")

    def action_done(self) -> None:
        """Done (pressed on a done item: back to new)."""
        self._toggle("done")

    def action_spam(self) -> None:
        """Spam, hidden from the new list (pressed on a spam item: back to new)."""
        self._toggle("spam")

    def action_label(self) -> None:
        """Edit the highlighted item's labels."""
        item = self._on_highlighted("triage")
        if item is None:
            return
        actor = self.services.actor

        def chosen(labels: list[str] | None) -> None:
            if labels is None:
                return

            def change() -> str | None:
                changed = self.services.triage.set_labels(item.id, labels, actor=actor)
                return ("labels " + (", ".join(labels) or "cleared")) if changed else None

            self._write(item.id, change)

        self.app.push_screen(LabelScreen(LABELS, item.labels), chosen)

    def action_assign(self) -> None:
        """Give the highlighted item to a teammate (an OS user name)."""
        item = self._on_highlighted("triage")
        if item is None:
            return
        actor = self.services.actor

        def chosen(name: str | None) -> None:
            if name is None:
                return

            def change() -> str | None:
                changed = self.services.triage.assign(item.id, name or None, actor=actor)
                return (f"assigned to {name}" if name else "unassigned") if changed else None

            self._write(item.id, change)

        self.app.push_screen(AssignScreen(item.assignee, self.services.teammates(), actor), chosen)

    def action_undo(self) -> None:
        """Undo your last triage action (a reply only while it has not left)."""
        actor = self.services.actor

        def undo() -> str | None:
            undone = self.services.triage.undo(actor)
            return None if undone is None else f"undid {undone.action}"

        item = self.highlighted()
        self._write(item.id if item else 0, undo, nothing="Nothing to undo.")

    def _write(
        self,
        item_id: int,
        change: Callable[[], object],
        *,
        move_on: bool = False,
        nothing: str | None = None,
    ) -> None:
        def write() -> TriageDone | None:
            try:
                what = change()
            except InboxError as exc:
                self.app.call_from_thread(self.notify, str(exc), severity="warning", markup=False)
                return TriageDone(item_id, None)
            if not what and nothing:
                self.app.call_from_thread(self.notify, nothing, severity="information")
            return TriageDone(item_id, str(what) if what else None, move_on)

        self.run_db(write, group="inbox-write", description="Saving triage", exclusive=False)

    @on(TriageDone)
    def _triaged(self, message: TriageDone) -> None:
        message.stop()
        if message.what:
            self.notify(message.what, markup=False)
        if message.move_on and self.highlighted() is not None:
            index = self.table.cursor_row
            if index + 1 < self.table.row_count:
                self.table.move_cursor(row=index + 1, animate=False)
        self.reload_data()
