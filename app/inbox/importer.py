"""`reelroom inbox import FILE.csv|FILE.json --account NAME`: comments exported elsewhere.

Columns (CSV header or JSON keys): `remote_id` (or `id`; the platform's
comment id, required: it is what keeps a comment from being stored twice),
`author`, `body` (or `text`), `received_at` (or `created_at`; ISO 8601, in
the workspace zone unless it says otherwise), and optionally
`parent_remote_id` (or `parent_id`), `video_remote_id` (or `video_id`: links
the comment to the account's publication of that video) and `like_count`.
A bad row is reported with its line and left out; good rows are stored (the
same rules as a sync: once each, edits kept, labels on arrival).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from app.inbox.rules import Labeler
from app.inbox.sync import own_names
from app.posts_import import _json_item_lines
from app.workspace import Workspace
from storage.accounts import AccountRow
from storage.inbox_sync import IncomingComment, SyncRepo
from storage.publications import PublicationRepo
from storage.timefmt import to_db

ALIASES = {
    "id": "remote_id",
    "text": "body",
    "created_at": "received_at",
    "timestamp": "received_at",
    "parent_id": "parent_remote_id",
    "video_id": "video_remote_id",
}
KNOWN = (
    "remote_id",
    "author",
    "body",
    "received_at",
    "parent_remote_id",
    "video_remote_id",
    "like_count",
)
MAX_BYTES = 50 * 1024 * 1024
MAX_BODY = 20_000


class ImportError_(Exception):
    """The file as a whole cannot be read; the message names it and what to do."""


@dataclass
class ImportReport:
    """What an import stored and what it left out."""

    new: int = 0
    edited: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "new": self.new,
            "edited": self.edited,
            "unchanged": self.unchanged,
            "errors": self.errors,
        }


@dataclass(frozen=True)
class _Row:
    line: int
    comment: IncomingComment


def _clean(value: object) -> str:
    return "" if value is None else str(value).strip()


def _row(where: str, line: int, raw: dict[str, object], zone: ZoneInfo) -> _Row | str:
    fields: dict[str, object] = {}
    for key, value in raw.items():
        name = ALIASES.get(key.strip(), key.strip())
        if name not in KNOWN:
            return f"{where}:{line}: unknown column {key!r}; known: {', '.join(KNOWN)}"
        fields[name] = value
    remote = _clean(fields.get("remote_id"))
    if not remote or len(remote) > 200 or any(not c.isprintable() for c in remote):
        return f"{where}:{line}: remote_id is missing or not a plain id (the platform's comment id)"
    author = _clean(fields.get("author"))
    if not author:
        return f"{where}:{line}: author is empty"
    body = _clean(fields.get("body"))
    if not body:
        return f"{where}:{line}: body is empty"
    if len(body) > MAX_BODY:
        return f"{where}:{line}: body is {len(body)} characters; at most {MAX_BODY}"
    when = _clean(fields.get("received_at"))
    try:
        moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return (
            f"{where}:{line}: received_at {when!r} is not a time; use ISO 8601 (2026-11-28T09:30)"
        )
    if not 1970 <= moment.year <= 2200:
        return f"{where}:{line}: received_at {when!r} is out of range"
    moment = moment if moment.tzinfo else moment.replace(tzinfo=zone)
    likes: int | None = None
    if _clean(fields.get("like_count")):
        try:
            likes = int(_clean(fields.get("like_count")))
        except ValueError:
            return f"{where}:{line}: like_count {fields.get('like_count')!r} is not a whole number"
        if likes < 0:
            return f"{where}:{line}: like_count must not be negative"
    return _Row(
        line,
        IncomingComment(
            remote_id=remote,
            author=author,
            body=body,
            created_at=to_db(moment),
            parent_remote_id=_clean(fields.get("parent_remote_id")) or None,
            video_remote_id=_clean(fields.get("video_remote_id")) or None,
            like_count=likes,
        ),
    )


def parse_file(path: Path, zone: ZoneInfo) -> tuple[list[_Row], list[str]]:
    """The good rows and one message per bad row of a .csv or .json file."""
    where = str(path)
    if not path.exists():
        raise ImportError_(f"{path} does not exist.")
    if not path.is_file():
        raise ImportError_(f"{path} is not a regular file; give a .csv or .json file.")
    if path.stat().st_size > MAX_BYTES:
        raise ImportError_(f"{path} is over {MAX_BYTES // (1024 * 1024)} MB; split it.")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ImportError_(
            f"{path} is not UTF-8 text; save it as UTF-8 and import again."
        ) from None
    except OSError as exc:
        raise ImportError_(f"{path} cannot be read ({exc.strerror}).") from None
    rows: list[_Row] = []
    errors: list[str] = []

    def add(outcome: _Row | str) -> None:
        if isinstance(outcome, str):
            errors.append(outcome)
        else:
            rows.append(outcome)

    suffix = path.suffix.lower()
    if suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportError_(f"{path}:{exc.lineno}: not valid JSON ({exc.msg}).") from None
        if not isinstance(data, list):
            raise ImportError_(f"{path}: the JSON must be a list of objects, one per comment.")
        lines = _json_item_lines(text, len(data))
        for index, item in enumerate(data):
            line = lines[index] if index < len(lines) else index + 1
            if not isinstance(item, dict):
                errors.append(f"{where}:{line}: item {index + 1} is not an object")
                continue
            add(_row(where, line, item, zone))
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        names = [ALIASES.get(f.strip(), f.strip()) for f in reader.fieldnames or []]
        if "remote_id" not in names:
            raise ImportError_(
                f"{path}:1: the header must name a remote_id column (known: {', '.join(KNOWN)})."
            )
        for raw in reader:
            if None in raw:
                errors.append(f"{where}:{reader.line_num}: more cells than header columns")
                continue
            add(_row(where, reader.line_num, {k: v for k, v in raw.items() if k}, zone))
    else:
        raise ImportError_(f"{path}: import reads .csv or .json files.")
    seen: dict[str, int] = {}
    unique: list[_Row] = []
    for row in rows:
        first = seen.setdefault(row.comment.remote_id, row.line)
        if first != row.line:
            errors.append(
                f"{where}:{row.line}: remote_id {row.comment.remote_id!r} repeats line {first}"
            )
        else:
            unique.append(row)
    return unique, errors


def import_comments(ws: Workspace, account: AccountRow, path: Path) -> ImportReport:
    """Store the file's good rows for the account; report the bad ones by line."""
    rows, errors = parse_file(path, ws.config.zone)
    report = ImportReport(errors=errors)
    pubs = {
        p.remote_id: p.id
        for p in PublicationRepo(ws.store).listing(account_id=account.id, limit=1_000_000)
        if p.remote_id
    }
    repo = SyncRepo(ws.store)
    labeler = Labeler(ws.config.label_rules)
    names = own_names(account)
    tops = [r for r in rows if r.comment.parent_remote_id is None]
    replies = [r for r in rows if r.comment.parent_remote_id is not None]
    for phase in (tops, replies):  # parents first, so replies link to their rows
        by_pub: dict[int | None, list[IncomingComment]] = {}
        for row in phase:
            video = row.comment.video_remote_id
            by_pub.setdefault(pubs.get(video) if video else None, []).append(row.comment)
        for pub_id, comments in by_pub.items():
            for start in range(0, len(comments), 500):
                result = repo.store_page(
                    account.id,
                    pub_id,
                    comments[start : start + 500],
                    own_names=names,
                    labeler=labeler,
                    source="import",
                )
                report.new += result.new
                report.edited += result.edited
                report.unchanged += result.unchanged
    return report
