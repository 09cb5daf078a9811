"""Issue 16: the new-render form opened from Footage's R is usable at once.

The clip is named (not "#5"), the post it is linked to is chosen, the keyboard
starts on the recipe so letters typed before the lists arrive do not search
the clips, and typing never cancels the read of recipes and posts. The line
under the recipe says what it does; at 80x24 the overrides field is on screen
and Tab shows where the keyboard is. Slow reads are made slow on purpose (a
gate the test opens), never by timing.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import make_app, settle
from media import make_video
from textual.widgets import Input, Select, Static

from app.render_form import renders_services
from app.tabs import TABS, TabContext, TabSpec
from app.workspace import Workspace
from media_watch.ingest import ingest_paths
from screens.footage.pane import FootagePane
from screens.modals.new_render import NewRenderScreen
from screens.renders.pane import RendersPane
from storage.footage import FootageRepo
from storage.posts import PostRepo
from widgets.tab_page import TabPage


@pytest.fixture
def linked_clip(demo_workspace: Workspace, tmp_path: Path) -> tuple[int, int]:
    """A real 1 s clip, imported and linked to a demo post: (clip id, post id)."""
    path = make_video(tmp_path / "clips" / "market-stall.mp4", seconds=1.0, seed=5)
    ingest_paths(demo_workspace.store, [path], thumbs_dir=None, workers=1)
    repo = FootageRepo(demo_workspace.store)
    clip = next(a.id for a in repo.list() if a.name == "market-stall.mp4")
    post = PostRepo(demo_workspace.store).search_titles("", limit=5)[0]
    repo.link_post(clip, post.id)
    return clip, post.id


GATE = threading.Event()


def gated_renders(ctx: TabContext, title: str, pane_id: str) -> TabPage:
    """The Renders tab whose form reads recipes, posts and clips only once GATE opens."""
    services = renders_services(ctx.workspace)
    form = services.form

    def slow(read: Any) -> Any:
        def wait(*args: Any) -> Any:
            assert GATE.wait(20)
            return read(*args)

        return wait

    slow_form = replace(
        form,
        search_clips=slow(form.search_clips),
        clips_by_id=slow(form.clips_by_id),
        posts=slow(form.posts),
        recipes=slow(form.recipes),
    )
    return RendersPane(
        replace(services, form=slow_form),
        clock=ctx.clock,
        zone=ctx.workspace.config.zone,
        title=title,
        id=pane_id,
    )


def footage_and_renders(ws: Workspace) -> Any:
    footage = next(s for s in TABS if s.id == "footage")
    return make_app(ws, footage, TabSpec("renders", "Renders", gated_renders))


async def highlight(pilot: Any, clip: int) -> None:
    footage = pilot.app.query_one(FootagePane)
    for _ in range(20):
        if footage.highlighted() is not None and footage.highlighted().id == clip:
            return
        await pilot.press("j")
        await settle(pilot)
    raise AssertionError("the clip is not in the list")


async def test_keys_typed_before_the_form_is_ready_do_not_pick_another_clip(
    demo_workspace: Workspace, linked_clip: tuple[int, int]
) -> None:
    clip, post_id = linked_clip
    GATE.clear()
    app = footage_and_renders(demo_workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await highlight(pilot, clip)
        await pilot.press("R")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewRenderScreen)
        # usable at once: the clip by name, its post chosen, the keyboard on the recipe
        picked = str(form.query_one("#new-render-selected", Static).render())
        assert picked == "Picked: market-stall.mp4"
        assert form.query_one("#new-render-post", Select).value == post_id
        assert form.focused is form.query_one("#new-render-recipe", Select)
        await pilot.press(*"kit", "space", "j", "space")  # typed before anything was read
        assert form.query_one("#new-render-search", Input).value == ""
        GATE.set()
        await settle(pilot)
        if (
            isinstance(app.screen, NewRenderScreen)
            and app.screen.query_one("#new-render-recipe", Select).expanded
        ):
            await pilot.press("escape")  # space opened the recipe list: close it
            await settle(pilot)
        form = app.screen
        assert isinstance(form, NewRenderScreen)
        assert form.selected == [clip]
        assert form.query_one("#new-render-recipe", Select).value == "vertical"
        assert form.query_one("#new-render-post", Select).value == post_id
        hint = str(form.query_one("#new-render-recipe-hint", Static).render())
        assert hint.startswith("vertical: the default") and "not a platform cut" in hint


async def test_typing_a_search_does_not_lose_the_recipes(
    demo_workspace: Workspace, linked_clip: tuple[int, int]
) -> None:
    """From n (no clip picked), typing a search while recipes and posts are still being
    read leaves them read all the same."""
    GATE.clear()
    app = make_app(demo_workspace, TabSpec("renders", "Renders", gated_renders))
    async with app.run_test(size=(80, 24)) as pilot:
        GATE.set()
        await settle(pilot)
        GATE.clear()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewRenderScreen)
        assert form.focused is form.query_one("#new-render-search", Input)
        await pilot.press(*"market")
        GATE.set()
        await settle(pilot)
        recipes = form.query_one("#new-render-recipe", Select)
        assert recipes.value == "vertical"
        assert form.query_one("#new-render-post", Select)._options[1:]  # posts were read


async def test_form_fits_80x24_and_tab_shows_focus(
    demo_workspace: Workspace, linked_clip: tuple[int, int]
) -> None:
    """At 80x24 every field down to the overrides and the Queue button is on screen; Tab
    moves the keyboard and the focused field is tinted (it looks unlike the others)."""
    GATE.set()
    async with make_app(demo_workspace, "renders").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pilot.app.query_one(RendersPane).open_new_render([linked_clip[0]])
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, NewRenderScreen)
        for selector in ("#new-render-overrides", "#new-render-submit", "#new-render-priority"):
            region = form.query_one(selector).region
            assert region.height >= 1 and region.bottom <= 23, selector  # above the footer
        overrides = form.query_one("#new-render-overrides", Input)
        search = form.query_one("#new-render-search", Input)
        assert form.focused is form.query_one("#new-render-recipe", Select)
        while form.focused is not overrides:
            await pilot.press("tab")
        assert overrides.styles.background != search.styles.background
