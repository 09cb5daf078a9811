"""Issue 16 on the Scripts tab: the syntax is in `?` (and F1 while typing, where ?
types a ?), the save message reads as a sentence, and the template's revision is
labelled as the template's.
"""

from __future__ import annotations

from pathlib import Path

from conftest import Messages, make_app, make_workspace, settle
from rows import add_post
from textual.notifications import Notify
from textual.widgets import TextArea

from screens.modals.help import HelpScreen
from screens.modals.revisions import RevisionsScreen
from screens.modals.template_picker import TemplatePickerScreen
from screens.scripts.pane import ScriptsPane


def notes(messages: Messages) -> list[str]:
    return [m.notification.message for m in messages.of(Notify)]


async def test_template_save_and_revisions_say_what_made_them(
    tmp_path: Path, messages: Messages
) -> None:
    ws = make_workspace(tmp_path / "home")
    add_post(ws.store, "Knife skills", "scripting")
    app = make_app(ws, "scripts")
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the post: it has no script, so templates first
        await settle(pilot)
        picker = pilot.app.screen
        assert isinstance(picker, TemplatePickerScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert await messages.until(
            lambda: any(n.startswith("Started from the “") for n in notes(messages))
        )
        assert not any("(save)" in n for n in notes(messages))
        area = pilot.app.query_one(TextArea)
        assert pilot.app.focused is area
        await pilot.press("end", *" Why?")
        assert "Why?" in area.text  # ? typed, not help
        assert not isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await messages.until(lambda: "Saved." in notes(messages))
        await pilot.press("ctrl+r")
        await settle(pilot)
        revisions = pilot.app.screen
        assert isinstance(revisions, RevisionsScreen)
        labels = [revisions.made_by(r) for r in revisions.revisions]
        assert labels == [None, "template"]  # newest first: the save, then the template
        await pilot.press("escape")
        await settle(pilot)


async def test_f1_and_question_mark_list_the_script_syntax(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "home")
    add_post(ws.store, "Knife skills", "scripting")
    async with make_app(ws, "scripts").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")  # on the post list ? is help
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        typed = [k for k, _ in help_screen.notes]
        assert {"## Hook", "!! 3. …", "[[ … ]]"} <= set(typed)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # first template
        await settle(pilot)
        assert pilot.app.query_one(ScriptsPane).post is not None
        shown = {
            b.binding.description
            for b in pilot.app.screen.active_bindings.values()
            if b.binding.show and b.enabled
        }
        assert "Keys & syntax" in shown  # the editor's footer says which key is help
        await pilot.press("f1")  # in the editor, where ? is a character
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen) and pilot.app.screen.notes
