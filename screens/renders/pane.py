"""The Renders tab: the live list of render jobs, its queue keys and the new-render form.

`RendersPane` gets `RendersServices` (the render repository, the job queue
and the new-render form's callables), a clock and the workspace zone through
its constructor. The list is one bounded query (≤ 500 rows: running first,
then waiting by priority, then the most recently finished) read in a
database worker; `reload_data()` — which the App calls when another process (the
worker) wrote — reads it again and updates the rows in place, the cursor
staying on the same job. `f` cycles the state filter, `c` cancels (after a
yes), `R` retries, `+`/`-` change the priority, Enter opens the detail, `n`
opens the new-render form (the Footage tab's `RenderClips` request opens it
with clips picked).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Sequence
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from screens.modals.confirm import ConfirmScreen
from screens.modals.new_render import (
    ClipChoice,
    NewRenderScreen,
    PostOption,
    RenderFormServices,
    Submitted,
)
from screens.modals.render_detail import RenderDetailScreen
from screens.pane import Pane, TabRequest
from screens.renders import rows as rr
from screens.renders.messages import (
    BoardLoaded,
    JobChanged,
    RenderClips,
    RenderRead,
    RendersPainted,
)
from storage.jobs import JobError, JobQueue
from storage.renders import Render, RenderRepo
from widgets.job_row import JobTable

LIMIT = 500


def describe(render: Render) -> str:
    """ "tiktok, “Sheet-pan fajitas”, running": what a person recognises a job by."""
    parts = [rr.recipe_name(render.recipe)]
    if render.post_id is not None:
        parts.append(f"“{rr.post_text(render)}”")
    return ", ".join([*parts, render.job.state])


@dataclass(frozen=True)
class RendersServices:
    """What the Renders tab reads and writes through (all on one store)."""

    renders: RenderRepo
    queue: JobQueue
    form: RenderFormServices

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.renders.close_connection()


class RendersPane(Pane):
    """Renders: every render job with its progress, and the keys that steer the queue."""

    BINDINGS = [
        Binding(
            "f",
            "cycle_filter",
            "Filter",
            id="renders.filter",
            tooltip="Show all, active, failed, done or cancelled jobs",
        ),
        Binding("n", "new_render", "New", id="renders.new", tooltip="Queue a new render"),
        Binding(
            "c",
            "cancel_job",
            "Cancel",
            id="renders.cancel",
            tooltip="Cancel the highlighted job (asks first)",
        ),
        Binding(
            "R,shift+r",
            "retry_job",
            "Retry",
            id="renders.retry",
            tooltip="Queue a failed, dead or cancelled job again",
        ),
        Binding(
            "plus,equals_sign",
            "priority(1)",
            "Priority+",
            id="renders.raise",
            key_display="+",
            tooltip="Raise the highlighted job's priority",
        ),
        Binding(
            "minus",
            "priority(-1)",
            "Priority-",
            id="renders.lower",
            key_display="-",
            tooltip="Lower the highlighted job's priority",
        ),
    ]

    def __init__(
        self,
        services: RendersServices,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        title: str = "Renders",
        id: str = "renders",
        limit: int = LIMIT,
    ) -> None:
        super().__init__(title, id=id, db=services)
        self.services = services
        self.clock = clock
        self.zone = zone
        self.limit = limit
        self.filter = rr.FILTERS[0]
        self.rows: list[Render] = []
        self.pending: dict[int, str] = {}  # job id -> "cancelling" etc. until the write is done
        self._now = clock()
        self._generation = 0
        self._width = 80

    def compose(self) -> ComposeResult:
        yield Static("", id="renders-header")
        yield JobTable(id="renders-table")

    def fit_width(self, width: int) -> None:
        """Clips, post and tries columns from 120 columns."""
        super().fit_width(width)
        self._width = width
        self.table.set_columns(rr.columns(width))

    @property
    def table(self) -> JobTable:
        """The job table."""
        return self.query_one(JobTable)

    def focus_list(self) -> None:
        """Put the keyboard on the table."""
        self.table.focus()

    def highlighted(self) -> Render | None:
        """The render job under the cursor."""
        key = self.table.highlighted_key
        return next((r for r in self.rows if str(r.id) == key), None)

    # --- reading ---------------------------------------------------------------

    def reload_data(self) -> None:
        """Read the list again (one bounded query); rows update in place."""
        self._generation += 1
        generation, states, services = self._generation, self.filter.states, self.services

        def read() -> BoardLoaded:
            renders = services.renders.board(states=states or None, limit=self.limit)
            counts = services.queue.counts("render")
            return BoardLoaded(generation, renders, counts, self.clock())

        self.run_db(read, group="renders-board", description="Reading the render jobs")

    @on(BoardLoaded)
    def _show(self, message: BoardLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.rows = message.renders
        self._now = message.now
        self._paint_rows()
        counts = message.counts
        if not any(counts.values()):
            text = "No render jobs yet. Press n to queue one (or `reelroom render add`)."
        else:
            text = rr.header(len(self.rows), counts, self.filter) + (
                "" if self.rows else f"   no {self.filter.name} jobs (f shows others)"
            )
        self.query_one("#renders-header", Static).update(text)
        self.call_after_refresh(self.post_message, RendersPainted(len(self.rows)))

    def _paint_rows(self) -> None:
        cells = next(c.width for c in rr.columns(self._width) if c.key == "progress")
        self.table.show_rows(
            [rr.row(r, self._now, cells, self.pending.get(r.id, "")) for r in self.rows]
        )

    def action_cycle_filter(self) -> None:
        """Show the next state filter: all → active → failed → done → cancelled."""
        self.filter = rr.next_filter(self.filter)
        self.reload_data()

    # --- queue actions ---------------------------------------------------------

    def _current(self) -> Render | None:
        render = self.highlighted()
        if render is None:
            self.notify("No job is highlighted.", severity="warning")
        return render

    def action_cancel_job(self) -> None:
        """Ask, then cancel the highlighted job (a running one stops at its next poll)."""
        render = self._current()
        if render is None:
            return
        if render.job.state in ("done", "cancelled", "dead"):
            self.notify(
                f"Job {render.id} is already {render.job.state}; nothing to cancel.",
                severity="warning",
            )
            return
        question = f"Cancel render job {render.id}: {describe(render)}?" + (
            "\nIts worker stops ffmpeg at its next check (within a few seconds)."
            if render.job.state == "running"
            else ""
        )
        job_id = render.id  # the job the person saw highlighted, whatever the rows do meanwhile
        self.app.push_screen(
            ConfirmScreen(question, title="Cancel a render", yes="Cancel job"),
            lambda yes: self._queue_action(job_id, "cancel") if yes else None,
        )

    def action_retry_job(self) -> None:
        """Queue the highlighted failed, dead or cancelled job again."""
        render = self._current()
        if render is not None:
            self._queue_action(render.id, "retry")

    def action_priority(self, step: int) -> None:
        """Raise (+1) or lower (-1) the highlighted job's priority."""
        render = self._current()
        if render is not None:
            self._queue_action(render.id, "priority", render.job.priority + step)

    def _queue_action(self, job_id: int, action: str, priority: int = 0) -> None:
        render = next((r for r in self.rows if r.id == job_id), None)
        what = f"Job {job_id} ({describe(render)})" if render is not None else f"Job {job_id}"
        word = {"cancel": "cancelling", "retry": "queueing again"}.get(action)
        if word:  # shown at once: the write may wait behind the worker's
            self.pending[job_id] = word
            self._paint_rows()

        def write() -> JobChanged:
            queue = self.services.queue
            try:
                if action == "cancel":
                    job = queue.cancel(job_id)
                    text = (
                        f"{what}: cancel requested; its worker stops ffmpeg."
                        if job.state == "running"
                        else f"{what} cancelled."
                    )
                elif action == "retry":
                    job = queue.retry(job_id)
                    text = f"{what} queued again."
                else:
                    job = queue.set_priority(job_id, priority)
                    text = f"{what}: priority {job.priority}."
            except JobError as exc:
                return JobChanged(job_id, f"{exc}.", error=True)
            except Exception as exc:  # said to the person; the row is unmarked again
                return JobChanged(job_id, f"{what} was not changed: {exc}.", error=True)
            return JobChanged(job_id, text)

        self.run_db(write, group="renders-write", description="Changing the job", exclusive=False)

    @on(JobChanged)
    def _job_changed(self, message: JobChanged) -> None:
        message.stop()
        self.pending.pop(message.job_id, None)
        self.notify(
            message.text, severity="error" if message.error else "information", markup=False
        )
        self.reload_data()

    # --- detail ----------------------------------------------------------------

    @on(DataTable.RowSelected, "#renders-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        render = self.highlighted()
        if render is not None:
            self._read_render(render.id)

    def _read_render(self, job_id: int) -> None:
        self.run_db(
            lambda: RenderRead(job_id, self.services.renders.get(job_id)),
            group="renders-detail",
            description="Reading the render job",
        )

    @on(RenderRead)
    def _render_read(self, message: RenderRead) -> None:
        message.stop()
        if message.render is None:
            self.notify(
                f"Job {message.job_id} is gone; the list was read again.", severity="warning"
            )
            self.reload_data()
            return
        view = rr.detail_view(message.render, self.zone, self.clock())
        self.app.push_screen(
            RenderDetailScreen(
                view, message.render.output_path, rr.command_line(message.render.argv)
            )
        )

    # --- new render ------------------------------------------------------------

    def action_new_render(self) -> None:
        """Open the new-render form."""
        self.open_new_render(())

    def take_request(self, request: TabRequest) -> None:
        """`RenderClips` (from the Footage tab's R): the form with those clips picked."""
        if isinstance(request, RenderClips):
            names = request.clip_names
            picked = (
                [ClipChoice(i, n, "") for i, n in zip(request.clip_ids, names, strict=True)]
                if len(names) == len(request.clip_ids)
                else []
            )
            post = (
                PostOption(request.post_id, request.post_title or f"post {request.post_id}")
                if request.post_id is not None
                else None
            )
            self.open_new_render(request.clip_ids, picked=picked, post=post)
        else:
            super().take_request(request)

    def open_new_render(
        self,
        clip_ids: Sequence[int],
        *,
        picked: Sequence[ClipChoice] = (),
        post: PostOption | None = None,
    ) -> None:
        """Open the new-render form with these clips already picked (and their post)."""
        self.app.push_screen(
            NewRenderScreen(self.services.form, clip_ids=clip_ids, picked=picked, post=post),
            self._form_closed,
        )

    def _form_closed(self, result: Submitted | None) -> None:
        if result is None:
            return
        if result.created:
            self.notify(f"Render job {result.job_id} queued.", title="Queued")
        else:
            self.notify(
                f"The same render is already job {result.job_id} ({result.state}); "
                "nothing new was queued.",
                severity="warning",
            )
        self.reload_data()
