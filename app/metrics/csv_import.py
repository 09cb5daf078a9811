"""Reading the CSV exports of TikTok Studio and YouTube Studio into snapshots.

Each data row is one video's lifetime numbers as of the export; it becomes a
snapshot of the publication with that video id (remote id) on an account of
the platform, captured at the file's time (`--as-of`, else the file's
modification time, to the second). Importing the same file again adds
nothing: its rows are already stored at that time.

Columns are matched by name, case and spacing aside. What each export's
columns mean here (README "Numbers" lists them too):

TikTok Studio (Analytics → Content, download):
  Video link | Video ID (the id is the number after /video/)   → which video
  Total views | Video views | Views                          → views
  Total likes | Likes, Total comments | Comments              → likes, comments
  Total shares | Shares, Total saves | Saves | Favorites      → shares, saves
  Average watch time (s, m:ss or h:mm:ss)                     → average view (s)
  Total play time | Total watch time (same forms, or hours)   → watch time
  Watched full video (%) | Completion rate (%)                → completion
  New followers                                               → followers gained
  Reached audience                                            → reach
  Video title, Post time                                      → read, not stored

YouTube Studio (Analytics → Advanced mode → Content, export "Table data.csv"):
  Content (the video id; the "Total" row is skipped)          → which video
  Views, Likes, Comments added, Shares                        → counts
  Watch time (hours)                                          → watch time
  Average view duration (h:mm:ss)                             → average view (s)
  Average percentage viewed (%)                               → average view %
  Subscribers | Subscribers gained                            → followers gained
  Video title, Video publish time, Duration, Impressions,
  Impressions click-through rate (%)                          → read, not stored

Any other column is reported as unknown (and left out). A bad row — no video
id, a number that is not one, a video ReelRoom did not publish — is named
by its line and left out; the good rows are kept.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storage.metrics.writer import SnapshotRow

PLATFORMS = ("tiktok", "youtube")


class ImportFileError(Exception):
    """The file as a whole cannot be read (not the fault of one row)."""


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().lower()


def _count(text: str) -> int:
    cleaned = text.replace(",", "").replace("\u00a0", "").strip()
    if not re.fullmatch(r"\d+(\.0+)?", cleaned):
        raise ValueError("is not a whole number")
    return int(float(cleaned))


def _number(text: str) -> float:
    cleaned = text.replace(",", "").replace("%", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError("is not a number") from None
    if value < 0:
        raise ValueError("is negative")
    return value


def _seconds(text: str) -> float:
    """17 | 17s | 12.3s | 0:17 | 0:00:17 | 1h 2m 3s, as seconds."""
    t = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?s?", t):
        return float(t.rstrip("s"))
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}(\.\d+)?", t):
        total = 0.0
        for part in t.split(":"):
            total = total * 60 + float(part)
        return total
    found = re.fullmatch(r"(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?\s*(?:(\d+(?:\.\d+)?)s)?", t)
    if t and found and any(found.groups()):
        h, m, s = (float(g) if g else 0.0 for g in found.groups())
        return h * 3600 + m * 60 + s
    raise ValueError("is not a duration (seconds, m:ss, h:mm:ss or 1h 2m 3s)")


def _watch_time(text: str) -> float:
    """TikTok's total play time: a duration, or plain hours."""
    t = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", t.replace(",", "")):
        return float(t.replace(",", "")) * 3600
    return _seconds(t)


def _percent_share(text: str) -> float:
    value = _number(text)
    if value > 100:
        raise ValueError("is over 100%")
    return value / 100


def _tiktok_id(text: str) -> str:
    t = text.strip()
    found = re.search(r"/video/(\d+)", t)
    if found:
        return found.group(1)
    if re.fullmatch(r"\d{6,}", t):
        return t
    raise ValueError("has no TikTok video id (a link with /video/<number>, or the number)")


def _youtube_id(text: str) -> str:
    t = text.strip()
    if re.fullmatch(r"[A-Za-z0-9_-]{6,20}", t):
        return t
    raise ValueError("is not a YouTube video id")


Parser = Callable[[str], object]
# (platform) -> {column name: (field, parser)}; field "" = read, not stored; "id" = the video.
COLUMNS: dict[str, dict[str, tuple[str, Parser]]] = {
    "tiktok": {
        "video link": ("id", _tiktok_id),
        "video id": ("id", _tiktok_id),
        "total views": ("views", _count),
        "video views": ("views", _count),
        "views": ("views", _count),
        "total likes": ("likes", _count),
        "likes": ("likes", _count),
        "total comments": ("comments", _count),
        "comments": ("comments", _count),
        "total shares": ("shares", _count),
        "shares": ("shares", _count),
        "total saves": ("saves", _count),
        "saves": ("saves", _count),
        "favorites": ("saves", _count),
        "average watch time": ("avg_view_s", _seconds),
        "total play time": ("watch_time_s", _watch_time),
        "total watch time": ("watch_time_s", _watch_time),
        "watched full video (%)": ("completion_rate", _percent_share),
        "completion rate (%)": ("completion_rate", _percent_share),
        "new followers": ("followers_gained", _count),
        "reached audience": ("reach", _count),
        "video title": ("", str),
        "post time": ("", str),
    },
    "youtube": {
        "content": ("id", _youtube_id),
        "views": ("views", _count),
        "likes": ("likes", _count),
        "comments added": ("comments", _count),
        "shares": ("shares", _count),
        "watch time (hours)": ("watch_time_s", lambda t: _number(t) * 3600),
        "average view duration": ("avg_view_s", _seconds),
        "average percentage viewed (%)": ("avg_view_pct", _number),
        "subscribers": ("followers_gained", lambda t: int(_number(t))),
        "subscribers gained": ("followers_gained", lambda t: int(_number(t))),
        "video title": ("", str),
        "video publish time": ("", str),
        "duration": ("", str),
        "impressions": ("", str),
        "impressions click-through rate (%)": ("", str),
    },
}


@dataclass
class ParsedRow:
    """A good row: the video id and the numbers it gives."""

    line: int
    remote_id: str
    values: dict[str, object]


@dataclass
class ParsedExport:
    """Good rows, one message per bad row, and the columns not understood."""

    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    skipped_total: bool = False


def parse_export(path: Path, platform: str) -> ParsedExport:
    """Read a studio export (see the module docstring); raises ImportFileError."""
    if platform not in COLUMNS:
        raise ImportFileError(f"--platform must be one of {', '.join(PLATFORMS)}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFileError(f"{path} cannot be read ({exc}); export it again as CSV") from exc
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if not header:
        raise ImportFileError(f"{path} is empty; export the table again from the studio")
    known = COLUMNS[platform]
    keys = [_key(h) for h in header]
    out = ParsedExport(
        unknown=[h.strip() for h, k in zip(header, keys, strict=True) if k and k not in known]
    )
    if not any(known.get(k, ("",))[0] == "id" for k in keys):
        ids = sorted({name for name, (f, _) in known.items() if f == "id"})
        raise ImportFileError(
            f"{path}: no video id column (one of {', '.join(repr(i) for i in ids)}); is this a "
            f"{platform} export? Pass --platform with the platform it came from"
        )
    where = path.name
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(keys):
            out.errors.append(f"{where}:{line}: {len(cells)} cells, the header has {len(keys)}")
            continue
        row = dict(zip(keys, cells, strict=True))
        if platform == "youtube" and row.get("content", "").strip().lower() == "total":
            out.skipped_total = True
            continue
        parsed = _row(where, line, row, known)
        if isinstance(parsed, str):
            out.errors.append(parsed)
        else:
            out.rows.append(parsed)
    return out


def _row(
    where: str, line: int, row: dict[str, str], known: dict[str, tuple[str, Parser]]
) -> ParsedRow | str:
    remote: str | None = None
    values: dict[str, object] = {}
    for key, text in row.items():
        spec = known.get(key)
        if spec is None or not spec[0]:
            continue
        name, parse = spec
        if not text.strip():
            if name == "id":
                return f"{where}:{line}: no video id; every row needs one"
            continue  # an empty cell: the export does not give that number
        try:
            value = parse(text)
        except ValueError as exc:
            return f"{where}:{line}: {key!r} {text.strip()!r} {exc}"
        if name == "id":
            remote = str(value)
        else:
            values[name] = value
    if remote is None:
        return f"{where}:{line}: no video id; every row needs one"
    return ParsedRow(line, remote, values)


def snapshot_for(pub_id: int, captured_at: str, row: ParsedRow) -> SnapshotRow:
    """A good row as the snapshot of its publication."""
    v = row.values
    return SnapshotRow(
        publication_id=pub_id,
        captured_at=captured_at,
        views=v.get("views"),  # type: ignore[arg-type]
        likes=v.get("likes"),  # type: ignore[arg-type]
        comments=v.get("comments"),  # type: ignore[arg-type]
        shares=v.get("shares"),  # type: ignore[arg-type]
        saves=v.get("saves"),  # type: ignore[arg-type]
        followers_gained=v.get("followers_gained"),  # type: ignore[arg-type]
        watch_time_s=v.get("watch_time_s"),  # type: ignore[arg-type]
        completion_rate=v.get("completion_rate"),  # type: ignore[arg-type]
        avg_view_pct=v.get("avg_view_pct"),  # type: ignore[arg-type]
        avg_view_s=v.get("avg_view_s"),  # type: ignore[arg-type]
        reach=v.get("reach"),  # type: ignore[arg-type]
        source="import",
    )
