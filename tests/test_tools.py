"""media_watch.tools against the real ffmpeg/ffprobe: discovery, overrides, version, encoders, filters, failures."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from media_watch import tools

pytestmark = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="needs ffmpeg and ffprobe installed (apt-get install ffmpeg)",
)


@pytest.fixture(autouse=True)
def no_overrides(monkeypatch):
    monkeypatch.delenv("REELROOM_FFMPEG", raising=False)
    monkeypatch.delenv("REELROOM_FFPROBE", raising=False)


def script(tmp_path: Path, name: str, body: str) -> str:
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return str(path)


def test_found_on_path_without_override():
    assert tools.find_tool("ffmpeg") == shutil.which("ffmpeg")
    assert tools.require_tool("ffprobe") == shutil.which("ffprobe")


def test_override_points_at_another_copy(tmp_path, monkeypatch):
    link = tmp_path / "my-ffmpeg"
    link.symlink_to(shutil.which("ffmpeg"))
    monkeypatch.setenv("REELROOM_FFMPEG", str(link))
    assert tools.find_tool("ffmpeg") == str(link)
    assert tools.tool_version(str(link)).startswith("ffmpeg version ")


def test_override_to_nothing_counts_as_missing_even_with_ffmpeg_on_path(tmp_path, monkeypatch):
    monkeypatch.setenv("REELROOM_FFMPEG", str(tmp_path / "nope"))
    assert tools.find_tool("ffmpeg") is None
    with pytest.raises(tools.ToolMissing) as err:
        tools.require_tool("ffmpeg")
    message = str(err.value)
    assert "REELROOM_FFMPEG" in message and str(tmp_path / "nope") in message
    assert "apt-get install ffmpeg" in message and "./rr setup" in message
    assert "\n" not in message


def test_not_on_path_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert tools.find_tool("ffprobe") is None
    with pytest.raises(
        tools.ToolMissing, match=r"ffprobe was not found on PATH.*apt-get install ffmpeg"
    ):
        tools.require_tool("ffprobe")


def test_version_is_the_first_line_without_copyright():
    for name in ("ffmpeg", "ffprobe"):
        version = tools.tool_version(shutil.which(name))
        assert version.startswith(f"{name} version ")
        assert "Copyright" not in version and "\n" not in version


def test_encoders_and_filters_hold_what_reelroom_needs_and_no_header_words():
    ffmpeg = shutil.which("ffmpeg")
    enc, fil = tools.encoders(ffmpeg), tools.filters(ffmpeg)
    assert {"libx264", "aac"} <= enc
    assert {"loudnorm", "subtitles", "overlay", "boxblur", "scale", "concat"} <= fil
    assert "libx264" not in fil and "loudnorm" not in enc
    for names in (enc, fil):
        assert not any(n in ("=", "------", "Encoders:", "Filters:") or "->" in n for n in names)


def test_results_are_cached_per_path_but_callers_get_their_own_set():
    ffmpeg = shutil.which("ffmpeg")
    first = tools.encoders(ffmpeg)
    first.discard("aac")
    assert "aac" in tools.encoders(ffmpeg)


def test_a_tool_that_fails_raises_tool_error_with_its_message(tmp_path):
    broken = script(
        tmp_path, "ffmpeg", 'echo "libavcodec.so.59: cannot open shared object" >&2; exit 127'
    )
    with pytest.raises(tools.ToolError, match=r"exit 127: libavcodec\.so\.59"):
        tools.tool_version(broken)
    with pytest.raises(tools.ToolError):
        tools.filters(broken)


def test_a_file_that_is_not_executable_raises_tool_error(tmp_path):
    plain = tmp_path / "ffmpeg"
    plain.write_text("not a program")
    with pytest.raises(tools.ToolError, match="not executable"):
        tools.tool_version(str(plain))
    assert os.access(plain, os.X_OK) is False


def test_a_tool_that_hangs_is_stopped_by_the_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(tools, "TOOL_TIMEOUT_S", 0.5)
    hung = script(tmp_path, "ffmpeg", "exec sleep 30")
    with pytest.raises(tools.ToolError, match="longer than"):
        tools.encoders(hung)
