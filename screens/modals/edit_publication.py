"""The edit-publication modal: caption, title (YouTube) and time of a publication not yet sent.

The caption is measured in the platform's own units as it is typed (the
rules of media_watch/captions.py, through `caption_check`); Ctrl+S saves
through `save`, which checks the time and caption exactly as `reelroom
publish add` does (app/publishing/requests.py) and refuses with the field
named — nothing is stored then, and the modal stays open to fix it. It
returns the changed `Publication`, or None when cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Label, Static, TextArea

from screens.modals.base import OwnKeysModal
from screens.publish.rows import PLATFORM_NAMES, local, safe
from screens.publish.services import CaptionCheck, EditForm, FormDone
from storage.publication_models import Publication


@dataclass
class EditSaved(Message):
    """The save worker is done: the publication changed, or the verdict says why not."""

    done: FormDone


class EditPublicationScreen(OwnKeysModal[Publication | None]):
    """Change caption, title or time of a draft, scheduled or failed publication."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="edit_pub.cancel", tooltip="Close without saving"),
        Binding("ctrl+s", "save", "Save", id="edit_pub.save", tooltip="Check and save the change"),
    ]

    def __init__(
        self,
        pub: Publication,
        *,
        caption_check: Callable[[str, str, str], CaptionCheck],
        save: Callable[[EditForm], FormDone],
        zone: ZoneInfo,
    ) -> None:
        super().__init__()
        self.pub = pub
        self.caption_check = caption_check
        self.save = save
        self.zone = zone
        self.busy = False

    def compose(self) -> ComposeResult:
        pub = self.pub
        name = PLATFORM_NAMES.get(pub.platform, pub.platform)
        with Vertical(id="edit-pub-box", classes="modal-box") as box:
            box.border_title = f"Edit publication {pub.id} · {safe(pub.post_title)}"
            box.border_subtitle = "Ctrl+S saves · Esc cancels"
            with VerticalScroll(id="edit-pub-body"):
                yield Static(
                    Content(f"{name} @{safe(pub.handle)} · {pub.state}"), id="edit-pub-who"
                )
                with Horizontal(classes="pub-field", id="edit-pub-time-row"):
                    yield Label("Time", classes="pub-label")
                    if pub.state == "failed":
                        yield Static("R sends it again now, once it is changed", classes="pub-hint")
                    else:
                        yield Input(
                            local(pub.scheduled_at, self.zone, "%Y-%m-%d %H:%M")
                            if pub.scheduled_at
                            else "",
                            placeholder="2026-12-01 18:00, now, or empty: a draft",
                            compact=True,
                            id="edit-pub-time",
                        )
                        yield Static(f" {self.zone.key}", classes="pub-hint")
                yield Static("", id="edit-pub-time-problem", classes="pub-problem")
                if pub.platform == "youtube":
                    with Horizontal(classes="pub-field"):
                        yield Label("Title", classes="pub-label")
                        yield Input(pub.title, compact=True, id="edit-pub-title")
                    yield Static("", id="edit-pub-title-problem", classes="pub-problem")
                yield Label(
                    "Description" if pub.platform == "youtube" else "Caption", classes="pub-label"
                )
                yield TextArea(pub.caption, compact=True, soft_wrap=True, id="edit-pub-caption")
                yield Static("", id="edit-pub-usage", classes="pub-hint")
                yield Static("", id="edit-pub-caption-problem", classes="pub-problem")
                yield Static("", id="edit-pub-problem", classes="pub-problem")

    def on_mount(self) -> None:
        self.query_one("#edit-pub-caption", TextArea).focus()
        self._check_caption()

    # --- the caption, measured as typed ----------------------------------------

    @on(TextArea.Changed, "#edit-pub-caption")
    @on(Input.Changed, "#edit-pub-title")
    def _typed(self, event: Message) -> None:
        event.stop()
        self._check_caption()

    def _caption(self) -> str:
        return self.query_one("#edit-pub-caption", TextArea).text

    def _title(self) -> str:
        found = self.query("#edit-pub-title")
        return found.first(Input).value if found else self.pub.title

    def _check_caption(self) -> bool:
        check = self.caption_check(self.pub.platform, self._caption(), self._title())
        self.query_one("#edit-pub-usage", Static).update(Content(check.usage))
        self._say("#edit-pub-caption-problem", "\n".join(f"✗ {p}" for p in check.problems))
        return not check.problems

    # --- saving ----------------------------------------------------------------

    def action_save(self) -> None:
        """Check and save in a worker; a refusal is shown under its field."""
        if self.busy:
            return
        found = self.query("#edit-pub-time")
        at = found.first(Input).value if found else ""
        form = EditForm(self.pub.id, self._caption(), self._title(), at)
        self.busy = True
        self._say("#edit-pub-problem", "Saving…")
        self._save(form)

    @work(thread=True, exclusive=True, exit_on_error=False, description="Saving the publication")
    def _save(self, form: EditForm) -> None:
        self.post_message(EditSaved(self.save(form)))

    @on(EditSaved)
    def _saved(self, message: EditSaved) -> None:
        message.stop()
        self.busy = False
        done = message.done
        if done.publication is not None:
            self.dismiss(done.publication)
            return
        verdict = done.verdict
        text = "\n".join(f"✗ {safe(line)}" for line in verdict.lines)
        placed = False
        for name in ("time", "title", "caption"):
            if self.query(f"#edit-pub-{name}-problem"):
                here = verdict.field == name
                placed = placed or here
                self._say(f"#edit-pub-{name}-problem", text if here else "")
        self._say("#edit-pub-problem", "Nothing was changed." + ("" if placed else "\n" + text))

    def _say(self, selector: str, text: str) -> None:
        """Show a problem line (hidden while empty, so the form stays short)."""
        line = self.query_one(selector, Static)
        line.update(Content(text))
        line.display = bool(text)

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
