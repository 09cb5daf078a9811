"""Progress cells for job tables: a bar in eighth blocks with its percent, speed, ETA.

Plain functions from plain values (fraction 0..1, speed factor, seconds) to
cell text of a fixed width, so a table row stays aligned while it updates.
"""

from __future__ import annotations

EIGHTHS = " ▏▎▍▌▋▊▉█"
EMPTY = "░"


def bar(fraction: float | None, cells: int) -> str:
    """`cells` wide: full blocks, one partial eighth block, then light shade."""
    if cells <= 0:
        return ""
    if fraction is None:
        return EMPTY * cells
    eighths = round(min(1.0, max(0.0, fraction)) * cells * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part and full < cells else "")
    return text + EMPTY * (cells - len(text))


def percent(fraction: float | None) -> str:
    """ "42%", or "—" when unknown; never rounds up to 100% before the end."""
    if fraction is None:
        return "—"
    value = min(1.0, max(0.0, fraction)) * 100
    shown = int(value) if value < 100 else 100
    return f"{shown}%"


def progress_cell(fraction: float | None, cells: int) -> str:
    """Bar and percent in exactly `cells` cells: "█████▌░░░░  55%"."""
    label = percent(fraction).rjust(5)
    return bar(fraction, max(0, cells - len(label))) + label[:cells]


def speed_text(speed: float | None) -> str:
    """ "1.8x" (ffmpeg's speed factor), or "—"."""
    if speed is None or speed <= 0:
        return "—"
    return f"{speed:.1f}x" if speed < 100 else f"{speed:.0f}x"


def duration_text(seconds: float | None) -> str:
    """A short duration: "45s", "3m05s", "1h02m"; "—" when unknown."""
    if seconds is None or seconds < 0:
        return "—"
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"
