"""Typed messages the Scripts tab's workers post (named for what happened)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.message import Message

from screens.pane import TabRequest
from storage.models import Post
from storage.script_templates import TemplateSet
from storage.scripts import Revision, Script
from storage.shots import LinkedClip, ShotRow, SyncResult


@dataclass
class PostsListed(Message):
    """The picker's posts were read; `with_script` holds the ids that have a script."""

    posts: list[Post]
    with_script: set[int]


@dataclass
class ScriptOpened(Message):
    """A post's script and shots were read (script None: it has none yet).

    `templates` is read only when the post has no script, for the picker;
    `reload` is True when the open script was read again (refresh, another
    process wrote), not opened by the user.
    """

    post: Post
    script: Script | None
    shots: list[ShotRow]
    coverage: tuple[int, int]
    templates: TemplateSet | None = None
    reload: bool = False


@dataclass
class ScriptSaved(Message):
    """A save (of `reason`) stored `body` and synced the shot list from it."""

    post_id: int
    body: str
    reason: str
    shots: list[ShotRow]
    coverage: tuple[int, int]
    sync: SyncResult
    template: str | None = None  # the template a first save started from


@dataclass
class ShotsChanged(Message):
    """The shot list of a post was read again after a change to a shot."""

    post_id: int
    shots: list[ShotRow]
    coverage: tuple[int, int]


@dataclass
class RevisionsListed(Message):
    """A post's revisions were read, newest first."""

    post_id: int
    revisions: list[Revision]
    template: str | None = None  # the template the script started from (its first revision)


@dataclass
class ClipsListed(Message):
    """A shot's candidate clips and the ids already linked to it were read."""

    shot: ShotRow
    clips: list[LinkedClip]
    linked: set[int]


@dataclass
class OpenScript(TabRequest):
    """Someone (Today's detail) asks the Scripts tab to open a post's script."""

    tab: ClassVar[str] = "scripts"
    tab_title: ClassVar[str] = "Scripts"

    post_id: int
