"""Issue 15: arbitrary text — control characters, surrogates, CJK, emoji, right-to-left —
fed to titles, captions, file names and imports: nothing raises, nothing stored is lost,
nothing printed holds a raw control character.

Property tests (hypothesis). The command's output is taken in-process through
app.cli.main, so each example costs milliseconds; file names are real files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hostile import raw_controls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import app.cli
from media_watch.ingest import ingest_paths
from storage import Store
from storage.footage import FootageRepo
from storage.posts import PostRepo
from storage.scripts import ScriptRepo
from storage.text_input import TextInputError, clean_block, clean_line

# Text as hostile as it gets: every code point (surrogates included), with the
# troublemakers drawn often.
SPECIAL = st.sampled_from(
    list("\x00\x07\x08\x1b\x7f\x85\x9b\u202e\u2066\u2069\u2028\ud800\udcff\udc80")
    + ["新品开箱", "🎬", "👩‍👩‍👧", "مرحبا", "שלום", "\u200f", "e\u0301"]
)
TEXT = st.lists(st.one_of(st.characters(codec=None), SPECIAL), max_size=40).map("".join)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def home() -> Path:
    root = Path(tempfile.mkdtemp(prefix="rr-property-"))
    assert app.cli.main(["--home", str(root), "posts", "list", "--json"]) == 0
    yield root
    shutil.rmtree(root, ignore_errors=True)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = app.cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _no_raw(*texts: str) -> None:
    for text in texts:
        assert raw_controls(text) == [], repr(text)


@SETTINGS
@given(title=TEXT, caption=TEXT, notes=TEXT)
def test_any_title_and_caption_is_stored_clean_and_printed_safely(
    home, capsys, title, caption, notes
):
    store = Store(home / "reelroom.db")
    try:
        try:
            post = PostRepo(store).add(title, notes=notes, tags=[title])
        except TextInputError:
            assert clean_line(title) == "" or len(clean_line(title)) > 300
            return
        assert post.title == clean_line(title)  # only the controls went
        assert post.notes == clean_block(notes)
        body = f"## Hook\n{title}\n\n## Caption\n{caption}\n"
        script = ScriptRepo(store).save(post.id, body)
        assert script.body == clean_block(body)
    finally:
        store.close()
    h = ("--home", str(home))
    for args in (("posts", "list"), ("script", "show", str(post.id))):
        code, out, err = _cli(capsys, *h, *args)
        assert code == 0, err
        _no_raw(out, err)
    code, out, err = _cli(capsys, *h, "script", "show", str(post.id), "--json")
    _no_raw(out, err)
    assert json.loads(out)["title"] == post.title


@SETTINGS
@given(rows=st.lists(st.tuples(TEXT, TEXT, TEXT), min_size=1, max_size=5), as_json=st.booleans())
def test_any_import_file_raises_nothing_and_stores_every_good_row(home, capsys, rows, as_json):
    folder = Path(tempfile.mkdtemp(prefix="rr-import-"))
    try:
        if as_json:
            src = folder / "ideas.json"
            items = [{"title": t, "notes": n, "status": s} for t, n, s in rows]
            src.write_text(json.dumps(items, ensure_ascii=True), encoding="utf-8")
        else:
            src = folder / "ideas.csv"
            lines = ["title,notes"] + [
                ",".join('"' + c.replace('"', '""') + '"' for c in (t, n)) for t, n, _ in rows
            ]
            src.write_bytes("\n".join(lines).encode("utf-8", "replace"))
        before = PostRepo(Store(home / "reelroom.db")).count()
        code, out, err = _cli(capsys, "--home", str(home), "posts", "import", str(src), "--json")
        assert code in (0, 1), err
        _no_raw(out, err)
        doc = json.loads(out)
        after = PostRepo(Store(home / "reelroom.db")).count()
        assert after - before == len(doc["added"])  # what it says it added is stored
        code, out, err = _cli(capsys, "--home", str(home), "posts", "import", str(src), "--json")
        assert json.loads(out)["added"] == []  # and only once
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _byte(char: str) -> bytes:
    try:
        return os.fsencode(char)  # U+DC80-U+DCFF: the byte it stands for
    except UnicodeEncodeError:
        return char.encode("utf-8", "surrogatepass")  # other surrogates: bytes no UTF-8 has


def _file_name(text: str) -> bytes | None:
    raw = b"".join(_byte(c) for c in text.replace("/", "_").replace("\x00", "_"))[:200]
    return raw + b".mp4" if raw.strip(b".") else None


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(names=st.lists(TEXT, min_size=1, max_size=4))
def test_any_file_name_is_imported_or_rejected_and_shown_safely(home, capsys, names):
    folder = Path(tempfile.mkdtemp(prefix="rr-names-"))
    try:
        made: set[str] = set()
        for index, text in enumerate(names):
            raw = _file_name(text)
            if raw is None:
                continue
            path = os.fsencode(folder) + b"/" + bytes([48 + index]) + raw
            with open(path, "wb") as fh:
                fh.write(b"not a video " * 20 + bytes([index]))
            made.add(os.fsdecode(path))
        store = Store(home / "reelroom.db")
        summary = ingest_paths(store, [folder], wait_background=False)
        assert {row.path for row in summary.rows} == made  # every file has its outcome
        stored = {p.path for a in FootageRepo(store).list() for p in a.paths}
        assert made <= stored  # by their very bytes
        store.close()
        for args in (("footage", "list"), ("footage", "list", "--json")):
            code, out, err = _cli(capsys, "--home", str(home), *args)
            assert code == 0, err
            _no_raw(out, err)
    finally:
        shutil.rmtree(os.fsencode(folder), ignore_errors=True)
