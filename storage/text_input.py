"""Text on its way into the workspace: titles and notes kept free of control characters.

A title is one line of text: control characters (C0, DEL, C1), the bidi
embeddings, overrides and isolates that can reorder a line, and line
separators are removed (a tab or newline becomes a space), runs of spaces
collapse, and it must not end up empty or longer than TITLE_MAX. Multi-line
text (notes, script bodies, shot descriptions) keeps its newlines and tabs,
loses the other controls, and has CR/LF line ends made LF. A lone surrogate
(which SQLite cannot store, e.g. an undecodable byte of a file) becomes
U+FFFD. CJK, emoji and right-to-left text are kept as they are.
"""

from __future__ import annotations

import re

TITLE_MAX = 300
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]")
_CONTROLS = re.compile(f"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f{_BIDI_CONTROLS}]")
_BLOCK_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(" {2,}")


class TextInputError(ValueError):
    """Text that cannot be stored (an empty or overlong title); the message says which."""


def _no_surrogates(text: str) -> str:
    return _SURROGATES.sub("\ufffd", text)


def clean_line(text: str) -> str:
    """One line: controls removed, line breaks and tabs made spaces, spaces collapsed, trimmed."""
    text = _no_surrogates(text)
    text = _LINE_BREAKS.sub(" ", text)
    text = _CONTROLS.sub("", text)
    return _SPACES.sub(" ", text).strip()


def clean_block(text: str) -> str:
    """Multi-line text: controls removed, newlines and tabs kept, line ends made LF."""
    text = _no_surrogates(text).replace("\r\n", "\n").replace("\r", "\n")
    return _BLOCK_CONTROLS.sub("", text)


_EXPORT_CONTROLS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI_CONTROLS}]")


def strip_controls(text: str) -> str:
    """An export's text (CSV, Markdown, HTML) with no control character but tab and line ends."""
    return _EXPORT_CONTROLS.sub("", _no_surrogates(text))


def check_title(value: object, what: str = "title") -> str:
    """A cleaned title, or TextInputError: it must be text, not empty, at most TITLE_MAX long."""
    if not isinstance(value, str):
        raise TextInputError(f"{what} must be text, not {_kind(value)}")
    title = clean_line(value)
    if not title:
        raise TextInputError(f"{what} is empty; every post needs a title")
    if len(title) > TITLE_MAX:
        raise TextInputError(
            f"{what} is {len(title)} characters long; it must be at most {TITLE_MAX}"
        )
    return title


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "empty (null)"
    return type(value).__name__
