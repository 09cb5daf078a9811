"""Typed messages of the Renders tab and its workers (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from textual.message import Message

from screens.pane import TabRequest
from storage.renders import Render


@dataclass
class BoardLoaded(Message):
    """A worker read the render jobs under the filter `states` as of `now`."""

    generation: int
    renders: list[Render]
    counts: dict[str, int]
    now: datetime


@dataclass
class JobChanged(Message):
    """A queue action ran on a job: `text` says what happened, `error` why it did not."""

    job_id: int
    text: str
    error: bool = False


@dataclass
class RenderRead(Message):
    """A worker read one render job for its detail (None: it is gone)."""

    job_id: int
    render: Render | None


@dataclass
class RendersPainted(Message):
    """The Renders tab drew a fresh list of `count` rows."""

    count: int


@dataclass
class RenderClips(TabRequest):
    """Someone (the Footage tab) asks for a new render of these clips: the App routes it
    to the Renders tab, whose pane opens the new-render form with them picked."""

    tab: ClassVar[str] = "renders"
    tab_title: ClassVar[str] = "Renders"

    clip_ids: list[int]
    clip_names: list[str] = field(default_factory=list)  # as many as clip_ids, when known
    post_id: int | None = None  # the post the clips are linked to, pre-chosen in the form
    post_title: str = ""
