"""Printing for commands: one JSON document on stdout, messages on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.cells import cell_len, set_cell_size


def emit_json(doc: Any) -> None:
    """Print one JSON document on stdout (and nothing else goes there)."""
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def say(message: str) -> None:
    """A message for the person at the terminal (stderr)."""
    print(message, file=sys.stderr)


def fit(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` terminal cells (CJK counts two)."""
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def table(rows: list[list[str]], widths: list[int]) -> str:
    """Plain fixed-width lines, aligned by terminal cells, not characters."""
    return "\n".join(
        "  ".join(fit(cell, w) for cell, w in zip(row, widths, strict=False)).rstrip()
        for row in rows
    )
