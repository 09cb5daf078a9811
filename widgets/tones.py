"""Tones: the one place that says how a row looks for a state.

A screen gives each row a tone word ("error", "warning", "ok", "muted",
"active"; "" for none), usually looked up in one of the state maps below, and
the widget styles it with `tone_style` (for Content) or `rich_tone` (for the
rich Text cells of a DataTable). Styles are theme variables or text
attributes, never colour names, so every theme colours them.
"""

from __future__ import annotations

from rich.style import Style as RichStyle
from textual.style import Style

TONE_STYLES: dict[str, str] = {
    "error": "$text-error",
    "warning": "$text-warning",
    "ok": "$text-success",
    "muted": "dim",
    "active": "bold",
    "": "",
}

# The tone of a job state in the Renders list (states not listed: no tone).
JOB_STATE_TONES: dict[str, str] = {
    "running": "active",
    "failed": "warning",
    "dead": "error",
    "cancelled": "muted",
}

# The tone of a publication state in the Publish queue (states not listed: no tone).
PUBLICATION_STATE_TONES: dict[str, str] = {
    "publishing": "active",
    "processing": "active",
    "failed": "error",
    "cancelled": "muted",
}

# The tone of an asset status in the Footage library (states not listed: no tone).
ASSET_STATUS_TONES: dict[str, str] = {"missing": "muted", "rejected": "error"}


def tone_style(tone: str) -> str:
    """The Content style of a tone ("" for an unknown tone)."""
    return TONE_STYLES.get(tone, "")


def rich_tone(tone: str) -> RichStyle:
    """The rich style of a tone under the running App's theme (for DataTable cells)."""
    style = tone_style(tone)
    return Style.parse(style).rich_style if style else RichStyle()
