"""The built-in script templates shipped in the package, and a workspace's templates.

The five built-ins (hook–problem–solution–CTA, listicle, tutorial, story,
product review) live in `app/templates/*.md`; `workspace_templates` copies
them into the home folder's `templates/` on first use and reads that folder.
"""

from __future__ import annotations

from pathlib import Path

from storage.script_templates import (
    Template,
    TemplateSet,
    load_templates,
    read_builtins,
)

BUILTIN_DIR = Path(__file__).parent / "templates"


def builtin_templates() -> tuple[Template, ...]:
    """The templates shipped in the package."""
    return read_builtins(BUILTIN_DIR)


def templates_folder(home_root: Path) -> Path:
    """Where a workspace keeps its templates."""
    return home_root / "templates"


def workspace_templates(home_root: Path) -> TemplateSet:
    """The templates of the workspace at `home_root` (built-ins written on first use)."""
    return load_templates(templates_folder(home_root), builtin_templates())
