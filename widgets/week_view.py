"""WeekView and AgendaView: a week as seven columns, and days as a list.

Both take the plain `DayCell`/`Entry` values of `widgets.month_grid`. The
week shows each entry as "glyph HH:MM title" and each free posting slot as
a dim "◌ HH:MM" so gaps show; the agenda lists days from the selected one
on, an entry a line with its detail column aligned by terminal cells.
The entry under the cursor (`current`) is shown reversed.
"""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.widget import Widget

from widgets.month_grid import FREE_GLYPH, DayCell, Entry, MonthGrid, color_style, cut

DETAIL_CELLS = 28


def wrap_cells(text: str, width: int, max_lines: int) -> list[str]:
    """`text` in lines of at most `width` cells (words kept whole when they fit, CJK
    split anywhere), at most `max_lines`, the last cut with "…" when text is left."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for char in word:  # a word longer than a line (or CJK): split by cells
            if cell_len(line + char) > width:
                lines.append(line)
                line = ""
            line += char
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = set_cell_size(lines[-1], width - 1).rstrip() + "…"
    return lines or [""]


def _entry_lines(
    entry: Entry, width: int, current: bool, marked: bool, max_lines: int
) -> list[Text]:
    """An entry over up to `max_lines` lines: "✎19:00 Why this" / "video took…"."""
    style = color_style(entry.color)
    if current or marked:
        style += Style(reverse=True)
    text = f"{entry.glyph}{entry.time} {entry.title}".strip()
    return [Text(cut(line, width), style=style) for line in wrap_cells(text, width, max_lines)]


def _entry_text(entry: Entry, width: int, current: bool, marked: bool) -> Text:
    return _entry_lines(entry, width, current, marked, 1)[0]


class DaysView(Widget, can_focus=True):
    """What the week and agenda views share: the days shown and the selection."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.days: tuple[DayCell, ...] = ()
        self.selected: date | None = None
        self.today: date | None = None
        self.current: str | None = None
        self.marked: str | None = None

    def show(
        self,
        days: tuple[DayCell, ...],
        *,
        selected: date,
        today: date,
        current: str | None,
        marked: str | None = None,
    ) -> None:
        """Show these days; `current` is the highlighted entry's key."""
        self.days, self.selected, self.today = days, selected, today
        self.current, self.marked = current, marked
        self.refresh()


class WeekView(DaysView):
    """Seven day columns of entries and free slots."""

    DEFAULT_CSS = """
    WeekView { height: 1fr; width: 1fr; }
    """

    def _width(self) -> int:
        return max(4, self.size.width // 7)

    def render(self) -> Text:
        width = self._width()
        height = max(2, self.size.height)
        columns = [self._column(cell, width, height) for cell in self.days]
        out = Text()
        for line in range(height):
            if line:
                out.append("\n")
            for column in columns:
                out.append_text(column[line])
        return out

    def _column(self, cell: DayCell, width: int, height: int) -> list[Text]:
        head_style = Style(bold=True, underline=cell.day == self.today)
        if cell.day == self.selected:
            head_style += Style(reverse=True)
        lines = [Text(cut(f" {cell.day:%a %d}", width), style=head_style)]
        # titles wrap over up to three lines (two from 20 cells a column), so they can be read
        per_entry = 2 if width >= 20 else 3
        items: list[Text] = [
            Text(" ") + line
            for e in cell.entries
            for line in _entry_lines(
                e, width - 1, e.key == self.current, e.key == self.marked, per_entry
            )
        ]
        if cell.free:  # free slots share a line: "◌12:00 12:30 18:00", "◌12:00 +2" when narrow
            if width >= 20:
                free = wrap_cells(FREE_GLYPH + " ".join(cell.free), width - 1, 2)
            else:
                more = f" +{len(cell.free) - 1}" if len(cell.free) > 1 else ""
                free = [f"{FREE_GLYPH}{cell.free[0]}{more}"]
            items += [Text(cut(f" {line}", width), style=Style(dim=True)) for line in free]
        room = height - 1
        if len(items) > room:
            items = items[: room - 1] + [
                Text(cut(f" +{len(items) - room + 1} more", width), style=Style(dim=True))
            ]
        lines += items
        while len(lines) < height:
            lines.append(Text(" " * width))
        return lines

    def on_click(self, event: Click) -> None:
        """Clicking a column selects its day."""
        index = min(len(self.days) - 1, event.x // self._width())
        if 0 <= index < len(self.days):
            self.post_message(MonthGrid.DayClicked(self.days[index].day))

    def on_focus(self) -> None:
        self.refresh()


class AgendaView(DaysView):
    """Days from the selected one on: a header per day, an entry a line."""

    DEFAULT_CSS = """
    AgendaView { height: 1fr; width: 1fr; }
    """

    def lines(self, width: int) -> list[Text]:
        """Every line of the agenda at `width` cells."""
        return [line for line, _ in self.keyed_lines(width)]

    def keyed_lines(self, width: int) -> list[tuple[Text, str | None]]:
        """Every line with the key of the entry it shows (None for headers and gaps)."""
        detail = DETAIL_CELLS if width >= 100 else 16
        title = max(8, width - 12 - detail)
        out: list[tuple[Text, str | None]] = []
        for cell in self.days:
            style = Style(bold=True, underline=cell.day == self.today)
            if cell.day == self.selected:
                style += Style(reverse=True)
            out.append((Text(cut(f"{cell.day:%a %d %b}", width), style=style), None))
            timed = sorted(
                [(e.time, 0, e) for e in cell.entries] + [(t, 1, t) for t in cell.free],
                key=lambda item: (item[0], item[1]),
            )
            for when, _, item in timed:
                if isinstance(item, str):
                    out.append(
                        (
                            Text(
                                cut(f"  {when:<5} {FREE_GLYPH} free slot", width),
                                style=Style(dim=True),
                            ),
                            None,
                        )
                    )
                    continue
                line = Text("  ")
                pick = Style(reverse=True) if item.key in (self.current, self.marked) else Style()
                line.append(f"{when:<5} ", pick)
                line.append(item.glyph + " ", color_style(item.color) + pick)
                line.append(cut(item.title, title), pick)
                line.append("  ")
                line.append(cut(item.detail, detail), Style(dim=True))
                out.append((line, item.key))
            if not cell.entries and not cell.free:
                out.append((Text("  —", style=Style(dim=True)), None))
        return out

    def render(self) -> Text:
        width = max(20, self.size.width)
        height = max(1, self.size.height)
        keyed = self.keyed_lines(width)
        focus = [
            i
            for i, (_, key) in enumerate(keyed)
            if key is not None and key in (self.current, self.marked)
        ]
        top = max(0, focus[-1] - height + 1) if focus else 0
        lines = [line for line, _ in keyed[top : top + height]]
        out = Text()
        for index, line in enumerate(lines):
            if index:
                out.append("\n")
            line.truncate(width)
            out.append_text(line)
        return out
