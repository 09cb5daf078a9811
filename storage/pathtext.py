"""File paths as stored text: names that are not UTF-8 kept by their bytes.

Linux file names are bytes. Python reads a name that is not valid UTF-8
with each undecodable byte as a lone surrogate (U+DC80-U+DCFF,
"surrogateescape"), which SQLite cannot store as text. `to_stored` writes
such a byte as U+FFFF followed by the Latin-1 character of the same number
(and a U+FFFF in a name as two), which is valid text in SQLite and
PostgreSQL alike; `from_stored` reverses it exactly, so the stored path
still opens the very file. Every other name — nearly all of them — is stored
unchanged. The mapping works character by character, so a stored folder
prefix is still the prefix of the stored paths under it.
"""

from __future__ import annotations

import re

ESCAPE = "\uffff"
_NEEDS = re.compile("[\uffff\ud800-\udfff]")
_STORED = re.compile("\uffff[\uffff\x80-\xff]")


def _encode(match: re.Match[str]) -> str:
    char = match.group()
    if char == ESCAPE:
        return ESCAPE + ESCAPE
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return ESCAPE + chr(code - 0xDC00)
    return "\ufffd"  # a surrogate no file system name produces


def _decode(match: re.Match[str]) -> str:
    tail = match.group()[1]
    return ESCAPE if tail == ESCAPE else chr(0xDC00 + ord(tail))


def to_stored(text: str) -> str:
    """A path or name (possibly holding surrogate-escaped bytes) as storable text."""
    return text if _NEEDS.search(text) is None else _NEEDS.sub(_encode, text)


def from_stored(text: str) -> str:
    """Stored text back to the path or name `to_stored` was given."""
    return text if ESCAPE not in text else _STORED.sub(_decode, text)


def from_stored_opt(text: str | None) -> str | None:
    """`from_stored`, None staying None."""
    return None if text is None else from_stored(text)
