"""Pilot tests of the Scripts tab on a real workspace file, keyboard only."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from conftest import make_app, make_workspace, settle
from rows import add_asset, add_post
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import TextArea

from app.script_templates import workspace_templates
from app.tab_host import TabHost
from app.tui import ReelRoomApp, TabContext, TabSpec
from app.workspace import Workspace
from screens.modals.add_shot import AddShotScreen
from screens.modals.clip_picker import ClipPickerScreen
from screens.modals.revisions import RevisionsScreen, change_counts, diff_lines
from screens.modals.template_picker import TemplatePickerScreen
from screens.scripts.editor import EditorError, edit_externally, editor_command
from screens.scripts.pane import ScriptsPane
from screens.scripts.services import ScriptsServices
from screens.scripts.shots import ShotTable, add_shot_line
from storage import Store
from storage.posts import PostRepo
from storage.script_text import parse
from storage.scripts import ScriptRepo
from storage.shots import ShotRepo
from widgets.estimate_bar import EstimateBar
from widgets.triage_list import TriageList

SHOT_SCRIPT = "## Hook\nLook.\n## Shots\n!! 1. Wide — WS @ park\n!! 2. Close — CU @ park\n"


def scripts_tab(autosave: float | None) -> TabSpec:
    """The Scripts tab as registered, with its autosave interval set for the test."""

    def factory(ctx: TabContext, title: str, pane_id: str) -> ScriptsPane:
        store, root = ctx.workspace.store, ctx.workspace.home.root
        services = ScriptsServices(
            ScriptRepo(store),
            ShotRepo(store),
            PostRepo(store),
            templates=lambda: workspace_templates(root),
        )
        return ScriptsPane(
            services,
            clock=ctx.clock,
            zone=ctx.workspace.config.zone,
            autosave_seconds=autosave,
            title=title,
            id=pane_id,
        )

    return TabSpec("scripts", "Scripts", factory)


def revisions(ws: Workspace, post: int) -> list[tuple[str, str]]:
    """(reason, body) of a post's revisions, oldest first."""
    return [(r.reason, r.body) for r in reversed(ScriptRepo(ws.store).revisions(post))]


def pane(app: ReelRoomApp) -> ScriptsPane:
    return app.query_one(ScriptsPane)


async def open_first(app: ReelRoomApp, pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path / "home", zone="Asia/Shanghai")


async def test_write_save_and_restore_an_older_revision(ws: Workspace) -> None:
    """Template picker, type, ctrl+s twice, ctrl+r, pick the older revision, restore."""
    post = add_post(ws.store, "Knife tricks", "scripting")
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        assert isinstance(app.screen, TemplatePickerScreen)
        await pilot.press("j", "k", "enter")  # down and back up: the first template
        await settle(pilot)
        area = app.query_one(TextArea)
        assert app.focused is area
        template = revisions(ws, post)
        assert template[0][0] == "save" and template[0][1].startswith("## Hook")
        assert ScriptRepo(ws.store).get(post).template == "hook-problem-solution-cta"
        await pilot.press("ctrl+a", *"Stop scrolling. ", "ctrl+s")
        await settle(pilot)
        first = area.text
        assert first.startswith("Stop scrolling. ## Hook")
        await pilot.press("ctrl+a", *"Three tricks. ", "ctrl+s")
        await settle(pilot)
        assert [r for r, _ in revisions(ws, post)] == ["save", "save", "save"]
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, RevisionsScreen)
        assert app.screen.highlighted.body == area.text
        await pilot.press("j")
        assert app.screen.highlighted.body == first
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, RevisionsScreen)
        assert area.text == first and not pane(app).dirty
        assert revisions(ws, post)[-1] == ("restore", first)
        assert ScriptRepo(ws.store).get(post).body == first
        await pilot.press("tab", "v")  # v opens the list from the shot table too
        await settle(pilot)
        assert isinstance(app.screen, RevisionsScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is app.query_one(ShotTable)
        await pilot.press("escape")
        await settle(pilot)
        assert pane(app).post is None and app.focused is app.query_one(TriageList)


async def test_escape_from_template_picker_creates_nothing(ws: Workspace) -> None:
    """Backing out of the template picker leaves the post without a script."""
    post = add_post(ws.store, "Later", "idea")
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused is app.query_one(TriageList)
        assert ScriptRepo(ws.store).get(post) is None


async def test_estimate_per_section_and_target_warning(ws: Workspace) -> None:
    """The bar follows typing: words and CJK characters, hook goal, over-target class."""
    post = PostRepo(ws.store).add("饺子", status="scripting", target_seconds=5).id
    ScriptRepo(ws.store).save(post, "## Hook\n\n## Body\n\n## CTA\nFollow.\n")
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        bar = app.query_one(EstimateBar)
        assert bar.values.total == pytest.approx(0.4) and not bar.values.over_target
        await pilot.press("down", *("今天教大家包饺子" * 2))  # 16 CJK chars in the hook
        await pilot.pause(0.4)
        assert bar.values.cjk_chars == 16 and bar.values.hook == pytest.approx(3.8)
        assert bar.values.hook_long and bar.has_class("-hook-long")
        assert not bar.values.over_target
        await pilot.press("down", "down", *"(aside)", "enter", *"one two three four five")
        await pilot.pause(0.4)
        assert bar.values.words == 6 and bar.values.total == pytest.approx(6.2)
        assert bar.values.over_target and bar.has_class("-over")
        assert "over by 1.2 s" in str(bar.render())


async def test_autosave_only_when_text_changed(ws: Workspace) -> None:
    """The timer keeps an 'autosave' revision only after a change since the last save."""
    post = add_post(ws.store, "Auto", "scripting")
    ScriptRepo(ws.store).save(post, "## Hook\nHi.\n")
    app = make_app(ws, scripts_tab(0.5))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        await pilot.pause(1.2)
        await settle(pilot)
        assert [r for r, _ in revisions(ws, post)] == ["save"]
        await pilot.press("end", "!")
        await pilot.pause(1.2)
        await settle(pilot)
        assert revisions(ws, post)[-1] == ("autosave", "## Hook!\nHi.\n")
        await pilot.pause(1.2)
        await settle(pilot)
        assert len(revisions(ws, post)) == 2 and not pane(app).dirty


async def test_leaving_the_tab_and_quitting_autosave(ws: Workspace) -> None:
    """Switching to another tab saves changed text; so does quitting."""
    post = add_post(ws.store, "Leave", "scripting")
    ScriptRepo(ws.store).save(post, "## Hook\nHi.\n")
    app = make_app(ws, "today", scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await open_first(app, pilot)
        await pilot.press(*"A ")
        await pilot.press("tab", "1")  # tab leaves the editor, 1 goes to Today
        await settle(pilot)
        assert app.query_one(TabHost).active == "today"
        assert revisions(ws, post)[-1] == ("autosave", "A ## Hook\nHi.\n")
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+a", *"B ")
        await settle(pilot)
        app.exit()
    assert revisions(ws, post)[-1] == ("autosave", "B A ## Hook\nHi.\n")


async def test_refresh_takes_other_writes_but_never_unsaved_text(ws: Workspace) -> None:
    """r reads a script another process changed; with unsaved text, ours stays."""
    post = add_post(ws.store, "Shared", "scripting")
    ScriptRepo(ws.store).save(post, "## Hook\nOne.\n")
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        other = Store(ws.home.db_path)
        ScriptRepo(other).save(post, "## Hook\nTwo.\n")
        await pilot.press("tab", "r")
        await settle(pilot)
        area = app.query_one(TextArea)
        assert area.text == "## Hook\nTwo.\n" and not pane(app).dirty
        await pilot.press("shift+tab", "ctrl+a", *"Mine ")
        ScriptRepo(other).save(post, "## Hook\nThree.\n")
        other.close()
        await pilot.press("tab", "r")
        await settle(pilot)
        assert area.text == "Mine ## Hook\nTwo.\n" and pane(app).dirty


async def test_save_syncs_shots_and_status_cycles(ws: Workspace) -> None:
    """ctrl+s fills the shot table from `!!` lines; s cycles status; coverage shows."""
    post = add_post(ws.store, "Park", "ready_to_shoot")
    ScriptRepo(ws.store).save(post, SHOT_SCRIPT)
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        table = app.query_one(ShotTable)
        assert table.row_count == 0  # saved outside the tab, never synced
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [s.description for s in table.shots] == ["Wide", "Close"]
        shots = ShotRepo(ws.store).list(post)
        ShotRepo(ws.store).link(shots[0].id, add_asset(ws.store, "A001.mov"))
        await pilot.press("tab")
        assert app.focused is table
        await pilot.press("s", "j", "s", "s")
        await settle(pilot)
        assert [s.status for s in ShotRepo(ws.store).list(post)] == ["shot", "in_edit"]
        assert str(app.query_one("#scripts-coverage").render()) == "1 of 2 shots have footage"
        assert table.shots[0].clips == 1


async def test_link_clips_to_a_shot_by_keyboard(ws: Workspace) -> None:
    """l on a shot lists clips (the post's own first); space ticks, Enter links."""
    post = add_post(ws.store, "Park", "shot")
    ScriptRepo(ws.store).save(post, SHOT_SCRIPT)
    ShotRepo(ws.store).sync(post, parse(SHOT_SCRIPT).shots())
    add_asset(ws.store, "other.mov")
    mine = add_asset(ws.store, "mine.mov")
    ws.store.db["assets"].update(mine, {"post_id": post})
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        await pilot.press("tab", "j", "l")
        await settle(pilot)
        assert isinstance(app.screen, ClipPickerScreen)
        assert [c.name for c in app.screen.clips] == ["mine.mov", "other.mov"]
        await pilot.press("space", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, ClipPickerScreen)
        second = ShotRepo(ws.store).list(post)[1]
        assert [c.name for c in ShotRepo(ws.store).clips(second.id)] == ["mine.mov"]
        assert str(app.query_one("#scripts-coverage").render()) == "1 of 2 shots have footage"
        assert app.query_one(ShotTable).shots[1].clips == 1
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert ShotRepo(ws.store).coverage(post) == (1, 2)


async def test_add_shot_from_the_table_writes_a_script_line(ws: Workspace) -> None:
    """a opens a form; the shot becomes a `!!` line in the Shots section and a row."""
    post = add_post(ws.store, "Park", "ready_to_shoot")
    ScriptRepo(ws.store).save(post, SHOT_SCRIPT)
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first(app, pilot)
        await pilot.press("tab", "a")
        await pilot.pause()
        assert isinstance(app.screen, AddShotScreen)
        await pilot.press("enter")  # no description: refused, form stays
        await pilot.pause()
        assert isinstance(app.screen, AddShotScreen)
        await pilot.press(*"Dog runs", "tab", *"MS", "tab", *"lawn", "enter")
        await settle(pilot)
        assert "!! 3. Dog runs — MS @ lawn" in app.query_one(TextArea).text
        assert [(s.number, s.location) for s in ShotRepo(ws.store).list(post)][-1] == (3, "lawn")


async def test_filter_and_open_by_keyboard(ws: Workspace) -> None:
    """/ filters the picker; Enter in the filter returns to the list; writing posts first."""
    add_post(ws.store, "Ideas only", "idea")
    add_post(ws.store, "饺子 dumplings", "scripting")
    add_post(ws.store, "Old one", "published")
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        listing = app.query_one(TriageList)
        titles = [row.title for s in listing._sections for row in s.rows]
        assert titles == ["饺子 dumplings", "Ideas only", "Old one"]
        await pilot.press("slash", *"old", "enter")
        await pilot.pause()
        assert app.focused is listing and len(listing.row_keys) == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TemplatePickerScreen)


async def test_editor_without_editor_or_suspend_says_why(ws: Workspace, monkeypatch: Any) -> None:
    """ctrl+e with no $EDITOR, then where the terminal cannot suspend: a warning each."""
    post = add_post(ws.store, "Ed", "scripting")
    ScriptRepo(ws.store).save(post, "## Hook\nHi.\n")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    seen: list[Message] = []
    app = make_app(ws, scripts_tab(None))
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await open_first(app, pilot)
        await pilot.press("ctrl+e")
        monkeypatch.setenv("EDITOR", "nano")
        await pilot.press("ctrl+e")
        await pilot.pause()
        notes = [m.notification.message for m in seen if isinstance(m, Notify)]
        assert any("Set $EDITOR" in n for n in notes)
        assert any("cannot hand the screen" in n for n in notes)
        assert app.query_one(TextArea).text == "## Hook\nHi.\n"


def test_edit_externally_runs_a_real_editor(tmp_path: Path) -> None:
    """A real program edits the temp file; its text comes back and the file is removed."""
    script = tmp_path / "fake-editor"
    script.write_text("#!/bin/sh\nprintf '## Hook\\nEdited.\\n' > \"$1\"\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    folder = tmp_path / "tmp"
    folder.mkdir()
    assert edit_externally("## Hook\nOld.\n", [str(script)], folder=folder) == "## Hook\nEdited.\n"
    assert list(folder.iterdir()) == []
    with pytest.raises(EditorError, match="was not found"):
        edit_externally("x", [str(tmp_path / "nope")], folder=folder)
    with pytest.raises(EditorError, match="status 1"):
        edit_externally("x", ["false"], folder=folder)
    assert editor_command({"EDITOR": "code --wait"}) == ["code", "--wait"]
    assert editor_command({"VISUAL": "vim", "EDITOR": "nano"}) == ["vim"]
    assert editor_command(dict(os.environ, VISUAL="", EDITOR="")) is None


def test_shot_lines_go_at_the_end_of_the_shots_section() -> None:
    """A new shot follows the last `!!` line, before the next section; numbering continues."""
    text = "## Hook\nHi.\n## Shots\n!! 1. A\n!! 4. B\n\n## Notes\nx\n"
    new, number = add_shot_line(text, "C  shot", "CU", "desk")
    assert number == 5
    assert (
        new == "## Hook\nHi.\n## Shots\n!! 1. A\n!! 4. B\n!! 5. C shot — CU @ desk\n\n## Notes\nx\n"
    )
    assert add_shot_line("## Hook\nHi.\n", "D") == ("## Hook\nHi.\n\n## Shots\n!! 1. D\n", 1)


def test_revision_diff_counts() -> None:
    """The diff is from the revision to the current text; equal texts give no lines."""
    lines = diff_lines("a\nb\n", "a\nc\nd\n", old_name="revision 1")
    assert lines[0] == "--- revision 1" and change_counts(lines) == (2, 1)
    assert diff_lines("same", "same", old_name="r") == []


def test_autosave_interval_is_a_config_setting(tmp_path: Path) -> None:
    """[scripts] autosave_seconds sets the interval; 0 is refused naming file and line."""
    from app.config import ConfigError, load_config

    path = tmp_path / "config.toml"
    path.write_text("[scripts]\nautosave_seconds = 30\n", encoding="utf-8")
    assert load_config(path).scripts.autosave_seconds == 30
    path.write_text(
        '[workspace]\ntimezone = "UTC"\n\n[scripts]\nautosave_seconds = 0\n', encoding="utf-8"
    )
    with pytest.raises(
        ConfigError, match=r"config.toml:5: \[scripts\] autosave_seconds must be at least 5"
    ):
        load_config(path)


def test_picker_lays_out_a_section_only_up_to_its_rows_and_counts_the_rest() -> None:
    """10,000 posts: each section shows SECTION_ROWS rows, in order, and counts the
    rest; the filter counts only matches."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from screens.scripts import picker
    from storage.models import Post

    statuses = ("scripting", "idea", "published")
    posts = [
        Post(
            n, f"Post {n}", statuses[n % 3], None, None, datetime(2026, 12, 1, tzinfo=UTC), None, 60
        )
        for n in range(10_000)
    ]
    shown = picker.sections(posts, {1, 2}, ZoneInfo("UTC"))
    assert [len(s.rows) for s in shown] == [picker.SECTION_ROWS] * 3
    assert [s.more for s in shown] == [3334 - 100, 3333 - 100, 3333 - 100]
    assert [r.key for r in shown[0].rows[:2]] == ["post:0", "post:3"]
    assert shown[1].rows[0].detail == "idea" and shown[1].rows[1].detail.endswith("no script")
    found = picker.sections(posts, set(), ZoneInfo("UTC"), "post 99")
    assert sum(len(s.rows) + s.more for s in found) == sum(
        "post 99" in p.title.casefold() for p in posts
    )
