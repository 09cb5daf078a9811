"""How fast scripts are spoken by default (storage/script_text.py uses them; the
config's defaults too, without importing the script parser before the first paint)."""

from __future__ import annotations

DEFAULT_WPM = 150  # words per minute, space-separated languages
DEFAULT_CPM = 250  # characters per minute, Chinese, Japanese and Korean
