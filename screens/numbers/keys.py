"""The Numbers tab's keys (ids and tooltips for the help and the footer), and the chart bar.

Chart keys are letters (the digits switch tabs): v over time, b best time,
c comparison, p post report. m changes the measure, h groups the comparison
by pillar or hook, d the date range, a the account, f the pillar, t shows
the numbers as a table, [ and ] step through the post report's posts.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding, BindingType

from screens.numbers.model import CHART_TITLES, Chart

CHART_KEYS: dict[Chart, str] = {
    Chart.TIME: "v",
    Chart.BEST: "b",
    Chart.COMPARE: "c",
    Chart.POST: "p",
}

NUMBERS_KEYS: list[BindingType] = [
    *(
        Binding(
            key,
            f"chart('{chart.value}')",
            CHART_TITLES[chart],
            id=f"numbers.chart_{chart.value}",
            show=False,
            tooltip=f"Show the {CHART_TITLES[chart].lower()} chart",
        )
        for chart, key in CHART_KEYS.items()
    ),
    Binding("t", "toggle_table", "Table", id="numbers.table", tooltip="Chart or its numbers"),
    Binding(
        "m",
        "next_measure",
        "Measure",
        id="numbers.measure",
        tooltip="What the chart shows: views, cumulative, engagement, completion, followers",
    ),
    Binding(
        "h",
        "group_by",
        "Pillar/hook",
        id="numbers.group_by",
        tooltip="Compare pillars or hook styles",
    ),
    Binding("d", "next_range", "Range", id="numbers.range", tooltip="Last 7, 28, 90 or 365 days"),
    Binding("a", "next_account", "Account", id="numbers.account", tooltip="All accounts or one"),
    Binding("f", "next_pillar", "Pillar", id="numbers.pillar", tooltip="All pillars or one"),
    Binding(
        "left_square_bracket",
        "step_post(-1)",
        "Newer post",
        id="numbers.post_newer",
        key_display="[",
        tooltip="The post report of the next newer publication",
    ),
    Binding(
        "right_square_bracket",
        "step_post(1)",
        "Older post",
        id="numbers.post_older",
        key_display="]",
        tooltip="The post report of the next older publication",
    ),
]

# Which chart each key beyond the chart keys is for (others: every chart).
ONLY_ON: dict[str, tuple[Chart, ...]] = {
    "next_measure": (Chart.TIME, Chart.COMPARE),
    "group_by": (Chart.COMPARE,),
    "step_post": (Chart.POST,),
}


def chart_bar(current: Chart) -> Text:
    """`v Over time  b Best time to post  c Comparison  p Post report`, the current one lit."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for index, (chart, key) in enumerate(CHART_KEYS.items()):
        if index:
            out.append("  ")
        lit = chart == current
        out.append(f" {key} ", style="bold reverse" if lit else "bold")
        out.append(f" {CHART_TITLES[chart]}", style="bold" if lit else "dim")
    return out
