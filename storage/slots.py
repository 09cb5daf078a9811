"""Posting slots: the rows of `posting_slots`, the `[[slots]]` entries of
config.toml, and the pure arithmetic of which slots of a local day are free.

A slot is (account, weekday 0=Mon, local "HH:MM"). A slot counts as taken on
a day when a post is planned at that local time that day; the calendar
shows the rest as gaps, and "next free slot" fills a new post's time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Iterable, Protocol
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")


@dataclass(frozen=True)
class Slot:
    """One posting slot of one account."""

    id: int
    account_id: int
    platform: str
    handle: str
    weekday: int
    local_time: str

    @property
    def account(self) -> str:
        return f"{self.platform}:{self.handle}"


@dataclass(frozen=True)
class SlotSpec:
    """A `[[slots]]` entry: an account ("tiktok" or "tiktok:handle"), days and a time."""

    account: str
    weekdays: tuple[int, ...]
    local_time: str

    def matches(self, platform: str, handle: str) -> bool:
        """Does this entry name that account (a bare platform names all of its accounts)?"""
        want_platform, _, want_handle = self.account.partition(":")
        if want_platform.strip().lower() != platform.lower():
            return False
        want_handle = want_handle.strip().lstrip("@")
        return not want_handle or want_handle.lower() == handle.lower()


class _Planned(Protocol):
    @property
    def planned_at(self) -> datetime | None: ...


def is_hhmm(text: str) -> bool:
    """Is `text` a 24-hour local time written HH:MM?"""
    return bool(_HHMM.match(text))


def weekday_number(name: str) -> int | None:
    """0 for "mon"/"Monday" (any case) … 6 for "sun"; None when not a weekday."""
    key = name.strip().lower()
    for number, short in enumerate(WEEKDAYS):
        if key in (short, FULL_NAMES[number]):
            return number
    return None


def taken_times(day: date, posts: Iterable[_Planned], zone: ZoneInfo) -> set[str]:
    """Local "HH:MM" of every post planned on local `day`."""
    out = set()
    for post in posts:
        if post.planned_at is None:
            continue
        local = post.planned_at.astimezone(zone)
        if local.date() == day:
            out.add(local.strftime("%H:%M"))
    return out


def free_times(
    day: date,
    slots: Iterable[Slot],
    posts: Iterable[_Planned],
    zone: ZoneInfo,
    account_id: int | None = None,
) -> list[str]:
    """The slot times of local `day` (of one account, or all) that no post takes, sorted."""
    wanted = {
        s.local_time
        for s in slots
        if s.weekday == day.weekday() and (account_id is None or s.account_id == account_id)
    }
    return sorted(wanted - taken_times(day, posts, zone))


def next_free(
    day: date,
    slots: Iterable[Slot],
    posts: Iterable[_Planned],
    zone: ZoneInfo,
    account_id: int | None = None,
) -> datetime | None:
    """The first free slot of local `day` as an aware local time, or None."""
    free = free_times(day, slots, posts, zone, account_id)
    if not free:
        return None
    hour, minute = (int(x) for x in free[0].split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=zone)
