"""WeekView and AgendaView: a week as seven columns, and days as a list.

Both take the plain `DayCell`/`Entry` values of `widgets.month_grid`. The
week shows each entry as "glyph HH:MM title" and each free posting slot as
a dim "◌ HH:MM" so gaps show; the agenda lists days from the selected one
on, an entry a line with its detail column aligned by terminal cells.
The entry under the cursor (`current`) is shown reversed.
"""

from __future__ import annotations

from datetime import date

from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.widget import Widget

from widgets.month_grid import FREE_GLYPH, DayCell, Entry, MonthGrid, color_style, cut

DETAIL_CELLS = 28


def _entry_text(entry: Entry, width: int, current: bool, marked: bool) -> Text:
    style = color_style(entry.color)
    if current or marked:
        style += Style(reverse=True)
    return Text(cut(f"{entry.glyph}{entry.time} {entry.title}", width), style=style)


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
        items: list[Text] = [
            Text(" ") + _entry_text(e, width - 1, e.key == self.current, e.key == self.marked)
            for e in cell.entries
        ]
        items += [Text(cut(f" {FREE_GLYPH}{t}", width), style=Style(dim=True)) for t in cell.free]
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
