"""The Numbers tab: one chart at a time (or its numbers as a table), with filters by key.

`NumbersPane` gets a `NumbersRepo`, a clock, the workspace zone and the
best-time minimum through its constructor. What it shows is one
`model.View`; every key makes a new one and reads that chart's data in a
database worker (`model.read_chart`), which posts `ChartRead`; the handler
draws the chart widget, fills the table and posts `NumbersPainted`. Charts
draw themselves at their own size, so a resize redraws them with no read.
Another tab can ask for a post's report with `ShowPostNumbers`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import ContentSwitcher, Static

from screens.numbers import keys, tables
from screens.numbers import text as tx
from screens.numbers.charts import BoxRows, HeatGrid, Line, LineChart
from screens.numbers.messages import ChartRead, NumbersPainted, ShowPostNumbers
from screens.numbers.model import (
    TIME_MEASURES,
    BestTime,
    Chart,
    ChartData,
    Choices,
    Comparison,
    GroupBy,
    OverTime,
    PostReport,
    View,
    cycle,
    next_measure,
    next_range,
    read_chart,
)
from screens.pane import Pane, TabRequest
from storage.metrics.repo import NumbersRepo
from widgets.lists import KeyedDataTable

BODY_IDS: dict[Chart, str] = {
    Chart.TIME: "numbers-time",
    Chart.BEST: "numbers-best",
    Chart.COMPARE: "numbers-compare",
    Chart.POST: "numbers-post",
}
TABLE_ID = "numbers-table"


class ChartArea(ContentSwitcher, can_focus=True):
    """The charts and the table, one shown at a time; holds the keyboard while a chart shows."""


class NumbersPane(Pane):
    """Numbers: views over time, best time to post, pillar and hook comparison, post report."""

    BINDINGS = keys.NUMBERS_KEYS

    def __init__(
        self,
        repo: NumbersRepo,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        min_count: int = 3,
        title: str = "Numbers",
        id: str = "numbers",
    ) -> None:
        super().__init__(title, id=id, db=repo)
        self.repo = repo
        self.clock = clock
        self.zone = zone
        self.min_count = min_count
        self.view = View()
        self.choices = Choices()
        self.data: ChartData | None = None
        self.shown: View | None = None  # the view whose data is on screen
        self.table_data = tables.Table((), (), ())
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield Static(keys.chart_bar(self.view.chart), id="numbers-charts")
        yield Static("", id="numbers-header")
        with ChartArea(initial=BODY_IDS[Chart.TIME], id="numbers-body"):
            yield LineChart(id=BODY_IDS[Chart.TIME])
            yield HeatGrid(id=BODY_IDS[Chart.BEST])
            yield BoxRows(id=BODY_IDS[Chart.COMPARE])
            yield LineChart(id=BODY_IDS[Chart.POST])
            yield KeyedDataTable(id=TABLE_ID, cursor_type="row", zebra_stripes=True)
        yield Static("", id="numbers-note")

    def fit_width(self, width: int) -> None:
        """Header and note cut again to the new width (the charts redraw themselves)."""
        super().fit_width(width)
        if self.shown is not None and self.data is not None and self.is_mounted:
            self._texts(self.shown, self.data)

    @property
    def body(self) -> ChartArea:
        """The switcher of charts and table."""
        return self.query_one(ChartArea)

    @property
    def table(self) -> KeyedDataTable[str | Text]:
        """The table view of the current chart."""
        return self.query_one(f"#{TABLE_ID}", KeyedDataTable)

    def focus_list(self) -> None:
        """Keyboard to the table when it shows, else to the chart area."""
        (self.table if self.view.table else self.body).focus()

    # --- reading -------------------------------------------------------------

    def reload_data(self) -> None:
        """Read the current view's chart (and the filters' choices) again."""
        self._generation += 1
        generation, view, repo = self._generation, self.view, self.repo
        now, zone, min_count = self.clock(), self.zone, self.min_count

        def read() -> ChartRead:
            choices = Choices(repo.accounts(), repo.pillars())
            data = read_chart(repo, view, now, zone, min_count=min_count)
            return ChartRead(generation, view, data, choices)

        self.run_db(read, group="numbers-chart", description="Reading the numbers")

    def take_request(self, request: TabRequest) -> None:
        """`ShowPostNumbers`: that post's report (its newest publication)."""
        if isinstance(request, ShowPostNumbers):
            self._change(replace(self.view, chart=Chart.POST, post_id=request.post_id))
        else:
            super().take_request(request)

    @on(ChartRead)
    def _chart_read(self, message: ChartRead) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self.choices, self.data, view = message.choices, message.data, message.view
        if isinstance(message.data, PostReport) and message.data.chosen is not None:
            chosen = message.data.chosen.publication_id
            view = replace(view, publication_id=chosen, post_id=None)
            self.view = replace(self.view, publication_id=chosen, post_id=None)
        view = replace(view, table=self.view.table)  # t may have been pressed meanwhile
        self.shown = view
        self._draw(view, message.data)
        self.call_after_refresh(self.post_message, NumbersPainted(view))

    # --- drawing -------------------------------------------------------------

    def _texts(self, view: View, data: ChartData) -> None:
        self.query_one("#numbers-charts", Static).update(keys.chart_bar(view.chart))
        self.query_one("#numbers-header", Static).update(self._header(view, data))
        self.query_one("#numbers-note", Static).update(self._note(view, data))

    def _draw(self, view: View, data: ChartData) -> None:
        self._texts(view, data)
        body = self.query_one(f"#{BODY_IDS[view.chart]}")
        if isinstance(data, OverTime) and isinstance(body, LineChart):
            self._draw_time(body, view, data)
        elif isinstance(data, BestTime) and isinstance(body, HeatGrid):
            body.show(data.grid)
        elif isinstance(data, Comparison) and isinstance(body, BoxRows):
            body.show(data.groups, view.measure[0], empty="No publications in this range.")
        elif isinstance(data, PostReport) and isinstance(body, LineChart):
            self._draw_post(body, data)
        self.table_data = tables.table(data, view)
        self._fill_table()
        self._show_body(view)

    def _fill_table(self) -> None:
        table, data = self.table, self.table_data
        table.clear(columns=True)
        for column in data.columns:
            table.add_column(column, key=column)
        for key, row in zip(data.keys, data.rows, strict=True):
            table.add_row(row[0], *(Text(cell, justify="right") for cell in row[1:]), key=key)

    def _show_body(self, view: View) -> None:
        had_focus = self.app.focused in (self.body, self.table)
        self.body.current = TABLE_ID if view.table else BODY_IDS[view.chart]
        if had_focus:
            self.focus_list()

    def _draw_time(self, chart: LineChart, view: View, data: OverTime) -> None:
        days = [p.day.strftime("%m-%d") for p in data.series.points]
        key = view.measure[0]
        series = data.series
        empty = "No numbers in this range."
        if key == "followers":
            counts = tuple(
                None if f.followers is None else float(f.followers) for f in data.followers
            )
            chart.show([Line("followers", counts)], days, empty=empty)
        elif key == "engagement":
            chart.show(
                [Line("engagement", tuple(series.values("engagement")))],
                days,
                y_text=lambda v: tx.percent(v, 1),
                empty=empty,
            )
        elif key == "completion":
            pct = tuple(None if v is None else v / 100 for v in series.values("avg_view_pct"))
            lines = [
                Line("completion", tuple(series.values("completion"))),
                Line("avg view %", pct, color=1),
            ]
            chart.show(lines, days, y_text=lambda v: tx.percent(v, 0), empty=empty)
        else:
            field = "cumulative_views" if key == "cumulative" else "views"
            chart.show([Line(key, tuple(series.values(field)))], days, empty=empty)

    def _draw_post(self, chart: LineChart, data: PostReport) -> None:
        curve = data.curve
        if curve is None:
            chart.show([], [], empty="No publication with numbers in this range.")
            return
        ages = [tables.age_label(a.age_h) for a in curve.ages]
        lines = [
            Line("this post", tuple(a.views for a in curve.ages)),
            Line("pillar median", tuple(a.pillar_median for a in curve.ages), color=1),
            Line("pillar Q1, Q3", tuple(a.pillar_q1 for a in curve.ages), color=2),
            Line("", tuple(a.pillar_q3 for a in curve.ages), color=2),
        ]
        chart.show(lines, ages, empty="No numbers yet for this publication.")

    def _header(self, view: View, data: ChartData) -> Text:
        first, last, _ = view.span(self.clock(), self.zone)
        parts = []
        if view.chart == Chart.TIME:
            parts.append(view.measure[1])
        elif view.chart == Chart.COMPARE:
            parts.append(f"{view.measure[1]} by {view.compare_by}")
        parts.append(f"{view.days} days to {last:%d %b}")
        parts.append(self.choices.label("account", view.account_id))
        parts.append(self.choices.label("pillar", view.pillar_id))
        text = tx.shown(" · ".join(parts), max(10, self.app.size.width - 2))
        return Text(text, no_wrap=True, overflow="ellipsis")

    def _note(self, view: View, data: ChartData) -> Text:
        width = max(10, self.app.size.width - 2)
        if isinstance(data, OverTime):
            if view.measure[0] == "followers":
                text = "Follower counts are per account: the pillar filter does not change them."
            else:
                points = data.series.points
                views = sum(p.views or 0 for p in points)
                text = f"{views:,} views in {len(points)} days; m: {TIME_MEASURES[(view.time_measure + 1) % len(TIME_MEASURES)][1]}"
        elif isinstance(data, BestTime):
            best = data.grid.best(3)
            text = (
                "Best: "
                + ", ".join(
                    f"{tables.WEEKDAYS[c.weekday]} {c.hour:02d}:00 {tx.short(c.median_views)} ({c.count})"
                    for c in best
                )
                if best
                else f"No slot has {data.grid.min_count} posts with 48-hour numbers yet."
            )
        elif isinstance(data, Comparison):
            other = "hook" if data.by == "pillar" else "pillar"
            text = f"{len(data.groups)} {data.by}s; h: by {other}; m: another measure"
        else:
            text = self._post_note(data)
        return Text(tx.shown(text, width), no_wrap=True, overflow="ellipsis")

    def _post_note(self, data: PostReport) -> str:
        chosen = data.chosen
        if chosen is None:
            return "No publication with numbers in this range."
        index = data.choices.index(chosen) + 1 if chosen in data.choices else 0
        when = chosen.published_at.astimezone(self.zone).strftime("%a %d %b %H:%M")
        pillar = data.curve.pillar if data.curve else "none"
        return (
            f"{index}/{len(data.choices)} {chosen.title} · {chosen.platform} {chosen.handle} · "
            f"{when} · pillar {pillar} · [ ] other posts"
        )

    # --- keys ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Measure, grouping and post keys only on the charts they change."""
        charts = keys.ONLY_ON.get(action)
        if charts is not None and self.view.chart not in charts:
            return False
        return True

    def _change(self, view: View) -> None:
        self.view = view
        self.refresh_bindings()
        self.reload_data()

    def action_chart(self, chart: str) -> None:
        """Show another chart."""
        self._change(replace(self.view, chart=Chart(chart)))

    def action_toggle_table(self) -> None:
        """The chart's numbers as a table, or the chart again (no read needed)."""
        self.view = replace(self.view, table=not self.view.table)
        if self.shown is not None:
            self.shown = replace(self.shown, table=self.view.table)
            self._show_body(self.shown)
            self.focus_list()
            self.call_after_refresh(self.post_message, NumbersPainted(self.shown))

    def action_next_measure(self) -> None:
        """The next measure of the over-time chart or the comparison."""
        self._change(next_measure(self.view))

    def action_group_by(self) -> None:
        """Compare pillars, or hook styles."""
        by: GroupBy = "hook" if self.view.compare_by == "pillar" else "pillar"
        self._change(replace(self.view, compare_by=by))

    def action_next_range(self) -> None:
        """The next date range."""
        self._change(replace(self.view, days=next_range(self.view.days)))

    def action_next_account(self) -> None:
        """Every account, then each in turn."""
        ids = [c.id for c in self.choices.accounts]
        self._change(replace(self.view, account_id=cycle(ids, self.view.account_id)))

    def action_next_pillar(self) -> None:
        """Every pillar, then each in turn (and posts without one)."""
        ids = [c.id for c in self.choices.pillars]
        self._change(replace(self.view, pillar_id=cycle(ids, self.view.pillar_id)))

    def action_step_post(self, step: int) -> None:
        """The report of the next newer (-1) or older (+1) publication in the list."""
        data = self.data
        if not isinstance(data, PostReport) or not data.choices:
            return
        ids = [c.publication_id for c in data.choices]
        here = ids.index(self.view.publication_id) if self.view.publication_id in ids else 0
        there = min(len(ids) - 1, max(0, here + step))
        if there != here:
            self._change(replace(self.view, publication_id=ids[there], post_id=None))
