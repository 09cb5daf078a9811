"""One read of Today: the triage sections laid out, and yesterday's numbers when
they changed. Plain values only and no Textual, so the same read runs in the
pane's thread and, at start-up, in a process of its own (app/first_read.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

from screens.today import rows as today_rows
from widgets.values import TriageSection

if TYPE_CHECKING:  # annotations: the App that shows a child's read loads neither first
    from storage.today import TodayRepo
    from storage.today_numbers import YesterdayNumbers


class TodayRead(NamedTuple):
    """What one read found: the sections, and the numbers with their key, or None
    for both when the key is the one the caller already shows."""

    sections: tuple[TriageSection, ...]
    numbers: YesterdayNumbers | None
    key: tuple[object, ...] | None


def read_today(
    repo: TodayRepo,
    now: datetime,
    zone: ZoneInfo,
    locale: str,
    shown_key: tuple[object, ...] | None = None,
) -> TodayRead:
    """Today as of `now`: its sections without the items marked handled, and the
    numbers unless their key is `shown_key` (same day, same sums)."""
    found, handled = repo.items(now, zone), repo.handled_keys(now, zone)
    laid_out = tuple(today_rows.sections(found, now, zone, locale, hidden=handled))
    key = repo.numbers_key(now, zone)
    if key == shown_key:
        return TodayRead(laid_out, None, None)
    return TodayRead(laid_out, repo.numbers(now, zone), key)
