"""Helpers of the Scripts editor: the template picker and editing in $EDITOR.

`edit_externally` writes the script to a temporary file, runs the editor on
it and reads it back; the pane runs it inside `App.suspend()`. The template
picker offers the home folder's templates and a blank script.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Callable, Mapping


class EditorError(Exception):
    """The external editor could not be run; the message says what to do."""


def editor_command(env: Mapping[str, str]) -> list[str] | None:
    """$VISUAL, else $EDITOR, split like a shell would; None when neither is set."""
    value = (env.get("VISUAL") or env.get("EDITOR") or "").strip()
    return shlex.split(value) if value else None


def _run(argv: list[str]) -> int:
    return subprocess.run(argv, check=False).returncode


def edit_externally(
    text: str,
    argv: list[str],
    *,
    run: Callable[[list[str]], int] = _run,
    folder: Path | None = None,
) -> str:
    """The text after `argv + [a temp file holding text]` ran; the file is removed after."""
    handle, name = tempfile.mkstemp(prefix="reelroom-script-", suffix=".md", dir=folder)
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        try:
            status = run([*argv, str(path)])
        except FileNotFoundError:
            raise EditorError(
                f"the editor {argv[0]!r} was not found; set $EDITOR to one "
                "that is installed (e.g. nano or vim)."
            ) from None
        if status != 0:
            raise EditorError(f"{argv[0]} exited with status {status}; the script was not changed.")
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise EditorError(
                "the edited file is not UTF-8 text; the script was not changed."
            ) from None
    finally:
        path.unlink(missing_ok=True)
