"""The lead times of `[deals]`: how many days before a deliverable's deadline its
post must have a script, footage and a finished render.

Apart from the progress read that uses them (storage/deals/progress.py): the
App builds Today's repository with them before its first paint, and that read
is not needed then.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LeadTimes:
    """Days before a deliverable's deadline by which its post must have each part."""

    script_days: float = 5
    footage_days: float = 3
    render_days: float = 1
