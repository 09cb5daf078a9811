"""Ranges the Calendar tab has read, kept so moving to a neighbour paints at once.

After each read the pane prefetches the previous and next page (month or
week) in a background worker; a move onto a cached range shows it without
waiting for SQLite. Any reload (own write, another process's write seen via
`PRAGMA data_version`, `r`) clears the cache, so nothing stale is shown.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from screens.calendar.messages import CalendarLoaded
from storage.calendar import PostFilter

RangeKey = tuple[date, date, PostFilter, bool]  # first, last, filter, with the board


def key_of(message: CalendarLoaded) -> RangeKey:
    """The cache key a read answers."""
    return (message.first, message.last, message.flt, message.board is not None)


class RangeCache:
    """The newest `size` reads, by range, filter and whether the board was read."""

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._reads: OrderedDict[RangeKey, CalendarLoaded] = OrderedDict()

    def get(self, key: RangeKey) -> CalendarLoaded | None:
        """A cached read of exactly that range and filter, if any."""
        found = self._reads.get(key)
        if found is not None:
            self._reads.move_to_end(key)
        return found

    def put(self, message: CalendarLoaded) -> None:
        """Keep a read, dropping the oldest beyond `size`."""
        self._reads[key_of(message)] = message
        self._reads.move_to_end(key_of(message))
        while len(self._reads) > self.size:
            self._reads.popitem(last=False)

    def __contains__(self, key: RangeKey) -> bool:
        return key in self._reads

    def clear(self) -> None:
        """Forget every read (the data changed)."""
        self._reads.clear()
