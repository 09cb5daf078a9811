"""The Numbers tab's chart widgets; each draws its own figure at its own size.

- `LineChart`: a plotext figure per widget (`self.plt` of textual-plotext's
  PlotextPlot, never the global plotext module). It keeps plain lines (a
  label and one value per x position, None for a gap) and draws them when it
  renders, with x and y ticks chosen for its width, so a resize redraws it to
  the new size. No database text goes into the figure (plotext counts
  characters, not terminal cells): titles and names are in the pane's header.
- `HeatGrid`: the best-time grid, weekday × hour, as text: shades of the
  median 48-hour views at 80 columns, the medians themselves (and counts)
  when wide; "·" where there are too few publications.
- `BoxRows`: the comparison, one row per pillar or hook style: whiskers from
  lowest to highest, a box from Q1 to Q3, the median marked, and the
  numbers beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import RenderResult
from textual.widget import Widget
from textual_plotext import PlotextPlot

from screens.numbers import text as tx
from screens.numbers.tables import WEEKDAYS
from storage.metrics.posts import BestTimeGrid, GroupStats
from storage.metrics.stats import Spread

COLORS = ("cyan+", "orange+", "magenta+", "green+")


@dataclass(frozen=True)
class Line:
    """One line of a chart: its legend label, values (None: gap) and colour index."""

    label: str
    values: tuple[float | None, ...]
    color: int = 0


def nice_step(top: float, steps: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^n) so that `steps` of them reach `top`."""
    if top <= 0:
        return 1.0
    raw = top / steps
    power = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        if raw <= m * power:
            return float(m * power)
    return float(10 * power)


def spaced(count: int, slots: int) -> list[int]:
    """At most `slots` indices of range(count) at one even step from the first (labels
    never crowd, so plotext never has to shift one)."""
    if count <= 0:
        return []
    step = max(1, math.ceil(count / max(1, slots)))
    return list(range(0, count, step))


class LineChart(PlotextPlot):
    """Lines over labelled x positions, drawn at the widget's size."""

    DEFAULT_CSS = "LineChart { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: tuple[Line, ...] = ()
        self.x_labels: tuple[str, ...] = ()
        self.y_text: Callable[[float], str] = tx.short
        self.empty = "No numbers."

    def show(
        self,
        lines: Sequence[Line],
        x_labels: Sequence[str],
        *,
        y_text: Callable[[float], str] = tx.short,
        empty: str = "No numbers.",
    ) -> None:
        """Keep these lines and draw them (now and at every resize)."""
        self.lines, self.x_labels = tuple(lines), tuple(x_labels)
        self.y_text, self.empty = y_text, empty
        self.refresh()

    def has_values(self) -> bool:
        """Whether any line has a value to draw."""
        return any(v is not None for line in self.lines for v in line.values)

    def render(self) -> RenderResult:
        """The figure at the current size (or a line saying there is nothing to draw)."""
        if not self.has_values() or self.size.width < 20 or self.size.height < 6:
            return Text(self.empty, style="italic")
        self._draw(self.size.width)
        return super().render()

    def _draw(self, width: int) -> None:
        plt: Any = self.plt
        plt.clear_figure()
        top = max(v for line in self.lines for v in line.values if v is not None)
        bottom = min(0.0, *(v for line in self.lines for v in line.values if v is not None))
        step = nice_step(top - bottom)
        first = math.floor(bottom / step) * step
        ticks = [first + i * step for i in range(int((top - first) / step) + 2)]
        legend = len([line for line in self.lines if line.label]) > 1
        for line in self.lines:
            labelled = not legend
            for xs, ys in _runs(line.values):
                plt.plot(
                    xs,
                    ys,
                    marker="braille" if len(xs) > 1 else "dot",
                    color=COLORS[line.color % len(COLORS)],
                    label=None if labelled else line.label,
                )
                labelled = True
        where = spaced(len(self.x_labels), max(2, (width - 6) // 9))
        plt.xticks(where, [self.x_labels[i] for i in where])
        plt.xlim(-0.5, max(len(self.x_labels) - 0.5, 0.5))
        plt.yticks(ticks, [self.y_text(t) for t in ticks])
        plt.ylim(ticks[0], ticks[-1])


def _runs(values: Sequence[float | None]) -> list[tuple[list[int], list[float]]]:
    """The runs of consecutive known values: (x positions, values)."""
    out: list[tuple[list[int], list[float]]] = []
    xs: list[int] = []
    ys: list[float] = []
    for x, v in enumerate(values):
        if v is None:
            if xs:
                out.append((xs, ys))
            xs, ys = [], []
            continue
        xs.append(x)
        ys.append(float(v))
    if xs:
        out.append((xs, ys))
    return out


# --- the best-time grid ----------------------------------------------------------------

SHADES = "░▒▓█"
TOO_FEW = "·"


class HeatGrid(Widget):
    """Weekday × hour: the median 48-hour views of each slot (see the module docstring)."""

    DEFAULT_CSS = "HeatGrid { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grid: BestTimeGrid | None = None

    def show(self, grid: BestTimeGrid) -> None:
        """Keep this grid and draw it."""
        self.grid = grid
        self.refresh()

    def render(self) -> RenderResult:
        """The grid at the current width."""
        if self.grid is None:
            return Text("")
        return grid_text(self.grid, self.size.width, self.size.height)


def grid_text(grid: BestTimeGrid, width: int, height: int) -> Text:
    """The grid as text: a header of hours, a line (two when wide) per weekday, a legend."""
    cell = max(2, min(6, (width - 4) // 24))
    numbers = cell >= 5
    counts = numbers and height >= 7 * 2 + 4
    known = [c.median_views for c in grid.cells if c.median_views is not None]
    top = max(known, default=0.0)
    best = {(c.weekday, c.hour) for c in grid.best(3)}
    out = Text(no_wrap=True, overflow="crop")
    out.append("    ")
    for hour in range(24):
        label = f"{hour:02d}" if cell >= 3 or hour % 3 == 0 else ""
        out.append(label.rjust(cell - (1 if cell >= 3 else 0)).ljust(cell), style="bold")
    for weekday in range(7):
        out.append(f"\n{WEEKDAYS[weekday]} ", style="bold")
        for hour in range(24):
            c = grid.cell(weekday, hour)
            style = "bold reverse" if (weekday, hour) in best else ""
            if c.median_views is None:
                mark = TOO_FEW if c.count else ""
                out.append(mark.rjust(cell - 1).ljust(cell), style="dim")
            elif numbers:
                out.append(tx.short(c.median_views).rjust(cell - 1), style=style)
                out.append(" ")
            else:
                level = min(len(SHADES) - 1, int(c.median_views / top * len(SHADES))) if top else 0
                out.append((SHADES[level] * (cell - 1)).ljust(cell), style=style)
        if counts:
            out.append("\n    ")
            for hour in range(24):
                n = grid.cell(weekday, hour).count
                out.append((f"×{n}" if n else "").rjust(cell - 1).ljust(cell), style="dim")
    known_cells = sum(1 for c in grid.cells if c.median_views is not None)
    if counts:
        legend = "median 48-hour views (×: posts)"
    elif numbers:
        legend = "median 48-hour views"
    else:
        legend = f"{SHADES[0]}…{SHADES[-1]} median 48-hour views (top {tx.short(top)})"
    out.append(f"\n\n{legend}; {TOO_FEW} under {grid.min_count} posts: not enough data")
    out.append(f"\nslots with enough data: {known_cells}; times in {grid.zone}", style="dim")
    return out


# --- the comparison ----------------------------------------------------------------------


class BoxRows(Widget):
    """One box-and-whiskers row per group of the comparison."""

    DEFAULT_CSS = "BoxRows { height: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.groups: tuple[GroupStats, ...] = ()
        self.measure = "views_48h"
        self.empty = "No publications with numbers."

    def show(self, groups: Sequence[GroupStats], measure: str, *, empty: str) -> None:
        """Keep these groups and the measure to draw, and draw them."""
        self.groups, self.measure, self.empty = tuple(groups), measure, empty
        self.refresh()

    def render(self) -> RenderResult:
        """The rows at the current width."""
        if not self.groups:
            return Text(self.empty, style="italic")
        return box_text(self.groups, self.measure, self.size.width, gap=self.size.height >= 30)


def _value(measure: str, value: float) -> str:
    if measure == "views_48h":
        return tx.short(value)
    return tx.measure_value(measure, value)


def box_text(groups: Sequence[GroupStats], measure: str, width: int, *, gap: bool) -> Text:
    """Rows `name  n  ├──[██┃██]──┤  median (Q1–Q3)` on one scale from 0 to the highest."""
    spreads: list[Spread | None] = [getattr(g, measure) for g in groups]
    names = [tx.shown(g.key, 16) for g in groups]
    name_w = max(cell_len(n) for n in names)
    figures = [
        "no numbers yet"
        if s is None
        else f"{_value(measure, s.median)} ({_value(measure, s.q1)}–{_value(measure, s.q3)})"
        for s in spreads
    ]
    fig_w = max(len(f) for f in figures)
    bar_w = max(10, width - name_w - fig_w - 12)
    top = scale_top([s for s in spreads if s is not None])
    out = Text(no_wrap=True, overflow="crop")
    for index, (name, s, fig) in enumerate(zip(names, spreads, figures, strict=True)):
        if index:
            out.append("\n\n" if gap else "\n")
        out.append(name + " " * (name_w - cell_len(name) + 1), style="bold")
        out.append(f"{(s.count if s else 0):>4} ", style="dim")
        out.append_text(_bar(s, top, bar_w))
        out.append(f"  {fig}")
    out.append("\n\n" + " " * (name_w + 6) + "0".ljust(bar_w - 6) + _value(measure, top).rjust(6))
    out.append(
        "\nn: posts with numbers  ├ lowest ▒ Q1–Q3 ┃ median ┤ highest → off scale",
        style="dim",
    )
    return out


def scale_top(spreads: Sequence[Spread]) -> float:
    """The end of the comparison's scale: the highest whisker end, a whisker reaching at
    most 1.5 box lengths past Q3 (so one viral post does not squash every box)."""
    ends = [min(s.high, s.q3 + 1.5 * (s.q3 - s.q1)) for s in spreads]
    return max([*ends, *(s.median for s in spreads)], default=0.0) or 1.0


def _bar(s: Spread | None, top: float, width: int) -> Text:
    cells = [" "] * width
    if s is not None:

        def at(value: float) -> int:
            return min(width - 1, max(0, round(value / top * (width - 1))))

        low, q1, med, q3, high = (at(v) for v in (s.low, s.q1, s.median, s.q3, s.high))
        for i in range(low, high + 1):
            cells[i] = "─"
        for i in range(q1, q3 + 1):
            cells[i] = "▒"
        cells[low], cells[high] = "├", "┤" if s.high <= top else "→"
        cells[med] = "┃"
    return Text("".join(cells), style="bold")
