"""Messages the Deals tab's database workers post (workers never touch widgets)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from storage.deals.detail import DealDetail
from storage.deals.models import Deal, OverdueInvoice


@dataclass
class DealsLoaded(Message):
    """Every deal, in pipeline order, and the overdue invoices."""

    generation: int
    deals: list[Deal]
    overdue: tuple[OverdueInvoice, ...]
    now: datetime


@dataclass
class DealsPainted(Message):
    """The board or list shows what was read (tests and the bench wait for it)."""

    view: str
    count: int


@dataclass
class DealChanged(Message):
    """A write finished: what to tell the person, and whether it failed."""

    text: str
    error: bool = False
    deal_id: int | None = None  # a deal the write made: the cursor lands on it


@dataclass
class DetailRead(Message):
    """A deal read whole for the detail screen (None: it is gone)."""

    deal_id: int
    detail: DealDetail | None
