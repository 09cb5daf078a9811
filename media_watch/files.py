"""Which files are footage: temp/hidden/media-name rules and the recursive walk.

A name is *temp* while a copy tool is still writing it (`.part`, `.partial`,
`.tmp`, `.crdownload`, Syncthing's `.syncthing.*.tmp` / `~syncthing~*`, rsync's
`.name.XXXXXX`), *hidden* when it starts with a dot, *media* when its
extension is a known video/audio/still type, and *other* otherwise. Only media
names are ever probed; the rest are ignored quietly. (A media file is complete
only once its name is not a temp name, its size and mtime held still over the
settle window, and it can be read: media_watch/watcher.py.)
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator, Literal

NameClass = Literal["media", "temp", "hidden", "other"]

TEMP_SUFFIXES = (
    ".part",
    ".partial",
    ".tmp",
    ".temp",
    ".crdownload",
    ".download",
    ".filepart",
    ".!qb",
    ".opdownload",
)
TEMP_PREFIXES = ("~syncthing~", ".syncthing.", "~$")

VIDEO_EXTENSIONS = frozenset(
    {
        ".mp4",
        ".mov",
        ".m4v",
        ".mkv",
        ".webm",
        ".avi",
        ".mts",
        ".m2ts",
        ".ts",
        ".3gp",
        ".mxf",
        ".flv",
        ".wmv",
        ".mpg",
        ".mpeg",
        ".insv",
        ".lrv",
    }
)
AUDIO_EXTENSIONS = frozenset(
    {
        ".wav",
        ".mp3",
        ".m4a",
        ".aac",
        ".flac",
        ".ogg",
        ".oga",
        ".opus",
        ".aif",
        ".aiff",
        ".caf",
        ".wma",
    }
)
IMAGE_EXTENSIONS = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".png",
        ".heic",
        ".heif",
        ".webp",
        ".tif",
        ".tiff",
        ".bmp",
        ".gif",
        ".dng",
        ".avif",
        ".jxl",
    }
)
MEDIA_EXTENSIONS = VIDEO_EXTENSIONS | AUDIO_EXTENSIONS | IMAGE_EXTENSIONS


def classify_name(path: Path | str) -> NameClass:
    """What a file's name says about it (its contents are not looked at)."""
    name = os.path.basename(str(path))
    lower = name.lower()
    if lower.startswith(TEMP_PREFIXES) or lower.endswith(TEMP_SUFFIXES):
        return "temp"
    if name.startswith("."):
        return "hidden"
    if os.path.splitext(lower)[1] in MEDIA_EXTENSIONS:
        return "media"
    return "other"


def kind_from_name(path: Path | str) -> str:
    """The asset kind a media name suggests: video, audio or image."""
    ext = os.path.splitext(str(path).lower())[1]
    if ext in AUDIO_EXTENSIONS:
        return "audio"
    if ext in IMAGE_EXTENSIONS:
        return "image"
    return "video"


def ignore_reason(cls: NameClass, path: Path | str) -> str:
    """Why a non-media name is skipped, in words."""
    if cls == "temp":
        return "temporary name (a copy or download still in progress)"
    if cls == "hidden":
        return "hidden file"
    ext = os.path.splitext(str(path))[1] or "no extension"
    return f"not a media file type ({ext})"


def is_hidden_dir(name: str) -> bool:
    """Folders skipped by the walk (.git, .stfolder, .Trash-1000, ...)."""
    return name.startswith(".") or name.startswith("~syncthing~")


def norm(path: Path | str) -> str:
    """The absolute, normalised text form paths are stored under."""
    return os.path.normpath(os.path.abspath(os.fspath(path)))


def walk(paths: Iterable[Path | str]) -> Iterator[str]:
    """Every file under the given files and folders (recursive), as stored paths.

    Hidden folders are not entered; symlinked folders are not followed (no
    loops, nothing from outside), and the watcher keeps to the same folders
    (`walk_dirs`, `reached_by_walk`). A symlink to a file is yielded like a
    file. A path that does not exist is yielded as-is so that the caller can
    report it.
    """
    for item in paths:
        root = norm(item)
        if not os.path.isdir(root):
            yield root
            continue
        for folder, dirs, files in os.walk(root, onerror=None):
            dirs[:] = sorted(d for d in dirs if not is_hidden_dir(d))
            for name in sorted(files):
                yield os.path.join(folder, name)


def walk_dirs(root: Path | str) -> list[str]:
    """`root` and every folder under it that `walk` enters (no hidden, no symlinked ones)."""
    top = norm(root)
    if not os.path.isdir(top):
        return []
    found: list[str] = []
    for folder, dirs, _files in os.walk(top, onerror=None):
        dirs[:] = sorted(d for d in dirs if not is_hidden_dir(d))
        found.append(folder)
    return found


def reached_by_walk(path: str, root: str) -> bool:
    """Whether `walk([root])` could yield `path`: under `root`, through no hidden and no
    symlinked folder (the watcher drops events that are not)."""
    if not is_under(path, root) or path == root:
        return False
    parts = os.path.relpath(os.path.dirname(path), root).split(os.sep)
    current = root
    for part in parts:
        if part == os.curdir:
            continue
        if part == os.pardir or is_hidden_dir(part):
            return False
        current = os.path.join(current, part)
        if os.path.islink(current):
            return False
    return True


def is_under(path: str, folder: str) -> bool:
    """Whether stored path `path` is `folder` itself or inside it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)
