"""`reelroom doctor`: is this box ready to run ReelRoom?

Prints one aligned line per check (✓ ok, ! warn, ✗ fail) with what to do
under each one that is not ok; `--json` prints {"ok", "checks"} instead.
Exit 1 when a check failed. Doctor only looks: it creates and changes nothing.
"""

from __future__ import annotations

import argparse

from app.doctor import FAIL, OK, WARN, Check, needs_action, run_checks
from app.home import Home, resolve_home
from app.output import emit_json, fit, out, say

GLYPHS = {OK: "✓", WARN: "!", FAIL: "✗"}
NAME_WIDTH = 9


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `doctor`."""
    doctor = sub.add_parser(
        "doctor", help="check ffmpeg, the database, disk and config", parents=[common]
    )
    doctor.add_argument("--json", action="store_true", help="print one JSON document")
    doctor.set_defaults(handler=run_doctor)


def render_lines(checks: list[Check]) -> list[str]:
    """The plain report: one aligned line per check, an arrow line for each action."""
    lines: list[str] = []
    for check in checks:
        lines.append(f"{GLYPHS[check.status]} {fit(check.name, NAME_WIDTH)} {check.detail}")
        if check.status != OK and check.action:
            lines.append(f"  {' ' * NAME_WIDTH} → {check.action}")
    return lines


def run_doctor(args: argparse.Namespace) -> int:
    """Run every check; exit 1 when something needs action."""
    home = Home(resolve_home(args.home))
    checks = run_checks(home)
    failed = needs_action(checks)
    if args.json:
        emit_json(
            {"ok": not failed, "home": str(home.root), "checks": [c.to_json() for c in checks]}
        )
    else:
        out("\n".join(render_lines(checks)))
        fails = sum(c.status == FAIL for c in checks)
        warns = sum(c.status == WARN for c in checks)
        if failed:
            say(f"reelroom doctor: {fails} check(s) failed, {warns} warning(s); see the → lines.")
        else:
            say(f"reelroom doctor: all set ({warns} warning(s)).")
    return 1 if failed else 0
