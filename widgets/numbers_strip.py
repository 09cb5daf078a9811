"""NumbersStrip: yesterday's figures against the 7-day average.

Plain values in (`Figure`, widgets/values.py), two layouts out: a compact
strip of two lines for narrow terminals, and a table for a side panel
(`compact = False`).
"""

from __future__ import annotations

from typing import Sequence

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from widgets.values import Figure


def short_number(value: float | None) -> str:
    """12345 → 12.3k, 123456 → 123k, 1234567 → 1.23M; None → an em dash."""
    if value is None:
        return "—"
    size = abs(value)
    if size >= 1_000_000:
        return f"{value / 1_000_000:.2f}M"
    if size >= 100_000:
        return f"{value / 1_000:.0f}k"
    if size >= 10_000:
        return f"{value / 1_000:.1f}k"
    if size >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:.1f}"


def change_text(change: float | None) -> tuple[str, str]:
    """The change as "+8%" with the style it is shown in."""
    if change is None:
        return "—", "$text-muted"
    pct = round(change * 100)
    if pct == 0:
        return "±0%", "$text-muted"
    return (f"+{pct}%", "$text-success") if pct > 0 else (f"{pct}%", "$text-error")


def _right(text: str, cells: int) -> str:
    return " " * max(0, cells - cell_len(text)) + text


TITLE_CELLS = 14
CELL_CELLS = 21


def figure_cell(fig: Figure) -> list[str | tuple[str, str]]:
    """`label value change` in exactly CELL_CELLS - 1 cells (plus a gap)."""
    change, style = change_text(fig.change)
    label = fig.label[:9]
    return [
        (label + " " * (9 - cell_len(label)), "$text-muted"),
        _right(short_number(fig.value), 6),
        (_right(change, 5), style),
        " ",
    ]


def per_line(width: int) -> int:
    """How many figures a line of the strip holds at `width` cells."""
    return max(1, (width - TITLE_CELLS) // CELL_CELLS)


def strip_content(day: str, figures: Sequence[Figure], width: int) -> Content:
    """The compact form: the day and "vs 7-day avg" in a first column, figures in a grid."""
    count = per_line(width)
    lines = [figures[i : i + count] for i in range(0, len(figures), count)] or [[]]
    heads = [(day, "bold"), ("vs 7-day avg", "$text-muted")]
    parts: list[str | tuple[str, str]] = []
    for index, line in enumerate(lines):
        head, style = heads[index] if index < len(heads) else ("", "")
        parts += [("\n" if index else ""), (head + " " * (TITLE_CELLS - cell_len(head)), style)]
        for fig in line:
            parts += figure_cell(fig)
    return Content.assemble(*parts)


def panel_content(day: str, figures: Sequence[Figure]) -> Content:
    """The side-panel form: one metric a line with value, average and change."""
    label_cells = max((cell_len(f.label) for f in figures), default=6)
    parts: list[str | tuple[str, str]] = [
        (f"Yesterday · {day}", "bold"),
        "\n",
        ("against the 7 days before", "$text-muted"),
        "\n\n",
    ]
    head = " " * label_cells + _right("day", 8) + _right("7d avg", 9) + _right("Δ", 7)
    parts += [(head, "$text-muted"), "\n"]
    for fig in figures:
        change, style = change_text(fig.change)
        parts += [
            fig.label + " " * (label_cells - cell_len(fig.label)),
            _right(short_number(fig.value), 8),
            (_right(short_number(fig.average), 9), "$text-muted"),
            (_right(change, 7), style),
            "\n",
        ]
    return Content.assemble(*parts)


class NumbersStrip(Static):
    """Yesterday's numbers; `compact` picks the strip or the panel layout."""

    compact: reactive[bool] = reactive(True)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            Content.styled("Yesterday's numbers: reading…", "$text-muted"), id=id, classes=classes
        )
        self._day = ""
        self._figures: tuple[Figure, ...] = ()
        self._per_line = 0  # figures a line of the strip holds; 0: not drawn as a grid

    def show_figures(self, day: str, figures: Sequence[Figure]) -> None:
        """Show these figures for `day` (already formatted, e.g. "Fri 27 Nov")."""
        self._day, self._figures = day, tuple(figures)
        self._render_figures()

    def watch_compact(self, compact: bool) -> None:
        """Switch layout."""
        self.set_class(not compact, "-panel")
        self._render_figures()

    def on_resize(self) -> None:
        """The strip's grid depends on the width: drawn again when a line holds a
        different number of figures (a new text asks for a layout of the whole
        screen, which the first frame paid for)."""
        if self._per_line and per_line(self.content_size.width) != self._per_line:
            self._render_figures()

    def _render_figures(self) -> None:
        self._per_line = 0
        if not self._day:
            return
        if all(f.value is None for f in self._figures):
            self.update(Content.styled(f"Yesterday · {self._day}: no numbers yet", "$text-muted"))
        elif self.compact:
            width = self.content_size.width or 78
            self._per_line = per_line(width)
            self.update(strip_content(self._day, self._figures, width))
        else:
            self.update(panel_content(self._day, self._figures))
