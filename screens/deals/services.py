"""What the Deals tab reads and writes through (all on one store), handed in by app/tabs.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from storage.deals.detail import DealDetail
from storage.deals.invoices import InvoiceRepo
from storage.deals.repo import DealRepo


@dataclass(frozen=True)
class DealsServices:
    """The deals repositories, how to read a deal whole, and how money and times are shown."""

    deals: DealRepo
    invoices: InvoiceRepo
    detail: Callable[[int, datetime], DealDetail]  # with the workspace's lead times, checkpoints
    zone: ZoneInfo
    locale: str

    def close_connection(self) -> None:
        """Close this thread's connection (call at the end of a worker thread)."""
        self.deals.close_connection()
