"""Footage paths across machines: one canonical path stored, each box maps it.

A team's footage sits on a share mounted at different places on different
boxes (`/mnt/footage` on the edit box is `/srv/footage` on the render
server). The database keeps one canonical path per clip; `[[paths]]` rules in
config.toml say, per host, where a canonical prefix is on that host
(`from` = canonical, `to` = local). Ingest stores canonical paths
(`to_canonical`), and everything that opens a file (render workers, the TUI's
copy-path) opens `to_local(path)`. Matching is by whole path components,
longest prefix first; a path no rule matches is the same on every host.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class PathRule:
    """On `host`, canonical paths under `canonical` are found under `local`."""

    host: str
    canonical: str
    local: str


def _norm(path: str) -> str:
    text = str(PurePosixPath(path))
    return text if text != "." else ""


def _under(path: str, prefix: str) -> str | None:
    """The rest of `path` below `prefix` ('' for the prefix itself), or None."""
    if prefix == "/":
        return path.lstrip("/") if path.startswith("/") else None
    if path == prefix:
        return ""
    if path.startswith(prefix + "/"):
        return path[len(prefix) + 1 :]
    return None


def _join(prefix: str, rest: str) -> str:
    if not rest:
        return prefix
    return f"{prefix.rstrip('/')}/{rest}"


class PathMap:
    """The rules of one host (an empty map changes nothing)."""

    def __init__(self, host: str, rules: tuple[PathRule, ...] | list[PathRule] = ()) -> None:
        self.host = host
        mine = [
            PathRule(r.host, _norm(r.canonical), _norm(r.local))
            for r in rules
            if r.host == host or r.host == "*"
        ]
        self._to_local = sorted(mine, key=lambda r: -len(r.canonical))
        self._to_canonical = sorted(mine, key=lambda r: -len(r.local))

    def __bool__(self) -> bool:
        return bool(self._to_local)

    def to_local(self, canonical: str) -> str:
        """Where a stored (canonical) path is on this host."""
        for rule in self._to_local:
            rest = _under(canonical, rule.canonical)
            if rest is not None:
                return _join(rule.local, rest)
        return canonical

    def to_canonical(self, local: str) -> str:
        """The path to store for a file seen at `local` on this host."""
        for rule in self._to_canonical:
            rest = _under(local, rule.local)
            if rest is not None:
                return _join(rule.canonical, rest)
        return local


NO_MAPPING = PathMap("")
