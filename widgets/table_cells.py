"""A quicker way for DataTable to draw a one-line cell whose text fits.

Textual's DataTable draws every cell it shows (and every cell of the columns
scrolled out of view) by handing Rich a `Styled(Padding(cell))` and asking for
its lines: the text is copied, split, wrapped, justified, truncated and padded
through half a dozen generators. On a table tab that was about half of the
switch. Nearly every cell ReelRoom shows is one line of plain or styled text
already cut to its column, and for those the result is simply: the left
padding, the text's segments, blanks up to the column width, the right
padding, each under the row's styles.

`plain_cell_lines` builds exactly that, and answers None for anything else
(more than one line, tabs, text wider than the column, justified text, a
renderable that is not Text), which DataTable then draws as before.
tests/test_table_cells.py holds its lines equal to DataTable's own for every
cell, header, cursor and hover state of real tables.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

_NULL = Style.null()
_DEFAULT_JUSTIFY = (None, "default")


def plain_cell_lines(
    console: Console, cell: object, width: int, padding: int, pre_style: Style, post_style: Style
) -> list[list[Segment]] | None:
    """The one line DataTable would draw for `cell`, or None to draw it the long way.

    `console` resolves named styles in the text; `width` is the column's
    render width (padding included); `pre_style` and `post_style` are the
    styles DataTable layers under and over the cell.
    """
    if type(cell) is not Text or cell.justify not in _DEFAULT_JUSTIFY:
        return None
    plain = cell.plain
    if "\n" in plain or "\t" in plain:
        return None
    content = width - 2 * padding
    used = cell_len(plain)
    if content < 0 or used > content:
        return None
    line: list[Segment] = []
    if padding:
        line.append(Segment(" " * padding, _NULL))
    line.extend(_text_segments(console, cell, plain))
    if content > used:
        line.append(Segment(" " * (content - used), _NULL))
    if padding:
        line.append(Segment(" " * padding, _NULL))
    return [_styled(line, pre_style, post_style)]


def _text_segments(console: Console, cell: Text, plain: str) -> list[Segment]:
    """The segments Rich renders for one line of text (its style as a span, as Rich does)."""
    if cell.style or cell.spans:
        # Rich joins the wrapped lines into a new Text, which turns the base
        # style into a span; rendering that Text gives the segments.
        return list(Text("\n").join([cell]).render(console))
    return [Segment(plain)]


def _styled(line: list[Segment], pre: Style, post: Style) -> list[Segment]:
    """`Segment.apply_style(line, pre, post)` for segments that carry no control codes."""
    out = []
    for segment in line:
        style = segment.style
        if pre:
            style = pre + style
        if post:
            style = style + post if style else post
        out.append(Segment(segment.text, style))
    return out
