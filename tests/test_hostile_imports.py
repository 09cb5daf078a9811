"""Issue 15, item 4: `posts import` checks every row first, writes the good ones at once, once.

Bad rows are reported by line before anything is stored; the good rows go in
one transaction; running the same file again adds nothing (each row carries
an import key: the file, its content and its occurrence).
"""

from __future__ import annotations

import json
from pathlib import Path

from hostile import run

CSV = (
    "title,date,target_seconds,notes\n"
    "First,2026-12-01,30,one\n"
    "Second,2026-12-02,,two\n"
    "Too long,2026-12-03,99999999999999999999,bad target\n"
    "Far away,9999-12-31T23:00-05:00,20,bad date\n"
    "Third,,45,three\n"
    "Third,,45,three\n"
)


def _titles(root: Path) -> list[str]:
    done = run("--home", str(root), "posts", "list", "--json")
    assert done.returncode == 0, done.stderr
    return sorted(p["title"] for p in json.loads(done.stdout))


def test_item4_posts_import_reports_every_bad_row_writes_the_rest_once(tmp_path):
    root = tmp_path / "home"
    src = tmp_path / "ideas.csv"
    src.write_text(CSV, encoding="utf-8")
    done = run("--home", str(root), "posts", "import", str(src), "--json")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{src}:4: target_seconds" in done.stderr
    assert f"{src}:5: date" in done.stderr and "1970-2200" in done.stderr
    doc = json.loads(done.stdout)
    assert len(doc["added"]) == 4 and len(doc["errors"]) == 2
    assert _titles(root) == ["First", "Second", "Third", "Third"]  # two identical rows: two posts
    again = run("--home", str(root), "posts", "import", str(src), "--json")
    assert again.returncode == 1
    assert json.loads(again.stdout)["added"] == []
    assert json.loads(again.stdout)["already_imported"] == 4
    assert "added 0 posts; 4 already imported" in again.stderr
    assert _titles(root) == ["First", "Second", "Third", "Third"]
    src.write_text(CSV + "Fourth,,,new row\n", encoding="utf-8")
    third = run("--home", str(root), "posts", "import", str(src))
    assert "added 1 posts" in third.stderr
    assert _titles(root) == ["First", "Fourth", "Second", "Third", "Third"]
