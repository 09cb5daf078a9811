"""The checks behind `reelroom doctor`: tools, encoders/filters, database, schema, disk, config.

Each check returns a `Check` (name, status ok/warn/fail, detail, action). The
checks only look: they never create the home, write config.toml, migrate or
otherwise touch the database (it is opened read-only).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from app.config import ConfigError, load_config
from app.home import Home
from media_watch import tools
from storage import StoreError
from storage.connection import DamagedDatabase
from storage.dbfile import ForeignDatabase
from storage.health import DbHealth, inspect

OK, WARN, FAIL = "ok", "warn", "fail"
GIB = 1024**3
DISK_WARN_BYTES = 5 * GIB
DISK_FAIL_BYTES = 1 * GIB
NEEDED_ENCODERS = ("libx264", "aac")
NEEDED_FILTERS = ("loudnorm", "subtitles", "overlay", "boxblur")
FULL_FFMPEG_HINT = (
    "install Debian's full ffmpeg build (apt-get install ffmpeg), or point "
    "REELROOM_FFMPEG at an ffmpeg built with them"
)


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    name: str
    status: str
    detail: str
    action: str = ""

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def needs_action(checks: list[Check]) -> bool:
    """True when any check failed (warnings are worth reading but not blocking)."""
    return any(c.status == FAIL for c in checks)


# --- the home ----------------------------------------------------------------


def _existing_ancestor(path: Path) -> Path:
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    return probe


def check_home(home: Home) -> Check:
    """The folder exists, is a folder and is writable (or says how to make it)."""
    root = home.root
    if root.is_dir():
        if not os.access(root, os.W_OK | os.X_OK):
            return Check(
                "home",
                FAIL,
                f"{root} is not writable by this user",
                f"fix its permissions (chmod u+w {root}) or use --home DIR",
            )
        if not home.db_path.exists() and not _team_url(home):
            return Check(
                "home",
                WARN,
                f"{root} exists but holds no workspace yet",
                "run `reelroom` or `reelroom demo` to create one here",
            )
        return Check("home", OK, str(root))
    if root.exists():
        return Check(
            "home",
            FAIL,
            f"{root} is a file, not a folder",
            "pass --home with a folder, or set REELROOM_HOME",
        )
    base = _existing_ancestor(root)
    if not base.is_dir():
        return Check(
            "home",
            FAIL,
            f"{root} cannot be created: {base} is a file, not a folder",
            "pass --home with a folder you can write",
        )
    return Check(
        "home",
        WARN,
        f"no workspace here yet ({root} does not exist)",
        "run `reelroom` or `reelroom demo` to create it, or pass --home DIR",
    )


def check_disk(home: Home) -> Check:
    """Free space where renders go: warn under 5 GiB, fail under 1 GiB."""
    base = _existing_ancestor(home.root)
    if not base.is_dir():
        base = base.parent
    try:
        free = shutil.disk_usage(base).free
    except OSError as exc:
        return Check(
            "disk",
            WARN,
            f"free space of {base} cannot be read ({exc.strerror})",
            "check the mount of the home folder",
        )
    detail = f"{free / GIB:.1f} GiB free at {base}"
    if free < DISK_FAIL_BYTES:
        return Check("disk", FAIL, detail, "free space (renders need several GiB) or move the home")
    if free < DISK_WARN_BYTES:
        return Check("disk", WARN, detail, "free some space soon: renders need several GiB")
    return Check("disk", OK, detail)


# --- config ------------------------------------------------------------------


def check_config(home: Home) -> Check:
    """config.toml parses and every key is known and well-typed."""
    path = home.config_path
    if not path.exists():
        return Check("config", OK, f"no {path.name}: defaults in use (written on first start)")
    try:
        config = load_config(path)
    except ConfigError as exc:
        return Check(
            "config", FAIL, str(exc), f"fix {path} at the line named, then run doctor again"
        )
    return Check(
        "config",
        OK,
        f"{path.name}: time zone {config.workspace.timezone}, "
        f"{len(config.accounts)} accounts, {len(config.watch.folders)} watch folders",
    )


# --- ffmpeg ------------------------------------------------------------------


def check_tool(name: str) -> tuple[Check, str | None]:
    """The tool is found and answers `-version`; also returns its path."""
    path = tools.find_tool(name)
    if path is None:
        return Check(name, FAIL, tools.missing_reason(name), tools.install_advice(name)), None
    try:
        version = tools.tool_version(path)
    except tools.ToolError as exc:
        return Check(name, FAIL, str(exc), f"reinstall it: {tools.INSTALL_HINT}"), None
    return Check(name, OK, f"{version} ({path})"), path


def pyav_note() -> str:
    """PyAV's version, as the ffprobe line tells it (ffprobe is its fallback for footage)."""
    try:
        import av  # ~0.1 s of imports: only when doctor runs
    except ImportError:
        return "PyAV is not installed (run ./rr setup): footage is read by ffprobe alone"
    return (
        f"footage is read in-process by PyAV {av.__version__} "
        f"(FFmpeg {av.ffmpeg_version_info}), ffprobe is its fallback"
    )


def _capability(name: str, need: tuple[str, ...], have: set[str] | None, what: str) -> Check:
    if have is None:
        return Check(
            name,
            WARN,
            f"not checked: ffmpeg is missing ({', '.join(need)})",
            f"install ffmpeg first: {tools.INSTALL_HINT}",
        )
    missing = [n for n in need if n not in have]
    if missing:
        return Check(
            name, FAIL, f"this ffmpeg lacks the {what} {', '.join(missing)}", FULL_FFMPEG_HINT
        )
    return Check(name, OK, ", ".join(need))


def check_capabilities(ffmpeg: str | None) -> list[Check]:
    """The encoders and filters ReelRoom's recipes use."""
    have_enc: set[str] | None = None
    have_fil: set[str] | None = None
    if ffmpeg is not None:
        try:
            have_enc, have_fil = tools.encoders(ffmpeg), tools.filters(ffmpeg)
        except tools.ToolError as exc:
            return [Check("encoders", FAIL, str(exc), f"reinstall it: {tools.INSTALL_HINT}")]
    return [
        _capability("encoders", NEEDED_ENCODERS, have_enc, "encoders"),
        _capability("filters", NEEDED_FILTERS, have_fil, "filters"),
    ]


# --- database ----------------------------------------------------------------


def _db_checks(health: DbHealth) -> list[Check]:
    size = f"{health.size_bytes / 1024 / 1024:.1f} MiB"
    if health.write_problem is not None and health.intact:
        db = Check(
            "database",
            FAIL,
            f"{health.path.name}: quick_check ok, {size}, but it cannot be written: "
            f"{health.write_problem.detail}",
            health.write_problem.fix,
        )
    elif health.intact:
        db = Check("database", OK, f"{health.path.name}: quick_check ok, {size}")
    else:
        shown = "; ".join(health.problems[:3])
        db = Check(
            "database",
            FAIL,
            f"{health.path.name}: quick_check found problems: {shown}",
            f"stop ReelRoom, copy {health.path} aside, and restore the newest "
            f"{health.path.name}.bak-* next to it",
        )
    v, latest = health.schema_version, health.latest_version
    if health.newer:
        schema = Check(
            "schema",
            FAIL,
            f"version {v}, written by a newer ReelRoom (this one knows {latest})",
            "upgrade ReelRoom, or point --home at another workspace",
        )
    elif health.behind:
        schema = Check(
            "schema",
            WARN,
            f"version {v}; this ReelRoom migrates it to {latest} on next start",
            "nothing to do: a backup reelroom.db.bak-v* is written before migrating",
        )
    else:
        schema = Check("schema", OK, f"version {v} (latest)")
    return [db, schema]


def _team_url(home: Home) -> str:
    """The PostgreSQL URL this home is pointed at (team mode), or ''."""
    url = os.environ.get("REELROOM_DATABASE_URL", "").strip()
    if url or not home.config_path.exists():
        return url
    try:
        return load_config(home.config_path).storage.url
    except ConfigError:
        return ""


def check_team_database(url: str) -> list[Check]:
    """Reach the PostgreSQL database and read its schema version (nothing migrated)."""
    from storage import Store
    from storage.migrations import LATEST

    try:
        store = Store(url, migrate=False)
    except StoreError as exc:
        return [Check("database", FAIL, str(exc), "start the server or fix [storage] url")]
    try:
        from storage.pg_migrations import read_version
        from storage.pg_store import PgStore

        assert isinstance(store, PgStore)
        version = read_version(store.pg)
    finally:
        store.close()
    db = Check("database", OK, f"PostgreSQL {store.location}")
    if version < LATEST:
        return [db, Check("schema", WARN, f"version {version}; migrated to {LATEST} on next start")]
    return [db, Check("schema", OK, f"version {version} (latest)")]


def check_database(home: Home) -> list[Check]:
    """Integrity (quick_check) and schema version, read-only."""
    url = _team_url(home)
    if url:
        return check_team_database(url)
    path = home.db_path
    if not path.exists():
        return [
            Check(
                "database",
                WARN,
                f"no {path.name} yet (created on first start)",
                "run `reelroom` or `reelroom demo` to create the workspace",
            )
        ]
    try:
        health = inspect(path)
    except ForeignDatabase as exc:
        return [
            Check(
                "database",
                FAIL,
                str(exc),
                f"point --home at a ReelRoom workspace folder, or move {path} elsewhere "
                "(ReelRoom refuses it and changes nothing in it)",
            )
        ]
    except DamagedDatabase as exc:
        return [
            Check(
                "database", FAIL, str(exc), f"move {path} aside or restore a {path.name}.bak-* copy"
            )
        ]
    except StoreError as exc:
        return [
            Check(
                "database", FAIL, str(exc), "fix what the line above names, then run doctor again"
            )
        ]
    return _db_checks(health)


# --- everything --------------------------------------------------------------


def run_checks(home: Home) -> list[Check]:
    """Every check, in the order they are shown."""
    ffmpeg_check, ffmpeg = check_tool("ffmpeg")
    ffprobe_check, _ = check_tool("ffprobe")
    if ffprobe_check.status == OK:
        ffprobe_check = Check("ffprobe", OK, f"{ffprobe_check.detail}; {pyav_note()}")
    checks = [check_home(home), ffmpeg_check, ffprobe_check, *check_capabilities(ffmpeg)]
    checks += check_database(home)
    checks += [check_config(home), check_disk(home)]
    return checks
