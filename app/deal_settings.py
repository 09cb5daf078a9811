"""The `[deals]` settings as the deals room's storage types (lead times, checkpoints)."""

from __future__ import annotations

from app.config import Config
from storage.deals.lead_times import LeadTimes


def lead_times(config: Config) -> LeadTimes:
    """The lead times of `[deals]`: days before a deadline for script, footage and render."""
    deals = config.deals
    return LeadTimes(deals.script_lead_days, deals.footage_lead_days, deals.render_lead_days)
