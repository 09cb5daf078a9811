"""Numbers and database text as the Numbers tab shows them.

Every title, handle or pillar name read from the database goes through
`shown`: widgets/safe_text.py `visible` (control characters and bidi
overrides shown as visible stand-ins, so no terminal escape gets through and
nothing silently disappears), cut by terminal cells so CJK lines up. Numbers: counts with thousands
separators, rates as percentages, "—" for a number nobody gave.
"""

from __future__ import annotations

from widgets.cells import fit
from widgets.safe_text import visible

NOT_GIVEN = "—"


def shown(text: str, width: int | None = None) -> str:
    """Database text made safe to show, on one line, cut to `width` cells when given."""
    clean = visible(" ".join(text.split()))
    return clean if width is None else fit(clean, width).rstrip()


def count(value: float | None) -> str:
    """A count: 12,345 (— when not given)."""
    return NOT_GIVEN if value is None else f"{round(value):,}"


def percent(value: float | None, places: int = 1) -> str:
    """A rate as a percentage: 0.0423 → 4.2% (— when not given)."""
    return NOT_GIVEN if value is None else f"{value * 100:.{places}f}%"


def short(value: float | None) -> str:
    """A count in at most five characters: 950, 12.3k, 4.5M (— when not given)."""
    if value is None:
        return NOT_GIVEN
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            scaled = value / limit
            return f"{scaled:.1f}{suffix}" if abs(scaled) < 100 else f"{scaled:.0f}{suffix}"
    return f"{round(value)}"


def measure_value(key: str, value: float | None) -> str:
    """A value of a measure as shown: rates and percentages as %, else a count."""
    if key == "avg_view_pct_48h":
        return NOT_GIVEN if value is None else f"{value:.1f}%"
    if key in ("engagement_48h", "completion_48h"):
        return percent(value)
    return count(value)
