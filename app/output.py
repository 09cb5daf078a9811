"""Printing for commands: one JSON document on stdout, messages on stderr.

Everything printed here passes through widgets/safe_text.py: a control
character that came from data (a title, a file name) is shown as a visible
stand-in, never sent to the terminal raw. `--json` documents escape them as
JSON does (`\\u001b`), C1 controls, bidi overrides and lone surrogates too.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from rich.cells import cell_len, set_cell_size

from widgets.safe_text import json_text, visible


def emit_json(doc: Any) -> None:
    """Print one JSON document on stdout (and nothing else goes there)."""
    sys.stdout.write(json_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str)))
    sys.stdout.write("\n")


def say(message: str) -> None:
    """A message for the person at the terminal (stderr), control characters made visible."""
    print(visible(message, lines=True), file=sys.stderr)


def out(text: str, *, flush: bool = False) -> None:
    """Lines for stdout, control characters made visible (newlines and tabs kept)."""
    print(visible(text, lines=True), flush=flush)


def fit(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` terminal cells (CJK counts two)."""
    text = visible(text)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def table(rows: list[list[str]], widths: list[int]) -> str:
    """Plain fixed-width lines, aligned by terminal cells, not characters."""
    return "\n".join(
        "  ".join(fit(cell, w) for cell, w in zip(row, widths, strict=False)).rstrip()
        for row in rows
    )


def write_text_file(target: Path, text: str, *, example: str = "out.txt") -> int:
    """Write an export atomically (a temp file renamed into place); 0, or 1 with a message.

    A folder, a missing folder or a write that fails is said in one line.
    """
    if target.is_dir():
        say(f"reelroom: {target} is a folder; give a file name such as {target / example}.")
        return 1
    if not target.parent.is_dir():
        say(f"reelroom: cannot write {target}: the folder {target.parent} does not exist.")
        return 1
    tmp = target.with_name(f".{target.name}.partial")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        say(f"reelroom: cannot write {target} ({exc.strerror}).")
        return 1
    say(f"wrote {target}")
    return 0
