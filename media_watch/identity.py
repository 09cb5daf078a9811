"""Content identity: a fast sampled key at import, a full hash to settle doubts.

`content_key` reads the size plus three 64 KiB blocks (start, middle, end), or
the whole file when it is small: the same bytes under another name give the
same key, so a copy is one asset with several paths. Two different files can
share a sampled key (same size, same sampled blocks), so the key alone never
makes a file a copy of a known asset: the full hash does (see
media_watch/examine.py). `full_hash` streams every byte through BLAKE3
(`blake3:<hex>`); hashes stored by earlier versions (`blake2b:<hex>`) are still
understood, and `full_hashes` computes several algorithms in one read so a new
file can be compared with an old hash.

A sampled key that turned out to be shared by different content is replaced,
for the later file, by its full hash (`split_key`): unique, and found again
by the next copy of those bytes.
"""

from __future__ import annotations

import hashlib
import os
from typing import Any, Callable, Iterable

import blake3

BLOCK = 64 * 1024
CHUNK = 4 * 1024 * 1024
KEY_PREFIX = "s1:"
HASH_PREFIX = "blake3:"
_ALGORITHMS: dict[str, Callable[[], Any]] = {
    "blake3": blake3.blake3,
    "blake2b": lambda: hashlib.blake2b(digest_size=32),
}


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


def algorithm_of(value: str) -> str:
    """The algorithm named by a stored full hash ('blake3', 'blake2b')."""
    name = value.split(":", 1)[0]
    if name not in _ALGORITHMS:
        raise ValueError(f"unknown full-hash algorithm in {value!r}")
    return name


def full_hashes(path: str, algorithms: Iterable[str] = ("blake3",)) -> dict[str, str]:
    """`algorithm → '<algorithm>:<hex>'` for the whole file, in one streaming read."""
    hashers = {name: _ALGORITHMS[name]() for name in dict.fromkeys(algorithms)}
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as fh:
        while count := fh.readinto(buffer):
            for h in hashers.values():
                h.update(view[:count])
    return {name: f"{name}:{h.hexdigest()}" for name, h in hashers.items()}


def full_hash(path: str) -> str:
    """BLAKE3 of the whole file, streamed in 4 MiB reads ('blake3:<hex>')."""
    return full_hashes(path)["blake3"]


def split_key(full: str) -> str:
    """The content key of a file whose sampled key belongs to other bytes."""
    return full
