"""`reelroom doctor`: is this box ready to run ReelRoom?"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `doctor`."""
    doctor = sub.add_parser("doctor", help="check ffmpeg, the database, disk and config",
                            parents=[common])
    doctor.add_argument("--json", action="store_true", help="print one JSON document")
    doctor.set_defaults(handler=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    """Run every check; exit 1 when something needs action."""
    raise SystemExit("doctor: being written")
