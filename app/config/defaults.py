"""The commented config.toml written into a new home, made from the settings classes.

Each key of each section is written with its default, under its description;
the `[platforms.*]` hosts are written commented out (the defaults are the
real hosts, so a file keeps following them unless someone sets a key).
`tests/test_config.py` reads the text back and checks it gives the defaults.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from app.config.reader import system_timezone
from app.config.settings import PLATFORM_SECTIONS, SECTIONS

HEAD = """# ReelRoom workspace settings. Every key is optional; a missing key keeps
# the default shown here. Times are stored in UTC and shown in this zone.
"""

TAIL = """
# Platform accounts. One [[accounts]] table each; platform is one of
# tiktok, youtube, instagram, kuaishou. Tokens never go here: they live in
# secrets.json (mode 0600) beside this file: `reelroom accounts add`.
# [[accounts]]
# platform = "tiktok"
# handle = "mychannel"

# Inbox labels applied when a comment arrives. Each [[label_rules]] table
# gives a label (question, praise, complaint, lead, spam) and conditions that
# must all hold: keywords (any of them), question (has a question mark),
# links (has a link), languages (e.g. ["zh"]), sender (the author already has
# this label). Rules written here replace the built-in ones.
# [[label_rules]]
# label = "lead"
# keywords = ["collab", "sponsor", "合作"]

# Posting slots per account and weekday, local time. account is
# "platform:handle" or a bare platform (all its accounts). They are added to
# the database when the TUI opens; slots edited in the app live there.
# [[slots]]
# account = "tiktok:mychannel"
# days = ["tue", "thu", "sat"]
# time = "18:00"

# Team mode: where shared footage is mounted on each machine. The database
# stores one path per clip (the "from" side); on the machine named `host`
# that folder is found at `to`. One [[paths]] table per host and share.
# [[paths]]
# host = "render1"
# from = "/mnt/footage"
# to = "/srv/footage"
"""


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        import json  # only to write a new config.toml: not when one is read

        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def _table(name: str, cls: type, overrides: dict[str, Any], *, commented: bool) -> list[str]:
    lines = ["", f"[{name}]"]
    for field in dataclasses.fields(cls):
        doc = field.metadata.get("doc", "")
        if doc:
            lines.append(f"# {doc}")
        value = overrides.get(field.name, field.default)
        lines.append(f"{'# ' if commented else ''}{field.name} = {_toml(value)}")
    return lines


def default_text(timezone: str) -> str:
    """The commented config.toml for a new home (`timezone`: the system's zone)."""
    lines = [HEAD.rstrip("\n")]
    for name, cls in SECTIONS.items():
        overrides = {"timezone": timezone} if name == "workspace" else {}
        lines += _table(name, cls, overrides, commented=False)
    lines += ["", "# Platform hosts. The defaults are the real hosts; tests point them at a fake."]
    for name, cls in PLATFORM_SECTIONS.items():
        lines += _table(f"platforms.{name}", cls, {}, commented=True)
    return "\n".join(lines) + "\n" + TAIL


def write_default(path: Path) -> bool:
    """Create config.toml with commented defaults; False when it existed."""
    if path.exists():
        return False
    path.write_text(default_text(system_timezone()), encoding="utf-8")
    return True
