"""Fitting text into terminal cells: CJK characters take two, a cut ends in "…".

Every cell a widget fits goes through `fit`, and `fit` shows control
characters from data as visible stand-ins (widgets/safe_text.py) first: a
title holding ESC sequences cannot reach the terminal raw from a list,
grid, board or table.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from widgets.safe_text import visible


def fit(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded or cut to exactly `width` cells; `right` pads on the left."""
    if width <= 0:
        return ""
    text = visible(text)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    if right:
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)
