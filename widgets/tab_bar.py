"""TabBar: the tabs' titles on one line, drawn by one widget.

Textual's `TabbedContent` shows its titles in a `ContentTabs` strip: a widget
per title and an animated underline, two rows high, each widget styled, laid
out and drawn on its own (about 25 ms of the App's first paint, measured).
This bar draws every title itself, one line high, from plain values: the
titles and the index of the active one. A switch costs one repaint.

- The active title is highlighted (`tab-bar--active`), the others muted
  (`tab-bar--tab`).
- When every title fits with its digit key, each is drawn as `1 Today`
  (digit dimmed: `tab-bar--digit`), since the digits switch tabs; otherwise
  the titles alone.
- When even those do not fit, the line scrolls so that the active title
  shows (centred where it can be), with `‹` / `›` (`tab-bar--more`) where
  titles are cut off. It never wraps.
- Widths are terminal cells (`rich.cells.cell_len`): CJK titles count double.
- A click on a title posts `TabBar.Clicked(index)`; the host switches.
  The bar never takes the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

MORE_LEFT = "‹"
MORE_RIGHT = "›"


@dataclass(frozen=True)
class BarLayout:
    """Where the titles go on a bar of a given width.

    `spans` are each title's cells [start, end) on the whole line (of
    `total` cells); the bar shows cells [offset, offset + width), with a
    marker in its first cell when `cut_left` and in its last when `cut_right`.
    """

    digits: bool
    spans: tuple[tuple[int, int], ...]
    total: int
    offset: int
    cut_left: bool
    cut_right: bool

    def tab_at(self, x: int, width: int) -> int | None:
        """The index of the title drawn at cell `x` of the bar, if any."""
        if not 0 <= x < width:
            return None
        if (self.cut_left and x == 0) or (self.cut_right and x == width - 1):
            return None
        cell = self.offset + x
        for index, (start, end) in enumerate(self.spans):
            if start <= cell < end:
                return index
        return None


def tab_label(index: int, title: str, digits: bool) -> tuple[str, str]:
    """(digit part, title part) of a tab's label; the digit part is "" without digits."""
    digit = f"{index + 1} " if digits and index < 9 else ""
    return digit, title


def lay_out(titles: Sequence[str], active: int, width: int) -> BarLayout:
    """Lay the titles out on a bar `width` cells wide (see the module docstring)."""

    def spans_for(digits: bool) -> tuple[tuple[tuple[int, int], ...], int]:
        spans: list[tuple[int, int]] = []
        at = 0
        for index, title in enumerate(titles):
            digit, text = tab_label(index, title, digits)
            end = at + cell_len(digit) + cell_len(text) + 2  # a space either side
            spans.append((at, end))
            at = end
        return tuple(spans), at

    spans, total = spans_for(True)
    digits = total <= width
    if not digits:
        spans, total = spans_for(False)
    if total <= width or not spans or width < 3:
        return BarLayout(digits, spans, total, 0, False, False)
    start, end = spans[min(max(active, 0), len(spans) - 1)]
    offset = (start + end) // 2 - width // 2  # the active title centred
    offset = max(0, min(offset, total - width))
    if offset + width < total and end > offset + width - 1:  # room for the right marker
        offset = end - width + 1
    if offset > 0 and start < offset + 1:  # room for the left marker; wins if both cannot
        offset = start - 1
    offset = max(0, min(offset, total - width))
    return BarLayout(digits, spans, total, offset, offset > 0, offset + width < total)


class TabBar(Widget, can_focus=False):
    """The tabs' titles on one line; the active one highlighted."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"tab-bar--tab", "tab-bar--active", "tab-bar--digit", "tab-bar--more"}
    DEFAULT_CSS = """
    TabBar {
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground-muted;
        .tab-bar--tab {
            color: $foreground-muted;
        }
        .tab-bar--active {
            color: $text-accent;
            background: $accent-muted;
            text-style: bold;
        }
        .tab-bar--digit {
            text-style: dim;
        }
        .tab-bar--more {
            color: $foreground-muted;
            text-style: bold;
        }
    }
    """

    @dataclass
    class Clicked(Message):
        """A title was clicked: the host should show tab `index` (0-based)."""

        bar: TabBar
        index: int

        @property
        def control(self) -> TabBar:
            """The bar that was clicked."""
            return self.bar

    def __init__(
        self,
        titles: Sequence[str] = (),
        active: int = 0,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._titles = tuple(titles)
        self._active = active

    @property
    def titles(self) -> tuple[str, ...]:
        """The titles, in order."""
        return self._titles

    @property
    def active(self) -> int:
        """The index of the highlighted title."""
        return self._active

    @active.setter
    def active(self, index: int) -> None:
        self.show(self._titles, index)

    def show(self, titles: Sequence[str], active: int) -> None:
        """Show these titles with the `active`-th highlighted (repaints only on a change)."""
        titles = tuple(titles)
        if titles != self._titles or active != self._active:
            self._titles, self._active = titles, active
            self.refresh()

    @property
    def layout_now(self) -> BarLayout:
        """Where the titles are at the bar's present width."""
        return lay_out(self._titles, self._active, self.size.width)

    # --- drawing --------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0 or width <= 0:
            return Strip.blank(width, base)
        layout = self.layout_now
        muted = self.get_component_rich_style("tab-bar--tab")
        active = self.get_component_rich_style("tab-bar--active")
        digit_style = self.get_component_rich_style("tab-bar--digit", partial=True)
        segments: list[Segment] = []
        for index, title in enumerate(self._titles):
            style = active if index == self._active else muted
            digit, text = tab_label(index, title, layout.digits)
            segments.append(Segment(" ", style))
            if digit:
                segments.append(Segment(digit, style + digit_style))
            segments.append(Segment(f"{text} ", style))
        line = Strip(segments, layout.total)
        if not (layout.cut_left or layout.cut_right):
            return line.adjust_cell_length(width, base)
        more = self.get_component_rich_style("tab-bar--more")
        left = 1 if layout.cut_left else 0
        right = 1 if layout.cut_right else 0
        middle = line.crop(layout.offset + left, layout.offset + width - right)
        parts = [middle.adjust_cell_length(width - left - right, base)]
        if left:
            parts.insert(0, Strip([Segment(MORE_LEFT, more)], 1))
        if right:
            parts.append(Strip([Segment(MORE_RIGHT, more)], 1))
        return Strip.join(parts)

    # --- mouse ----------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        index = self.layout_now.tab_at(event.x, self.size.width)
        if index is not None:
            event.stop()
            self.post_message(self.Clicked(self, index))
