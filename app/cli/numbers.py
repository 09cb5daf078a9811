"""Numbers from the command line, each with its range: argparse `type=` functions.

A value out of range, NaN, infinity or not a number at all is a usage error
(exit 2) worded like config.toml's: "must be at least 1 and at most 64, not
100000". Ids are whole numbers SQLite can hold.
"""

from __future__ import annotations

import argparse
import math
from typing import Callable

from app.render_requests import PRIORITY_LIMIT

ID_MAX = 2**63 - 1


def _num(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def _bounds(low: float, high: float, *, above: bool = False) -> str:
    first = f"greater than {_num(low)}" if above else f"at least {_num(low)}"
    return f"{first} and at most {_num(high)}"


def int_in(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        shown = text if len(text) <= 40 else text[:40] + "…"
        stripped = text.strip()
        digits = stripped.lstrip("+-")
        if not digits.isascii() or not digits.isdigit() or len(digits) > 25:
            raise argparse.ArgumentTypeError(f"must be a whole number, not {shown!r}")
        value = int(stripped)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be {_bounds(low, high)}, not {shown}")
        return value

    parse.__name__ = "whole number"
    return parse


def float_in(low: float, high: float, *, above: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number in [low, high] (or (low, high] with `above`)."""

    def parse(text: str) -> float:
        shown = text if len(text) <= 40 else text[:40] + "…"
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, not {shown!r}") from None
        low_ok = value > low if above else value >= low
        if not (math.isfinite(value) and low_ok and value <= high):
            raise argparse.ArgumentTypeError(
                f"must be {_bounds(low, high, above=above)}, not {shown}"
            )
        return value

    parse.__name__ = "number"
    return parse


ID = int_in(1, ID_MAX)
PRIORITY = int_in(-PRIORITY_LIMIT, PRIORITY_LIMIT)
