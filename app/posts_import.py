"""Reading bulk post ideas from CSV or JSON, row by row, with line numbers.

Columns (CSV header or JSON keys): `title` (required), `date` or
`planned_at` (YYYY-MM-DD or ISO time, in the workspace zone unless it says
otherwise), `pillar` (an existing pillar's name), `status`, `target_seconds`,
`notes`. A bad row is reported with its line and left out; good rows are kept.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.models import POST_STATUSES

KNOWN = ("title", "date", "planned_at", "pillar", "status", "target_seconds", "notes")


@dataclass
class NewPost:
    """A good row, ready to store."""

    line: int
    title: str
    planned_at: datetime | None = None
    pillar: str | None = None
    status: str = "idea"
    target_seconds: int | None = None
    notes: str = ""


@dataclass
class ParsedFile:
    """Good rows and one message per bad row."""

    rows: list[NewPost] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class ImportFileError(Exception):
    """The file as a whole cannot be read (not the fault of one row)."""


def _row(line: int, raw: dict, zone: ZoneInfo, pillars: set[str], where: str) -> NewPost | str:
    unknown = [k for k in raw if k not in KNOWN and k is not None]
    if unknown:
        return f"{where}:{line}: unknown column {unknown[0]!r}; known: {', '.join(KNOWN)}"
    title = str(raw.get("title") or "").strip()
    if not title:
        return f"{where}:{line}: title is empty; every post needs a title"
    post = NewPost(line=line, title=title)
    when = str(raw.get("planned_at") or raw.get("date") or "").strip()
    if when:
        try:
            moment = datetime.fromisoformat(when)
        except ValueError:
            return (
                f"{where}:{line}: date {when!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
            )
        post.planned_at = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    pillar = str(raw.get("pillar") or "").strip()
    if pillar:
        match = next((p for p in pillars if p.lower() == pillar.lower()), None)
        if match is None:
            known = ", ".join(sorted(pillars)) or "none yet"
            return f"{where}:{line}: pillar {pillar!r} does not exist (pillars: {known})"
        post.pillar = match
    status = str(raw.get("status") or "idea").strip().lower().replace(" ", "_")
    if status not in POST_STATUSES:
        return f"{where}:{line}: status {status!r} is not one of {', '.join(POST_STATUSES)}"
    post.status = status
    target = raw.get("target_seconds")
    if target not in (None, ""):
        try:
            post.target_seconds = int(str(target))
            if post.target_seconds <= 0:
                raise ValueError
        except ValueError:
            return f"{where}:{line}: target_seconds {target!r} must be a whole number of seconds above 0"
    post.notes = str(raw.get("notes") or "")
    return post


def parse_file(path: Path, *, zone: ZoneInfo, pillars: set[str]) -> ParsedFile:
    """Read a .csv or .json file of post ideas."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist.") from None
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{path} is not UTF-8 text; save it as UTF-8 and import again."
        ) from None
    except OSError as exc:
        raise ImportFileError(f"{path} cannot be read ({exc.strerror}).") from None
    result = ParsedFile()
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}).") from None
        if not isinstance(data, list):
            raise ImportFileError(f"{path}: the JSON must be a list of objects, one per post.")
        lines = _json_item_lines(text, len(data))
        for index, item in enumerate(data):
            line = lines[index] if index < len(lines) else index + 1
            if not isinstance(item, dict):
                result.errors.append(f"{path}:{line}: item {index + 1} is not an object")
                continue
            _add(result, _row(line, item, zone, pillars, str(path)))
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "title" not in [f.strip() for f in reader.fieldnames]:
            raise ImportFileError(
                f"{path}:1: the header must name a 'title' column (known: {', '.join(KNOWN)})."
            )
        for raw in reader:
            cleaned = {(k or "").strip() or None: v for k, v in raw.items()}
            if None in cleaned:
                result.errors.append(f"{path}:{reader.line_num}: more cells than header columns")
                continue
            _add(result, _row(reader.line_num, cleaned, zone, pillars, str(path)))
    else:
        raise ImportFileError(f"{path}: import reads .csv or .json files.")
    return result


def _add(result: ParsedFile, outcome: NewPost | str) -> None:
    if isinstance(outcome, str):
        result.errors.append(outcome)
    else:
        result.rows.append(outcome)


def _json_item_lines(text: str, count: int) -> list[int]:
    """The line on which each item of a top-level JSON list starts."""
    lines: list[int] = []
    depth, line, in_str, escape, expecting = 0, 1, False, False, False
    for ch in text:
        if ch == "\n":
            line += 1
        if in_str:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_str = False
            continue
        if depth == 1 and expecting and ch not in " \t\r\n,]":
            lines.append(line)
            expecting = False
        if ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth == 1:
                expecting = True
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 1:
            expecting = True
    return lines[:count]
