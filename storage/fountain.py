"""Fountain import and export of a script (https://fountain.io syntax).

Export writes a title page, then each script section as a Fountain section
(`# Hook`), its lines unchanged (but for control characters, left out): scene headings, character cues, dialogue,
parentheticals and `!!` shot lines are already Fountain. The on-screen text
and caption, which are not performed, go inside `[[notes]]`. Import reverses
that; a Fountain file with no sections becomes the script's body.
"""

from __future__ import annotations

import re

from storage.script_text import SECTION_TITLES, ScriptDoc, parse, render
from storage.text_input import clean_block, clean_line

_NOT_PERFORMED = ("on_screen", "caption")
_TITLE_KEY = re.compile(r"^([A-Za-z][A-Za-z ]*):(.*)$")
_FOUNTAIN_SECTION = re.compile(r"^#\s+(.+?)\s*$")
_NOTE_LINE = re.compile(r"^\[\[(.*)\]\]$")


def export_fountain(script_text: str, *, title: str) -> str:
    """Our script text as a Fountain document (no control characters, whatever was stored)."""
    doc = parse(clean_block(script_text))
    out = [f"Title: {clean_line(title)}", "Credit: written in ReelRoom", ""]
    order = [k for k in SECTION_TITLES if k in doc.sections]
    order += [k for k in doc.sections if k not in SECTION_TITLES]
    for key in order:
        heading = SECTION_TITLES.get(key) or doc.extra_titles.get(key, key)
        out.append(f"# {heading}")
        out.append("")
        body = doc.sections[key]
        for line in body.splitlines():
            if key in _NOT_PERFORMED and line.strip():
                out.append(f"[[{line}]]")
            else:
                out.append(line)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _split_title_page(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The title page's key/values and the lines after it."""
    if not lines or not _TITLE_KEY.match(lines[0]):
        return {}, lines
    meta: dict[str, str] = {}
    index = 0
    key = None
    while index < len(lines) and lines[index].strip():
        match = _TITLE_KEY.match(lines[index])
        if match:
            key = match.group(1).strip().lower()
            meta[key] = match.group(2).strip()
        elif key is not None:  # an indented continuation line
            meta[key] = (meta[key] + "\n" + lines[index].strip()).strip()
        index += 1
    return meta, lines[index + 1 :]


def import_fountain(text: str) -> tuple[str, dict[str, str]]:
    """A Fountain document as our script text, plus its title page."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    meta, lines = _split_title_page(text.split("\n"))
    doc = ScriptDoc()
    current = "body"
    collected: dict[str, list[str]] = {}
    for line in lines:
        head = _FOUNTAIN_SECTION.match(line)
        if head:
            probe = parse(f"## {head.group(1)}\n")
            current = next(iter(probe.sections), "body")
            doc.extra_titles.update(probe.extra_titles)
            collected.setdefault(current, [])
            continue
        if current in _NOT_PERFORMED:
            note = _NOTE_LINE.match(line.strip())
            line = note.group(1) if note else line
        collected.setdefault(current, []).append(line)
    for key, body in collected.items():
        doc.sections[key] = "\n".join(body).strip("\n")
    return render(doc), meta
