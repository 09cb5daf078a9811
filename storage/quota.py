"""Platform quota units used per scope, bucket and day (`platform_quota`).

A scope is whoever the platform counts against (YouTube: the OAuth client's
project); a bucket is one of its quotas (YouTube's shared 10,000 units, or
videos.insert's own bucket under the newer rules); the day is the platform's
quota day as text (YouTube: the Pacific date). `take` charges units only
while the total stays within the limit, in one statement, so two workers
cannot both spend the last units.
"""

from __future__ import annotations

from storage.db import Store


class QuotaRepo:
    """The quota ledger (implements platforms.base.QuotaLedger)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def used(self, scope: str, bucket: str, day: str) -> int:
        """Units already spent."""
        row = self.store.conn.execute(
            "SELECT units FROM platform_quota WHERE scope = ? AND bucket = ? AND day = ?",
            (scope, bucket, day),
        ).fetchone()
        return int(row["units"]) if row else 0

    def take(self, scope: str, bucket: str, day: str, units: int, limit: int) -> int | None:
        """Charge `units` if the total stays ≤ `limit`: the new total, or None (nothing charged)."""
        if units > limit:
            return None
        with self.store.write() as conn:
            row = conn.execute(
                "INSERT INTO platform_quota (scope, bucket, day, units) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (scope, bucket, day) DO UPDATE SET units = platform_quota.units + "
                "excluded.units WHERE platform_quota.units + excluded.units <= ? RETURNING units",
                (scope, bucket, day, units, limit),
            ).fetchone()
        return int(row["units"]) if row else None

    def charge(self, scope: str, bucket: str, day: str, units: int) -> int:
        """Charge `units` whatever the total (a call the platform charged anyway)."""
        with self.store.write() as conn:
            row = conn.execute(
                "INSERT INTO platform_quota (scope, bucket, day, units) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (scope, bucket, day) DO UPDATE SET units = platform_quota.units + "
                "excluded.units RETURNING units",
                (scope, bucket, day, units),
            ).fetchone()
        return int(row["units"])
