"""The plain values the Today and Scripts lists and the numbers strip draw.

`TriageRow` and `TriageSection` (widgets/triage_list.py) and `Figure`
(widgets/numbers_strip.py) live here, apart from their widgets, so that the
code building them imports no Textual: Today's first read can then run in a
process of its own while the App is still starting (app/first_read.py).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TriageRow:
    """One actionable line: a key for Enter, three columns and a tone."""

    key: str
    when: str
    title: str
    detail: str
    tone: str = ""


@dataclass(frozen=True)
class TriageSection:
    """A titled group of rows; `empty` is said when it has none."""

    key: str
    title: str
    rows: tuple[TriageRow, ...]
    empty: str
    more: int = 0
    more_hint: str = ""


@dataclass(frozen=True)
class Figure:
    """One metric as shown: its label, yesterday's value, the average, the change."""

    label: str
    value: int | None
    average: float | None
    change: float | None
