"""Data text made safe for a report: no control characters, no table breakers.

Titles and captions come from people and platforms; a report may be printed
to a terminal or pasted into chat, so C0/C1 control characters (terminal
escapes among them) are dropped. `md_cell` also keeps a Markdown table
whole. Numbers are written the same way everywhere (`count`, `pct`).
(The hostile-input work adds one shared function for all data text; this
one should defer to it once it is on main.)
"""

from __future__ import annotations

import unicodedata


def clean(text: object) -> str:
    """The text without control characters (newlines and tabs become spaces)."""
    out = []
    for ch in str(text):
        if ch in "\n\t\r":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d\ufe0f":
            continue
        else:
            out.append(ch)
    return "".join(out)


def md_cell(text: object) -> str:
    """Text for a Markdown table cell (pipes and markup characters escaped)."""
    value = clean(text)
    for ch in "\\|*_`[]<>":
        value = value.replace(ch, "\\" + ch)
    return value


def count(value: float | None) -> str:
    """12,480 (— when not known)."""
    return "—" if value is None else f"{round(value):,}"


def pct(value: float | None, digits: int = 1) -> str:
    """A share as a percentage: 0.315 → 31.5% (— when not known)."""
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def signed(value: float | None) -> str:
    """+1,204 / −87 (— when not known)."""
    if value is None:
        return "—"
    return f"+{round(value):,}" if value >= 0 else f"−{abs(round(value)):,}"


def change(now: float | None, before: float | None) -> str:
    """+12% against before (— when either is missing or before is 0)."""
    if now is None or not before:
        return "—"
    ratio = (now - before) / before
    return f"+{ratio * 100:.0f}%" if ratio >= 0 else f"−{abs(ratio) * 100:.0f}%"


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def slot(weekday: int, hour: int) -> str:
    """Mon 19:00–20:00."""
    return f"{WEEKDAYS[weekday]} {hour:02d}:00–{(hour + 1) % 24:02d}:00"


def age(hours: int) -> str:
    """48 h, 3 d."""
    return f"{hours} h" if hours < 72 else f"{hours // 24} d"
