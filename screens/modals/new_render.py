"""The new-render form: clips (search, multi-select), recipe, overrides, post, priority.

It works on plain values through a `RenderFormServices` of callables (the
Renders pane wires them to the footage and post repositories and to the
shared request check of app/render_requests.py); reads and the submit run in
thread workers. Overrides are checked against the recipe as they are typed,
the problem shown under the field. Ctrl+S (or Enter in the overrides or
priority field) queues; a refusal names the field and nothing is queued.
The modal returns the `Submitted` job, or None when cancelled.

Opened on clips someone already picked (Footage's `R`), the form is usable at
once: the clips are named, the post they are linked to is chosen, and the
keyboard starts on the recipe, so letters typed before the lists arrive do
not search the clips. The recipes and posts are read by their own worker,
which typing in the search never cancels. The line under the recipe says
what it does (and that `vertical`, the first choice, is not a platform cut).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import get_current_worker

from screens.modals.base import Modal
from widgets.footage_table import fit
from widgets.lists import KeyedSelectionList
from widgets.safe_text import visible


@dataclass(frozen=True)
class ClipChoice:
    """A clip as the form lists it."""

    id: int
    name: str
    detail: str


@dataclass(frozen=True)
class PostOption:
    """A post the render can be attached to."""

    id: int
    title: str


@dataclass(frozen=True)
class NewRender:
    """What the form asks for."""

    recipe: str
    overrides: tuple[str, ...]
    clip_ids: tuple[int, ...]
    post_id: int | None
    priority: int


@dataclass(frozen=True)
class Submitted:
    """The queued job: its id, state and whether it is new (False: the same render existed)."""

    job_id: int
    state: str
    created: bool


@dataclass(frozen=True)
class RenderFormServices:
    """Callables the form runs (in its worker threads, except `check`)."""

    search_clips: Callable[[str], list[ClipChoice]]
    clips_by_id: Callable[[Sequence[int]], list[ClipChoice]]
    posts: Callable[[], list[PostOption]]
    recipes: Callable[[], list[tuple[str, str]]]
    check: Callable[[str, Sequence[str]], tuple[str, str] | None]  # (field, message)
    submit: Callable[[NewRender], Submitted]  # raises ValueError with a `field` attribute
    describe: Callable[[str], str] = lambda recipe: ""  # what a recipe does, one line


@dataclass
class SetupLoaded(Message):
    """A worker read the recipes, the posts and the picked clips (once, on opening)."""

    recipes: list[tuple[str, str]]
    posts: list[PostOption]
    picked: list[ClipChoice]


@dataclass
class ChoicesLoaded(Message):
    """A worker read the clips that match the search `text`."""

    text: str
    clips: list[ClipChoice]


@dataclass
class SubmitDone(Message):
    """The submit worker queued the job, or was refused (`field`, `problem`)."""

    result: Submitted | None
    field: str = ""
    problem: str = ""


def split_overrides(text: str) -> tuple[str, ...]:
    """ "encode.crf=20 loudness.enabled=false" → ("encode.crf=20", "loudness.enabled=false")."""
    return tuple(text.split())


class NewRenderScreen(Modal["Submitted | None"]):
    """Queue a render from the keyboard."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="new_render.cancel", tooltip="Close without queueing"
        ),
        Binding(
            "ctrl+s",
            "submit",
            "Queue",
            id="new_render.submit",
            tooltip="Check the form and queue the render",
        ),
    ]

    def __init__(
        self,
        services: RenderFormServices,
        *,
        clip_ids: Sequence[int] = (),
        picked: Sequence[ClipChoice] = (),
        post: PostOption | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.selected: list[int] = list(dict.fromkeys([*clip_ids, *(c.id for c in picked)]))
        self.known: dict[int, ClipChoice] = {c.id: c for c in picked}
        self.post = post
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="new-render-box", classes="modal-box") as box:
            box.border_title = "New render"
            box.border_subtitle = "Tab moves · Space picks clips · Ctrl+S queues · Esc cancels"
            with VerticalScroll(id="new-render-body"):
                yield Label(
                    "Clips (type to search; Space picks, in order)", classes="new-render-label"
                )
                yield Input(
                    placeholder="clip name, #tag, portrait …", id="new-render-search", compact=True
                )
                yield KeyedSelectionList[int](id="new-render-clips", compact=True)
                yield Static("", id="new-render-selected")
                yield Static("", id="new-render-clips-problem", classes="new-render-problem")
                yield Label("Recipe · post · priority", classes="new-render-label")
                with Horizontal(id="new-render-row"):
                    yield Select[str](
                        [], prompt="recipe", allow_blank=True, id="new-render-recipe", compact=True
                    )
                    posts = [(fit(self.post.title, 40), self.post.id)] if self.post else []
                    yield Select[int](
                        posts,
                        prompt="no post",
                        allow_blank=True,
                        value=self.post.id if self.post else Select.NULL,
                        id="new-render-post",
                        compact=True,
                    )
                    yield Input("0", type="integer", id="new-render-priority", compact=True)
                yield Static("", id="new-render-recipe-hint")
                yield Static("", id="new-render-recipe-problem", classes="new-render-problem")
                yield Label(
                    "Overrides (section.field=value, space separated)", classes="new-render-label"
                )
                yield Input(
                    placeholder="encode.x264_preset=fast loudness.enabled=false",
                    id="new-render-overrides",
                    compact=True,
                )
                yield Static("", id="new-render-overrides-problem", classes="new-render-problem")
                yield Static("", id="new-render-problem", classes="new-render-problem")
            with Horizontal(id="new-render-buttons"):
                yield Button(
                    "Queue render", variant="primary", id="new-render-submit", compact=True
                )

    def on_mount(self) -> None:
        first = "#new-render-recipe" if self.selected else "#new-render-search"
        self.query_one(first).focus()
        self._show_selected()
        self._setup()
        self._load("")

    # --- choices -------------------------------------------------------------

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="new-render-setup",
        description="Reading recipes and posts for the render form",
    )
    def _setup(self) -> None:
        services = self.services
        recipes = services.recipes()
        posts = services.posts()
        picked = services.clips_by_id(self.selected) if self.selected else []
        self.post_message(SetupLoaded(recipes, posts, picked))

    @on(SetupLoaded)
    def _set_up(self, message: SetupLoaded) -> None:
        message.stop()
        recipe = self.query_one("#new-render-recipe", Select)
        chosen = recipe.value
        recipe.set_options(message.recipes)
        values = [value for _, value in message.recipes]
        if chosen in values:
            recipe.value = chosen
        elif values:
            recipe.value = values[0]
        post = self.query_one("#new-render-post", Select)
        wanted = post.value
        options = [(fit(p.title, 40), p.id) for p in message.posts]
        if self.post is not None and self.post.id not in {p.id for p in message.posts}:
            options.insert(0, (fit(self.post.title, 40), self.post.id))
        post.set_options(options)
        if isinstance(wanted, int) and wanted in {value for _, value in options}:
            post.value = wanted
        for clip in message.picked:
            self.known[clip.id] = clip
        self._show_selected()
        self._show_recipe_hint()

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="new-render-read",
        description="Reading clips for the render form",
    )
    def _load(self, text: str) -> None:
        clips = self.services.search_clips(text)
        if not get_current_worker().is_cancelled:
            self.post_message(ChoicesLoaded(text, clips))

    @on(ChoicesLoaded)
    def _choices(self, message: ChoicesLoaded) -> None:
        message.stop()
        if message.text != self.query_one("#new-render-search", Input).value:
            return
        for clip in message.clips:
            if clip.id not in self.known or not self.known[clip.id].detail:
                self.known[clip.id] = clip
        shown = [self.known[i] for i in self.selected if i in self.known]
        shown += [c for c in message.clips if c.id not in self.selected]
        listing = self.query_one("#new-render-clips", SelectionList)
        listing.clear_options()
        listing.add_options(
            [
                Selection(
                    Content(f"{fit(c.name, 36)}  {visible(c.detail)}"), c.id, c.id in self.selected
                )
                for c in shown
            ]
        )
        if not shown:
            self._say(
                "#new-render-clips-problem",
                f"No video clip matches “{message.text}”."
                if message.text
                else "No video clips yet: import footage first (`reelroom ingest DIR`).",
            )
        self._show_selected()

    @on(Input.Changed, "#new-render-search")
    def _search(self, event: Input.Changed) -> None:
        event.stop()
        self._load(event.value)

    @on(SelectionList.SelectionToggled, "#new-render-clips")
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        event.stop()
        clip_id = event.selection.value
        if clip_id in self.selected:
            self.selected.remove(clip_id)
        else:
            self.selected.append(clip_id)
        self._show_selected()

    def _show_selected(self) -> None:
        names = [self.known[i].name if i in self.known else f"clip {i}" for i in self.selected]
        text = ("Picked: " + ", ".join(names)) if self.selected else "No clip picked yet."
        self.query_one("#new-render-selected", Static).update(Content(text))
        if self.selected:
            self._say("#new-render-clips-problem", "")

    # --- live check ----------------------------------------------------------

    @on(Input.Changed, "#new-render-overrides")
    @on(Select.Changed, "#new-render-recipe")
    def _recheck(self, event: Message) -> None:
        event.stop()
        self.check_recipe()
        self._show_recipe_hint()

    def _show_recipe_hint(self) -> None:
        recipe = self._recipe()
        hint = self.services.describe(recipe) if recipe else ""
        self.query_one("#new-render-recipe-hint", Static).update(
            Content.styled(f"{recipe}: {hint}" if hint else "", "$text-muted")
        )

    def check_recipe(self) -> bool:
        """Check recipe and overrides now; show the problem under its field; True when fine."""
        recipe = self._recipe()
        found = (
            self.services.check(recipe, self._overrides())
            if recipe
            else ("recipe", "pick a recipe")
        )
        for name in ("recipe", "overrides"):
            text = found[1] if found and found[0] == name else ""
            self._say(f"#new-render-{name}-problem", f"{name}: {text}" if text else "")
        return found is None

    def _recipe(self) -> str:
        value = self.query_one("#new-render-recipe", Select).value
        return value if isinstance(value, str) else ""

    def _overrides(self) -> tuple[str, ...]:
        return split_overrides(self.query_one("#new-render-overrides", Input).value)

    # --- submitting ----------------------------------------------------------

    @on(Input.Submitted, "#new-render-overrides, #new-render-priority")
    @on(Button.Pressed, "#new-render-submit")
    def _submit_event(self, event: Message) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Check the form, then queue it in a worker."""
        if self.busy:
            return
        if not self.selected:
            self._say(
                "#new-render-clips-problem", "clips: pick at least one clip (Space in the list)"
            )
            self._say("#new-render-problem", "Nothing was queued: no clip picked.")
            return
        if not self.check_recipe():
            self._say("#new-render-problem", "Nothing was queued: fix the field named above.")
            return
        priority_text = self.query_one("#new-render-priority", Input).value.strip() or "0"
        try:
            priority = int(priority_text)
        except ValueError:
            self._say("#new-render-problem", f"priority: {priority_text!r} is not a whole number.")
            return
        post = self.query_one("#new-render-post", Select).value
        form = NewRender(
            self._recipe(),
            self._overrides(),
            tuple(self.selected),
            post if isinstance(post, int) else None,
            priority,
        )
        self.busy = True
        self._say("#new-render-problem", "Queueing…")
        self._submit(form)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="new-render-submit",
        description="Queueing the render",
    )
    def _submit(self, form: NewRender) -> None:
        try:
            result = self.services.submit(form)
        except ValueError as exc:
            self.post_message(SubmitDone(None, getattr(exc, "field", "form"), str(exc)))
            return
        self.post_message(SubmitDone(result))

    @on(SubmitDone)
    def _submitted(self, message: SubmitDone) -> None:
        message.stop()
        self.busy = False
        if message.result is not None:
            self.dismiss(message.result)
            return
        text = f"{message.field}: {message.problem}"
        target = {
            "clips": "#new-render-clips-problem",
            "recipe": "#new-render-recipe-problem",
            "overrides": "#new-render-overrides-problem",
        }.get(message.field)
        if target:
            self._say(target, text)
        self._say("#new-render-problem", f"Nothing was queued. {text}")

    def _say(self, selector: str, text: str) -> None:
        """Show a problem line (hidden while empty, so the form stays short)."""
        line = self.query_one(selector, Static)
        line.update(Content(visible(text, lines=True)))
        line.display = bool(text)

    def action_cancel(self) -> None:
        """Close without queueing."""
        self.dismiss(None)
