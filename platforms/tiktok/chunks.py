"""TikTok's media-transfer chunk arithmetic (reference/platform-apis.md §1.5).

- total_chunk_count = floor(video_size / chunk_size), 1 to 1000;
- every chunk is 5–64 MB (MiB, as the client libraries count), sent in order;
  the last one takes the trailing bytes and may be up to 128 MB;
- a video under 5 MB is one chunk of its own size; over 64 MB, several.
"""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024 * 1024
MIN_CHUNK = 5 * MiB
MAX_CHUNK = 64 * MiB
MAX_LAST = 128 * MiB
MAX_CHUNKS = 1000
DEFAULT_CHUNK = 10 * MiB


@dataclass(frozen=True)
class ChunkPlan:
    """How a file of `size` bytes is sent: `count` chunks of `chunk_size`, the last larger."""

    size: int
    chunk_size: int
    count: int

    def span(self, index: int) -> tuple[int, int]:
        """(first byte, length) of chunk `index`."""
        first = index * self.chunk_size
        length = self.chunk_size if index < self.count - 1 else self.size - first
        return first, length

    def index_of(self, offset: int) -> int:
        """The chunk that starts at `offset` (a chunk boundary)."""
        if offset % self.chunk_size or offset >= self.size:
            raise ValueError(f"{offset} is not the start of a chunk")
        return offset // self.chunk_size


def plan_chunks(size: int, preferred: int = DEFAULT_CHUNK) -> ChunkPlan:
    """The chunks for a file of `size` bytes, near `preferred` bytes each, within the rules."""
    if size <= 0:
        raise ValueError("an empty file cannot be uploaded")
    chunk = min(MAX_CHUNK, max(MIN_CHUNK, preferred))
    if size < MIN_CHUNK or size <= chunk:
        return ChunkPlan(size, size, 1)
    if size // chunk > MAX_CHUNKS:
        chunk = -(-size // MAX_CHUNKS)  # ceil: at most 1000 chunks
        if chunk > MAX_CHUNK:
            raise ValueError(f"a {size} byte file is over TikTok's 1000 chunks of 64 MB")
    count = size // chunk
    if count == 1 and size > MAX_CHUNK:  # over 64 MB must go in several chunks
        chunk, count = size // 2, 2
    if size - (count - 1) * chunk > MAX_LAST:
        raise ValueError("the last chunk would be over 128 MB")
    return ChunkPlan(size, chunk, count)
