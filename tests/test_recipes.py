"""Recipes: validation (bad recipes refused with the field and allowed values), overrides,
TOML files, SRT checks, loudnorm parsing, preflight rules, and golden argv lists.

The golden files in tests/golden/ hold the argv for fixed recipes and fixed clips; a change
to the graph fails these tests. After reviewing a deliberate change, rewrite them with
`REELROOM_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_recipes.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from media_watch.graph import plan_render, rate_text
from media_watch.loudness import LoudnessError, LoudnessMeasurement, parse_loudnorm
from media_watch.preflight import PreflightError, moov_before_mdat, preflight
from media_watch.recipes import (
    BUILTIN_NAMES,
    ClipInput,
    RecipeError,
    load_recipe,
    recipe_from_data,
)
from media_watch.subtitles import (
    SubtitleError,
    escape_graph,
    escape_option_value,
    validate_srt,
)

GOLDEN = Path(__file__).parent / "golden"
SRT_TEXT = "1\n00:00:00,000 --> 00:00:00,600\nHi: it's [ok], 你好\n\n2\n00:00:01,000 --> 00:00:01,500\nTwo\n"
MEASURED = LoudnessMeasurement(-22.7, -15.98, 0.0, -32.91, -0.0)


def test_builtins_chain_reframe_loudness_encode() -> None:
    for name in ("tiktok", "reels", "shorts", "kuaishou"):
        recipe = load_recipe(name)
        assert recipe.reframe.mode == "blur"
        assert recipe.loudness.enabled and recipe.loudness.target_i == -14.0
        assert recipe.loudness.target_tp == -1.5
        assert recipe.preset == name
    assert not load_recipe("vertical").loudness.enabled
    assert load_recipe("shorts").encode.video_kbps != load_recipe("reels").encode.video_kbps


@pytest.mark.parametrize(
    ("override", "words"),
    [
        (
            "encode.x264_preset=fastest",
            ["encode.x264_preset", "'fastest'", "ultrafast", "veryslow"],
        ),
        ("reframe.mode=stretch", ["reframe.mode", "blur, crop, fit"]),
        ("loudness.target_i=-3", ["loudness.target_i", "at least -70 and at most -5"]),
        ("encode.crf=abc", ["encode.crf", "whole number at least 1 and at most 51"]),
        ("encode.crf=20.5", ["encode.crf", "whole number"]),
        ("encode.max_fps=120", ["encode.max_fps", "at least 23 and at most 60"]),
        ("loudness.enabled=maybe", ["loudness.enabled", "true or false"]),
        ("watermark.corner=middle", ["watermark.corner", "top-left, top-right"]),
        ("reframe.modee=crop", ["unknown field reframe.modee", "mode, offset, blur"]),
        ("render.speed=1", ["unknown section [render]", "reframe, loudness"]),
        ("x264_preset=fast", ["section.field=value"]),
    ],
)
def test_bad_override_is_refused_naming_field_and_allowed(override: str, words: list[str]) -> None:
    with pytest.raises(RecipeError) as err:
        load_recipe("tiktok", [override])
    for word in words:
        assert word in str(err.value)


def test_overrides_change_the_recipe_and_are_kept() -> None:
    recipe = load_recipe(
        "tiktok",
        [
            "encode.x264_preset=ultrafast",
            "loudness.enabled=false",
            "reframe.offset=-0.5",
            "subtitles.font=Noto Sans CJK SC",
        ],
    )
    assert recipe.encode.x264_preset == "ultrafast"
    assert recipe.loudness.enabled is False
    assert recipe.reframe.offset == -0.5
    assert recipe.subtitles.font == "Noto Sans CJK SC"
    assert recipe.overrides[0] == "encode.x264_preset=ultrafast"
    assert recipe.fingerprint() != load_recipe("tiktok").fingerprint()


def test_unknown_name_lists_builtins() -> None:
    with pytest.raises(RecipeError) as err:
        load_recipe("tiktock")
    assert all(name in str(err.value) for name in BUILTIN_NAMES)


def test_toml_recipe_file(tmp_path: Path) -> None:
    path = tmp_path / "talking.toml"
    path.write_text(
        'name = "talking head"\nbase = "reels"\n[reframe]\nmode = "crop"\n'
        'offset = 0.25\n[encode]\nx264_preset = "slow"\n',
        encoding="utf-8",
    )
    recipe = load_recipe(str(path), ["encode.crf=23"])
    assert (recipe.name, recipe.source) == ("talking head", str(path))
    assert (recipe.reframe.mode, recipe.reframe.offset) == ("crop", 0.25)
    assert (recipe.encode.preset, recipe.encode.x264_preset, recipe.encode.crf) == (
        "reels",
        "slow",
        23,
    )
    assert recipe.loudness.enabled  # from the reels base
    again = recipe_from_data(recipe.name, recipe.source, recipe.description, recipe.to_json())
    assert again.fingerprint() == recipe.fingerprint()
    stored = recipe.to_json()
    stored["encode"]["crf"] = 99
    with pytest.raises(RecipeError, match="encode.crf = 99"):
        recipe_from_data(recipe.name, recipe.source, recipe.description, stored)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[reframe]\nmode = "zoom"\n', ["reframe.mode", "'zoom'", "blur, crop, fit"]),
        ('[encode]\ncrf = "high"\n', ["encode.crf", "whole number"]),
        ('[colour]\ngrade = "warm"\n', ["unknown section [colour]"]),
        ('base = "youtube"\n', ["base", "'youtube'", "tiktok"]),
        ("[reframe\nmode = 1\n", ["not valid TOML"]),
        ('[loudness]\nenabled = "perhaps"\n', ["loudness.enabled", "true or false"]),
    ],
)
def test_bad_toml_recipe_names_file_and_field(tmp_path: Path, text: str, words: list[str]) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecipeError) as err:
        load_recipe(str(path))
    assert str(path) in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_missing_toml_file(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="does not exist"):
        load_recipe(str(tmp_path / "nope.toml"))


def test_clip_ranges_are_checked(tmp_path: Path) -> None:
    recipe = load_recipe("vertical")
    cases = [
        (
            ClipInput("/f/a.mp4", 320, 180, 30.0, 2.0, True, in_s=1.0, out_s=0.5),
            "out point must be after",
        ),
        (ClipInput("/f/a.mp4", 320, 180, 30.0, 2.0, True, out_s=5.0), "past the clip's end"),
        (ClipInput("/f/a.jpg", 320, 180, None, None, False), "give it an out point"),
        (ClipInput("/f/a.mp4", 0, 180, 30.0, 2.0, True), "not a video size"),
    ]
    for clip, words in cases:
        with pytest.raises(RecipeError, match=words):
            plan_render(recipe, [clip], tmp_path / "o.mp4", ffmpeg_path="ffmpeg")
    with pytest.raises(RecipeError, match="at least one clip"):
        plan_render(recipe, [], tmp_path / "o.mp4", ffmpeg_path="ffmpeg")
    clip = ClipInput("/f/a.mp4", 320, 180, 30.0, 2.0, True)
    with pytest.raises(RecipeError, match="logo file"):
        plan_render(
            recipe,
            [clip],
            tmp_path / "o.mp4",
            logo_path=tmp_path / "none.png",
            ffmpeg_path="ffmpeg",
        )


def test_final_argv_needs_the_measurement_when_loudness_is_on(tmp_path: Path) -> None:
    clip = ClipInput("/f/a.mp4", 320, 180, 30.0, 2.0, True)
    plan = plan_render(load_recipe("tiktok"), [clip], tmp_path / "o.mp4", ffmpeg_path="ffmpeg")
    with pytest.raises(RecipeError, match="measure_argv"):
        plan.final_argv(None)
    quiet = plan_render(
        load_recipe("tiktok", ["loudness.enabled=false"]),
        [clip],
        tmp_path / "o.mp4",
        ffmpeg_path="ffmpeg",
    )
    assert quiet.measure_argv is None
    assert not any("loudnorm" in arg for arg in quiet.final_argv(None))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ["has no cues"]),
        (
            "1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\n00:00:0x,000 --> 00:00:03,000\nbad\n\n"
            "3\n00:00:04,000 --> 00:00:05,000\nok\n",
            ["line 5", "not an SRT cue", "00:00:0x"],
        ),
        ("1\n00:00:02,000 --> 00:00:01,000\nbackwards\n", ["cue 1", "ends", "before it starts"]),
    ],
)
def test_bad_srt_is_refused_with_line(tmp_path: Path, text: str, words: list[str]) -> None:
    path = tmp_path / "subs.srt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SubtitleError) as err:
        validate_srt(path)
    assert str(path) in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_srt_not_utf8_and_good_srt(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.srt"
    bad.write_bytes("1\n00:00:00,000 --> 00:00:01,000\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(SubtitleError, match="not UTF-8 \\(line 3\\)"):
        validate_srt(bad)
    good = tmp_path / "good.srt"
    good.write_text(SRT_TEXT, encoding="utf-8")
    cues = validate_srt(good)
    assert [(c.start_s, c.end_s) for c in cues] == [(0.0, 0.6), (1.0, 1.5)]
    assert cues[0].text == "Hi: it's [ok], 你好"


def test_escaping_levels() -> None:
    assert escape_option_value("/a:b'c\\d") == "/a\\:b\\'c\\\\d"
    assert escape_graph("a,b;[c]'d\\") == "a\\,b\\;\\[c\\]\\'d\\\\"


def test_parse_loudnorm_reads_last_block_and_refuses_garbage() -> None:
    stderr = (
        '[Parsed_loudnorm_0 @ 0x1] \n{\n\t"input_i" : "-27.63",\n\t"input_tp" : "-8.11",\n'
        '\t"input_lra" : "2.30",\n\t"input_thresh" : "-37.90",\n\t"output_i" : "-14.1",\n'
        '\t"normalization_type" : "dynamic",\n\t"target_offset" : "0.14"\n}\n'
    )
    measured = parse_loudnorm("noise {x}\n" + stderr)
    assert measured == LoudnessMeasurement(-27.63, -8.11, 2.3, -37.9, 0.14)
    assert not measured.silent
    silent = parse_loudnorm(stderr.replace('"-27.63"', '"-inf"'))
    assert silent.silent and silent.to_json()["input_i"] is None
    with pytest.raises(LoudnessError, match="no loudnorm measurement"):
        parse_loudnorm("Error while filtering\n")
    with pytest.raises(LoudnessError, match="input_tp"):
        parse_loudnorm(stderr.replace('"input_tp" : "-8.11",', ""))


def test_rate_text() -> None:
    assert [rate_text(30.0), rate_text(29.97), rate_text(59.94), rate_text(25.0)] == [
        "30",
        "30000/1001",
        "60000/1001",
        "25",
    ]


def _probe_json(**over: object) -> dict:
    video = {
        "codec_type": "video",
        "codec_name": "h264",
        "profile": "High",
        "width": 1080,
        "height": 1920,
        "pix_fmt": "yuv420p",
        "r_frame_rate": "30/1",
        "avg_frame_rate": "30/1",
    }
    audio = {"codec_type": "audio", "codec_name": "aac", "channels": 2, "sample_rate": "48000"}
    fmt = {"format_name": "mov,mp4,m4a,3gp,3g2,mj2", "duration": "12.0", "size": "5000000"}
    for key, value in over.items():
        target = video if key in video else audio if key in audio else fmt
        target[key] = value
    return {"format": fmt, "streams": [video, audio]}


def test_preflight_rules() -> None:
    assert preflight(_probe_json(), "tiktok").ok
    long = preflight(_probe_json(duration="200.0"), "shorts")
    assert long.problems == ["duration 200 s is outside 1-180 s"]
    wide = preflight(_probe_json(width=1920, height=1080), "shorts")
    assert any("landscape" in p for p in wide.problems)
    fast = preflight(_probe_json(r_frame_rate="120/1", avg_frame_rate="120/1"), "reels")
    assert fast.problems == ["frame rate 120 fps is outside 23-60 fps"]
    other = preflight(_probe_json(codec_name="vp9", profile="0"), "reels")
    assert "video codec vp9 is not one of h264, hevc" in other.problems
    assert "video is vp9 0, not H.264 High" in other.problems
    big = preflight(_probe_json(size=str(400 * 1024 * 1024)), "reels")
    assert big.problems == ["file size 400.0 MB is over 300 MB"]
    assert big.to_json()["ok"] is False
    with pytest.raises(PreflightError, match="tiktok, reels, shorts, kuaishou"):
        preflight(_probe_json(), "vimeo")


def test_moov_before_mdat_reads_box_order(tmp_path: Path) -> None:
    def box(kind: bytes, body: bytes = b"") -> bytes:
        return (8 + len(body)).to_bytes(4, "big") + kind + body

    fast = tmp_path / "fast.mp4"
    fast.write_bytes(box(b"ftyp", b"isom") + box(b"moov", b"x" * 10) + box(b"mdat", b"y" * 20))
    slow = tmp_path / "slow.mp4"
    slow.write_bytes(box(b"ftyp", b"isom") + box(b"mdat", b"y" * 20) + box(b"moov", b"x" * 10))
    assert moov_before_mdat(str(fast)) is True
    assert moov_before_mdat(str(slow)) is False


# ---- golden argv -------------------------------------------------------------------------


def _golden_clips() -> list[ClipInput]:
    return [
        ClipInput("/footage/wide.mp4", 1920, 1080, 29.97, 4.0, True, in_s=0.5, out_s=2.5),
        ClipInput("/footage/phone.mov", 1080, 1920, 60.0, 3.0, False),
        ClipInput("/footage/square.mp4", 1080, 1080, 25.0, 2.0, True),
        ClipInput("/footage/wide.mp4", 1920, 1080, 29.97, 4.0, True, in_s=0.5, out_s=2.5),
    ]


def _golden_argvs(tmp_path: Path) -> dict[str, list[str]]:
    srt = tmp_path / "sub's: [1].srt"
    srt.write_text(SRT_TEXT, encoding="utf-8")
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"\x89PNG")
    tiktok = load_recipe("tiktok", ["watermark.corner=bottom-right"])
    plan = plan_render(
        tiktok,
        _golden_clips(),
        Path("/renders/out.partial.mp4"),
        srt_path=srt,
        logo_path=logo,
        ffmpeg_path="ffmpeg",
    )
    crop = load_recipe("vertical", ["reframe.mode=crop", "reframe.offset=0.5", "encode.max_fps=30"])
    crop_plan = plan_render(
        crop, _golden_clips()[:3], Path("/renders/crop.mp4"), ffmpeg_path="ffmpeg"
    )
    assert plan.expected_duration_s == 9.0 and crop_plan.expected_duration_s == 7.0
    assert crop_plan.measure_argv is None
    return {
        "tiktok_measure": plan.measure_argv or [],
        "tiktok_final": plan.final_argv(MEASURED),
        "tiktok_poster": plan.poster_argv(Path("/renders/out.mp4"), Path("/renders/out.jpg")),
        "vertical_crop_final": crop_plan.final_argv(None),
    }


def _normalise(argv: list[str], tmp_path: Path) -> list[str]:
    return [arg.replace(str(tmp_path), "<TMP>") for arg in argv]


def test_golden_argv(tmp_path: Path) -> None:
    produced = {k: _normalise(v, tmp_path) for k, v in _golden_argvs(tmp_path).items()}
    for name, argv in produced.items():
        path = GOLDEN / f"{name}.json"
        if os.environ.get("REELROOM_UPDATE_GOLDEN") == "1":
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(json.dumps(argv, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        expected = json.loads(path.read_text(encoding="utf-8"))
        assert argv == expected, f"{name}: the argv changed; review and update {path.name}"


def test_argv_heads_and_loglevels(tmp_path: Path) -> None:
    argvs = _golden_argvs(tmp_path)
    for name, argv in argvs.items():
        assert argv[:4] == ["ffmpeg", "-nostdin", "-hide_banner", "-y"], name
        assert argv[4:7] == ["-nostats", "-progress", "pipe:1"], name
        level = argv[argv.index("-loglevel") + 1]
        assert level == ("info" if name == "tiktok_measure" else "error"), name
    assert argvs["tiktok_measure"][-3:] == ["-f", "null", "-"]
    final = argvs["tiktok_final"]
    assert final[-1] == "file:/renders/out.partial.mp4"
    assert ("-f", "mp4") in zip(
        final, final[1:], strict=False
    )  # muxer explicit: a .partial name works
    graph = final[final.index("-filter_complex") + 1]
    assert final.count("file:/footage/wide.mp4") == 1  # the same file+trim twice: one input, split
    assert "concat=a=1:n=4:v=1" in graph and "linear=true" in graph
    assert "fps=fps=60" in graph  # fastest clip (60) within the 60 cap
