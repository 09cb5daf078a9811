"""Issue 15, item 1: data never reaches the terminal raw (control characters made visible).

A title, a file name or a script holding ESC/BEL/OSC sequences, C1 controls
or bidi overrides is printed with visible stand-ins by every plain listing
and message; `--json` keeps the very same strings, escaped as JSON.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hostile import HOSTILE, raw_controls, run
from rich.cells import cell_len

from storage import Store
from storage.posts import PostRepo
from storage.scripts import ScriptRepo
from widgets.safe_text import json_text, visible


def test_visible_shows_every_control_and_keeps_cjk_and_emoji():
    assert visible("a\x1b]0;t\x07b") == "a␛]0;t␇b"
    assert visible("\x7f\x85\x9b") == "␡\\x85\\x9b"
    assert visible("abc\u202edef\u2066") == "abc\\u202edef\\u2066"
    assert visible("bad_\udcff\udcfe.mp4") == "bad_\\xff\\xfe.mp4"
    assert visible("\ud800") == "\\ud800"
    assert visible("one\ntwo\tthree") == "one␊two␉three"
    assert visible("one\ntwo\tthree", lines=True) == "one\ntwo\tthree"
    assert visible("新品开箱：耳机 🎬 café") == "新品开箱：耳机 🎬 café"
    assert cell_len(visible("\x1b\x07")) == 2  # one cell each: tables stay aligned


def test_json_text_escapes_what_json_dumps_leaves_raw_and_parses_back():
    value = "t\x1b\x7f\x85\u202e\udcff 新 🎬"
    text = json_text(json.dumps({"t": value}, ensure_ascii=False))
    assert raw_controls(text) == []
    assert "新" in text and "🎬" in text
    assert json.loads(text) == {"t": value}


def _home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    assert run("--home", str(root), "posts", "list").returncode == 0
    store = Store(root / "reelroom.db")
    post = PostRepo(store).add("T", planned_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    ScriptRepo(store).save(post.id, "## Hook\nSay\n")
    with store.write() as conn:  # stored raw, as older versions (and platforms) did
        conn.execute(
            "UPDATE posts SET title = ?, tags = ? WHERE id = ?",
            ("T" + HOSTILE, json.dumps([HOSTILE]), post.id),
        )
        conn.execute(
            "UPDATE scripts SET body = ? WHERE post_id = ?",
            (f"## Hook\nSay {HOSTILE}\n\n## Body\n新品 🎬 {HOSTILE}\n", post.id),
        )
    store.close()
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / f"clip{HOSTILE}.mp4").write_bytes(b"not a video at all" * 10)
    return root


def test_item1_control_characters_are_shown_visibly_by_plain_cli_output(tmp_path):
    root = _home(tmp_path)
    home = ("--home", str(root))
    outputs = [
        run(*home, "posts", "list"),
        run(*home, "script", "show", "1"),
        run(*home, "ingest", str(tmp_path / "cards")),
        run(*home, "footage", "list"),
        run(*home, "footage", "list", "--rejected"),
        run(*home, "posts", "add", "--title", "N" + HOSTILE),
        run(*home, "posts", "add", "--title", "P", "--pillar", HOSTILE),
    ]
    for done in outputs:
        assert raw_controls(done.stdout) == [], done.args
        assert raw_controls(done.stderr) == [], done.args
    listing = outputs[0].stdout
    assert "␛]0;pwned␇␛[2J\\x9b31m\\u202eevil" in listing
    assert "␛]0;pwned" in outputs[3].stdout  # the footage file name
    assert "␛]0;pwned" in outputs[1].stdout  # the script body and title


def test_item1_json_output_keeps_the_strings_and_escapes_them(tmp_path):
    root = _home(tmp_path)
    done = run("--home", str(root), "posts", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert raw_controls(done.stdout) == []
    (post,) = json.loads(done.stdout)
    assert post["title"] == "T" + HOSTILE and post["tags"] == [HOSTILE]
    shown = run("--home", str(root), "script", "show", "1", "--json")
    assert raw_controls(shown.stdout) == []
    assert HOSTILE in json.loads(shown.stdout)["sections"]["hook"]
