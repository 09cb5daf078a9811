"""What the Scripts tab reads and writes through, handed in by app/tabs.py.

A module of its own so the pane and its two mixins (shot actions, revisions)
import it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from storage.posts import PostRepo
from storage.script_templates import TemplateSet
from storage.script_text import DEFAULT_CPM, DEFAULT_WPM
from storage.scripts import ScriptRepo
from storage.shots import ShotRepo


@dataclass(frozen=True)
class ScriptsServices:
    """What the Scripts tab reads and writes through."""

    scripts: ScriptRepo
    shots: ShotRepo
    posts: PostRepo
    templates: Callable[[], TemplateSet]
    words_per_minute: int = DEFAULT_WPM
    cjk_chars_per_minute: int = DEFAULT_CPM

    def close_connection(self) -> None:
        """Close this thread's connection (all repositories share one store)."""
        self.scripts.close_connection()
