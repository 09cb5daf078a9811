"""BoardColumns: the post pipeline as side-by-side columns of cards.

Plain values in: `BoardCol`s (a title, a count, `Card`s) and a cursor
(column, row). Columns are at least `MIN_COLUMN` cells wide; when they do
not all fit, the window of visible columns follows the cursor and the
header says how many are hidden each side. Each column scrolls on its own
so the cursor's card stays in view. A click moves the cursor.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.widget import Widget

from widgets.month_grid import color_style, cut

MIN_COLUMN = 19
WHEN_AT = 32  # columns this wide also show each card's planned day


@dataclass(frozen=True)
class Card:
    """One post on the board."""

    key: str
    glyph: str
    title: str
    when: str  # e.g. "Mon 30 Nov" or "—"
    color: str = ""


@dataclass(frozen=True)
class BoardCol:
    """One pipeline stage."""

    key: str
    title: str
    count: int
    cards: tuple[Card, ...]


class BoardColumns(Widget, can_focus=True):
    """Columns of cards with a cursor."""

    DEFAULT_CSS = """
    BoardColumns { height: 1fr; width: 1fr; }
    """

    class CardClicked(Message):
        """A card was clicked: the cursor is now on it."""

        def __init__(self, column: int, row: int) -> None:
            super().__init__()
            self.column = column
            self.row = row

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: tuple[BoardCol, ...] = ()
        self.cursor = (0, 0)
        self.first_column = 0
        self._tops: dict[int, int] = {}

    def show(self, columns: tuple[BoardCol, ...], cursor: tuple[int, int]) -> None:
        """Show the columns with the cursor on (column, row)."""
        self.columns, self.cursor = columns, cursor
        self.refresh()

    # --- geometry ------------------------------------------------------------

    def visible_count(self) -> int:
        """How many columns fit side by side."""
        return max(1, min(len(self.columns) or 1, self.size.width // MIN_COLUMN))

    def _window(self) -> tuple[int, int]:
        count = self.visible_count()
        col = self.cursor[0]
        first = min(self.first_column, col)
        if col >= first + count:
            first = col - count + 1
        first = max(0, min(first, max(0, len(self.columns) - count)))
        self.first_column = first
        return first, count

    def _top(self, index: int, rows: int) -> int:
        """The first card shown in column `index` so the cursor stays in view."""
        top = self._tops.get(index, 0)
        if index == self.cursor[0]:
            row = self.cursor[1]
            if row < top:
                top = row
            elif row >= top + rows:
                top = row - rows + 1
        top = max(0, min(top, max(0, len(self.columns[index].cards) - rows)))
        self._tops[index] = top
        return top

    # --- drawing -------------------------------------------------------------

    def render(self) -> Text:
        if not self.columns:
            return Text("")
        first, count = self._window()
        width = self.size.width // count
        height = max(3, self.size.height)
        blocks = [
            self._column(i, width, height, first, count)
            for i in range(first, min(len(self.columns), first + count))
        ]
        out = Text()
        for line in range(height):
            if line:
                out.append("\n")
            for block in blocks:
                out.append_text(block[line])
        return out

    def _column(self, index: int, width: int, height: int, first: int, count: int) -> list[Text]:
        col = self.columns[index]
        left = "◀" if index == first and first > 0 else ""
        right = "▶" if index == first + count - 1 and index < len(self.columns) - 1 else ""
        head_style = Style(bold=True)
        if index == self.cursor[0] and self.has_focus:
            head_style += Style(underline=True)
        head = Text(cut(f"{left}{col.title} {col.count}", width - 1 - len(right)), style=head_style)
        head.append(right + " ", Style(dim=True))
        lines = [head, Text(cut("─" * (width - 1), width), style=Style(dim=True))]
        rows = height - 2
        top = self._top(index, rows)
        for row in range(top, min(len(col.cards), top + rows)):
            card = col.cards[row]
            current = (index, row) == self.cursor
            style = color_style(card.color) + (Style(reverse=True) if current else Style())
            when = f" {card.when}" if width >= WHEN_AT else ""
            text = Text(cut(f"{card.glyph}{card.title}", width - 1 - len(when)), style=style)
            text.append(when, Style(dim=True) + (Style(reverse=True) if current else Style()))
            text.append(" ")
            lines.append(text)
        if not col.cards:
            lines.append(Text(cut("  —", width), style=Style(dim=True)))
        while len(lines) < height:
            lines.append(Text(" " * width))
        return lines[:height]

    def on_click(self, event: Click) -> None:
        """Clicking a card puts the cursor on it."""
        if not self.columns:
            return
        first, count = self._window()
        index = first + event.x // max(1, self.size.width // count)
        if index >= len(self.columns) or event.y < 2:
            return
        row = self._tops.get(index, 0) + event.y - 2
        if row < len(self.columns[index].cards):
            self.post_message(self.CardClicked(index, row))

    def on_focus(self) -> None:
        self.refresh()
