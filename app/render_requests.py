"""Checking and queueing a render request: shared by `reelroom render add` and the TUI form.

`queue_render` validates the overrides, the recipe, the clips and the post
in that order, each failure a `RenderRequestError` naming the field (and
nothing queued), then adds the job with its idempotency key, so the same
clips, recipe and settings are queued once. `recipe_choices` lists the
built-in recipes and the .toml recipes in home/recipes/. Headless: no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from storage.db import Store
from storage.posts import PostRepo
from storage.renders import Render, RenderRepo

FIELDS = ("overrides", "recipe", "clips", "post", "priority")
PRIORITY_LIMIT = 1000  # the same bound as `reelroom render add --priority`


class RenderRequestError(ValueError):
    """A render request cannot be queued; `field` says which part of it is wrong."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class RenderRequest:
    """What to render: recipe (built-in name or .toml path), overrides, clips, post."""

    recipe: str
    clip_ids: Sequence[int]
    overrides: dict[str, str] = field(default_factory=dict)
    post_id: int | None = None
    priority: int = 0
    srt: Path | None = None
    logo: Path | None = None


@dataclass(frozen=True)
class QueuedRender:
    """The render job of a request; `created` False when the same render already existed."""

    render: Render
    created: bool


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """`["encode.crf=20"]` → {"encode.crf": "20"}; malformed: RenderRequestError("overrides")."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise RenderRequestError(
                "overrides",
                f"override {pair!r} must look like KEY=VALUE, e.g. encode.x264_preset=fast",
            )
        params[key.strip()] = value.strip()
    return params


def override_texts(params: dict[str, str]) -> list[str]:
    """{"encode.crf": "20"} → ["encode.crf=20"] (what load_recipe takes)."""
    return [f"{key}={value}" for key, value in params.items()]


def recipe_argument(recipe: str) -> str:
    """A recipe file name made absolute (the worker may run elsewhere); built-ins as given."""
    if recipe.endswith(".toml") or Path(recipe).is_file():
        return str(Path(recipe).expanduser().absolute())
    return recipe


def recipe_problem(recipe: str, overrides: Sequence[str]) -> RenderRequestError | None:
    """The first problem of a recipe and its overrides (field named), or None when both hold."""
    from media_watch.recipes import RecipeError, load_recipe

    if not recipe.strip():
        return RenderRequestError("recipe", "pick a recipe (a built-in or a .toml file)")
    try:
        load_recipe(recipe)
    except RecipeError as exc:
        return RenderRequestError("recipe", str(exc))
    try:
        load_recipe(recipe, list(overrides))
    except RecipeError as exc:
        return RenderRequestError("overrides", str(exc))
    return None


def recipe_choices(home_root: Path) -> list[tuple[str, str]]:
    """(label, recipe argument) of the built-in recipes, then home/recipes/*.toml by name."""
    from media_watch.recipes import BUILTIN_NAMES

    choices = [(name, name) for name in BUILTIN_NAMES]
    folder = home_root / "recipes"
    if folder.is_dir():
        choices += [
            (f"{path.stem} ({path.name})", str(path.absolute()))
            for path in sorted(folder.glob("*.toml"))
        ]
    return choices


def queue_render(
    store: Store, renders_dir: Path, request: RenderRequest, *, max_attempts: int = 3
) -> QueuedRender:
    """Validate the request and queue it (once per idempotency key).

    Raises RenderRequestError naming the field at fault; nothing is stored then.
    """
    from media_watch.recipes import RecipeError
    from media_watch.render_job import ClipProblem, prepare_render

    if not -PRIORITY_LIMIT <= request.priority <= PRIORITY_LIMIT:
        raise RenderRequestError(
            "priority",
            f"priority must be at least -{PRIORITY_LIMIT} and at most {PRIORITY_LIMIT}, "
            f"not {request.priority}",
        )

    recipe = recipe_argument(request.recipe)
    overrides = override_texts(dict(request.overrides))
    problem = recipe_problem(recipe, overrides)
    if problem is not None:
        raise problem
    if not request.clip_ids:
        raise RenderRequestError("clips", "no clips given; pick at least one clip")
    try:
        prepared = prepare_render(
            store, recipe, overrides, list(request.clip_ids), srt=request.srt, logo=request.logo
        )
    except ClipProblem as exc:
        raise RenderRequestError("clips", str(exc)) from None
    except RecipeError as exc:
        raise RenderRequestError("recipe", str(exc)) from None
    if request.post_id is not None and PostRepo(store).get(request.post_id) is None:
        raise RenderRequestError(
            "post", f"there is no post {request.post_id} (`reelroom posts list` shows them)"
        )
    repo = RenderRepo(store)
    done = repo.add(
        recipe=recipe,
        params=dict(request.overrides),
        clip_ids=list(request.clip_ids),
        output_dir=renders_dir,
        post_id=request.post_id,
        priority=request.priority,
        idem_key=prepared.idem_key,
        max_attempts=max_attempts,
        extra_payload=prepared.payload,
        argv_for=prepared.planned_argv,
    )
    render = repo.get(done.job.id)
    assert render is not None
    return QueuedRender(render, done.created)
