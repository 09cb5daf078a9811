"""Two-pass EBU R128 loudness: pass-1 filter options, parsing loudnorm's JSON, pass-2 options.

Pass 1 runs the render's audio graph through `loudnorm=I:TP:LRA:print_format=json` into
`-f null -` with `-loglevel info` (loudnorm prints its JSON block at info level on stderr;
every other argv of ours uses `-loglevel error`). `parse_loudnorm` reads that block into a
`LoudnessMeasurement`, and `apply_options` turns it into the pass-2 loudnorm options
(`measured_*`, `offset`, `linear=true`). Silent audio (measured -inf) gets no loudnorm in
pass 2: there is nothing to normalise, and loudnorm refuses -inf values.

`ebur128_argv` / `parse_ebur128` measure a finished file (integrated loudness and true
peak) to check a render against its target.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass
from typing import Any

SILENCE_LUFS = -70.0  # below this the gated measurement found no programme audio
_JSON_BLOCK = re.compile(r"\{[^{}]*\"input_i\"[^{}]*\}", re.S)
_FIELDS = ("input_i", "input_tp", "input_lra", "input_thresh", "target_offset")


class LoudnessError(ValueError):
    """loudnorm's or ebur128's output could not be read."""


@dataclass(frozen=True)
class LoudnessMeasurement:
    """What loudnorm pass 1 measured (LUFS, dBTP, LU, LUFS, LU)."""

    input_i: float
    input_tp: float
    input_lra: float
    input_thresh: float
    target_offset: float

    @property
    def silent(self) -> bool:
        """True when the audio is silence (no gated loudness)."""
        return not math.isfinite(self.input_i) or self.input_i < SILENCE_LUFS

    def to_json(self) -> dict[str, float | None]:
        """Plain JSON (infinities as None)."""
        return {k: (v if math.isfinite(v) else None) for k, v in asdict(self).items()}


def _number(data: dict[str, Any], key: str) -> float:
    raw = data.get(key)
    if raw is None:
        raise LoudnessError(
            f"loudnorm's JSON has no {key!r}; was the pass run with "
            "print_format=json and -loglevel info?"
        )
    try:
        return float(raw)
    except (TypeError, ValueError):
        raise LoudnessError(f"loudnorm's {key} is {raw!r}, not a number") from None


def parse_loudnorm(stderr: str) -> LoudnessMeasurement:
    """The last loudnorm JSON block in ffmpeg's stderr, as a LoudnessMeasurement."""
    blocks = _JSON_BLOCK.findall(stderr)
    if not blocks:
        tail = stderr.strip().splitlines()[-1:] or ["(no output)"]
        raise LoudnessError(
            "no loudnorm measurement in ffmpeg's output (the pass must run "
            f"with -loglevel info); last line: {tail[0]}"
        )
    try:
        data = json.loads(blocks[-1])
    except json.JSONDecodeError as exc:
        raise LoudnessError(f"loudnorm's JSON block is damaged: {exc}") from None
    return LoudnessMeasurement(*(_number(data, key) for key in _FIELDS))


def measure_options(target_i: float, target_tp: float, target_lra: float) -> dict[str, Any]:
    """loudnorm options for pass 1."""
    return {"I": target_i, "TP": target_tp, "LRA": target_lra, "print_format": "json"}


def _clamp(value: float, low: float, high: float) -> float:
    if not math.isfinite(value):
        value = low if value < 0 else high
    return round(min(max(value, low), high), 2)


def apply_options(
    target_i: float, target_tp: float, target_lra: float, measured: LoudnessMeasurement
) -> dict[str, Any]:
    """loudnorm options for pass 2 (linear mode with the measured values, clamped to range)."""
    return {
        "I": target_i,
        "TP": target_tp,
        "LRA": target_lra,
        "measured_I": _clamp(measured.input_i, -99.0, 0.0),
        "measured_TP": _clamp(measured.input_tp, -99.0, 99.0),
        "measured_LRA": _clamp(measured.input_lra, 0.0, 99.0),
        "measured_thresh": _clamp(measured.input_thresh, -99.0, 0.0),
        "offset": _clamp(measured.target_offset, -99.0, 99.0),
        "linear": "true",
        "print_format": "summary",
    }


def ebur128_argv(ffmpeg: str, path: str) -> list[str]:
    """Measure a finished file: integrated loudness and true peak (summary on stderr)."""
    return [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-nostats",
        "-loglevel",
        "info",
        "-i",
        "file:" + path,
        "-map",
        "0:a:0",
        "-af",
        "ebur128=peak=true",
        "-f",
        "null",
        "-",
    ]


@dataclass(frozen=True)
class Ebur128Summary:
    """Integrated loudness (LUFS), loudness range (LU) and true peak (dBFS) of a file."""

    integrated: float
    lra: float
    true_peak: float | None


def parse_ebur128(stderr: str) -> Ebur128Summary:
    """The 'Summary:' block ebur128 prints at the end of a run."""
    at = stderr.rfind("Summary:")
    if at < 0:
        raise LoudnessError("no ebur128 summary in ffmpeg's output (run with -loglevel info)")
    text = stderr[at:]
    found_i = re.search(r"I:\s+(-?[\d.]+|-inf)\s+LUFS", text)
    found_lra = re.search(r"LRA:\s+(-?[\d.]+)\s+LU", text)
    found_tp = re.search(r"Peak:\s+(-?[\d.]+|-inf)\s+dBFS", text)
    if not found_i or not found_lra:
        raise LoudnessError("ebur128 summary has no integrated loudness / LRA lines")
    return Ebur128Summary(
        float(found_i.group(1)),
        float(found_lra.group(1)),
        float(found_tp.group(1)) if found_tp else None,
    )
