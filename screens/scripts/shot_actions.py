"""Shot actions of the Scripts tab: status, adding a shot, linking clips (a pane mixin).

s on a shot moves it to its next status; a opens the add-shot form and
writes the shot into the script's Shots section, then saves. l on a shot reads the candidate clips (the post's own first) and the shot's
links in a worker, then shows `ClipPickerScreen`: space toggles a clip,
Enter applies, Escape cancels. The changes are written in one transaction
and the shot list (with its coverage) is read again.
"""

from __future__ import annotations

from typing import Any

from screens.modals.add_shot import AddShotScreen
from screens.modals.clip_picker import ClipPickerScreen
from screens.pane import Pane
from screens.scripts.messages import ClipsListed, ShotsChanged
from screens.scripts.services import ScriptsServices
from screens.scripts.shots import add_shot_line, next_status
from storage.models import Post
from storage.shots import ShotRow


class ShotActions(Pane):
    """The pane side of the shot table's keys (mixed into ScriptsPane)."""

    post: Post | None
    services: ScriptsServices
    _text: str

    def _set_text(self, text: str, *, home: bool = True) -> None:
        """Put `text` in the editor (ScriptsPane's own comes first in its MRO)."""
        raise NotImplementedError

    def _save(self, post_id: int, body: str, reason: str, template: str | None = None) -> Any:
        """Save a revision and sync shots (ScriptsPane's own comes first in its MRO)."""
        raise NotImplementedError

    def on_shot_table_status_cycled(self, message: Any) -> None:
        """s on a shot: to shoot → shot → in edit → to shoot."""
        if self.post is not None:
            self._set_shot_status(self.post.id, message.shot.id, next_status(message.shot.status))

    def _set_shot_status(self, post_id: int, shot_id: int, status: str) -> None:
        shots = self.services.shots

        def write() -> ShotsChanged:
            shots.set_status(shot_id, status)
            return ShotsChanged(post_id, shots.list(post_id), shots.coverage(post_id))

        self.run_db(write, group="scripts-shots", description="Saving the shot", exclusive=False)

    def on_shot_table_add_requested(self, message: Any) -> None:
        """a: the add-shot form; the shot is written into the script and saved."""
        if self.post is not None:
            self.app.push_screen(AddShotScreen(), self._shot_entered)

    def _shot_entered(self, entered: tuple[str, str, str] | None) -> None:
        if entered is None or self.post is None:
            return
        text, number = add_shot_line(self._text, *entered)
        self._set_text(text, home=False)
        self._save(self.post.id, text, "save")
        self.notify(f"Shot {number} added to the script's Shots section.", timeout=3)

    def on_shot_table_link_requested(self, message: Any) -> None:
        """l on a shot: read its candidate clips."""
        if self.post is not None:
            self._list_clips(message.shot)

    def _list_clips(self, shot: ShotRow) -> None:
        shots = self.services.shots

        def read() -> ClipsListed:
            clips = shots.candidate_clips(shot.post_id)
            return ClipsListed(shot, clips, {c.asset_id for c in shots.clips(shot.id)})

        self.run_db(read, group="scripts-clips", description="Reading the clips")

    def on_clips_listed(self, message: ClipsListed) -> None:
        """Show the picker; its answer is applied in a worker."""
        shown = {c.asset_id for c in message.clips}

        def apply(picked: set[int] | None) -> None:
            if picked is not None:
                before = message.linked & shown
                self._apply_links(message.shot, picked - before, before - picked)

        self.app.push_screen(ClipPickerScreen(message.shot, message.clips, message.linked), apply)

    def _apply_links(self, shot: ShotRow, link: set[int], unlink: set[int]) -> None:
        shots = self.services.shots

        def write() -> ShotsChanged:
            shots.set_links(shot.id, link, unlink)
            return ShotsChanged(
                shot.post_id, shots.list(shot.post_id), shots.coverage(shot.post_id)
            )

        self.run_db(
            write, group="scripts-clips-write", description="Linking clips", exclusive=False
        )
