"""How big the demo workspace is (`Scale`), and the clock it is built around (`DemoTime`).

Everything in the demo is placed relative to one `now` and a workspace time
zone, so the same `now` always gives the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from storage.timefmt import to_db


@dataclass(frozen=True)
class Scale:
    """Sizes of one demo workspace."""

    name: str
    posts: int  # planned between days_back ago and days_ahead from now (anchors included)
    days_back: int
    days_ahead: int
    older_posts: int  # extra published/archived posts 46-90 days back
    inbox: int
    synthetic_assets: int  # footage rows written directly (no files)
    overdue_rate: float  # chance that a past post is stuck in an earlier stage
    revision_share: float  # share of scripts with a revision history
    render_days: int  # published posts of the last N days have a done render job
    snapshot_days: int = 90  # daily metric snapshots per publication, at most


NORMAL = Scale(
    "normal",
    posts=60,
    days_back=45,
    days_ahead=30,
    older_posts=10,
    inbox=200,
    synthetic_assets=0,
    overdue_rate=0.0,
    revision_share=0.6,
    render_days=21,
)
LARGE = Scale(
    "large",
    posts=10_000,
    days_back=400,
    days_ahead=60,
    older_posts=0,
    inbox=50_000,
    synthetic_assets=100_000,
    overdue_rate=0.01,
    revision_share=0.15,
    render_days=400,
)
SCALES = {"normal": NORMAL, "large": LARGE}


def scale_for(name: str, factor: float = 1.0) -> Scale:
    """The named scale, its volumes multiplied by `factor` (for quick tests of `large`)."""
    try:
        base = SCALES[name]
    except KeyError:
        raise ValueError(f"scale {name!r} is not one of {', '.join(SCALES)}") from None
    if factor == 1.0:
        return base
    if factor <= 0:
        raise ValueError("the size factor must be positive")
    return replace(
        base,
        posts=max(20, round(base.posts * factor)),
        older_posts=round(base.older_posts * factor),
        inbox=max(20, round(base.inbox * factor)),
        synthetic_assets=round(base.synthetic_assets * factor),
    )


@dataclass(frozen=True)
class DemoTime:
    """`now` and the workspace zone; turns day offsets and local clock times into moments."""

    now: datetime
    zone: tzinfo = UTC

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("now must be an aware datetime")
        # Whole seconds: stored times have no fractions, and neither do offsets from now.
        object.__setattr__(self, "now", self.now.astimezone(UTC).replace(microsecond=0))

    @property
    def today(self) -> date:
        """Today's date in the workspace zone."""
        return self.now.astimezone(self.zone).date()

    def local(self, day: int, hhmm: str) -> datetime:
        """The moment `day` days from today at local clock time `hhmm`, in UTC."""
        hour, minute = (int(p) for p in hhmm.split(":"))
        moment = datetime.combine(self.today + timedelta(days=day), time(hour, minute), self.zone)
        return moment.astimezone(UTC)

    def ago(self, *, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
        """A moment before now."""
        return self.now - timedelta(days=days, hours=hours, minutes=minutes)

    def days_from_now(self, moment: datetime) -> float:
        """Signed distance from now in days."""
        return (moment - self.now).total_seconds() / 86400

    @staticmethod
    def db(moment: datetime | None) -> str | None:
        """A moment as stored text (None stays None)."""
        return None if moment is None else to_db(moment)
