"""app/render_requests.py: the checks `render add` and the TUI form share, field by field."""

from __future__ import annotations

from pathlib import Path

import pytest
from media import make_video

from app.render_requests import (
    RenderRequest,
    RenderRequestError,
    parse_overrides,
    queue_render,
    recipe_choices,
    recipe_problem,
)
from app.workspace import Workspace
from media_watch.ingest import ingest_paths
from storage.footage import FootageRepo
from storage.renders import RenderRepo


def test_parse_overrides_names_the_field() -> None:
    assert parse_overrides(["encode.crf=20", " loudness.enabled = false "]) == {
        "encode.crf": "20",
        "loudness.enabled": "false",
    }
    with pytest.raises(RenderRequestError) as err:
        parse_overrides(["encode.crf"])
    assert err.value.field == "overrides" and "KEY=VALUE" in str(err.value)


def test_recipe_problem_tells_recipe_from_overrides(tmp_path: Path) -> None:
    assert recipe_problem("tiktok", ["encode.x264_preset=fast"]) is None
    bad_recipe = recipe_problem("nosuch", [])
    assert bad_recipe is not None and bad_recipe.field == "recipe" and "nosuch" in str(bad_recipe)
    bad_value = recipe_problem("tiktok", ["encode.crf=999"])
    assert bad_value is not None and bad_value.field == "overrides"
    assert "encode.crf" in str(bad_value)
    unknown = recipe_problem("reels", ["encode.nope=1"])
    assert unknown is not None and unknown.field == "overrides" and "nope" in str(unknown)
    broken = tmp_path / "broken.toml"
    broken.write_text("base = [", encoding="utf-8")
    problem = recipe_problem(str(broken), [])
    assert problem is not None and problem.field == "recipe" and "broken.toml" in str(problem)


def test_recipe_choices_add_home_recipes(workspace: Workspace) -> None:
    assert [v for _, v in recipe_choices(workspace.home.root)][:2] == ["vertical", "tiktok"]
    folder = workspace.home.root / "recipes"
    folder.mkdir()
    (folder / "brand.toml").write_text('base = "reels"\n', encoding="utf-8")
    labels = dict(recipe_choices(workspace.home.root))
    assert labels["brand (brand.toml)"] == str((folder / "brand.toml").absolute())


def test_queue_render_refuses_by_field_then_queues_once(
    workspace: Workspace, tmp_path: Path
) -> None:
    path = make_video(tmp_path / "clips" / "a.mp4", seconds=1.0, seed=1)
    ingest_paths(workspace.store, [path], thumbs_dir=None, workers=1)
    clip = FootageRepo(workspace.store).list()[0].id
    renders_dir = workspace.home.renders
    cases = [
        (RenderRequest("tiktok", [clip], {"encode.crf": "999"}), "overrides"),
        (RenderRequest("nosuch", [clip]), "recipe"),
        (RenderRequest("tiktok", []), "clips"),
        (RenderRequest("tiktok", [clip + 50]), "clips"),
        (RenderRequest("tiktok", [clip], post_id=999), "post"),
    ]
    for request, field in cases:
        with pytest.raises(RenderRequestError) as err:
            queue_render(workspace.store, renders_dir, request)
        assert err.value.field == field, (request, str(err.value))
    assert RenderRepo(workspace.store).list() == []
    request = RenderRequest("tiktok", [clip], {"encode.x264_preset": "ultrafast"}, priority=3)
    first = queue_render(workspace.store, renders_dir, request)
    again = queue_render(workspace.store, renders_dir, request)
    assert first.created and not again.created and again.render.id == first.render.id
    assert first.render.job.priority == 3
    assert first.render.argv and first.render.argv[0].endswith("ffmpeg")
    assert first.render.output_path.startswith(str(renders_dir))
