"""Text from data made safe to show on a terminal: control characters made visible.

Titles, captions, file names, comments and author names come from people
and platforms, so they may hold terminal escapes (`ESC ] 0 ; … BEL` retitles
the terminal, `ESC [ 2 J` clears it), C1 controls some terminals obey, bidi
overrides that reorder a line, or lone surrogates (undecodable bytes of a
file name). `visible` shows each of them as a visible stand-in and leaves
everything else — CJK, emoji, accents — exactly as it is:

- C0 controls and DEL → their Control Pictures (`ESC` → `␛`, `BEL` → `␇`),
  one cell wide, so tables stay aligned;
- C1 controls → `\\x9b`-style escapes;
- bidi embeddings, overrides and isolates (Trojan Source), line/paragraph separators
  → `\\u202e`-style escapes;
- a lone surrogate that stands for an undecodable byte of a file name
  (Python's surrogateescape) → that byte as `\\xff`; any other → `\\udxxx`.

`json_text` does the same inside a JSON document (as `\\uXXXX` escapes, so
the document still parses to the very same strings). Both the command line
(app/output.py) and the TUI's widgets use this module: it imports rich only,
never Textual, storage or services.
"""

from __future__ import annotations

import re

# Characters that are never shown raw. Tab and newline are allowed through only
# where a caller asks for multi-line text.
_BIDI = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates (not the marks)
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")
_UNSAFE_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")
# What json.dumps(ensure_ascii=False) leaves raw (it escapes C0 inside strings
# itself; C0 outside strings is the document's own whitespace).
_JSON_RAW = re.compile(f"[\x7f-\x9f{_BIDI}\u2028\u2029\ud800-\udfff]")


def _stand_in(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    if code <= 0x9F:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the byte that could not be decoded
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def _replace(match: re.Match[str]) -> str:
    return _stand_in(match.group())


def visible(text: str, *, lines: bool = False) -> str:
    """`text` with every control character shown as a visible stand-in.

    With `lines`, newlines and tabs are kept (multi-line text such as a
    script body or a message); otherwise they too are shown (`␊`, `␉`), so
    one value stays on one line of a table.
    """
    pattern = _UNSAFE_LINES if lines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_replace, text)


def has_unsafe(text: str) -> bool:
    """Whether `text` holds a character `visible` would replace (newline and tab count)."""
    return _UNSAFE.search(text) is not None


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(document: str) -> str:
    """A JSON text with the characters `json.dumps(ensure_ascii=False)` leaves raw escaped.

    Inside JSON such characters can only be within strings, where `\\uXXXX`
    stands for the same character: the document parses to the same values.
    """
    if _JSON_RAW.search(document) is None:
        return document
    return _JSON_RAW.sub(_json_escape, document)
