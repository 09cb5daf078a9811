"""Library queries for the Footage tab: filter text, sort column, keyset pages.

The tab never loads every row: it asks for a page after the last row it
holds, `WHERE (sort_expr, id) > (?, ?) ORDER BY sort_expr, id LIMIT n`.
Nullable columns sort through COALESCE so the key is always comparable.
Filter words all have to match: `portrait`/`landscape`/`square` match the
display orientation, `video`/`audio`/`image` the kind, `#tag` a tag, any
other word the name, a tag or a codec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from storage.vocab import AssetKind, values

# sort name -> (SQL expression, value of that expression for a loaded Asset)
SORTS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "name": ("assets.name", lambda a: a.name),
    "duration": (
        "coalesce(assets.duration_s, -1.0)",
        lambda a: -1.0 if a.duration_s is None else a.duration_s,
    ),
    "resolution": (
        "coalesce(assets.display_width * assets.display_height, -1)",
        lambda a: (
            (a.display_width * a.display_height) if a.display_width and a.display_height else -1
        ),
    ),
    "fps": ("coalesce(assets.fps, -1.0)", lambda a: -1.0 if a.fps is None else a.fps),
    "codec": (
        "coalesce(assets.video_codec, assets.audio_codec, '')",
        lambda a: a.video_codec or a.audio_codec or "",
    ),
    "size": ("assets.size_bytes", lambda a: a.size_bytes),
    "imported": ("assets.imported_at", lambda a: a.imported_at),
    "post": ("coalesce(assets.post_id, -1)", lambda a: -1 if a.post_id is None else a.post_id),
    "kind": ("assets.kind", lambda a: a.kind),
    "status": ("assets.status", lambda a: a.status),
}
ORIENTATIONS = {
    "portrait": "assets.display_height > assets.display_width",
    "landscape": "assets.display_width > assets.display_height",
    "square": "assets.display_width = assets.display_height",
}
KINDS = values(AssetKind)


@dataclass(frozen=True)
class AssetQuery:
    """What the library shows: filter words, sort column and direction, statuses."""

    text: str = ""
    sort: str = "imported"
    descending: bool = True
    statuses: tuple[str, ...] = ()

    def key_of(self, asset: Any) -> tuple[Any, int]:
        """The keyset position of a loaded asset under this sort."""
        return (SORTS[self.sort][1](asset), asset.id)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(query: AssetQuery) -> tuple[list[str], list[Any]]:
    """SQL conditions and arguments for the filter words and statuses."""
    where: list[str] = []
    args: list[Any] = []
    if query.statuses:
        where.append(f"assets.status IN ({','.join('?' * len(query.statuses))})")
        args.extend(query.statuses)
    for word in query.text.split():
        low = word.lower()
        if low in ORIENTATIONS:
            where.append(ORIENTATIONS[low])
        elif low in KINDS:
            where.append("assets.kind = ?")
            args.append(low)
        elif word.startswith("#") and len(word) > 1:
            where.append("assets.tags LIKE ? ESCAPE '\\'")
            args.append(f'%"{_escape_like(word[1:])}"%')
        else:
            like = f"%{_escape_like(word)}%"
            where.append(
                "(assets.name LIKE ? ESCAPE '\\' OR assets.tags LIKE ? ESCAPE '\\' "
                "OR assets.video_codec LIKE ? ESCAPE '\\' "
                "OR assets.audio_codec LIKE ? ESCAPE '\\')"
            )
            args.extend([like, like, like, like])
    return where, args


def page_sql(
    select: str,
    query: AssetQuery,
    *,
    after: tuple[Any, int] | None,
    limit: int | None,
    order: bool = True,
) -> tuple[str, list[Any]]:
    """The full statement for one page (or a count when order=False)."""
    if query.sort not in SORTS:
        raise ValueError(f"unknown sort {query.sort!r}; one of {', '.join(SORTS)}")
    expr = SORTS[query.sort][0]
    where, args = where_clause(query)
    if after is not None:
        op = "<" if query.descending else ">"
        where.append(f"({expr}, assets.id) {op} (?, ?)")
        args.extend(after)
    sql = select
    if where:
        sql += " WHERE " + " AND ".join(where)
    if order:
        direction = "DESC" if query.descending else "ASC"
        sql += f" ORDER BY {expr} {direction}, assets.id {direction}"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return sql, args
