"""Wiring of the Renders tab: its services, built from one workspace.

The new-render form gets plain callables: clip search over the footage
library (ok video clips), the open posts, the recipe choices (built-ins and
home/recipes/*.toml), the live recipe/overrides check and the submit, which
goes through app/render_requests.py exactly like `reelroom render add`.
Every callable closes its thread's connection when done (they run in
worker threads).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence, TypeVar

from app.render_requests import (
    RenderRequest,
    parse_overrides,
    queue_render,
    recipe_argument,
    recipe_choices,
    recipe_problem,
)
from app.workspace import Workspace
from screens.modals.new_render import (
    ClipChoice,
    NewRender,
    PostOption,
    RenderFormServices,
    Submitted,
)
from screens.renders.pane import RendersServices
from storage.footage import FootageRepo
from storage.footage_models import Asset
from storage.footage_query import AssetQuery
from storage.jobs import JobQueue
from storage.posts import PostRepo
from storage.renders import RenderRepo

T = TypeVar("T")
CLIP_LIMIT = 100
POST_LIMIT = 300


def clip_choice(asset: Asset) -> ClipChoice:
    """How the form lists a clip: name, then duration and display size."""
    bits = []
    if asset.duration_s is not None:
        bits.append(f"{asset.duration_s:.1f}s")
    if asset.display_width and asset.display_height:
        bits.append(f"{asset.display_width}x{asset.display_height}")
    return ClipChoice(asset.id, asset.name, " ".join(bits) or asset.kind)


def form_services(ws: Workspace) -> RenderFormServices:
    """The new-render form's callables on this workspace."""
    store = ws.store
    footage, posts = FootageRepo(store), PostRepo(store)

    def closing(read: Callable[[], T]) -> T:
        try:
            return read()
        finally:
            store.close()

    def search_clips(text: str) -> list[ClipChoice]:
        query = AssetQuery(
            text=f"{text} video".strip(), sort="name", descending=False, statuses=("ok",)
        )
        return closing(lambda: [clip_choice(a) for a in footage.page(query, limit=CLIP_LIMIT)])

    def clips_by_id(ids: Sequence[int]) -> list[ClipChoice]:
        return closing(
            lambda: [clip_choice(a) for a in (footage.get(i) for i in ids) if a is not None]
        )

    def post_options() -> list[PostOption]:
        return closing(
            lambda: [
                PostOption(p.id, f"#{p.id} {p.title}")
                for p in posts.search_titles("", limit=POST_LIMIT)
            ]
        )

    def check(recipe: str, overrides: Sequence[str]) -> tuple[str, str] | None:
        problem = recipe_problem(recipe_argument(recipe), list(overrides))
        return None if problem is None else (problem.field, str(problem))

    def submit(form: NewRender) -> Submitted:
        request = RenderRequest(
            recipe=form.recipe,
            clip_ids=list(form.clip_ids),
            overrides=parse_overrides(form.overrides),
            post_id=form.post_id,
            priority=form.priority,
        )

        def queue() -> Submitted:
            done = queue_render(
                store, ws.home.renders, request, max_attempts=ws.config.worker.max_attempts
            )
            return Submitted(done.render.id, done.render.job.state, done.created)

        return closing(queue)

    return RenderFormServices(
        search_clips,
        clips_by_id,
        post_options,
        lambda: recipe_choices(ws.home.root),
        check,
        submit,
        describe_recipe,
    )


def describe_recipe(recipe: str) -> str:
    """One line on what a recipe does; `vertical` says it is no platform's cut."""
    from media_watch.recipes import BUILTIN_DESCRIPTIONS

    if recipe == "vertical":
        return (
            "the default: reframe and encode only, no loudness; not a platform cut"
            " (tiktok, reels, shorts, kuaishou are)"
        )
    if recipe in BUILTIN_DESCRIPTIONS:
        return BUILTIN_DESCRIPTIONS[recipe]
    return f"recipe file {Path(recipe).name}" if recipe else ""


def renders_services(ws: Workspace) -> RendersServices:
    """What the Renders tab reads and writes through."""
    return RendersServices(RenderRepo(ws.store), JobQueue(ws.store), form_services(ws))
