"""The Scripts pane's revision list and $EDITOR hand-off (a mixin of ScriptsPane).

ctrl+r (or v) reads the open script's revisions in a worker and shows the
revisions modal; a picked revision replaces the text and is saved with
reason 'restore', so the text before it stays a revision too. ctrl+e (or e)
writes the text to a temp file and runs $VISUAL/$EDITOR on it with the app
suspended, guarded for terminals that cannot suspend.
"""

from __future__ import annotations

import os
from typing import Any
from zoneinfo import ZoneInfo

from textual.app import SuspendNotSupported
from textual.widgets import TextArea

from screens.modals.revisions import RevisionsScreen
from screens.pane import Pane
from screens.scripts.editor import EditorError, edit_externally, editor_command
from screens.scripts.messages import RevisionsListed
from screens.scripts.services import ScriptsServices
from storage.models import Post
from storage.scripts import Revision


class RevisionsAndEditor(Pane):
    """Revisions and external editing for the pane that mixes it in."""

    post: Post | None
    services: ScriptsServices
    zone: ZoneInfo
    _text: str

    def _set_text(self, text: str, *, home: bool = True) -> None:
        """Put `text` in the editor (ScriptsPane's own comes first in its MRO)."""
        raise NotImplementedError

    def _save(self, post_id: int, body: str, reason: str, template: str | None = None) -> Any:
        """Save a revision and sync shots (ScriptsPane's own comes first in its MRO)."""
        raise NotImplementedError

    def action_revisions(self) -> None:
        """Open the revision list of the open script."""
        if self.post is not None:
            self._list_revisions(self.post.id)

    def _list_revisions(self, post_id: int) -> None:
        scripts = self.services.scripts

        def read() -> RevisionsListed:
            script = scripts.get(post_id)
            template = script.template if script is not None else None
            return RevisionsListed(post_id, scripts.revisions(post_id), template)

        self.run_db(read, group="scripts-revisions", description="Reading the revisions")

    def on_revisions_listed(self, message: RevisionsListed) -> None:
        """Show the revisions modal; a restore comes back to `_restore`."""
        message.stop()
        if self.post is None or self.post.id != message.post_id:
            return
        self.app.push_screen(
            RevisionsScreen(
                message.revisions,
                self._text,
                zone=self.zone,
                title=self.post.title,
                template=message.template,
            ),
            self._restore,
        )

    def _restore(self, revision: Revision | None) -> None:
        if revision is None or self.post is None:
            return  # the modal closing gives the focus back where it was
        self._set_text(revision.body)
        self._save(self.post.id, revision.body, "restore")
        when = revision.created_at.astimezone(self.zone)
        self.notify(
            f"Restored the revision of {when:%d %b %H:%M}; the text before stays a revision.",
            timeout=4,
        )
        self.query_one(TextArea).focus()

    def action_external_editor(self) -> None:
        """Edit the script in $VISUAL/$EDITOR with the app suspended."""
        if self.post is None:
            return
        argv = editor_command(os.environ)
        if argv is None:
            self.notify(
                "Set $EDITOR (or $VISUAL) to edit scripts in your editor, "
                "e.g. `export EDITOR=nano`.",
                severity="warning",
            )
            return
        try:
            with self.app.suspend():
                edited = edit_externally(self._text, argv)
        except SuspendNotSupported:
            self.notify(
                "This terminal cannot hand the screen to an editor; edit here instead.",
                severity="warning",
            )
            return
        except EditorError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        if edited != self._text:
            self._set_text(edited)
            self.notify("Script changed in your editor; ctrl+s saves it.", timeout=4)
