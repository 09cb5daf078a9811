"""Script templates: built-ins written to the home folder, team templates beside them."""

from __future__ import annotations

from pathlib import Path

from app.script_templates import builtin_templates, workspace_templates
from storage.script_templates import BUILTIN_TITLES
from storage.script_text import SPOKEN_SECTIONS, estimate, parse


def test_first_use_writes_the_five_builtins(tmp_path: Path) -> None:
    """No templates/ folder: the five built-ins are written and loaded in order."""
    folder = tmp_path / "templates"
    found = workspace_templates(tmp_path)
    assert [t.name for t in found.templates] == list(BUILTIN_TITLES)
    assert sorted(p.stem for p in folder.glob("*.md")) == sorted(BUILTIN_TITLES)
    assert found.get("listicle").title == "Listicle"
    assert not found.problems


def test_builtins_are_scripts_in_our_section_format() -> None:
    """Each built-in has hook, body, CTA, on-screen, caption and shot lines; guidance is unspoken."""
    for template in builtin_templates():
        doc = parse(template.body)
        assert set(doc.sections) >= {"hook", "body", "cta", "on_screen", "caption", "shots"}, (
            template.name
        )
        assert len(doc.shots()) >= 3, template.name
        est = estimate(doc)
        assert all(est[key].seconds == 0 for key in SPOKEN_SECTIONS), template.name


def test_team_templates_are_added_and_edits_survive(tmp_path: Path) -> None:
    """A team's own file shows after the built-ins; an edited built-in is not overwritten."""
    folder = tmp_path / "templates"
    workspace_templates(tmp_path)
    (folder / "behind-the-scenes.md").write_text("## Hook\nCome with us.\n", encoding="utf-8")
    (folder / "story.md").write_text("## Hook\nOur own story opener.\n", encoding="utf-8")
    (folder / "notes.txt").write_text("not a template", encoding="utf-8")
    found = workspace_templates(tmp_path)
    names = [t.name for t in found.templates]
    assert names == [*BUILTIN_TITLES, "behind-the-scenes"]
    assert found.get("behind-the-scenes").title == "Behind the scenes"
    assert found.get("story").body == "## Hook\nOur own story opener.\n"


def test_unreadable_templates_are_named_and_skipped(tmp_path: Path) -> None:
    """A non-UTF-8 or empty file is reported by path; the others still load."""
    folder = tmp_path / "templates"
    workspace_templates(tmp_path)
    (folder / "latin1.md").write_bytes("## Hook\ncaf\xe9\n".encode("latin-1"))
    (folder / "blank.md").write_text("  \n", encoding="utf-8")
    found = workspace_templates(tmp_path)
    assert len(found.templates) == 5
    assert any("latin1.md" in p and "UTF-8" in p for p in found.problems)
    assert any("blank.md" in p and "empty" in p for p in found.problems)


def test_deleted_builtin_stays_deleted(tmp_path: Path) -> None:
    """Built-ins are written only on first use, so a team may remove one."""
    folder = tmp_path / "templates"
    workspace_templates(tmp_path)
    (folder / "listicle.md").unlink()
    assert "listicle" not in [t.name for t in workspace_templates(tmp_path).templates]
