"""Finding ffmpeg/ffprobe and asking them what they can do (version, encoders, filters).

Every call runs the tool with an argv list (never a shell) and a timeout. `$REELROOM_FFMPEG`
and `$REELROOM_FFPROBE` override the PATH search; when one is set but does not point at an
executable file, the tool counts as missing (we never fall back silently to another copy).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess

TOOL_TIMEOUT_S = 15.0
KNOWN_TOOLS = ("ffmpeg", "ffprobe")
INSTALL_HINT = (
    "apt-get install ffmpeg (it brings ffmpeg and ffprobe), or run `./rr setup`, which installs it"
)


class ToolError(Exception):
    """An external tool could not be run or gave output we cannot read."""


class ToolMissing(ToolError):
    """ffmpeg or ffprobe is not installed (or the override points nowhere)."""


def override_var(name: str) -> str:
    """The environment variable that overrides where `name` is found, e.g. REELROOM_FFMPEG."""
    return f"REELROOM_{name.upper()}"


def find_tool(name: str) -> str | None:
    """Path of the tool `name`: `$REELROOM_<NAME>` when set, else the first on PATH; None when missing."""
    override = os.environ.get(override_var(name), "").strip()
    if override:
        found = shutil.which(override)
        return os.path.abspath(found) if found else None
    return shutil.which(name)


def missing_reason(name: str) -> str:
    """Why `name` counts as missing: not on PATH, or the override points nowhere."""
    var = override_var(name)
    override = os.environ.get(var, "").strip()
    if override:
        return f"{var} is set to {override!r}, which is not an executable file"
    return f"{name} was not found on PATH"


def install_advice(name: str) -> str:
    """What to do about a missing `name`, with the exact install command."""
    var = override_var(name)
    advice = f"install it with: {INSTALL_HINT}"
    if os.environ.get(var, "").strip():
        advice = f"point {var} at a working {name} or unset it; to get one, {advice}"
    return advice


def missing_message(name: str) -> str:
    """One paragraph: what is missing and exactly how to install it."""
    return (
        f"{name} is missing: {missing_reason(name)}. ReelRoom needs {name} to read and "
        f"render footage; {install_advice(name)}. `reelroom doctor` checks it again."
    )


def require_tool(name: str) -> str:
    """Path of the tool `name`, or raise ToolMissing with a message saying how to install it."""
    path = find_tool(name)
    if path is None:
        raise ToolMissing(missing_message(name))
    return path


def _run(argv: list[str]) -> str:
    """Run argv and return stdout; ToolError on failure, timeout or a missing binary."""
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
            errors="replace",
        )
    except FileNotFoundError as exc:
        raise ToolMissing(
            f"{argv[0]} cannot be run: {exc.strerror}. Install with: {INSTALL_HINT}"
        ) from exc
    except PermissionError as exc:
        raise ToolError(
            f"{argv[0]} is not executable ({exc.strerror}); check its file mode"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise ToolError(
            f"`{' '.join(argv)}` took longer than {TOOL_TIMEOUT_S:.0f} s and was stopped"
        ) from exc
    except OSError as exc:
        raise ToolError(f"{argv[0]} cannot be run: {exc}") from exc
    if done.returncode != 0:
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no message"]
        raise ToolError(f"`{' '.join(argv)}` failed with exit {done.returncode}: {tail[0]}")
    return done.stdout


@functools.lru_cache(maxsize=16)
def tool_version(path: str) -> str:
    """First line of `<tool> -version` without the copyright, e.g. 'ffmpeg version 5.1.9-0+deb12u1'."""
    lines = _run([path, "-version"]).strip().splitlines()
    if not lines:
        raise ToolError(f"{path} -version printed nothing; is it really ffmpeg/ffprobe?")
    first = lines[0]
    cut = first.find(" Copyright")
    return first[:cut] if cut > 0 else first


def parse_encoders(text: str) -> set[str]:
    """Encoder names from `ffmpeg -hide_banner -encoders` output (the rows after the '------' line)."""
    names: set[str] = set()
    started = False
    for line in text.splitlines():
        if line.strip().startswith("------"):
            started = True
            continue
        parts = line.split()
        if started and len(parts) >= 2 and len(parts[0]) == 6:
            names.add(parts[1])
    return names


def parse_filters(text: str) -> set[str]:
    """Filter names from `ffmpeg -hide_banner -filters` output (rows like ' ..C name  A->A  text')."""
    names: set[str] = set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and "->" in parts[2] and set(parts[0]) <= set("TSC."):
            names.add(parts[1])
    return names


@functools.lru_cache(maxsize=16)
def _encoders_cached(ffmpeg: str) -> frozenset[str]:
    return frozenset(parse_encoders(_run([ffmpeg, "-hide_banner", "-encoders"])))


@functools.lru_cache(maxsize=16)
def _filters_cached(ffmpeg: str) -> frozenset[str]:
    return frozenset(parse_filters(_run([ffmpeg, "-hide_banner", "-filters"])))


def encoders(ffmpeg: str) -> set[str]:
    """Names of the encoders this ffmpeg has (cached per path)."""
    return set(_encoders_cached(ffmpeg))


def filters(ffmpeg: str) -> set[str]:
    """Names of the filters this ffmpeg has (cached per path)."""
    return set(_filters_cached(ffmpeg))
