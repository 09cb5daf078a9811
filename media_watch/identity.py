"""Content identity: a fast sampled key at import, a full hash in the background.

`content_key` reads the size plus three 64 KiB blocks (start, middle, end), or
the whole file when it is small: the same bytes under another name give the
same key, so a copy is one asset with several paths. `full_hash` streams the
whole file (BLAKE2b) for integrity; it runs off the import path.
"""

from __future__ import annotations

import hashlib
import os

BLOCK = 64 * 1024
CHUNK = 1024 * 1024
KEY_PREFIX = "s1:"
HASH_PREFIX = "blake2b:"


def content_key(path: str, size: int | None = None) -> str:
    """Sampled key of a file: size + first/middle/last 64 KiB (whole file if small)."""
    if size is None:
        size = os.stat(path).st_size
    h = hashlib.blake2b(digest_size=16)
    h.update(str(size).encode())
    with open(path, "rb") as fh:
        if size <= 3 * BLOCK:
            h.update(fh.read())
        else:
            for offset in (0, size // 2 - BLOCK // 2, size - BLOCK):
                fh.seek(offset)
                h.update(fh.read(BLOCK))
    return KEY_PREFIX + h.hexdigest()


def full_hash(path: str) -> str:
    """BLAKE2b-256 of the whole file, streamed in 1 MiB chunks."""
    h = hashlib.blake2b(digest_size=32)
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return HASH_PREFIX + h.hexdigest()
