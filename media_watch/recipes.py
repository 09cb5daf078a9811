"""Render recipes as data: built-ins, TOML files, `section.field=value` overrides, validation.

A recipe says how clips become one vertical video: `reframe` (blur / crop / fit to
1080x1920), `loudness` (two-pass loudnorm target), `subtitles` (style used when an SRT
is given), `watermark` (style used when a logo is given) and `encode` (platform preset,
x264 speed, quality, bit rates, frame-rate cap). Every field has a type and allowed
values; `load_recipe` refuses a bad recipe with a `RecipeError` that names the field
and what is allowed, so nothing bad is ever queued.

A TOML recipe file looks like:

    name = "talking-head"
    base = "tiktok"            # optional: start from a built-in (default: "vertical")
    [reframe]
    mode = "crop"
    offset = -0.2
    [encode]
    x264_preset = "slow"

`ClipInput` is what the graph needs to know of one clip (display size after rotation,
frame rate, duration, audio or not, optional in/out points).
"""

from __future__ import annotations

import copy
import json
import math
import os
import stat
import tomllib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

PLATFORM_PRESETS = ("tiktok", "reels", "shorts", "kuaishou")
X264_PRESETS = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)
REFRAME_MODES = ("blur", "crop", "fit")
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
OUTPUT_WIDTH = 1080
MAX_RECIPE_BYTES = 64 * 1024
OUTPUT_HEIGHT = 1920


class RecipeError(ValueError):
    """A recipe (or a render plan made from it) is not usable; the message says why."""


@dataclass(frozen=True)
class FieldSpec:
    """Type and allowed values of one recipe field."""

    kind: type  # str, int, float or bool
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None

    def allowed(self) -> str:
        """The allowed values in words, for error messages."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is bool:
            return "true or false"
        if self.kind is str:
            return "a non-empty text"
        noun = "a whole number" if self.kind is int else "a number"
        return f"{noun} at least {_num(self.low)} and at most {_num(self.high)}"


def _num(value: float | None) -> str:
    return "" if value is None else (str(int(value)) if float(value).is_integer() else str(value))


SCHEMA: dict[str, dict[str, FieldSpec]] = {
    "reframe": {
        "mode": FieldSpec(str, REFRAME_MODES),
        "offset": FieldSpec(float, low=-1.0, high=1.0),
        "blur": FieldSpec(int, low=1, high=100),
    },
    "loudness": {
        "enabled": FieldSpec(bool),
        "target_i": FieldSpec(float, low=-70.0, high=-5.0),
        "target_tp": FieldSpec(float, low=-9.0, high=0.0),
        "target_lra": FieldSpec(float, low=1.0, high=50.0),
    },
    "subtitles": {
        "font": FieldSpec(str),
        "font_size": FieldSpec(int, low=12, high=200),
        "outline": FieldSpec(int, low=0, high=20),
        "margin_v": FieldSpec(int, low=0, high=1700),
        "margin_h": FieldSpec(int, low=0, high=400),
    },
    "watermark": {
        "corner": FieldSpec(str, CORNERS),
        "margin": FieldSpec(int, low=0, high=500),
        "scale": FieldSpec(float, low=0.02, high=1.0),
        "opacity": FieldSpec(float, low=0.0, high=1.0),
    },
    "encode": {
        "preset": FieldSpec(str, PLATFORM_PRESETS),
        "x264_preset": FieldSpec(str, X264_PRESETS),
        # 0 would be lossless, which libx264 refuses under the High profile platforms want.
        "crf": FieldSpec(int, low=1, high=51),
        "video_kbps": FieldSpec(int, low=500, high=50000),
        "audio_kbps": FieldSpec(int, low=64, high=512),
        "max_fps": FieldSpec(int, low=23, high=60),
    },
}

# The "vertical" built-in; every other recipe starts from these values.
DEFAULTS: dict[str, dict[str, Any]] = {
    "reframe": {"mode": "blur", "offset": 0.0, "blur": 40},
    "loudness": {"enabled": False, "target_i": -14.0, "target_tp": -1.5, "target_lra": 11.0},
    # Sizes are in output pixels (PlayRes is set to 1080x1920). margin_v keeps the text
    # above the bottom ~25% where platforms draw captions and buttons.
    "subtitles": {
        "font": "DejaVu Sans",
        "font_size": 64,
        "outline": 4,
        "margin_v": 480,
        "margin_h": 140,
    },
    "watermark": {"corner": "top-left", "margin": 60, "scale": 0.18, "opacity": 0.85},
    "encode": {
        "preset": "tiktok",
        "x264_preset": "medium",
        "crf": 20,
        "video_kbps": 10000,
        "audio_kbps": 192,
        "max_fps": 60,
    },
}

# Per-preset encode settings (bit rate caps: YouTube's published 1080p table for Shorts;
# the others follow the 8-12 Mbps that public upload guides cite).
PRESET_ENCODE: dict[str, dict[str, Any]] = {
    "tiktok": {"video_kbps": 10000, "audio_kbps": 192},
    "reels": {"video_kbps": 8000, "audio_kbps": 128},
    "shorts": {"video_kbps": 12000, "audio_kbps": 384},
    "kuaishou": {"video_kbps": 8000, "audio_kbps": 192},
}


def _builtin(name: str) -> dict[str, Any]:
    data = copy.deepcopy(DEFAULTS)
    if name in PRESET_ENCODE:
        data["loudness"]["enabled"] = True
        data["encode"].update(preset=name, **PRESET_ENCODE[name])
    return data


BUILTIN_NAMES = ("vertical", *PLATFORM_PRESETS)
BUILTIN_DESCRIPTIONS = {
    "vertical": "reframe to 1080x1920 (blurred fill) + H.264/AAC encode, no loudness change",
    "tiktok": "reframe (blur) + loudness -14 LUFS + TikTok encode",
    "reels": "reframe (blur) + loudness -14 LUFS + Instagram Reels encode",
    "shorts": "reframe (blur) + loudness -14 LUFS + YouTube Shorts encode",
    "kuaishou": "reframe (blur) + loudness -14 LUFS + Kuaishou encode",
}


@dataclass(frozen=True)
class ReframeStep:
    """How a clip is made 1080x1920: blurred fill, crop (offset -1 left … 1 right) or fit."""

    mode: str
    offset: float
    blur: int


@dataclass(frozen=True)
class LoudnessStep:
    """Two-pass EBU R128 normalisation target (LUFS integrated, dBTP, LU)."""

    enabled: bool
    target_i: float
    target_tp: float
    target_lra: float


@dataclass(frozen=True)
class SubtitleStyle:
    """Style of burned-in subtitles, in output pixels."""

    font: str
    font_size: int
    outline: int
    margin_v: int
    margin_h: int


@dataclass(frozen=True)
class WatermarkStep:
    """Logo overlay: corner, margin (px), width as a share of 1080, opacity 0-1."""

    corner: str
    margin: int
    scale: float
    opacity: float


@dataclass(frozen=True)
class EncodeStep:
    """Platform preset and x264/AAC settings."""

    preset: str
    x264_preset: str
    crf: int
    video_kbps: int
    audio_kbps: int
    max_fps: int


@dataclass(frozen=True)
class Recipe:
    """A validated recipe: name, where it came from, and its steps."""

    name: str
    source: str  # "builtin" or the TOML file's path
    description: str
    reframe: ReframeStep
    loudness: LoudnessStep
    subtitles: SubtitleStyle
    watermark: WatermarkStep
    encode: EncodeStep
    overrides: tuple[str, ...] = ()

    @property
    def preset(self) -> str:
        """The platform preset (for preflight)."""
        return self.encode.preset

    def to_json(self) -> dict[str, Any]:
        """Everything about the recipe as plain JSON values (stable, for storage and hashing)."""
        data = asdict(self)
        data["overrides"] = list(self.overrides)
        return data

    def fingerprint(self) -> str:
        """Canonical JSON of the steps only (not name/source), for idempotency keys."""
        steps = {k: v for k, v in self.to_json().items() if k in SCHEMA}
        return json.dumps(steps, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class ClipInput:
    """One clip as the graph sees it: display size (after rotation), rate, duration, audio, trim."""

    path: str
    display_width: int
    display_height: int
    fps: float | None
    duration_s: float | None
    has_audio: bool
    in_s: float | None = None
    out_s: float | None = None

    @classmethod
    def from_asset(
        cls,
        asset: Any,
        *,
        in_s: float | None = None,
        out_s: float | None = None,
        path: str | None = None,
    ) -> ClipInput:
        """From a storage Asset: its first present path (or `path`), display size, audio."""
        chosen = path or next((p.path for p in asset.paths if p.present), None)
        if chosen is None:
            raise RecipeError(
                f"asset {asset.id} ({asset.name}) has no file present; "
                "bring the footage back or pick another clip"
            )
        try:
            chosen.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(chosen).decode("utf-8", "backslashreplace")
            raise RecipeError(
                f"asset {asset.id}: its file name {shown} is not UTF-8 text, which ffmpeg's "
                "filter graphs cannot carry; rename the file (ReelRoom follows the rename) "
                "to render it"
            ) from None
        if not asset.display_width or not asset.display_height:
            raise RecipeError(
                f"asset {asset.id} ({asset.name}) has no video size; "
                "only video clips can be rendered"
            )
        return cls(
            path=chosen,
            display_width=int(asset.display_width),
            display_height=int(asset.display_height),
            fps=asset.fps,
            duration_s=asset.duration_s,
            has_audio=bool(asset.audio_codec),
            in_s=in_s,
            out_s=out_s,
        )

    def segment_duration(self) -> float:
        """Seconds this clip contributes (out - in); RecipeError when it cannot be known."""
        start = self.in_s or 0.0
        end = self.out_s if self.out_s is not None else self.duration_s
        if end is None:
            raise RecipeError(
                f"clip {self.path}: its duration is unknown (a still image?); give it an out point"
            )
        if start < 0 or (self.out_s is not None and self.out_s <= start):
            raise RecipeError(
                f"clip {self.path}: in={start} out={self.out_s} is not a forward "
                "range; the out point must be after the in point"
            )
        if self.duration_s is not None and end > self.duration_s + 0.05:
            raise RecipeError(
                f"clip {self.path}: out={end} is past the clip's end ({self.duration_s} s)"
            )
        return round(end - start, 3)


def _coerce(where: str, spec: FieldSpec, value: Any) -> Any:
    """`value` as the field's type, or RecipeError naming `where` and the allowed values."""
    bad = RecipeError(f"{where} = {value!r} is not allowed; allowed: {spec.allowed()}")
    if spec.kind is bool:
        if isinstance(value, bool):
            return value
        words = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
        if isinstance(value, str) and value.lower() in words:
            return words[value.lower()]
        raise bad
    if spec.kind is str:
        if not isinstance(value, str) or not value.strip():
            raise bad
        if spec.choices and value not in spec.choices:
            raise bad
        return value
    if isinstance(value, bool):
        raise bad
    try:
        number = spec.kind(value) if not isinstance(value, str) else spec.kind(value.strip())
    except (TypeError, ValueError):
        raise bad from None
    if spec.kind is int and isinstance(value, float) and not value.is_integer():
        raise bad
    if not math.isfinite(number):
        raise bad  # NaN passes every comparison, infinity is no setting
    if (spec.low is not None and number < spec.low) or (
        spec.high is not None and number > spec.high
    ):
        raise bad
    return number


def _merge(base: dict[str, dict[str, Any]], extra: Mapping[str, Any], origin: str) -> None:
    """Copy the sections of `extra` over `base`, refusing unknown sections and fields."""
    for section, fields in extra.items():
        if section not in SCHEMA:
            raise RecipeError(
                f"{origin}: unknown section [{section}]; allowed sections: " + ", ".join(SCHEMA)
            )
        if not isinstance(fields, Mapping):
            raise RecipeError(f"{origin}: [{section}] must be a table of fields")
        for key, value in fields.items():
            if key not in SCHEMA[section]:
                raise RecipeError(
                    f"{origin}: unknown field {section}.{key}; allowed fields in "
                    f"[{section}]: " + ", ".join(SCHEMA[section])
                )
            base[section][key] = _coerce(f"{origin}: {section}.{key}", SCHEMA[section][key], value)


def parse_override(text: str) -> tuple[str, str, Any]:
    """`section.field=value` → (section, field, raw value); RecipeError when malformed."""
    key, sep, raw = text.partition("=")
    section, dot, name = key.strip().partition(".")
    if not sep or not dot or not section or not name:
        raise RecipeError(
            f"override {text!r} must look like section.field=value, e.g. "
            "encode.x264_preset=fast; sections: " + ", ".join(SCHEMA)
        )
    raw = raw.strip()
    try:
        value: Any = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    return section, name.strip(), value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise RecipeError(
                f"recipe file {path} is not a regular file (a folder, pipe or device?)"
            )
        if st.st_size > MAX_RECIPE_BYTES:
            raise RecipeError(
                f"recipe file {path} is {st.st_size} bytes; a recipe is at most "
                f"{MAX_RECIPE_BYTES // 1024} KiB of TOML"
            )
        with path.open("rb") as fh:
            return tomllib.loads(fh.read(MAX_RECIPE_BYTES + 1).decode("utf-8"))
    except FileNotFoundError:
        raise RecipeError(
            f"recipe file {path} does not exist; built-in recipes: " + ", ".join(BUILTIN_NAMES)
        ) from None
    except UnicodeDecodeError:
        raise RecipeError(f"recipe file {path} is not UTF-8 text; save it as UTF-8") from None
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        raise RecipeError(f"recipe file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise RecipeError(f"recipe file {path} cannot be read: {exc.strerror}") from None


def _from_file(path: Path) -> tuple[str, str, dict[str, dict[str, Any]]]:
    raw = _read_toml(path)
    origin = str(path)
    base = raw.pop("base", "vertical")
    if base not in BUILTIN_NAMES:
        raise RecipeError(
            f"{origin}: base = {base!r} is not allowed; allowed: one of " + ", ".join(BUILTIN_NAMES)
        )
    name = raw.pop("name", path.stem)
    description = raw.pop("description", f"from {path.name} (based on {base})")
    for key, value in (("name", name), ("description", description)):
        if not isinstance(value, str) or not value.strip():
            raise RecipeError(f"{origin}: {key} must be a non-empty string")
    data = _builtin(base)
    _merge(data, raw, origin)
    return name, description, data


def recipe_from_data(
    name: str, source: str, description: str, data: Mapping[str, Any], overrides: Sequence[str] = ()
) -> Recipe:
    """Build a Recipe from complete section dicts (e.g. a stored `to_json()`), checking every field."""
    checked: dict[str, dict[str, Any]] = {section: {} for section in SCHEMA}
    for section, fields in SCHEMA.items():
        missing = [f for f in fields if f not in data.get(section, {})]
        if missing:
            raise RecipeError(f"{source}: [{section}] lacks " + ", ".join(missing))
    _merge(checked, {section: data[section] for section in SCHEMA}, source)
    data = checked
    return Recipe(
        name=name,
        source=source,
        description=description,
        reframe=ReframeStep(**data["reframe"]),
        loudness=LoudnessStep(**data["loudness"]),
        subtitles=SubtitleStyle(**data["subtitles"]),
        watermark=WatermarkStep(**data["watermark"]),
        encode=EncodeStep(**data["encode"]),
        overrides=tuple(overrides),
    )


def load_recipe(name_or_path: str, overrides: Sequence[str] = ()) -> Recipe:
    """A built-in name or a TOML path, plus `section.field=value` overrides, validated."""
    if name_or_path in BUILTIN_NAMES:
        name, source = name_or_path, "builtin"
        description, data = BUILTIN_DESCRIPTIONS[name_or_path], _builtin(name_or_path)
    elif name_or_path.endswith(".toml") or "/" in name_or_path or Path(name_or_path).is_file():
        path = Path(name_or_path)
        name, description, data = _from_file(path)
        source = str(path)
    else:
        raise RecipeError(
            f"recipe {name_or_path!r} is neither a built-in nor a .toml file; "
            "built-in recipes: " + ", ".join(BUILTIN_NAMES)
        )
    for text in overrides:
        section, field, value = parse_override(text)
        _merge(data, {section: {field: value}}, f"override {text!r}")
    return recipe_from_data(name, source, description, data, overrides)
