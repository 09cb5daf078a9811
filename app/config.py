"""`config.toml`: defaults written with comments, read and checked strictly.

A bad file gets a message naming the file, the line and the key, and nothing
starts half-configured: `load_config` either returns a whole `Config` or
raises `ConfigError`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.models import PLATFORMS
from storage.slots import SlotSpec, is_hhmm, weekday_number


class ConfigError(Exception):
    """config.toml cannot be used; the message names the line and key."""


@dataclass(frozen=True)
class AccountConfig:
    """A platform account declared in config.toml."""

    platform: str
    handle: str
    base_url: str | None = None


@dataclass(frozen=True)
class Config:
    """Every setting of one workspace, each with a default."""

    timezone: str = "UTC"
    watch_folders: tuple[str, ...] = ()
    settle_seconds: float = 2.0
    force_polling: bool = False
    worker_concurrency: int = 1
    lease_seconds: int = 60
    max_attempts: int = 3
    accounts: tuple[AccountConfig, ...] = field(default_factory=tuple)
    words_per_minute: int = 150
    cjk_chars_per_minute: int = 250
    autosave_seconds: int = 120
    slots: tuple[SlotSpec, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        """The workspace's time zone, for everything shown on screen."""
        return ZoneInfo(self.timezone)


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


def default_text(timezone: str) -> str:
    """The commented config.toml written into a new home."""
    return f'''# ReelRoom workspace settings. Every key is optional; a missing key keeps
# the default shown here. Times are stored in UTC and shown in this zone.

[workspace]
# IANA time zone for everything shown on screen (was the system's zone).
timezone = "{timezone}"

[watch]
# Folders watched for new footage (reelroom watch / reelroom worker --watch).
folders = []
# Seconds a file's size and mtime must hold still before it is imported.
settle_seconds = 2.0
# Poll the folders instead of using inotify (for network shares).
force_polling = false

[worker]
# Jobs (renders, publishes, syncs) run at once by one worker.
concurrency = 1
# Seconds a claimed job stays ours without a heartbeat.
lease_seconds = 60
# Attempts before a job is marked dead.
max_attempts = 3

[scripts]
# Spoken-length estimate: words per minute for space-separated languages,
# characters per minute for Chinese, Japanese and Korean text.
words_per_minute = 150
cjk_chars_per_minute = 250
# Seconds between autosaves of a changed script in the Scripts tab.
autosave_seconds = 120

# Platform accounts. One [[accounts]] table each; platform is one of
# tiktok, youtube, instagram, kuaishou. Tokens never go here: they live in
# secrets.toml (mode 0600) beside this file.
# [[accounts]]
# platform = "tiktok"
# handle = "mychannel"

# Posting slots per account and weekday, local time. account is
# "platform:handle" or a bare platform (all its accounts). They are added to
# the database when the TUI opens; slots edited in the app live there.
# [[slots]]
# account = "tiktok:mychannel"
# days = ["tue", "thu", "sat"]
# time = "18:00"
'''


def write_default(path: Path) -> bool:
    """Create config.toml with commented defaults; False when it existed."""
    if path.exists():
        return False
    path.write_text(default_text(system_timezone()), encoding="utf-8")
    return True


# --- reading -----------------------------------------------------------------

_SCHEMA: dict[str, dict[str, type | tuple[type, ...]]] = {
    "workspace": {"timezone": str},
    "watch": {"folders": list, "settle_seconds": (int, float), "force_polling": bool},
    "worker": {"concurrency": int, "lease_seconds": int, "max_attempts": int},
    "scripts": {"words_per_minute": int, "cjk_chars_per_minute": int, "autosave_seconds": int},
}
_ACCOUNT_KEYS: dict[str, type | tuple[type, ...]] = {
    "platform": str,
    "handle": str,
    "base_url": str,
}
_SLOT_KEYS: dict[str, type | tuple[type, ...]] = {"account": str, "days": list, "time": str}
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")


def _line_of(text: str, section: str, key: str | None, index: int = 0) -> int | None:
    """The 1-based line where `key` is set in `[section]` (or the header)."""
    current, seen = None, -1
    for number, line in enumerate(text.splitlines(), start=1):
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


def load_config(path: Path) -> Config:
    """Read and check config.toml (a missing file means all defaults)."""
    if not path.exists():
        return Config(timezone=system_timezone())
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
    return _build(path, text, data)


def _where(path: Path, text: str, section: str, key: str | None, index: int = 0) -> str:
    line = _line_of(text, section, key, index)
    return f"{path}:{line}" if line else str(path)


_TYPE_WORDS = {str: "a string", int: "a whole number", bool: "true or false", list: "a list"}


def _check_type(
    path: Path,
    text: str,
    section: str,
    key: str,
    value: Any,
    want: type | tuple[type, ...],
    index: int = 0,
) -> None:
    ok = isinstance(value, want) and not (want in (int, (int, float)) and isinstance(value, bool))
    if not ok:
        kinds = want if isinstance(want, tuple) else (want,)
        if float in kinds:
            names = "a number"
        else:
            names = " or ".join(_TYPE_WORDS.get(t, t.__name__) for t in kinds)
        raise ConfigError(
            f"{_where(path, text, section, key, index)}: [{section}] {key} must be {names}, "
            f"not {value!r}."
        )


def _build(path: Path, text: str, data: dict[str, Any]) -> Config:
    for section, body in data.items():
        if section in ("accounts", "slots"):
            continue
        if section not in _SCHEMA:
            known = ", ".join(f"[{s}]" for s in (*_SCHEMA, "[accounts]", "[slots]"))
            raise ConfigError(
                f"{_where(path, text, section, None)}: unknown section [{section}]. "
                f"Known sections: {known}."
            )
        if not isinstance(body, dict):
            raise ConfigError(f"{path}: {section} must be a table ([{section}]).")
        for key, value in body.items():
            if key not in _SCHEMA[section]:
                known = ", ".join(_SCHEMA[section])
                raise ConfigError(
                    f"{_where(path, text, section, key)}: unknown key {key!r} in [{section}]. "
                    f"Known keys: {known}."
                )
            _check_type(path, text, section, key, value, _SCHEMA[section][key])

    ws = data.get("workspace", {})
    watch = data.get("watch", {})
    worker = data.get("worker", {})

    tz = ws.get("timezone", system_timezone())
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"{_where(path, text, 'workspace', 'timezone')}: [workspace] timezone {tz!r} is not "
            'a known IANA time zone. Use a name like "Europe/Berlin", "Asia/Shanghai" or "UTC".'
        ) from None

    folders = watch.get("folders", [])
    for item in folders:
        if not isinstance(item, str) or not item.strip():
            raise ConfigError(
                f"{_where(path, text, 'watch', 'folders')}: [watch] folders must be a list of "
                f"folder paths (strings), and {item!r} is not one."
            )

    def positive(section: str, key: str, value: float) -> None:
        if value <= 0:
            raise ConfigError(
                f"{_where(path, text, section, key)}: [{section}] {key} must be greater than 0, "
                f"not {value!r}."
            )

    settle = float(watch.get("settle_seconds", 2.0))
    positive("watch", "settle_seconds", settle)
    for key in ("concurrency", "lease_seconds", "max_attempts"):
        if key in worker:
            positive("worker", key, worker[key])
    scripts = data.get("scripts", {})
    for key in ("words_per_minute", "cjk_chars_per_minute", "autosave_seconds"):
        if key in scripts:
            positive("scripts", key, scripts[key])

    accounts = data.get("accounts", [])
    if not isinstance(accounts, list):
        raise ConfigError(
            f"{_where(path, text, 'accounts', None)}: accounts must be written as [[accounts]] tables."
        )
    parsed: list[AccountConfig] = []
    for index, acc in enumerate(accounts):
        if not isinstance(acc, dict):
            raise ConfigError(f"{path}: each [[accounts]] entry must be a table.")
        for key, value in acc.items():
            if key not in _ACCOUNT_KEYS:
                raise ConfigError(
                    f"{_where(path, text, 'accounts', key, index)}: unknown key {key!r} in "
                    f"[[accounts]] #{index + 1}. Known keys: {', '.join(_ACCOUNT_KEYS)}."
                )
            _check_type(path, text, "accounts", key, value, _ACCOUNT_KEYS[key], index)
        for key in ("platform", "handle"):
            if not acc.get(key):
                raise ConfigError(
                    f"{_where(path, text, 'accounts', None, index)}: [[accounts]] #{index + 1} "
                    f'needs {key} = "...".'
                )
        if acc["platform"] not in PLATFORMS:
            raise ConfigError(
                f"{_where(path, text, 'accounts', 'platform', index)}: [[accounts]] platform "
                f"{acc['platform']!r} is not one of {', '.join(PLATFORMS)}."
            )
        parsed.append(
            AccountConfig(acc["platform"], acc["handle"].lstrip("@"), acc.get("base_url"))
        )

    return Config(
        timezone=tz,
        watch_folders=tuple(folders),
        settle_seconds=settle,
        force_polling=watch.get("force_polling", False),
        worker_concurrency=worker.get("concurrency", 1),
        lease_seconds=worker.get("lease_seconds", 60),
        max_attempts=worker.get("max_attempts", 3),
        accounts=tuple(parsed),
        words_per_minute=scripts.get("words_per_minute", 150),
        cjk_chars_per_minute=scripts.get("cjk_chars_per_minute", 250),
        autosave_seconds=scripts.get("autosave_seconds", 120),
        slots=_slots(path, text, data.get("slots", [])),
    )


def _slots(path: Path, text: str, entries: Any) -> tuple[SlotSpec, ...]:
    """The [[slots]] tables, each checked: account, days (mon..sun), time HH:MM."""
    if not isinstance(entries, list):
        raise ConfigError(
            f"{_where(path, text, 'slots', None)}: slots must be written as [[slots]] tables."
        )
    parsed: list[SlotSpec] = []
    for index, entry in enumerate(entries):
        where = _where(path, text, "slots", None, index)
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: each [[slots]] entry must be a table.")
        for key, value in entry.items():
            if key not in _SLOT_KEYS:
                raise ConfigError(
                    f"{_where(path, text, 'slots', key, index)}: unknown key {key!r} in "
                    f"[[slots]] #{index + 1}. Known keys: {', '.join(_SLOT_KEYS)}."
                )
            _check_type(path, text, "slots", key, value, _SLOT_KEYS[key], index)
        for key in _SLOT_KEYS:
            if key not in entry:
                raise ConfigError(f"{where}: [[slots]] #{index + 1} needs {key} = ...")
        platform = entry["account"].partition(":")[0].strip().lower()
        if platform not in PLATFORMS:
            raise ConfigError(
                f"{_where(path, text, 'slots', 'account', index)}: [[slots]] account "
                f'{entry["account"]!r} must be "platform:handle" or a platform, one of '
                f"{', '.join(PLATFORMS)}."
            )
        days = [weekday_number(d) if isinstance(d, str) else None for d in entry["days"]]
        if not days or None in days:
            raise ConfigError(
                f"{_where(path, text, 'slots', 'days', index)}: [[slots]] days must be a "
                f'non-empty list of weekdays like ["tue", "thu", "sat"], not '
                f"{entry['days']!r}."
            )
        if not is_hhmm(entry["time"]):
            raise ConfigError(
                f"{_where(path, text, 'slots', 'time', index)}: [[slots]] time must be a "
                f'local 24-hour time like "18:00", not {entry["time"]!r}.'
            )
        parsed.append(
            SlotSpec(
                entry["account"].strip(),
                tuple(sorted(set(days))),  # type: ignore[arg-type]
                entry["time"],
            )
        )
    return tuple(parsed)
