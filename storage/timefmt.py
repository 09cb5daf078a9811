"""UTC timestamps as stored: fixed-width ISO 8601 text with a trailing Z.

Every stored time is `YYYY-MM-DDTHH:MM:SSZ` (20 characters, the year always
four digits), so times compare correctly as text in SQLite and PostgreSQL
alike. A date a person or a file gives is checked on the way in
(`check_range`: the years 1970-2200). A reader of such dates uses `lenient`,
which turns a stored value it cannot read (a row written before these
checks, or by hand) into None plus the raw text, so one bad row is shown and
flagged instead of failing a whole list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

FORMAT = "%Y-%m-%dT%H:%M:%SZ"
YEAR_MIN, YEAR_MAX = 1970, 2200


class TimeRangeError(ValueError):
    """A date outside the years ReelRoom accepts; the message says which and why."""


def to_db(moment: datetime) -> str:
    """A timezone-aware datetime as stored text (converted to UTC), always fixed width."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: ReelRoom stores aware times only")
    u = moment.astimezone(UTC)
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def check_range(moment: datetime, what: str = "date") -> datetime:
    """`moment` when its year is within YEAR_MIN..YEAR_MAX (locally and in UTC), else TimeRangeError."""
    try:
        years = {moment.year, moment.astimezone(UTC).year if moment.tzinfo else moment.year}
    except OverflowError:
        years = {moment.year}
    if min(years) < YEAR_MIN or max(years) > YEAR_MAX:
        raise TimeRangeError(
            f"{what} {moment.isoformat()} is outside the years {YEAR_MIN}-{YEAR_MAX}; "
            "give a date in that range"
        )
    return moment


@overload
def from_db(text: str) -> datetime: ...
@overload
def from_db(text: None) -> None: ...
@overload
def from_db(text: str | None) -> datetime | None: ...
def from_db(text: str | None) -> datetime | None:
    """Stored text back to an aware UTC datetime (None stays None)."""
    if text is None:
        return None
    # fromisoformat reads the trailing Z (Python 3.11+) and is ~40x faster than strptime.
    return datetime.fromisoformat(text).astimezone(UTC)


def lenient(text: str | None) -> tuple[datetime | None, str | None]:
    """(time, None) for a readable stored time, (None, raw text) for one that is not.

    Readable means well-formed and within YEAR_MIN..YEAR_MAX; anything else
    would fail later, converting to a local zone or doing arithmetic.
    """
    if text is None:
        return None, None
    try:
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is None:
            raise ValueError("naive")
        moment = moment.astimezone(UTC)
    except (ValueError, TypeError, OverflowError):
        return None, str(text)
    if not YEAR_MIN <= moment.year <= YEAR_MAX:
        return None, text
    return moment, None


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)
