"""MonthGrid: a month of days as a 7-column grid of calendar entries.

It takes plain values: `DayCell`s of `Entry`s (a glyph, a time, a title and
a colour name) plus free posting-slot times. Cells grow with the widget:
at 80x24 a cell shows the day, a count and one line of glyphs; when there
is room each entry gets its own line with its title cut by terminal cells
(CJK-safe). A click on a day posts `MonthGrid.DayClicked`.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from rich.cells import cell_len
from rich.errors import StyleSyntaxError
from rich.segment import Segment
from rich.style import Style
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from widgets.triage_list import fit_cells

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FREE_GLYPH = "◌"


@dataclass(frozen=True)
class Entry:
    """One thing on a day: a post, a deadline or a shoot."""

    key: str  # "post:12", "deadline:3", "shoot:12"
    glyph: str
    time: str  # local "HH:MM"
    title: str
    color: str = ""  # a colour name ("green"), "" for the default
    detail: str = ""  # e.g. "60-Second Recipes · scripting"


@dataclass(frozen=True)
class DayCell:
    """A local day's entries and its free posting-slot times."""

    day: date
    entries: tuple[Entry, ...] = ()
    free: tuple[str, ...] = ()


def cut(text: str, width: int) -> str:
    """`text` padded or cut to `width` cells (ellipsis on a cut), leading spaces kept."""
    lead = min(width, len(text) - len(text.lstrip(" ")))
    return " " * lead + fit_cells(text, width - lead)


def color_style(color: str) -> Style:
    """A Rich style for a pillar colour name (plain when the name is not a colour)."""
    if not color:
        return Style()
    try:
        return Style.parse(color)
    except StyleSyntaxError:
        return Style()


def month_days(year: int, month: int) -> list[list[date]]:
    """The weeks (Mon..Sun) that show `month`, padded with the days around it."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    last = date(year, month, calendar.monthrange(year, month)[1])
    weeks = []
    day = start
    while day <= last:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
    return weeks


Part = tuple[str, Style]  # text of known cell width and its style
PLAIN, DIM, BOLD, REVERSE = Style(), Style(dim=True), Style(bold=True), Style(reverse=True)
UNDERLINE, TODAY = Style(underline=True), Style(bold=True, underline=True)


def glyph_line(cell: DayCell, width: int, marked: str | None) -> list[Part]:
    """Every entry as a coloured glyph, then "◌N" free slots, exactly `width` cells."""
    free = f"{FREE_GLYPH}{len(cell.free)}" if cell.free else ""
    room = width - cell_len(free)
    parts: list[Part] = []
    used = 0
    for index, entry in enumerate(cell.entries):
        left = len(cell.entries) - index
        more = f"+{left}"
        if used + 1 > room - (len(more) if left > 1 else 0):
            more = more[: max(0, room - used)]
            parts.append((more, DIM))
            used += len(more)
            break
        style = color_style(entry.color) + (REVERSE if entry.key == marked else PLAIN)
        parts.append((entry.glyph, style))
        used += cell_len(entry.glyph)
    if used + cell_len(free) <= width:
        parts.append((free, DIM))
        used += cell_len(free)
    parts.append((" " * (width - used), PLAIN))
    return parts


def entry_line(entry: Entry, width: int, marked: bool) -> list[Part]:
    """ "● Title" in the entry's colour, exactly `width` cells."""
    style = color_style(entry.color) + (REVERSE if marked else PLAIN)
    return [(cut(f"{entry.glyph}{entry.title}", width), style)]


class MonthGrid(Widget, can_focus=True):
    """A month: weekday header, then one row of cells per week."""

    DEFAULT_CSS = """
    MonthGrid { height: 1fr; width: 1fr; }
    """

    class DayClicked(Message):
        """A day cell was clicked."""

        def __init__(self, day: date) -> None:
            super().__init__()
            self.day = day

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.year = 2000
        self.month = 1
        self.cells: dict[date, DayCell] = {}
        self.selected = date(2000, 1, 1)
        self.today = date(2000, 1, 1)
        self.marked: str | None = None
        self._strips: list[Strip] | None = None
        self._strips_size = Size(0, 0)

    def show(
        self,
        year: int,
        month: int,
        cells: dict[date, DayCell],
        *,
        selected: date,
        today: date,
        marked: str | None = None,
    ) -> None:
        """Show a month; `marked` is the key of an entry being moved."""
        self.year, self.month, self.cells = year, month, cells
        self.selected, self.today, self.marked = selected, today, marked
        self._invalidate()

    # --- geometry ------------------------------------------------------------

    def _cell_width(self) -> int:
        return max(4, self.size.width // 7)

    def _rows_per_week(self, weeks: int) -> int:
        return max(2, (self.size.height - 1) // max(1, weeks))

    def day_at(self, x: int, y: int) -> date | None:
        """The day under widget offset (x, y), if any."""
        weeks = month_days(self.year, self.month)
        if y < 1:
            return None
        row = (y - 1) // self._rows_per_week(len(weeks))
        col = min(6, x // self._cell_width())
        return weeks[row][col] if 0 <= row < len(weeks) else None

    # --- drawing -------------------------------------------------------------
    # The Line API with cached strips: a month of ~1,800 entries built as Rich
    # Text and turned into strips by Textual took ~4x longer (bench/calendar_month.py).

    def render_line(self, y: int) -> Strip:
        if self._strips is None or self._strips_size != self.size:
            self._strips, self._strips_size = self._build_strips(), self.size
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _invalidate(self) -> None:
        self._strips = None
        self.refresh()

    def _build_strips(self) -> list[Strip]:
        base = self.rich_style
        weeks = month_days(self.year, self.month)
        width = self._cell_width()
        per_week = self._rows_per_week(len(weeks))
        spare = self.size.width - 7 * width
        rest = [Segment(" " * spare, base)] if spare > 0 else []
        header = [Segment(cut(f" {n}", width), base + BOLD) for n in WEEKDAY_NAMES]
        strips = [Strip(header + rest, self.size.width)]
        for week in weeks:
            cells = [self._cell_lines(day, width, per_week) for day in week]
            for line in range(per_week):
                segments = [
                    Segment(text, base + style) for cell in cells for text, style in cell[line]
                ]
                strips.append(Strip(segments + rest, self.size.width))
        return strips

    def _cell_lines(self, day: date, width: int, height: int) -> list[list[Part]]:
        cell = self.cells.get(day, DayCell(day))
        lines: list[list[Part]] = [self._head(cell, width, height)]
        inner = width - 1
        if height == 2:
            lines.append([(" ", PLAIN), *glyph_line(cell, inner, self.marked)])
        else:
            room = height - 1
            entries = cell.entries
            shown = entries if len(entries) <= room else entries[: room - 1]
            lines += [[(" ", PLAIN), *entry_line(e, inner, e.key == self.marked)] for e in shown]
            if len(shown) < len(entries):
                lines.append([(cut(f" +{len(entries) - len(shown)} more", width), DIM)])
            elif cell.free and len(lines) - 1 < room:
                lines.append([(cut(f" {FREE_GLYPH} {' '.join(cell.free)}", width), DIM)])
        while len(lines) < height:
            lines.append([(" " * width, PLAIN)])
        extra = PLAIN
        if day.month != self.month:
            extra += DIM
        if day == self.selected:
            extra += REVERSE if self.has_focus else UNDERLINE
        if extra != PLAIN:
            lines = [[(text, style + extra) for text, style in line] for line in lines]
        return lines

    def _head(self, cell: DayCell, width: int, height: int) -> list[Part]:
        number = f"{cell.day.day:>2}"
        count = len(cell.entries)
        tail = f"{count}" if count and height == 2 else ""
        pad = width - 4 - len(tail)
        if pad < 0:
            tail, pad = "", max(0, width - 4)
        return [
            (" ", PLAIN),
            (number, TODAY if cell.day == self.today else BOLD),
            (" " * pad, PLAIN),
            (tail, DIM),
            (" " * (width - 3 - pad - len(tail)), PLAIN),
        ]

    def on_click(self, event: Click) -> None:
        """Clicking a day selects it."""
        day = self.day_at(event.x, event.y)
        if day is not None:
            self.post_message(self.DayClicked(day))

    def on_focus(self) -> None:
        self._invalidate()

    def on_blur(self) -> None:
        self._invalidate()
