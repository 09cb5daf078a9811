"""Script templates: files of script text in a workspace's `templates/` folder.

Templates are script text files (`*.md`, our section format). On first use
(no `templates/` folder yet) the built-in ones are written there; a team
edits them or adds its own files beside them. A file that cannot be read is
reported by name and skipped, never fatal. Where the built-ins come from is
the caller's business (app/script_templates.py ships them in the package).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

TEMPLATE_SUFFIX = ".md"
BUILTIN_TITLES = {
    "hook-problem-solution-cta": "Hook – problem – solution – CTA",
    "listicle": "Listicle",
    "tutorial": "Tutorial",
    "story": "Story",
    "product-review": "Product review",
}


@dataclass(frozen=True)
class Template:
    """One script template: a name (file stem), a title to show and its text."""

    name: str
    title: str
    body: str
    path: Path | None = None


@dataclass(frozen=True)
class TemplateSet:
    """The templates found, and one message per file that could not be used."""

    templates: tuple[Template, ...]
    problems: tuple[str, ...] = ()

    def get(self, name: str) -> Template | None:
        """A template by name, or None."""
        return next((t for t in self.templates if t.name == name), None)


def title_for(name: str) -> str:
    """The title shown for a template file stem."""
    return BUILTIN_TITLES.get(name) or name.replace("-", " ").replace("_", " ").strip().capitalize()


def read_builtins(folder: Path) -> tuple[Template, ...]:
    """The built-in templates kept in `folder`, in their canonical order."""
    return tuple(
        Template(
            name, title_for(name), (folder / f"{name}{TEMPLATE_SUFFIX}").read_text(encoding="utf-8")
        )
        for name in BUILTIN_TITLES
    )


def ensure_templates(folder: Path, builtins: Sequence[Template]) -> bool:
    """Write the built-ins into `folder` when it does not exist yet; True when written."""
    if folder.exists():
        return False
    folder.mkdir(parents=True)
    for template in builtins:
        (folder / f"{template.name}{TEMPLATE_SUFFIX}").write_text(template.body, encoding="utf-8")
    return True


def _order(template: Template) -> tuple[int, str]:
    names = list(BUILTIN_TITLES)
    return (names.index(template.name) if template.name in names else len(names), template.name)


def load_templates(folder: Path, builtins: Sequence[Template]) -> TemplateSet:
    """Every template in `folder` (built-ins first, then the team's by name).

    The built-ins are written on first use. Empty files and files that are
    not UTF-8 text are skipped and named in `problems`.
    """
    try:
        ensure_templates(folder, builtins)
    except OSError as exc:
        return TemplateSet(
            tuple(builtins),
            (
                f"{folder}: cannot be created ({exc.strerror}); showing the built-in "
                "templates only. Check the home folder's permissions.",
            ),
        )
    found: list[Template] = []
    problems: list[str] = []
    for path in sorted(folder.glob(f"*{TEMPLATE_SUFFIX}")):
        if not path.is_file():
            continue
        try:
            body = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(f"{path}: not UTF-8 text; save it as UTF-8 to use it as a template.")
            continue
        except OSError as exc:
            problems.append(f"{path}: cannot be read ({exc.strerror}).")
            continue
        if not body.strip():
            problems.append(f"{path}: empty; write a script in it or delete it.")
            continue
        found.append(Template(path.stem, title_for(path.stem), body, path))
    return TemplateSet(tuple(sorted(found, key=_order)), tuple(problems))
