"""Typed messages of the Numbers tab, its workers and the requests other tabs send it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message

from screens.numbers.model import ChartData, Choices, View
from screens.pane import TabRequest


@dataclass
class ChartRead(Message):
    """A worker read the data of `view`'s chart (read number `generation`), and what
    the account and pillar filters cycle through."""

    generation: int
    view: View
    data: ChartData
    choices: Choices


@dataclass
class NumbersPainted(Message):
    """The Numbers tab drew `view`'s chart or table."""

    view: View


@dataclass
class ShowPostNumbers(TabRequest):
    """Another tab asks for a post's report: its curve against its pillar."""

    tab: ClassVar[str] = "numbers"
    tab_title: ClassVar[str] = "Numbers"

    post_id: int
