"""The Today tab: a keyboard triage list of what needs attention now.

`TodayPane` gets a `TodayRepo`, a clock and the workspace zone through its
constructor. Enter opens an item's detail, whose own footer offers what can be
done from there: open the post's script (the Scripts tab), retry a failed
render, reschedule the post (the edit form, on its day), mark the item
handled (Today leaves it out for the rest of the day). Every read runs in a
thread with its own SQLite connection: a database worker of the pane base that
posts a typed message, which handlers show. The first frame holds the rows:
`reelroom` hands the pane Today as read by a child process while the App
started (`early_read`, app/first_read.py); without it, the first read alone
is waited for as the pane mounts (at most FIRST_READ_WAIT_S, `_first_read`).
One read (screens/today/reading.py) gives the rows and yesterday's numbers;
the numbers are read again only when their snapshots changed. `reload_data()`
re-runs the bounded queries, keeping the highlighted row. At 120 columns and
wider the numbers move from a strip above the list to a side panel.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Callable
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList

from screens.messages import (
    DetailLoaded,
    NumbersLoaded,
    PostToReschedule,
    TodayChanged,
    TodayLoaded,
    TodayPainted,
)
from screens.pane import Pane
from screens.today import rows as today_rows
from screens.today.reading import TodayRead, read_today
from storage.deals.money import DEFAULT_LOCALE
from storage.today import TodayRepo
from widgets.numbers_strip import NumbersStrip
from widgets.triage_list import TriageList

if TYPE_CHECKING:
    from screens.modals.edit_post import PostEdit
    from screens.modals.item_detail import DetailView


FIRST_READ_WAIT_S = 0.25  # how long the first read is waited for (see TodayPane._first_read)


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
        early_read: Callable[[], TodayRead | None] | None = None,
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
        self._render_posts: dict[int, int] = {}  # render job -> its post, read with the detail
        self._first_read_done = False
        self._early_read = early_read  # Today read before the App started (or None)

    def compose(self) -> ComposeResult:
        yield NumbersStrip(id="today-numbers")
        yield TriageList(id="today-list")

    def fit_width(self, width: int) -> None:
        """Numbers as a strip below 120 columns, as a side panel from there."""
        super().fit_width(width)
        self.query_one(NumbersStrip).compact = not self.wide

    def focus_list(self) -> None:
        """Put the keyboard on the triage list (unless it is there: focusing draws
        the list again, and at start the screen has already given it the keys)."""
        triage = self.query_one(TriageList)
        if not triage.has_focus:
            triage.focus()

    # --- reading -------------------------------------------------------------

    def reload_data(self) -> None:
        """Read Today again (bounded queries in workers); the highlight stays put."""
        self._load_items()

    def _load_items(self) -> None:
        """The triage items and, in the same read, yesterday's numbers when their day
        or their roll-ups changed (a few hundred rows: no second round trip), so
        both are drawn in one refresh. The first read is waited for (see
        `_first_read`); later ones post their messages."""
        if not self._first_read_done:
            self._first_read_done = True
            early = self._early_read() if self._early_read is not None else None
            if early is not None:  # read at start-up, while the App was being built
                self._show_read(*_messages(early))
                return
            if self._first_read():
                return

        self._run_read(self._read_today)

    def _read_today(self) -> tuple[TodayLoaded, NumbersLoaded | None]:
        """From a thread: Today's rows, laid out, and the numbers if they changed."""
        # The numbers' key shown: on the same day with the same sums they still hold.
        shown = self._numbers_key
        return _messages(read_today(self.repo, self.clock(), self.zone, self.locale, shown))

    def _first_read(self) -> bool:
        """Read Today in a thread and wait for it (at most FIRST_READ_WAIT_S), so the
        first frame already holds the rows: True when they were shown.

        Posting the rows instead costs a second layout of the whole screen and a
        frame, and while the App is starting the reading thread gets the GIL only
        between the event loop's slices (about 5 ms at a time for each of the
        reads' statements). Waiting here frees the GIL for it. The read runs in
        its own thread with its own connection, as every read does; a read that
        is slow (or fails) goes on in a worker, whose message or error arrives as
        any other's.
        """

        def read() -> tuple[TodayLoaded, NumbersLoaded | None]:
            try:
                return self._read_today()
            finally:
                self.repo.close_connection()

        first: Future[tuple[TodayLoaded, NumbersLoaded | None]] = Future()

        def run() -> None:
            first.set_running_or_notify_cancel()
            try:
                first.set_result(read())
            except BaseException as error:  # handed to whoever waits for it
                first.set_exception(error)

        # A daemon: a read stuck on a lost database must not hold up the exit.
        threading.Thread(target=run, name="today-first-read", daemon=True).start()
        try:
            items, numbers = first.result(timeout=FIRST_READ_WAIT_S)
        except Exception:  # slow, or failed: a worker takes it over
            self._run_read(first.result)
            return False
        self._show_read(items, numbers)
        return True

    def _show_read(self, items: TodayLoaded, numbers: NumbersLoaded | None) -> None:
        self._show_items(items)
        if numbers is not None:
            self._show_numbers(numbers)

    def _run_read(self, read: Callable[[], tuple[TodayLoaded, NumbersLoaded | None]]) -> None:
        """Run `read` in the pane's Today worker, which posts the rows, then the numbers."""

        def work() -> TodayLoaded | None:
            items, numbers = read()
            if numbers is None:
                return items
            if self.post_unless_cancelled(items):
                self.post_unless_cancelled(numbers)
            return None

        self.run_db(work, group="today", description="Reading Today")

    @on(TodayLoaded)
    def _show_items(self, message: TodayLoaded) -> None:
        message.stop()
        triage = self.query_one(TriageList)
        triage.show_sections(message.sections)
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
        from screens.today import details as views  # when an item is first opened

        kind, _, rest = key.partition(":")
        ident = int(rest.split(":")[-1])
        zone = self.zone
        if kind == "publication":
            failed = self.repo.failed_publication(int(rest.split(":")[0]))
            if failed is not None:
                return views.failed_publication_view(failed, zone)
        if kind in ("post", "publication"):
            post = self.repo.post_detail(ident)
            if post is None:
                return None
            more = ("reschedule",) if kind == "post" else ()
            return replace(
                views.post_view(post, zone),
                actions=("open_script", *more, "handled"),
            )
        if kind == "render":
            render = self.repo.render_detail(ident)
            if render is None:
                return None
            actions: tuple[str, ...] = (
                ("retry_render",) if render.state in ("failed", "dead") else ()
            )
            if render.post_id is not None:
                actions += ("open_script",)
                self._render_posts[ident] = render.post_id
            return replace(views.render_view(render, zone), actions=(*actions, "handled"))
        view: DetailView | None
        if kind == "inbox":
            inbox = self.repo.inbox_detail(ident)
            view = None if inbox is None else views.inbox_view(inbox, zone)
        elif kind == "login":
            logins = self.repo.logins_needed().items
            login = next((a for a in logins if a.account_id == ident), None)
            view = None if login is None else views.login_view(login, zone)
        elif kind == "deliverable":
            item = self.repo.deliverable_detail(ident)
            view = None if item is None else views.deliverable_view(item, zone, self.locale)
        elif kind == "invoice":
            overdue = self.repo.overdue_invoices(self.clock()).items
            bill = next((i for i in overdue if i.id == ident), None)
            view = None if bill is None else views.invoice_view(bill, zone, self.locale)
        else:
            raise ValueError(f"unknown Today item {key!r}")
        return None if view is None else replace(view, actions=("handled",))

    def action_publish(self) -> None:
        """p: open the new-publication form for the highlighted post (or publication's post)."""
        option = self.query_one(TriageList).highlighted_option
        key = option.id if option is not None else None
        kind, _, rest = (key or "").partition(":")
        if kind not in ("post", "publication"):
            self.notify("Highlight a post or a publication first.", severity="warning")
            return
        from screens.publish.messages import PublishPost  # on p: not before the first paint

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

        key = message.key
        self.app.push_screen(ItemDetailScreen(message.view), lambda action: self._act(key, action))

    # --- what a detail can do ------------------------------------------------

    def _act(self, key: str, action: str | None) -> None:
        kind, _, rest = key.partition(":")
        ident = int(rest.split(":")[-1])
        if action == "open_script":
            post_id = ident if kind in ("post", "publication") else None
            if kind == "render":
                post_id = self._render_posts.get(ident)
            if post_id is not None:
                from screens.scripts.messages import OpenScript  # on use, not at start

                self.post_message(OpenScript(post_id))
        elif action == "retry_render":
            self._write(lambda: self._retry(ident))
        elif action == "reschedule":
            from storage.posts import PostRepo

            posts = PostRepo(self.repo.store)
            self.run_db(
                lambda: PostToReschedule(posts.get(ident), posts.pillars()),
                group="today-reschedule",
                description="Reading the post",
            )
        elif action == "handled":
            now = self.clock()
            self._write(
                lambda: self._handled(key, now),
            )

    def _retry(self, job_id: int) -> TodayChanged:
        from storage.jobs import JobError, JobQueue

        try:
            job = JobQueue(self.repo.store).retry(job_id)
        except JobError as exc:
            return TodayChanged(f"{exc}.", error=True)
        return TodayChanged(f"Render job {job.id} queued again (the Renders tab shows it).")

    def _handled(self, key: str, now: datetime) -> TodayChanged:
        self.repo.mark_handled(key, now)
        return TodayChanged("Marked handled: Today leaves it out for the rest of the day.")

    def _write(self, write: Callable[[], TodayChanged]) -> None:
        self.run_db(write, group="today-write", description="Saving", exclusive=False)

    @on(TodayChanged)
    def _changed(self, message: TodayChanged) -> None:
        message.stop()
        self.notify(message.text, severity="error" if message.error else "information")
        self.reload_data()

    @on(PostToReschedule)
    def _reschedule(self, message: PostToReschedule) -> None:
        message.stop()
        post = message.post
        if post is None:
            self.notify("That post is gone; Today was read again.", severity="warning")
            self.reload_data()
            return
        from screens import post_edit
        from screens.modals.edit_post import EditPostScreen

        pillars, statuses = post_edit.choices(message.pillars)
        self.app.push_screen(
            EditPostScreen(
                post_edit.current_values(post, self.zone),
                pillars=pillars,
                statuses=statuses,
                focus="day",
            ),
            lambda edit: self._rescheduled(post.id, edit),
        )

    def _rescheduled(self, post_id: int, edit: PostEdit | None) -> None:
        if edit is None:
            return
        from screens import post_edit
        from storage.posts import PostRepo

        changes = post_edit.changes(edit, self.zone)
        posts = PostRepo(self.repo.store)

        def write() -> TodayChanged:
            saved = posts.edit(post_id, **changes)
            if saved is None:
                return TodayChanged("That post is gone; nothing was saved.", error=True)
            when = (
                saved.planned_at.astimezone(self.zone).strftime("%a %d %b %H:%M")
                if saved.planned_at
                else "unplanned"
            )
            return TodayChanged(f"“{saved.title}” is now planned {when}.")

        self._write(write)


def _messages(read: TodayRead) -> tuple[TodayLoaded, NumbersLoaded | None]:
    """A read as the messages a Today worker posts: the rows, then the numbers if read."""
    items = TodayLoaded(read.sections)
    if read.numbers is None or read.key is None:
        return items, None
    return items, NumbersLoaded(read.numbers, read.key)
