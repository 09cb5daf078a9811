"""The Footage tab's words and numbers: table cells, columns, detail and status text.

Pure functions from storage values (`Asset`, `ProcessInfo`) to the plain
values the widgets take: `TableRow`s and `TableColumn`s for the paged table,
a `DetailView` for the detail pane or modal, and the header and watcher
status lines. Times are shown in the workspace zone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from screens.modals.item_detail import DetailView
from storage.footage_models import Asset, ProcessInfo
from storage.footage_query import AssetQuery
from storage.timefmt import from_db
from widgets.footage_table import TableColumn, TableRow
from widgets.tones import ASSET_STATUS_TONES

# Sort names in the order `s` cycles through them (each is a column key too).
SORT_CYCLE = ("name", "duration", "resolution", "fps", "codec", "size", "imported", "post")
SORT_LABELS = {
    "name": "name",
    "duration": "duration",
    "resolution": "resolution",
    "fps": "fps",
    "codec": "codec",
    "size": "size",
    "imported": "imported",
    "post": "linked post",
    "kind": "kind",
    "status": "status",
}
_FIXED: dict[str, TableColumn] = {
    "duration": TableColumn("duration", "Dur", 6, right=True),
    "resolution": TableColumn("resolution", "Resolution", 11),
    "fps": TableColumn("fps", "FPS", 5, right=True),
    "codec": TableColumn("codec", "Codec", 5),
    "size": TableColumn("size", "Size", 8, right=True),
    "imported": TableColumn("imported", "Imported", 12),
    "post": TableColumn("post", "Post", 16),
}
NARROW_KEYS = ("duration", "resolution", "size", "imported")
WIDE_KEYS = ("duration", "resolution", "size", "imported", "post")  # the rest: detail beside
ORIENT_MARK = {"portrait": "▯", "landscape": "▭", "square": "□"}


def columns(width: int, wide: bool) -> list[TableColumn]:
    """The columns for a table `width` cells wide: the name and the tags/note column
    share what the fixed columns leave (the note gets two fifths, half when wide)."""
    keys = WIDE_KEYS if wide else NARROW_KEYS
    fixed = [_FIXED[k] for k in keys]
    used = sum(c.width + 2 for c in fixed) + 2 + 2 + 2  # cell padding of name and note, scrollbar
    left = max(26, width - used)
    note = max(12, left // 2 if wide else left * 2 // 5)
    return [
        TableColumn("name", "Name", left - note),
        *fixed,
        TableColumn("note", "Tags / note", note),
    ]


def header_label(column: TableColumn, sort: str, descending: bool) -> str:
    """A column's header, marked with the sort direction when it is the sort column."""
    if column.key != sort:
        return column.label
    return f"{column.label} {'↓' if descending else '↑'}"


# --- cells ------------------------------------------------------------------------


def duration_text(seconds: float | None) -> str:
    """m:ss (h:mm:ss from an hour); empty when unknown."""
    if seconds is None:
        return ""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def size_text(size: int) -> str:
    """Bytes in the largest unit that keeps a short number (1000-based, like file managers)."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if value < 1000 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"


def resolution_text(asset: Asset) -> str:
    """Orientation mark and display size, e.g. '▯ 1080x1920'; empty for sound."""
    if not asset.display_width or not asset.display_height:
        return ""
    mark = ORIENT_MARK.get(asset.orientation or "", " ")
    return f"{mark} {asset.display_width}x{asset.display_height}"


def fps_text(fps: float | None) -> str:
    """Frame rate without trailing zeros (25, 29.97)."""
    return "" if fps is None else f"{fps:.2f}".rstrip("0").rstrip(".")


def when_text(stored: str | None, now: datetime, zone: ZoneInfo) -> str:
    """A stored UTC time in the zone: '28 Nov 17:00' this year, '28 Nov 2025' before."""
    if not stored:
        return ""
    local = from_db(stored).astimezone(zone)
    if local.year == now.astimezone(zone).year:
        return local.strftime("%d %b %H:%M")
    return local.strftime("%d %b %Y")


def post_text(asset: Asset) -> str:
    """The linked post's title (or its id when the title is unknown)."""
    if asset.post_id is None:
        return ""
    return asset.post_title or f"post {asset.post_id}"


def note_text(asset: Asset) -> str:
    """Why a rejected clip was refused, that one is missing, how many copies came in,
    then its tags: what a person looks for before opening the detail."""
    parts: list[str] = []
    if asset.status == "rejected":
        parts.append(f"✗ {asset.reason or 'rejected, no reason recorded'}")
    elif asset.status == "missing":
        parts.append("missing on disk")
    if asset.copies > 1:
        parts.append(f"{asset.copies} copies")
    parts += [f"#{tag}" for tag in asset.tags]
    return " ".join(parts)


def row(asset: Asset, now: datetime, zone: ZoneInfo) -> TableRow:
    """One asset as a table row (cells for every column; the table picks)."""
    cells = {
        "name": asset.name,
        "duration": duration_text(asset.duration_s),
        "resolution": resolution_text(asset),
        "fps": fps_text(asset.fps),
        "codec": asset.video_codec or asset.audio_codec or "",
        "size": size_text(asset.size_bytes),
        "imported": when_text(asset.imported_at, now, zone),
        "post": post_text(asset),
        "note": note_text(asset),
    }
    return TableRow(str(asset.id), cells, ASSET_STATUS_TONES.get(asset.status, ""))


# --- detail -----------------------------------------------------------------------


def _join(*parts: object) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, "", 0))


def detail_view(asset: Asset, zone: ZoneInfo, now: datetime) -> DetailView:
    """Every metadata field of one asset, its tags, post, thumbnail and every known path."""
    fields: list[tuple[str, str]] = [
        ("Kind", asset.kind),
        ("Status", _join(asset.status, asset.reason)),
        (
            "Duration",
            _join(
                duration_text(asset.duration_s),
                f"{asset.duration_s:.3f} s" if asset.duration_s is not None else "",
            ),
        ),
        ("Display", _join(resolution_text(asset), asset.orientation)),
        (
            "Stored",
            _join(
                f"{asset.width}x{asset.height}" if asset.width else "",
                f"rotated {asset.rotation}°" if asset.rotation else "",
            ),
        ),
        (
            "Frame rate",
            _join(
                fps_text(asset.fps) and f"{fps_text(asset.fps)} fps",
                fps_text(asset.avg_fps) and f"avg {fps_text(asset.avg_fps)}",
                "variable" if asset.vfr else "",
            ),
        ),
        (
            "Video",
            _join(
                asset.video_codec,
                asset.video_profile,
                asset.pix_fmt,
                f"{asset.bit_depth}-bit" if asset.bit_depth else "",
            ),
        ),
        (
            "Audio",
            _join(
                asset.audio_codec,
                f"{asset.audio_channels} ch" if asset.audio_channels else "",
                f"{asset.sample_rate} Hz" if asset.sample_rate else "",
            ),
        ),
        ("Container", asset.container or ""),
        ("Bit rate", f"{asset.bit_rate / 1000:.0f} kb/s" if asset.bit_rate else ""),
        ("Size", f"{size_text(asset.size_bytes)} ({asset.size_bytes:,} bytes)"),
        ("Created", when_text(asset.media_created_at, now, zone)),
        ("Imported", when_text(asset.imported_at, now, zone)),
        ("Post", f"#{asset.post_id} {asset.post_title or ''}".strip() if asset.post_id else "—"),
        ("Tags", ", ".join(asset.tags) if asset.tags else "—"),
        (
            "Copies",
            f"{asset.copies}"
            + (" (the same content came in more than once)" if asset.copies > 1 else ""),
        ),
        ("Thumbnail", asset.thumbnail or "—"),
        ("Content key", asset.content_key or "—"),
        ("Full hash", asset.full_hash or "pending"),
    ]
    paths = "\n".join(f"{'✓' if p.present else '✗ missing:'} {p.path}" for p in asset.paths)
    return DetailView(
        asset.name,
        "Clip",
        tuple((k, v or "—") for k, v in fields),
        (("Paths", paths or "no known path"),),
    )


def folder_of(asset: Asset) -> str | None:
    """The folder of the asset's first present path (else of any known path)."""
    chosen = next((p for p in asset.paths if p.present), asset.paths[0] if asset.paths else None)
    if chosen is None:
        return None
    head, sep, _ = chosen.path.rpartition("/")
    return head if sep and head else "/"


# --- header and status ------------------------------------------------------------


def header_text(total: int, sort: str, descending: bool, text: str) -> str:
    """'1,234 clips · sorted by imported ↓ · filter “#beach”'."""
    noun = "clip" if total == 1 else "clips"
    parts = [
        f"{total:,} {noun}",
        f"sorted by {SORT_LABELS.get(sort, sort)} {'↓' if descending else '↑'}",
    ]
    if text.strip():
        parts.append(f"filter “{text.strip()}”")
    return " · ".join(parts)


def pending_text(wanted: AssetQuery, shown: AssetQuery) -> str:
    """What is being read while the rows on screen are still `shown`'s."""
    if wanted.text.strip() != shown.text.strip():
        if wanted.text.strip():
            return f"reading filter “{wanted.text.strip()}”…"
        return "reading without the filter…"
    arrow = "↓" if wanted.descending else "↑"
    return f"reading sort by {SORT_LABELS.get(wanted.sort, wanted.sort)} {arrow}…"


def ago_text(stored: str | None, now: datetime) -> str:
    """How long ago a stored UTC time was: 'just now', '3 min ago', '5 h ago', '2 days ago'."""
    if not stored:
        return "never"
    seconds = max(0.0, (now - from_db(stored)).total_seconds())
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 48 * 3600:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


def watcher_text(watchers: list[ProcessInfo], last_import_at: str | None, now: datetime) -> str:
    """Whether a watcher runs (from the database), its folders and the last import."""
    last = f"last import {ago_text(last_import_at, now)}"
    if not watchers:
        return f"no watcher running — start `reelroom watch DIR` — {last}"
    first = watchers[0]
    folders = [str(f) for f in first.info.get("folders", [])]
    more = f" (+{len(watchers) - 1} more)" if len(watchers) > 1 else ""
    shown = ", ".join(folders) if folders else "no folders"
    return f"watcher running on {first.host} (pid {first.pid}){more} — folders {shown} — {last}"


def newest(stored: list[str | None]) -> str | None:
    """The latest of several stored UTC times (text compares in time order)."""
    present = [s for s in stored if s]
    return max(present) if present else None
