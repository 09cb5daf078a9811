"""YouTube quota: units per Pacific day, a clear stop before they run out.

Costs (reference/platform-apis.md §2.3): reads (channels, playlistItems,
videos, commentThreads) 1 unit; comments.insert 50; videos.insert either
1600 units of the shared 10,000 (the older rules) or 1 call of its own
bucket of 100 a day (the current page) — `[publish] youtube_insert_own_bucket`
chooses, and every figure is configurable. Quota belongs to the OAuth
client's project, so the scope is a digest of the client id (never the id
itself in the database). A call that would go over is not made:
`QuotaExhausted` says how much is used and when the day resets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from platforms.base import QuotaExhausted, QuotaLedger

PACIFIC = ZoneInfo("America/Los_Angeles")
SHARED = "shared"
INSERT_BUCKET = "videos.insert"
READ_COST = 1
COSTS = {"comments.insert": 50, "commentThreads.insert": 50}


@dataclass(frozen=True)
class QuotaRules:
    """The quota figures in force (config.toml [publish] youtube_*)."""

    daily_units: int = 10_000
    insert_units: int = 1600
    insert_own_bucket: bool = True
    insert_calls_per_day: int = 100

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> QuotaRules:
        return cls(
            daily_units=int(settings.get("youtube_daily_units", cls.daily_units)),
            insert_units=int(settings.get("youtube_insert_units", cls.insert_units)),
            insert_own_bucket=bool(
                settings.get("youtube_insert_own_bucket", cls.insert_own_bucket)
            ),
            insert_calls_per_day=int(
                settings.get("youtube_insert_daily_calls", cls.insert_calls_per_day)
            ),
        )

    def charge_for(self, method: str) -> tuple[str, int, int]:
        """(bucket, units, that bucket's daily limit) of one call of `method`."""
        if method == "videos.insert":
            if self.insert_own_bucket:
                return INSERT_BUCKET, 1, self.insert_calls_per_day
            return SHARED, self.insert_units, self.daily_units
        return SHARED, COSTS.get(method, READ_COST), self.daily_units


def pacific_day(moment: datetime) -> str:
    """YouTube's quota day (the Pacific date) of `moment`."""
    return moment.astimezone(PACIFIC).date().isoformat()


def next_reset(moment: datetime) -> datetime:
    """The next Pacific midnight after `moment`, in UTC."""
    local = moment.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=PACIFIC)
    return midnight.astimezone(UTC)


def scope_of(client_id: str | None) -> str:
    """The ledger scope of an OAuth client (a digest; the id itself is not stored)."""
    digest = hashlib.sha256((client_id or "-").encode("utf-8")).hexdigest()[:16]
    return f"youtube:{digest}"


class QuotaMeter:
    """Spends units of one OAuth client's quota, refusing the call that would go over."""

    def __init__(
        self,
        ledger: QuotaLedger | None,
        scope: str,
        rules: QuotaRules,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.ledger = ledger
        self.scope = scope
        self.rules = rules
        self.clock = clock or (lambda: datetime.now(UTC))

    def spend(self, method: str) -> None:
        """Charge one call of `method`, or raise QuotaExhausted (nothing is sent then)."""
        if self.ledger is None:
            return
        bucket, units, limit = self.rules.charge_for(method)
        now = self.clock()
        day = pacific_day(now)
        if self.ledger.take(self.scope, bucket, day, units, limit) is None:
            used = self.ledger.used(self.scope, bucket, day)
            raise self._stop(method, bucket, used, units, limit, now)

    def exhausted(self, method: str) -> QuotaExhausted:
        """YouTube said quotaExceeded: mark the bucket full (we stop too) and say so."""
        bucket, units, limit = self.rules.charge_for(method)
        now = self.clock()
        used = limit
        if self.ledger is not None:
            day = pacific_day(now)
            have = self.ledger.used(self.scope, bucket, day)
            if have < limit:
                self.ledger.charge(self.scope, bucket, day, limit - have)
        return self._stop(method, bucket, used, units, limit, now, told=True)

    def _stop(
        self,
        method: str,
        bucket: str,
        used: int,
        units: int,
        limit: int,
        now: datetime,
        told: bool = False,
    ) -> QuotaExhausted:
        reset = next_reset(now)
        what = "calls" if bucket == INSERT_BUCKET else "units"
        head = (
            "YouTube answered quotaExceeded"
            if told
            else f"YouTube's daily quota would run out: {used} of {limit} {what} used today"
        )
        return QuotaExhausted(
            f"{head} ({bucket} bucket, Pacific day {pacific_day(now)}; {method} needs {units}). "
            f"Nothing was sent. It resets at {reset:%Y-%m-%d %H:%M} UTC (midnight Pacific); "
            "retry after that, or change [publish] youtube_* in config.toml if the project's "
            "quota is larger",
            code="quotaExceeded",
            retry_after=max(60.0, (reset - now).total_seconds()),
        )
