"""Reading config.toml strictly against the typed settings.

A bad file gets a message naming the file, the line and the key, and nothing
starts half-configured: `load_config` either returns a whole `Config` or
raises `ConfigError`. Types and ranges come from the dataclasses of
app/config/settings.py; NaN and infinity are refused like any number out of
range.
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
import typing
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.config.settings import (
    PLATFORM_SECTIONS,
    SECTIONS,
    AccountConfig,
    Config,
    LabelRule,
    PathMapping,
    PlatformsSettings,
    WorkspaceSettings,
)
from storage.deals.money import MoneyError, check_locale
from storage.slots import SlotSpec, is_hhmm, weekday_number
from storage.vocab import Platform, values

PLATFORMS = values(Platform)  # (not storage.models: its dataclasses are not needed here)


class ConfigError(Exception):
    """config.toml cannot be used; the message names the line and key."""


def system_timezone() -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # tzlocal raises several kinds on odd systems
        return "UTC"
    if not name:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


_ACCOUNT_KEYS: dict[str, type] = {"platform": str, "handle": str, "base_url": str}
_SLOT_KEYS: dict[str, type] = {"account": str, "days": list, "time": str}
_PATH_KEYS: dict[str, type] = {"host": str, "from": str, "to": str}
_ARRAYS = ("accounts", "slots", "paths", "label_rules")
URL_SCHEMES = ("postgresql://", "postgres://")
_RULE_KEYS: dict[str, type] = {
    "label": str,
    "keywords": list,
    "question": bool,
    "links": bool,
    "languages": list,
    "sender": bool,
}
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")
_TYPE_WORDS = {str: "a string", int: "a whole number", float: "a number", bool: "true or false"}


class _Source:
    """The file being read: its path and text, for messages that name a line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text

    def line_of(self, section: str, key: str | None, index: int = 0) -> int | None:
        """The 1-based line where `key` is set in `[section]` (or the header)."""
        current, seen = None, -1
        for number, line in enumerate(self.text.splitlines(), start=1):
            head = _HEADER.match(line)
            if head:
                current = head.group(1)
                if current == section:
                    seen += 1
                    if key is None and seen == index:
                        return number
                continue
            if current == section and seen == index and key is not None:
                if re.match(rf"^\s*{re.escape(key)}\s*=", line):
                    return number
        return None

    def where(self, section: str, key: str | None, index: int = 0) -> str:
        """`path:line` of a key (or the path alone when the line is not found)."""
        line = self.line_of(section, key, index)
        return f"{self.path}:{line}" if line else str(self.path)

    def error(self, section: str, key: str | None, message: str, index: int = 0) -> ConfigError:
        """A ConfigError that starts with where the problem is."""
        return ConfigError(f"{self.where(section, key, index)}: {message}")


def load_config(path: Path) -> Config:
    """Read and check config.toml (a missing file means all defaults)."""
    if not path.exists():
        return Config(workspace=WorkspaceSettings(timezone=system_timezone()))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc}). Fix it or move it aside.") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML: {exc}. Fix that line, or move the file aside "
            "and ReelRoom writes a fresh one with the defaults."
        ) from exc
    return _build(_Source(path, text), data)


def _build(src: _Source, data: dict[str, Any]) -> Config:
    known = ", ".join(f"[{s}]" for s in (*SECTIONS, "platforms.NAME", *_ARRAYS))
    sections: dict[str, Any] = {}
    for name, body in data.items():
        if name in _ARRAYS:
            continue
        if name == "platforms":
            sections[name] = _platforms(src, body)
        elif name in SECTIONS:
            sections[name] = _section(src, name, SECTIONS[name], body)
        else:
            raise src.error(name, None, f"unknown section [{name}]. Known sections: {known}.")
    workspace = sections.pop("workspace", None) or WorkspaceSettings(timezone=system_timezone())
    if "timezone" not in data.get("workspace", {}):
        workspace = dataclasses.replace(workspace, timezone=system_timezone())
    _check_zone(src, workspace.timezone)
    if "deals" in sections:
        _check_locale(src, sections["deals"].locale)
    storage = sections.get("storage")
    if storage is not None and storage.url and not storage.url.startswith(URL_SCHEMES):
        raise src.error(
            "storage",
            "url",
            f"[storage] url must be a PostgreSQL URL like "
            f'"postgresql://reelroom@db.lan/reelroom", not {storage.url!r}. Leave it empty '
            "for the SQLite file in this folder.",
        )
    return Config(
        **sections,
        workspace=workspace,
        accounts=_accounts(src, data.get("accounts", [])),
        slots=_slots(src, data.get("slots", [])),
        paths=_paths(src, data.get("paths", [])),
        label_rules=_label_rules(src, data.get("label_rules", [])),
    )


def _check_zone(src: _Source, zone: str) -> None:
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise src.error(
            "workspace",
            "timezone",
            f"[workspace] timezone {zone!r} is not a known IANA time zone. "
            'Use a name like "Europe/Berlin", "Asia/Shanghai" or "UTC".',
        ) from None


def _check_locale(src: _Source, name: str) -> None:
    try:
        check_locale(name)
    except MoneyError as exc:
        raise src.error("deals", "locale", f"[deals] locale: {exc}.") from None


def _platforms(src: _Source, body: Any) -> PlatformsSettings:
    if not isinstance(body, dict):
        raise src.error("platforms", None, "platforms must be tables like [platforms.tiktok].")
    found: dict[str, Any] = {}
    for name, table in body.items():
        if name not in PLATFORM_SECTIONS:
            raise src.error(
                f"platforms.{name}",
                None,
                f"unknown section [platforms.{name}]. Known: "
                + ", ".join(f"[platforms.{p}]" for p in PLATFORM_SECTIONS)
                + ".",
            )
        found[name] = _section(src, f"platforms.{name}", PLATFORM_SECTIONS[name], table)
    return PlatformsSettings(**found)


def _section(src: _Source, name: str, cls: type, body: Any) -> Any:
    """One table checked against its settings class: known keys, types, ranges."""
    if not isinstance(body, dict):
        raise ConfigError(f"{src.path}: {name} must be a table ([{name}]).")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for key, value in body.items():
        if key not in fields:
            raise src.error(
                name, key, f"unknown key {key!r} in [{name}]. Known keys: {', '.join(fields)}."
            )
        values[key] = _value(src, name, key, value, hints[key], fields[key].metadata)
    return cls(**values)


def _value(
    src: _Source, section: str, key: str, value: Any, want: Any, meta: typing.Mapping[str, Any]
) -> Any:
    label = f"[{section}] {key}"
    if typing.get_origin(want) is tuple and typing.get_args(want)[0] is int:
        if not isinstance(value, list) or not value:
            raise src.error(
                section, key, f"{label} must be a list of whole numbers, not {value!r}."
            )
        for item in value:
            if not isinstance(item, int) or isinstance(item, bool):
                raise src.error(
                    section,
                    key,
                    f"{label} must be a list of whole numbers, and {item!r} is not one.",
                )
            _in_range(src, section, key, item, meta)
        return tuple(sorted(set(value)))
    if typing.get_origin(want) is tuple:
        if not isinstance(value, list):
            raise src.error(section, key, f"{label} must be a list, not {value!r}.")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise src.error(
                    section,
                    key,
                    f"{label} must be a list of folder paths (strings), and {item!r} is not one.",
                )
        return tuple(value)
    ok = isinstance(value, want) or (want is float and isinstance(value, int))
    if isinstance(value, bool) and want is not bool:
        ok = False
    if not ok:
        raise src.error(section, key, f"{label} must be {_TYPE_WORDS[want]}, not {value!r}.")
    if want in (int, float):
        _in_range(src, section, key, value, meta)
        return want(value)
    if want is str and not value.strip() and not meta.get("empty_ok"):
        raise src.error(section, key, f"{label} must not be empty.")
    return value


def _in_range(
    src: _Source, section: str, key: str, value: float, meta: typing.Mapping[str, Any]
) -> None:
    """Refuse a number outside its bounds, NaN and infinity (the message shows it as written)."""
    gt, ge, le = meta.get("gt"), meta.get("ge"), meta.get("le")
    low_ok = (gt is None or value > gt) and (ge is None or value >= ge)
    high_ok = le is None or value <= le
    if math.isfinite(float(value)) and low_ok and high_ok:
        return
    low = f"greater than {gt:g}" if gt is not None else f"at least {ge:g}" if ge is not None else ""
    high = f"at most {le:g}" if le is not None else ""
    bounds = " and ".join(part for part in (low, high) if part)
    shown = repr(value).replace("inf", "infinity")
    raise src.error(
        section,
        key,
        f"[{section}] {key} must be {bounds}, not {shown}."
        if bounds
        else f"[{section}] {key} must be a finite number, not {shown}.",
    )


def _table_keys(
    src: _Source, array: str, entry: dict[str, Any], keys: dict[str, type], index: int
) -> None:
    for key, value in entry.items():
        if key not in keys:
            raise src.error(
                array,
                key,
                f"unknown key {key!r} in [[{array}]] #{index + 1}. Known keys: {', '.join(keys)}.",
                index,
            )
        if not isinstance(value, keys[key]):
            word = _TYPE_WORDS.get(keys[key], "a list")
            raise src.error(array, key, f"[{array}] {key} must be {word}, not {value!r}.", index)


def _accounts(src: _Source, entries: Any) -> tuple[AccountConfig, ...]:
    """The [[accounts]] tables, each with a known platform and a handle."""
    if not isinstance(entries, list):
        raise src.error("accounts", None, "accounts must be written as [[accounts]] tables.")
    parsed: list[AccountConfig] = []
    for index, acc in enumerate(entries):
        if not isinstance(acc, dict):
            raise ConfigError(f"{src.path}: each [[accounts]] entry must be a table.")
        _table_keys(src, "accounts", acc, _ACCOUNT_KEYS, index)
        for key in ("platform", "handle"):
            if not acc.get(key):
                raise src.error(
                    "accounts", None, f'[[accounts]] #{index + 1} needs {key} = "...".', index
                )
        if acc["platform"] not in PLATFORMS:
            raise src.error(
                "accounts",
                "platform",
                f"[[accounts]] platform {acc['platform']!r} is not one of {', '.join(PLATFORMS)}.",
                index,
            )
        parsed.append(
            AccountConfig(acc["platform"], acc["handle"].lstrip("@"), acc.get("base_url"))
        )
    return tuple(parsed)


def _slots(src: _Source, entries: Any) -> tuple[SlotSpec, ...]:
    """The [[slots]] tables, each checked: account, days (mon..sun), time HH:MM."""
    if not isinstance(entries, list):
        raise src.error("slots", None, "slots must be written as [[slots]] tables.")
    parsed: list[SlotSpec] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(f"{src.path}: each [[slots]] entry must be a table.")
        _table_keys(src, "slots", entry, _SLOT_KEYS, index)
        for key in _SLOT_KEYS:
            if key not in entry:
                raise src.error("slots", None, f"[[slots]] #{index + 1} needs {key} = ...", index)
        platform = entry["account"].partition(":")[0].strip().lower()
        if platform not in PLATFORMS:
            raise src.error(
                "slots",
                "account",
                f'[[slots]] account {entry["account"]!r} must be "platform:handle" or a '
                f"platform, one of {', '.join(PLATFORMS)}.",
                index,
            )
        days = [weekday_number(d) if isinstance(d, str) else None for d in entry["days"]]
        if not days or None in days:
            raise src.error(
                "slots",
                "days",
                "[[slots]] days must be a non-empty list of weekdays like "
                f'["tue", "thu", "sat"], not {entry["days"]!r}.',
                index,
            )
        if not is_hhmm(entry["time"]):
            raise src.error(
                "slots",
                "time",
                f'[[slots]] time must be a local 24-hour time like "18:00", not {entry["time"]!r}.',
                index,
            )
        whole_days = tuple(sorted({d for d in days if d is not None}))
        parsed.append(SlotSpec(entry["account"].strip(), whole_days, entry["time"]))
    return tuple(parsed)


def _label_rules(src: _Source, entries: Any) -> tuple[LabelRule, ...]:
    """The [[label_rules]] tables: a known label and at least one condition."""
    from storage.vocab import InboxLabel

    labels = values(InboxLabel)
    if not isinstance(entries, list):
        raise src.error("label_rules", None, "label_rules must be [[label_rules]] tables.")
    parsed: list[LabelRule] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(f"{src.path}: each [[label_rules]] entry must be a table.")
        _table_keys(src, "label_rules", entry, _RULE_KEYS, index)
        if entry.get("label") not in labels:
            raise src.error(
                "label_rules",
                "label",
                f"[[label_rules]] #{index + 1} label must be one of {', '.join(labels)}, "
                f"not {entry.get('label')!r}.",
                index,
            )
        for key in ("keywords", "languages"):
            words = entry.get(key, [])
            if any(not isinstance(w, str) or not w.strip() for w in words):
                raise src.error(
                    "label_rules",
                    key,
                    f"[[label_rules]] {key} must be a list of non-empty strings, not {words!r}.",
                    index,
                )
        if len(entry) < 2:
            raise src.error(
                "label_rules",
                None,
                f"[[label_rules]] #{index + 1} needs a condition: keywords, question, links, "
                "languages or sender.",
                index,
            )
        parsed.append(
            LabelRule(
                entry["label"],
                tuple(w.strip() for w in entry.get("keywords", [])),
                entry.get("question"),
                entry.get("links"),
                tuple(w.strip().lower() for w in entry.get("languages", [])),
                entry.get("sender"),
            )
        )
    return tuple(parsed)


def _paths(src: _Source, entries: Any) -> tuple[PathMapping, ...]:
    """The [[paths]] tables: on `host`, the stored path prefix `from` is found at `to`."""
    if not isinstance(entries, list):
        raise src.error("paths", None, "paths must be written as [[paths]] tables.")
    parsed: list[PathMapping] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(f"{src.path}: each [[paths]] entry must be a table.")
        _table_keys(src, "paths", entry, _PATH_KEYS, index)
        for key in _PATH_KEYS:
            if not str(entry.get(key, "")).strip():
                raise src.error(
                    "paths", None, f'[[paths]] #{index + 1} needs {key} = "...".', index
                )
        for key in ("from", "to"):
            if not entry[key].startswith("/"):
                raise src.error(
                    "paths",
                    key,
                    f'[[paths]] {key} must be an absolute folder like "/mnt/footage", '
                    f"not {entry[key]!r}.",
                    index,
                )
        parsed.append(PathMapping(entry["host"].strip(), entry["from"], entry["to"]))
    return tuple(parsed)
