"""Helpers of the hostile-input tests (issue 15): run the command, spot raw control characters.

`run` starts the real `reelroom` console script beside sys.executable and
returns its output as text decoded with surrogateescape, so a stray byte
shows up instead of failing the decode. `raw_controls` lists what a terminal
could obey in that text: C0 controls other than newline and tab, DEL, C1 controls,
bidi overrides/isolates/marks, and lone surrogates.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

REELROOM = str(Path(sys.executable).with_name("reelroom"))
HOSTILE = "x\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\u2066\x7fy"
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def run(
    *args: str | bytes, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """`reelroom ARGS…` as a subprocess; text out with undecodable bytes kept as surrogates."""
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("REELROOM_HOME", "REELROOM_FFMPEG", "REELROOM_FFPROBE")
    }
    done = subprocess.run(
        [REELROOM, *args],
        capture_output=True,
        timeout=120,
        env={**base, **(env or {})},
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )
    return subprocess.CompletedProcess(
        done.args,
        done.returncode,
        done.stdout.decode("utf-8", "surrogateescape"),
        done.stderr.decode("utf-8", "surrogateescape"),
    )


def raw_controls(text: str) -> list[str]:
    """The characters in `text` a terminal could act on (newline and tab excepted)."""
    return _RAW.findall(text)


def one_paragraph(text: str) -> bool:
    """A message of one paragraph: no traceback, no blank line inside."""
    body = text.strip()
    return bool(body) and "Traceback" not in body and "\n\n" not in body


# Runs app.cli.main as the unprivileged user `nobody` when the tests run as root
# (CI does): the interpreter and ReelRoom's modules are loaded first, as root,
# because root's home (where Python lives) is closed to nobody.
_AS_NOBODY = """
import contextlib, io, os, sys, tempfile
import app.cli

if os.getuid() == 0:
    # A throw-away run of the same command loads every module it needs while
    # Python's own files can still be read.
    with tempfile.TemporaryDirectory() as warm, contextlib.redirect_stdout(io.StringIO()), \\
            contextlib.redirect_stderr(io.StringIO()):
        args = list(sys.argv[1:])
        if "--home" in args:
            args[args.index("--home") + 1] = warm
        app.cli.main(["--home", warm, "posts", "list"])  # a workspace with its config.toml
        app.cli.main(args)
        app.cli.main(["--home", warm, "doctor", "--json"])
    import pwd
    nobody = pwd.getpwnam("nobody")
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
sys.exit(app.cli.main(sys.argv[1:]))
"""


def run_unprivileged(*args: str) -> subprocess.CompletedProcess[str]:
    """`reelroom ARGS…` as a user permissions apply to (nobody, when we are root)."""
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        [sys.executable, "-c", _AS_NOBODY, *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
        stdin=subprocess.DEVNULL,
        env={k: v for k, v in os.environ.items() if k != "REELROOM_HOME"},
    )


def open_folder(prefix: str) -> Path:
    """A new folder under /tmp that an unprivileged user may write (tmp_path is root's alone)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o777)
    return folder
