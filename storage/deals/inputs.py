"""Reading what a person typed for a deal or a deliverable: one place for the CLI and the tab.

Each function takes text as typed and returns the stored form, or raises
`DealInputError` naming the field (the CLI's option, the tab's input) and
what to write instead. Nothing here touches the database.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from storage.deals.models import PROMISE_KEYS
from storage.timefmt import YEAR_MAX, YEAR_MIN, TimeRangeError, check_range
from storage.vocab import PLATFORM_LABELS, DealStage, DeliverableState, DisclosureMethod, values

_TAG = re.compile(r"^#[^\s#@]+$")
_MENTION = re.compile(r"^@[^\s#@]+$")
_LINK = re.compile(r"^https?://\S+$", re.I)


class DealInputError(ValueError):
    """A typed value is wrong; `field` names the option or input."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def _words(text: str | None) -> list[str]:
    return [w for w in re.split(r"[\s,]+", text or "") if w]


def parse_platforms(text: str | None, field_name: str = "--platforms") -> tuple[str, ...]:
    """ "tiktok,instagram" -> ("tiktok", "instagram"); each must be a known platform."""
    found: list[str] = []
    for word in _words(text):
        name = word.lower()
        if name not in PLATFORM_LABELS:
            raise DealInputError(
                field_name, f"{word!r} is not a platform; use {', '.join(PLATFORM_LABELS)}"
            )
        if name not in found:
            found.append(name)
    return tuple(found)


def parse_hashtags(text: str | None, field_name: str = "--hashtags") -> tuple[str, ...]:
    """ "#ad #brand" (or "ad, brand") -> ("#ad", "#brand")."""
    found: list[str] = []
    for word in _words(text):
        tag = word if word.startswith("#") else f"#{word}"
        if not _TAG.match(tag):
            raise DealInputError(field_name, f"{word!r} is not a hashtag (write #brand)")
        if tag not in found:
            found.append(tag)
    return tuple(found)


def parse_mentions(text: str | None, field_name: str = "--mentions") -> tuple[str, ...]:
    """ "@brand @other" (or "brand") -> ("@brand", "@other")."""
    found: list[str] = []
    for word in _words(text):
        handle = word if word.startswith("@") else f"@{word}"
        if not _MENTION.match(handle):
            raise DealInputError(field_name, f"{word!r} is not a mention (write @brand)")
        if handle not in found:
            found.append(handle)
    return tuple(found)


def parse_links(text: str | None, field_name: str = "--links") -> tuple[str, ...]:
    """Space- or comma-separated http(s) links."""
    found: list[str] = []
    for word in _words(text):
        if not _LINK.match(word):
            raise DealInputError(field_name, f"{word!r} is not a link (write https://…)")
        if word not in found:
            found.append(word)
    return tuple(found)


def parse_disclosure(
    words: list[str] | str | None, field_name: str = "--disclosure"
) -> tuple[str, ...]:
    """flag / hashtag / label (several allowed); none given: hashtag."""
    given = (
        _words(words) if isinstance(words, str) else [w for w in (words or []) for w in _words(w)]
    )
    allowed = values(DisclosureMethod)
    found: list[str] = []
    for word in given:
        method = word.lower()
        if method not in allowed:
            raise DealInputError(
                field_name,
                f"{word!r} is not a disclosure; use flag (the platform's branded-content "
                "setting), hashtag (the deal's wording in the caption) or label (on-screen)",
            )
        if method not in found:
            found.append(method)
    return tuple(found) or (DisclosureMethod.HASHTAG.value,)


def parse_time(
    text: str | None, zone: ZoneInfo, field_name: str, *, end_of_day: bool = False
) -> datetime | None:
    """An ISO 8601 date or time; without an offset it is read in the workspace's zone.

    A bare date means the start of that day, or its last minute with `end_of_day`
    (a deadline "2026-12-01" is due by the end of that day).
    """
    if text is None or not text.strip():
        return None
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            at = time(23, 59) if end_of_day else time(0)
            moment = datetime.combine(day, at, tzinfo=zone)
        else:
            moment = datetime.fromisoformat(raw)
    except ValueError:
        raise DealInputError(
            field_name,
            f"{text!r} is not a date or time; write it like 2026-12-01, 2026-12-01T17:00 "
            f"(in the workspace's zone, {zone.key}) or 2026-12-01T17:00+01:00",
        ) from None
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    try:
        return check_range(moment, field_name)
    except TimeRangeError:
        raise DealInputError(
            field_name,
            f"{text!r} is outside the years {YEAR_MIN}-{YEAR_MAX}; give a date in that range",
        ) from None


def parse_stage(text: str, field_name: str = "STAGE") -> DealStage:
    """A pipeline stage as typed: "in production", "in_production", "In-Production"."""
    word = re.sub(r"[\s-]+", "_", text.strip().lower())
    try:
        return DealStage(word)
    except ValueError:
        raise DealInputError(
            field_name,
            f"{text!r} is not a stage; use one of {', '.join(s.label for s in DealStage)}",
        ) from None


def parse_state(text: str, field_name: str = "STATE") -> DeliverableState:
    """A deliverable state as typed: "draft sent", "changes_asked", "live"."""
    word = re.sub(r"[\s-]+", "_", text.strip().lower())
    try:
        return DeliverableState(word)
    except ValueError:
        raise DealInputError(
            field_name,
            f"{text!r} is not a state; use one of {', '.join(s.label for s in DeliverableState)}",
        ) from None


def parse_promises(items: list[str] | None, field_name: str = "--promise") -> dict[str, float]:
    """["views=150000", "engagement_rate=0.05"] -> {"views": 150000.0, …}."""
    found: dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not sep or key not in PROMISE_KEYS:
            raise DealInputError(
                field_name, f"{item!r}: write KEY=NUMBER with KEY one of {', '.join(PROMISE_KEYS)}"
            )
        try:
            number = float(value.strip().rstrip("%"))
        except ValueError:
            raise DealInputError(field_name, f"{item!r}: {value!r} is not a number") from None
        if value.strip().endswith("%"):
            number /= 100
        if not number >= 0 or number == float("inf"):
            raise DealInputError(field_name, f"{item!r}: the figure must be 0 or more")
        found[key] = number
    return found
