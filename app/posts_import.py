"""Reading bulk post ideas from CSV or JSON, row by row, with line numbers.

Columns (CSV header or JSON keys): `title` (required), `date` or
`planned_at` (YYYY-MM-DD or ISO time, in the workspace zone unless it says
otherwise), `pillar` (an existing pillar's name), `status`, `target_seconds`,
`notes`. Every row is checked before anything is stored: a bad row is
reported with its line and left out, and the good rows are then written
together (PostRepo.add_many, one transaction).

Each good row carries an import key: a hash of the file's absolute path,
the row's content and how many identical rows came before it in the file.
Importing the same file again adds nothing; a row edited or added since is
new. Only a regular file of at most MAX_FILE_BYTES is read (a FIFO or a
device would hang or fill memory).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from storage.models import POST_STATUSES
from storage.posts import TARGET_SECONDS_MAX, PostDraft
from storage.text_input import TextInputError, check_title, clean_block, clean_line
from storage.timefmt import YEAR_MAX, YEAR_MIN, TimeRangeError, check_range

KNOWN = ("title", "date", "planned_at", "pillar", "status", "target_seconds", "notes")
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_ROWS = 100_000


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
    import_key: str | None = None

    def draft(self, pillar_id: int | None) -> PostDraft:
        """The row as PostRepo.add_many takes it."""
        return PostDraft(
            self.title,
            status=self.status,
            pillar_id=pillar_id,
            planned_at=self.planned_at,
            target_seconds=self.target_seconds,
            notes=self.notes,
            import_key=self.import_key,
        )


@dataclass
class ParsedFile:
    """Good rows and one message per bad row."""

    rows: list[NewPost] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class ImportFileError(Exception):
    """The file as a whole cannot be read (not the fault of one row)."""


class _RowError(ValueError):
    """One row is bad; the message says which field and why."""


def _text(raw: dict[str, Any], key: str) -> str:
    """A field that must be text (a CSV cell always is; JSON may hold anything)."""
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "target_seconds":
        return str(value)
    kind = "a list" if isinstance(value, list) else "an object" if isinstance(value, dict) else None
    kind = kind or f"{json.dumps(value)}"
    raise _RowError(f"{key} must be text, not {kind}")


def _when(text: str, zone: ZoneInfo) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _RowError(
            f"date {text!r} is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    try:
        return check_range(moment)
    except TimeRangeError:
        raise _RowError(
            f"date {text!r} is outside the years {YEAR_MIN}-{YEAR_MAX}; give a date in that range"
        ) from None


def _target(raw: dict[str, Any]) -> int | None:
    value = raw.get("target_seconds")
    if value in (None, ""):
        return None
    bad = _RowError(
        f"target_seconds {value!r} must be a whole number of seconds, at least 1 and at most "
        f"{TARGET_SECONDS_MAX}"
    )
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise bad
    text = _text(raw, "target_seconds").strip()
    if not text.isdigit() or len(text) > 12:
        raise bad
    number = int(text)
    if not 1 <= number <= TARGET_SECONDS_MAX:
        raise bad
    return number


def _row(line: int, raw: dict[str, Any], zone: ZoneInfo, pillars: set[str]) -> NewPost:
    unknown = [k for k in raw if k not in KNOWN]
    if unknown:
        raise _RowError(f"unknown column {unknown[0]!r}; known: {', '.join(KNOWN)}")
    try:
        title = check_title(raw.get("title") if raw.get("title") is not None else "")
    except TextInputError as exc:
        raise _RowError(str(exc)) from None
    post = NewPost(line=line, title=title)
    when = clean_line(_text(raw, "planned_at") or _text(raw, "date"))
    if when:
        post.planned_at = _when(when, zone)
    pillar = clean_line(_text(raw, "pillar"))
    if pillar:
        match = next((p for p in pillars if p.lower() == pillar.lower()), None)
        if match is None:
            known = ", ".join(sorted(pillars)) or "none yet"
            raise _RowError(f"pillar {pillar!r} does not exist (pillars: {known})")
        post.pillar = match
    status = clean_line(_text(raw, "status") or "idea").lower().replace(" ", "_")
    if status not in POST_STATUSES:
        raise _RowError(f"status {status!r} is not one of {', '.join(POST_STATUSES)}")
    post.status = status
    post.target_seconds = _target(raw)
    post.notes = clean_block(_text(raw, "notes"))
    return post


def _read(path: Path) -> str:
    """The file's text: a regular UTF-8 file of at most MAX_FILE_BYTES."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist.") from None
    except OSError as exc:
        raise ImportFileError(f"{path} cannot be read ({exc.strerror}).") from None
    if not stat.S_ISREG(st.st_mode):
        what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file (a pipe or device?)"
        raise ImportFileError(f"{path} is {what}; import reads a .csv or .json file.")
    if st.st_size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{path} is {st.st_size / 1024 / 1024:.1f} MiB; import reads files of at most "
            f"{MAX_FILE_BYTES // 1024 // 1024} MiB. Split it into smaller files."
        )
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportFileError(f"{path} cannot be read ({exc.strerror}).") from None
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(f"{path} grew past {MAX_FILE_BYTES // 1024 // 1024} MiB while read.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            f"{path} is not UTF-8 text; save it as UTF-8 and import again."
        ) from None


def _items(path: Path, text: str) -> list[tuple[int, Any]]:
    """(line, raw item) of every row of the file, in order."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}).") from None
        except RecursionError:
            raise ImportFileError(f"{path}: the JSON is nested too deeply to read.") from None
        except ValueError as exc:  # e.g. an integer of more than 4300 digits
            raise ImportFileError(f"{path}: not valid JSON ({exc}).") from None
        if not isinstance(data, list):
            raise ImportFileError(f"{path}: the JSON must be a list of objects, one per post.")
        lines = _json_item_lines(text, len(data))
        return [(lines[i] if i < len(lines) else i + 1, item) for i, item in enumerate(data)]
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            names = reader.fieldnames
            if not names or "title" not in [f.strip() for f in names]:
                raise ImportFileError(
                    f"{path}:1: the header must name a 'title' column (known: {', '.join(KNOWN)})."
                )
            rows: list[tuple[int, Any]] = []
            for raw in reader:
                cleaned = {(k or "").strip() or None: v for k, v in raw.items()}
                rows.append((reader.line_num, cleaned))
        except csv.Error as exc:
            raise ImportFileError(
                f"{path}:{reader.line_num}: not valid CSV ({exc}); fix that line and import again."
            ) from None
        return rows
    raise ImportFileError(f"{path}: import reads .csv or .json files.")


def import_key(path: Path, raw: Any, occurrence: int) -> str:
    """The key of one row: file, row content, and how many identical rows came before."""
    content = json.dumps(raw, sort_keys=True, ensure_ascii=True, default=str)
    digest = hashlib.sha256(f"{path}\n{content}\n{occurrence}".encode()).hexdigest()
    return f"import:{digest[:40]}"


def parse_file(path: Path, *, zone: ZoneInfo, pillars: set[str]) -> ParsedFile:
    """Read and check a .csv or .json file of post ideas (nothing is stored here)."""
    items = _items(path, _read(path))
    if len(items) > MAX_ROWS:
        raise ImportFileError(f"{path} has {len(items)} rows; import reads at most {MAX_ROWS}.")
    identity = Path(os.path.abspath(path))
    seen: dict[str, int] = {}
    result = ParsedFile()
    where = str(path)
    for index, (line, item) in enumerate(items):
        if not isinstance(item, dict):
            result.errors.append(f"{where}:{line}: item {index + 1} is not an object")
            continue
        if None in item:
            result.errors.append(f"{where}:{line}: more cells than header columns")
            continue
        try:
            post = _row(line, item, zone, pillars)
        except _RowError as exc:
            result.errors.append(f"{where}:{line}: {exc}")
            continue
        content = json.dumps(item, sort_keys=True, ensure_ascii=True, default=str)
        seen[content] = seen.get(content, -1) + 1
        post.import_key = import_key(identity, item, seen[content])
        result.rows.append(post)
    return result


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
