"""The Scripts tab: a post picker, the script editor, its estimate and shot list.

`ScriptsPane` gets its repositories and the templates loader (`ScriptsServices`),
a clock and the workspace zone through its constructor. Reads and writes run
in database workers that post the typed messages of `screens.scripts.messages`.
The spoken-length estimate is pure and recomputed ~150 ms after typing stops.
ctrl+s saves a revision and syncs the shot list from the `!!` lines; a timer
autosaves changed text, and so do leaving the tab, going back to the posts
and quitting. Below 120 columns the panel (estimate, shots) sits under the
editor; from 120 it is a side panel. ctrl+t hides or shows it.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Hide
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, OptionList, Static, TextArea

from screens.modals.template_picker import TemplatePickerScreen
from screens.pane import Pane, TabRequest
from screens.scripts import picker as scripts_picker
from screens.scripts.keys import SCRIPTS_KEYS
from screens.scripts.messages import (
    OpenScript,
    PostsListed,
    ScriptOpened,
    ScriptSaved,
    ShotsChanged,
)
from screens.scripts.revisions import RevisionsAndEditor
from screens.scripts.services import ScriptsServices
from screens.scripts.shot_actions import ShotActions
from screens.scripts.shots import ShotTable, description_cells
from storage.models import STATUS_LABELS, Post
from storage.script_templates import Template, TemplateSet
from storage.script_text import HOOK_GOAL_SECONDS, estimate, parse
from storage.shots import ShotRow, coverage_text
from storage.text_input import clean_block
from widgets.estimate_bar import EstimateBar, EstimateValues
from widgets.safe_text import visible
from widgets.triage_list import TriageList

ESTIMATE_DELAY = 0.15
EDITOR_ACTIONS = ("save", "revisions", "external_editor", "back", "toggle_panel")


def save_note(reason: str, template: str | None, dupes: list[int] | tuple[int, ...]) -> str:
    """What a save says: "Saved.", "Started from the “Recipe” template.", nothing for an
    autosave or a restore (the restore says so itself); duplicate shot numbers always."""
    twice = f"Shot numbers used twice: {', '.join(map(str, dupes))}." if dupes else ""
    if template:
        said = f"Started from the “{template}” template."
    elif reason == "save":
        said = "Saved."
    else:
        said = ""
    return " ".join(part for part in (said, twice) if part)


SYNTAX_HELP: tuple[tuple[str, str], ...] = (
    ("## Hook", "a section: Hook, Body, CTA (spoken), On-screen text, Caption, Shots"),
    ("!! 3. …", "a shot line: !! 3. Close-up of the knife — CU @ kitchen (ctrl+s syncs shots)"),
    ("[[ … ]]", "a note to yourself: never spoken, not counted in the length"),
    ("[ … ] !…", "a [direction] or !forced direction: not spoken, not counted"),
    ("F1", "these keys and this syntax while typing (? types a ?)"),
)


class ScriptsPane(RevisionsAndEditor, ShotActions, Pane):
    """Scripts: pick a post, write its script, watch its length and shots."""

    BINDINGS = SCRIPTS_KEYS

    def __init__(
        self,
        services: ScriptsServices,
        *,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        autosave_seconds: float | None = 120.0,
        title: str = "Scripts",
        id: str = "scripts",
    ) -> None:
        super().__init__(title, id=id, db=services)
        self.services = services
        self.clock = clock
        self.zone = zone
        self.autosave_seconds = autosave_seconds
        self.post: Post | None = None
        self.saved_text = ""
        self.saved_at: datetime | None = None
        self._text = ""
        self._posts: list[Post] = []
        self._with_script: set[int] = set()
        self._estimate_timer: Timer | None = None
        self._shots: list[ShotRow] = []
        self._save_lock = threading.Lock()

    def compose(self) -> ComposeResult:
        with ContentSwitcher(initial="scripts-picker", id="scripts-switcher"):
            with Vertical(id="scripts-picker"):
                yield Input(
                    placeholder="/ filter posts by title, pillar or status",
                    id="scripts-filter",
                    compact=True,
                )
                yield TriageList(id="scripts-posts")
            with Vertical(id="scripts-editor"):
                yield Static("", id="scripts-header")
                with Horizontal(id="scripts-body"):
                    yield TextArea(
                        "",
                        language="markdown",
                        soft_wrap=True,
                        tab_behavior="focus",
                        show_line_numbers=False,
                        id="scripts-text",
                    )
                    with Vertical(id="scripts-panel"):
                        yield EstimateBar(id="scripts-estimate")
                        yield Static("", id="scripts-coverage")
                        yield ShotTable(id="scripts-shots")

    def on_mount(self) -> None:
        """Autosave on a timer (the base then fits the width and reads the posts)."""
        if self.autosave_seconds:
            self.set_interval(self.autosave_seconds, self.autosave, name="scripts-autosave")

    def fit_width(self, width: int) -> None:
        """Panel under the editor below 120 columns, beside it from there."""
        super().fit_width(width)
        self.query_one(EstimateBar).compact = not self.wide
        self.call_after_refresh(self._paint_shots)

    def focus_list(self) -> None:
        """Keyboard to the editor when a script is open, else to the post list."""
        if self.post is not None:
            self.query_one(TextArea).focus()
        else:
            self.query_one(TriageList).focus()

    help_notes_title = "Script syntax"

    def help_notes(self) -> tuple[tuple[str, str], ...]:
        """Script syntax, listed under the keys by ? (and F1 in the editor)."""
        return SYNTAX_HELP

    def take_request(self, request: TabRequest) -> None:
        """`OpenScript` (from Today's detail): open that post's script."""
        if isinstance(request, OpenScript):
            if self.post is not None and self.post.id != request.post_id:
                self.autosave()
            self.open_post(request.post_id)
        else:
            super().take_request(request)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Editor keys only while a script is open; / only on the post list."""
        if action in EDITOR_ACTIONS:
            return self.post is not None
        if action == "filter":
            return self.post is None
        return True

    # --- text state ----------------------------------------------------------

    @property
    def text(self) -> str:
        """The script text in the editor now."""
        return self._text

    @property
    def dirty(self) -> bool:
        """True when the text differs from what was last saved."""
        return self.post is not None and self._text != self.saved_text

    def _set_text(self, text: str, *, home: bool = True) -> None:
        """Put `text` into the editor (undoable), keeping our copy in step."""
        text = clean_block(text)
        area = self.query_one(TextArea)
        if area.text != text:
            area.replace(text, (0, 0), area.document.end)
            if home:
                area.move_cursor((0, 0))
                area.scroll_home(animate=False)
        self._text = text
        self._refresh_estimate()
        self._paint_header()

    @on(TextArea.Changed, "#scripts-text")
    def _typed(self, event: TextArea.Changed) -> None:
        self._text = event.text_area.text
        self._paint_header()
        if self._estimate_timer is not None:
            self._estimate_timer.stop()
        self._estimate_timer = self.set_timer(ESTIMATE_DELAY, self._refresh_estimate)

    def _refresh_estimate(self) -> None:
        if self.post is None:
            return
        services = self.services
        est = estimate(
            parse(self._text), wpm=services.words_per_minute, cpm=services.cjk_chars_per_minute
        )
        total = est["total"]
        self.query_one(EstimateBar).show_values(
            EstimateValues(
                sections=(
                    ("Hook", est["hook"].seconds),
                    ("Body", est["body"].seconds),
                    ("CTA", est["cta"].seconds),
                ),
                total=total.seconds,
                hook=est["hook"].seconds,
                hook_goal=HOOK_GOAL_SECONDS,
                target=self.post.target_seconds,
                words=total.words,
                cjk_chars=total.cjk_chars,
            )
        )

    def _paint_header(self) -> None:
        post = self.post
        if post is None:
            return
        status = STATUS_LABELS.get(post.status, post.status)
        target = f"target {post.target_seconds} s" if post.target_seconds else "no target length"
        if self.dirty:
            state: tuple[str, str] = ("● unsaved changes", "$text-warning")
        elif self.saved_at is not None:
            saved = self.saved_at.astimezone(self.zone)
            today = self.clock().astimezone(self.zone).date()
            when = f"{saved:%H:%M}" if saved.date() == today else f"{saved:%d %b %H:%M}"
            state = (f"saved {when}", "$text-success")
        else:
            state = ("saved", "$text-success")
        self.query_one("#scripts-header", Static).update(
            Content.assemble(
                (visible(post.title), "bold"),
                ("  ·  ", "$text-muted"),
                status,
                ("  ·  ", "$text-muted"),
                target,
                ("  ·  ", "$text-muted"),
                state,
            )
        )

    # --- the post picker -----------------------------------------------------

    def reload_data(self) -> None:
        """Read the post list again; an open script with no unsaved changes too."""
        self._list_posts()
        if self.post is not None and not self.dirty:
            self._open_post(self.post.id, reload=True)

    def _list_posts(self) -> None:
        services = self.services
        self.run_db(
            lambda: PostsListed(services.posts.list(), services.scripts.post_ids_with_script()),
            group="scripts-list",
            description="Reading the posts",
        )

    @on(PostsListed)
    def _listed(self, message: PostsListed) -> None:
        message.stop()
        self._posts, self._with_script = message.posts, message.with_script
        self._paint_posts()

    def _paint_posts(self) -> None:
        needle = self.query_one("#scripts-filter", Input).value
        self.query_one(TriageList).show_sections(
            scripts_picker.sections(self._posts, self._with_script, self.zone, needle)
        )

    def action_filter(self) -> None:
        """Put the keyboard in the filter field."""
        self.query_one("#scripts-filter", Input).focus()

    @on(Input.Changed, "#scripts-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._paint_posts()

    @on(Input.Submitted, "#scripts-filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one(TriageList).focus()

    @on(OptionList.OptionSelected, "#scripts-posts")
    def _post_picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.startswith("post:"):
            self.open_post(int(event.option.id.split(":", 1)[1]))

    # --- opening a script ----------------------------------------------------

    def open_post(self, post_id: int) -> None:
        """Open a post's script (a template picker first when it has none)."""
        self._open_post(post_id, reload=False)

    def _open_post(self, post_id: int, reload: bool) -> None:
        services = self.services

        def read() -> ScriptOpened | None:
            post = services.posts.get(post_id)
            if post is None:
                self.app.call_from_thread(self._post_gone)
                return None
            script = services.scripts.get(post_id)
            shots = services.shots.list(post_id)
            coverage = services.shots.coverage(post_id)
            templates = services.templates() if script is None and not reload else None
            return ScriptOpened(post, script, shots, coverage, templates, reload)

        self.run_db(read, group="scripts-open", description="Reading the script")

    def _post_gone(self) -> None:
        self.notify(
            "That post is gone (deleted elsewhere); the list was read again.", severity="warning"
        )
        if self.post is not None:
            self.post = None
            self.query_one(ContentSwitcher).current = "scripts-picker"
            self.query_one(TriageList).focus()
        self._list_posts()

    @on(ScriptOpened)
    def _opened(self, message: ScriptOpened) -> None:
        message.stop()
        if message.reload:
            if self.post is None or self.post.id != message.post.id or self.dirty:
                return
            self.post = message.post
            if message.script is not None and message.script.body != self._text:
                self.saved_text = message.script.body
                self._set_text(message.script.body)
            self._show_shots(message.shots, message.coverage)
            return
        if message.script is None:
            templates = message.templates or TemplateSet(())
            self.app.push_screen(
                TemplatePickerScreen(templates, title=message.post.title),
                lambda picked: self._template_picked(message, picked),
            )
            return
        self._show_editor(message.post, message.script.body, message.script.updated_at)
        self._show_shots(message.shots, message.coverage)

    def _template_picked(self, opened: ScriptOpened, template: Template | None) -> None:
        if template is None:
            self.query_one(TriageList).focus()
            return
        self._show_editor(opened.post, "", None)
        self._show_shots(opened.shots, opened.coverage)
        self._set_text(template.body)
        self._save(opened.post.id, template.body, "save", template.name)

    def _show_editor(self, post: Post, body: str, saved_at: datetime | None) -> None:
        body = clean_block(body)  # a body stored with control characters: never shown raw
        self.post = post
        self.saved_text = body
        self.saved_at = saved_at
        area = self.query_one(TextArea)
        area.load_text(body)
        self._text = body
        self.query_one(ContentSwitcher).current = "scripts-editor"
        area.focus()
        self._refresh_estimate()
        self._paint_header()

    def action_back(self) -> None:
        """Back to the post list; changed text is autosaved first."""
        self.autosave()
        self.post = None
        self.query_one(ContentSwitcher).current = "scripts-picker"
        self.query_one(TriageList).focus()
        self._list_posts()

    # --- saving --------------------------------------------------------------

    def action_save(self) -> None:
        """Save a revision (reason 'save') and sync the shot list."""
        if self.post is not None:
            self._save(self.post.id, self._text, "save")

    def autosave(self) -> bool:
        """Save with reason 'autosave' when the text changed since the last save."""
        if not self.dirty or self.post is None:
            return False
        self._save(self.post.id, self._text, "autosave")
        return True

    def on_hide(self, event: Hide) -> None:
        """Leaving the tab autosaves changed text."""
        self.autosave()

    def on_unmount(self) -> None:
        """Quitting with changed text saves it here, on the way out."""
        if self.dirty and self.post is not None:
            self._store(self.post.id, self._text, "autosave", None)

    def _save(self, post_id: int, body: str, reason: str, template: str | None = None) -> None:
        self.run_db(
            lambda: self._store(post_id, body, reason, template),
            group="scripts-save",
            description="Saving the script",
            exclusive=False,
        )

    def _store(self, post_id: int, body: str, reason: str, template: str | None) -> ScriptSaved:
        """Save and sync shots (one save at a time); the message saying so."""
        services = self.services
        with self._save_lock:
            services.scripts.save(post_id, body, reason=reason, template=template)
            sync = services.shots.sync(post_id, parse(body).shots())
            shots = services.shots.list(post_id)
            coverage = services.shots.coverage(post_id)
        return ScriptSaved(post_id, body, reason, shots, coverage, sync, template)

    @on(ScriptSaved)
    def _saved(self, message: ScriptSaved) -> None:
        message.stop()
        self._with_script.add(message.post_id)
        if self.post is None or self.post.id != message.post_id:
            return
        self.saved_text = message.body
        self.saved_at = self.clock()
        self._paint_header()
        self._show_shots(message.shots, message.coverage)
        dupes = message.sync.duplicates
        text = save_note(message.reason, message.template, dupes)
        if text:
            self.notify(text, severity="warning" if dupes else "information", timeout=3)

    # --- shots ---------------------------------------------------------------

    def _show_shots(self, shots: list[ShotRow], coverage: tuple[int, int]) -> None:
        self._shots = shots
        covered, total = coverage
        line = self.query_one("#scripts-coverage", Static)
        line.update(coverage_text(covered, total))
        line.set_class(total > 0 and covered < total, "-none")
        self._paint_shots()

    def _paint_shots(self) -> None:
        table = self.query_one(ShotTable)
        app_width = self.app.size.width
        width = table.size.width or (
            app_width * 45 // 100 if self.has_class("-wide") else app_width
        )
        table.show_shots(self._shots, description_cells(width))

    @on(ShotsChanged)
    def _shots_changed(self, message: ShotsChanged) -> None:
        message.stop()
        if self.post is not None and self.post.id == message.post_id:
            self._show_shots(message.shots, message.coverage)

    def action_toggle_panel(self) -> None:
        """Hide or show the estimate and shot list."""
        self.toggle_class("-no-panel")
