"""Pilot tests of the Numbers tab on the demo workspace (real SQLite file, frozen clock).

The App gets only the Numbers tab (DEMO_TABS), a clock frozen at FROZEN and no
polling; every worker is awaited before looking. Each test presses the keys a
person would and compares what the table shows with the storage query for
the same range and filters, read here on the test's own connection.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conftest import FROZEN, Messages, make_app, settle
from textual.widgets import Static

from app.tui import ReelRoomApp
from app.workspace import Workspace, open_workspace
from screens.numbers.charts import BoxRows, HeatGrid, LineChart
from screens.numbers.messages import ChartRead, NumbersPainted, ShowPostNumbers
from screens.numbers.model import BestTime, Chart, Comparison, OverTime, PostReport
from screens.numbers.pane import TABLE_ID, NumbersPane
from storage.metrics import posts, series
from storage.metrics.days import Filter
from widgets.lists import KeyedDataTable

DEMO_TABS = ("numbers",)
ZONE = ZoneInfo("Asia/Shanghai")
LAST = FROZEN.astimezone(ZONE).date()


def pane(app: ReelRoomApp) -> NumbersPane:
    return app.query_one(NumbersPane)


def cells(app: ReelRoomApp) -> list[list[str]]:
    """The table's rows as drawn, each cell's text."""
    table = app.query_one(f"#{TABLE_ID}", KeyedDataTable)
    return [[str(c) for c in table.get_row(key)] for key in table.rows]


def number(text: str) -> float | None:
    """A cell back to its number: "12,345" → 12345, "4.2%" → 4.2, "—" → None."""
    if text == "—":
        return None
    return float(text.replace(",", "").rstrip("%"))


def since(days: int) -> datetime:
    return datetime.combine(LAST - timedelta(days=days - 1), time(0), tzinfo=ZONE)


def first_day(days: int) -> date:
    return LAST - timedelta(days=days - 1)


async def test_views_over_time_table_is_the_query(
    demo_app: ReelRoomApp, messages: Messages
) -> None:
    """The first chart is views per day over 28 days; t shows the same numbers the query gives."""
    ws: Workspace = demo_app.workspace
    async with demo_app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await settle(pilot)
        p = pane(demo_app)
        assert p.view.chart == Chart.TIME and p.view.days == 28 and not p.view.table
        assert isinstance(p.data, OverTime) and messages.of(NumbersPainted)
        assert p.body.current == "numbers-time" and demo_app.focused is p.body
        await pilot.press("t")
        await settle(pilot)
        assert p.view.table and p.body.current == TABLE_ID
        assert demo_app.focused is demo_app.query_one(f"#{TABLE_ID}")
        expected = series.daily(ws.store.conn, first_day(28), LAST, ZONE)
        rows = cells(demo_app)
        assert [r[0] for r in rows] == [pt.day.isoformat() for pt in expected.points]
        assert [number(r[1]) for r in rows] == expected.values("views")
        assert [number(r[2]) for r in rows] == expected.values("cumulative_views")
        assert any(v for v in expected.values("views"))  # the demo has views in the range
        engagement = [
            None if e is None else round(e * 100, 2) for e in expected.values("engagement")
        ]
        assert [number(r[7]) for r in rows] == engagement
        await pilot.press("t")
        await settle(pilot)
        assert not p.view.table and p.body.current == "numbers-time"


async def test_range_account_and_pillar_filters_cycle(demo_app: ReelRoomApp) -> None:
    """d, a and f change the range and filters; the table follows each."""
    ws: Workspace = demo_app.workspace
    conn = ws.store.conn
    accounts = [r[0] for r in conn.execute("SELECT id FROM accounts ORDER BY id")]
    pillars = [r[0] for r in conn.execute("SELECT id FROM pillars ORDER BY id")]
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        p = pane(demo_app)
        await pilot.press("t", "d")
        await settle(pilot)
        assert p.view.days == 90 and len(cells(demo_app)) == 90
        await pilot.press("a")
        await settle(pilot)
        assert p.view.account_id == accounts[0]
        await pilot.press("f", "f")
        await settle(pilot)
        assert p.view.pillar_id == pillars[1]
        flt = Filter(account_ids=(accounts[0],), pillar_ids=(pillars[1],))
        expected = series.daily(conn, first_day(90), LAST, ZONE, flt)
        assert [number(r[1]) for r in cells(demo_app)] == expected.values("views")
        header = str(demo_app.query_one("#numbers-header", Static).render())
        assert "90 days" in header
        for _ in accounts:
            await pilot.press("a")
        await settle(pilot)
        assert p.view.account_id is None  # after the last account: all again
        await pilot.press("d", "d", "d")
        await settle(pilot)
        assert p.view.days == 28  # 90 → 365 → 7 → 28


async def test_measures_and_followers(demo_app: ReelRoomApp) -> None:
    """m steps through the measures; followers' table is the follower query."""
    ws: Workspace = demo_app.workspace
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        p = pane(demo_app)
        for key in ("cumulative", "engagement", "completion", "followers"):
            await pilot.press("m")
            await settle(pilot)
            assert p.view.measure[0] == key
        await pilot.press("t")
        await settle(pilot)
        expected = series.followers(ws.store.conn, first_day(28), LAST, ZONE)
        rows = cells(demo_app)
        assert [number(r[1]) for r in rows] == [f.followers for f in expected]
        assert any(f.followers for f in expected)
        await pilot.press("m")
        await settle(pilot)
        assert p.view.measure[0] == "views"


async def test_best_time_grid_and_its_table(demo_app: ReelRoomApp) -> None:
    """b: the weekday × hour grid; the table lists each slot with posts, too few marked."""
    ws: Workspace = demo_app.workspace
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        p = pane(demo_app)
        await pilot.press("d", "b")  # 90 days
        await settle(pilot)
        assert p.view.chart == Chart.BEST and isinstance(p.data, BestTime)
        grid = posts.best_time_grid(ws.store.conn, ZONE, since=since(90), min_count=3)
        assert p.data.grid == grid
        assert demo_app.query_one(HeatGrid).grid == grid
        await pilot.press("t")
        await settle(pilot)
        rows = cells(demo_app)
        slots = [c for c in grid.cells if c.count]
        assert len(rows) == len(slots) and slots
        for row, cell in zip(rows, slots, strict=True):
            assert int(row[2]) == cell.count
            if cell.median_views is None:
                assert row[3] == "not enough data" and cell.count < 3
            else:
                assert number(row[3]) == round(cell.median_views)
        assert any(c.median_views is not None for c in slots)
        assert any(c.median_views is None for c in slots)
        assert "m" not in demo_app.screen.active_bindings  # no measure here


async def test_best_time_minimum_comes_from_the_config(demo_workspace: Workspace) -> None:
    """[metrics] best_time_min_posts sets the grid's "not enough data" line."""
    config = demo_workspace.home.root / "config.toml"
    config.write_text(config.read_text() + "\n[metrics]\nbest_time_min_posts = 2\n")
    app = make_app(open_workspace(str(demo_workspace.home.root)), "numbers")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        data = pane(app).data
        assert isinstance(data, BestTime) and data.grid.min_count == 2


async def test_comparison_by_pillar_and_hook(demo_app: ReelRoomApp) -> None:
    """c: pillars with quartiles and counts; h: hook styles; m: engagement."""
    ws: Workspace = demo_app.workspace
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        p = pane(demo_app)
        await pilot.press("c", "t")
        await settle(pilot)
        groups = posts.compare_groups(ws.store.conn, "pillar", since=since(28))
        assert isinstance(p.data, Comparison) and p.data.groups == groups
        assert demo_app.query_one(BoxRows).groups == groups
        rows = cells(demo_app)
        assert [r[0] for r in rows] == [g.key for g in groups]
        for row, g in zip(rows, groups, strict=True):
            s = g.views_48h
            assert s is not None and int(row[2]) == s.count
            assert [number(c) for c in row[3:]] == [
                round(v) for v in (s.low, s.q1, s.median, s.q3, s.high)
            ]
        await pilot.press("h", "m")
        await settle(pilot)
        hooks = posts.compare_groups(ws.store.conn, "hook", since=since(28))
        assert p.view.compare_by == "hook" and p.view.measure[0] == "engagement_48h"
        rows = cells(demo_app)
        assert [r[0] for r in rows] == [g.key for g in hooks]
        for row, g in zip(rows, hooks, strict=True):
            s = g.engagement_48h
            assert s is not None and number(row[5]) == round(s.median * 100, 1)


async def test_post_report_steps_through_publications(demo_app: ReelRoomApp) -> None:
    """p: the newest publication against its pillar; ] the next older; the table is the curve."""
    ws: Workspace = demo_app.workspace
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        p = pane(demo_app)
        await pilot.press("p")
        await settle(pilot)
        data = p.data
        assert isinstance(data, PostReport) and data.chosen is not None
        newest = posts.figures(ws.store.conn, since=since(28))[-1]
        assert data.chosen.publication_id == newest.publication_id
        await pilot.press("right_square_bracket", "t")
        await settle(pilot)
        data = p.data
        assert isinstance(data, PostReport) and data.chosen is not None
        assert data.chosen.publication_id == data.choices[1].publication_id
        curves = posts.post_curves(ws.store.conn, data.chosen.post_id)
        curve = next(c for c in curves if c.publication_id == data.chosen.publication_id)
        rows = cells(demo_app)
        assert [number(r[1]) for r in rows] == [a.views for a in curve.ages]
        assert [number(r[2]) for r in rows] == [
            None if a.pillar_median is None else round(a.pillar_median) for a in curve.ages
        ]
        assert [int(r[5]) for r in rows] == [a.peers for a in curve.ages]
        await pilot.press("left_square_bracket", "left_square_bracket")  # stops at the newest
        await settle(pilot)
        assert p.view.publication_id == newest.publication_id


async def test_another_tab_asks_for_a_post_report(demo_app: ReelRoomApp) -> None:
    """ShowPostNumbers(post) opens the post report on that post's publication."""
    ws: Workspace = demo_app.workspace
    old = posts.figures(ws.store.conn)[0]  # the oldest: outside the 28-day range
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        pane(demo_app).post_message(ShowPostNumbers(old.post_id))
        await settle(pilot)
        data = pane(demo_app).data
        assert isinstance(data, PostReport) and data.chosen is not None
        assert data.chosen.post_id == old.post_id and data.curve is not None
        assert pane(demo_app).view.chart == Chart.POST


async def test_charts_redraw_at_the_new_size(demo_app: ReelRoomApp, messages: Messages) -> None:
    """A resize draws the figure again at the widget's size, without reading again."""
    async with demo_app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        chart = demo_app.query_one("#numbers-time", LineChart)
        reads = len(messages.of(ChartRead))
        small = chart.render()
        assert chart.has_values() and len(str(small).splitlines()) == chart.size.height
        await pilot.resize_terminal(160, 48)
        await settle(pilot)
        big = chart.render()
        lines = str(big).splitlines()
        assert chart.size.width > 140 and len(lines) == chart.size.height
        assert max(len(line) for line in lines) == chart.size.width
        assert len(messages.of(ChartRead)) == reads


async def test_help_lists_the_numbers_keys(demo_app: ReelRoomApp) -> None:
    """? lists every key of the tab with what it does."""
    async with demo_app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        described = {k.key: k.description for k in demo_app.key_help()}
        for key, words in {
            "v": "Over time",
            "b": "Best time to post",
            "c": "Comparison",
            "p": "Post report",
            "t": "Table",
            "d": "Range",
            "a": "Account",
            "f": "Pillar",
            "m": "Measure",
        }.items():
            assert described.get(key) == words
        for binding in pane(demo_app).BINDINGS:
            assert getattr(binding, "id", None) and getattr(binding, "tooltip", None)


def _hostile(ws: Workspace) -> None:
    with ws.store.write() as conn:
        conn.execute("UPDATE pillars SET name = ? WHERE id = 1", ("Evil\x1b[31mRED\x07",))


async def test_database_text_cannot_reach_the_terminal(demo_app: ReelRoomApp) -> None:
    """A pillar name with an escape sequence is shown with visible stand-ins, not obeyed."""
    _hostile(demo_app.workspace)
    async with demo_app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c", "t")
        await settle(pilot)
        names = [r[0] for r in cells(demo_app)]
        assert "Evil␛[31mRED␇" in names and not any("\x1b" in n for n in names)
        await pilot.press("f")
        await settle(pilot)
        header = str(demo_app.query_one("#numbers-header", Static).render())
        assert "Evil␛[31mRED␇" in header and "\x1b" not in header


async def test_shift_n_in_the_calendar_opens_the_posts_report(demo_workspace: Workspace) -> None:
    """N on a published post in Calendar shows the Numbers tab's report of that post."""
    from screens.calendar.pane import CalendarPane
    from storage.posts import PostRepo

    ws = demo_workspace
    newest = posts.figures(ws.store.conn)[-1]
    planned = PostRepo(ws.store).get(newest.post_id)
    assert planned is not None and planned.planned_at is not None
    app = make_app(ws, "calendar", "numbers")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        calendar = app.query_one(CalendarPane)
        calendar.select_day(planned.planned_at.astimezone(ws.config.zone).date())
        await settle(pilot)
        for _ in range(12):
            if calendar.current_key() == f"post:{newest.post_id}":
                break
            await pilot.press("j")
            await settle(pilot)
        assert calendar.current_key() == f"post:{newest.post_id}"
        await pilot.press("N")
        await settle(pilot)
        assert app.query_one("#tabs").active == "numbers"  # type: ignore[attr-defined]
        data = pane(app).data
        assert isinstance(data, PostReport) and data.chosen is not None
        assert data.chosen.post_id == newest.post_id
