"""`posts add`, `posts import`, `calendar export` and `script` through the real command."""

import json
import subprocess
import sys
from pathlib import Path

from icalendar import Calendar

REELROOM = str(Path(sys.executable).with_name("reelroom"))


def rr(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [REELROOM, "--home", str(home), *args], capture_output=True, text=True, timeout=60
    )


def test_posts_add_json_prints_the_post(tmp_path):
    """The new post comes back with its id, in UTC."""
    (tmp_path / "config.toml").write_text('[workspace]\ntimezone = "Asia/Shanghai"\n')
    out = rr(
        tmp_path,
        "posts",
        "add",
        "--title",
        "三个切菜技巧",
        "--date",
        "2026-12-02T18:00",
        "--status",
        "scripting",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    post = json.loads(out.stdout)
    assert post["title"] == "三个切菜技巧"
    assert post["status"] == "scripting"
    assert post["planned_at"] == "2026-12-02T10:00:00Z"  # 18:00 in Shanghai
    listed = json.loads(rr(tmp_path, "posts", "list", "--json").stdout)
    assert [p["id"] for p in listed] == [post["id"]]


def test_posts_add_unknown_pillar_is_refused(tmp_path):
    """An unknown pillar names the pillars there are and stores nothing."""
    out = rr(tmp_path, "posts", "add", "--title", "x", "--pillar", "Nope")
    assert out.returncode == 1
    assert "no pillar 'Nope'" in out.stderr
    assert json.loads(rr(tmp_path, "posts", "list", "--json").stdout) == []


def test_csv_import_reports_bad_rows_by_line_and_keeps_good_ones(tmp_path):
    """Each bad row is named by its line; the good ones are stored."""
    csv_file = tmp_path / "ideas.csv"
    csv_file.write_text(
        "title,date,status,target_seconds\n"
        "Good one,2026-12-03,idea,30\n"
        ",2026-12-04,idea,\n"
        "Bad date,tomorrow,idea,\n"
        "Bad status,2026-12-05,done,\n"
        '"Comma, title",2026-12-06,scripting,\n'
        "Bad length,2026-12-07,idea,-5\n",
        encoding="utf-8",
    )
    out = rr(tmp_path, "posts", "import", str(csv_file))
    assert out.returncode == 1
    assert f"{csv_file}:3: title is empty" in out.stderr
    assert f"{csv_file}:4: date 'tomorrow'" in out.stderr
    assert f"{csv_file}:5: status 'done'" in out.stderr
    assert f"{csv_file}:7: target_seconds" in out.stderr
    titles = [p["title"] for p in json.loads(rr(tmp_path, "posts", "list", "--json").stdout)]
    assert titles == ["Good one", "Comma, title"]


def test_json_import_names_the_line_of_the_bad_item(tmp_path):
    """JSON items are reported by the line they start on."""
    data = tmp_path / "ideas.json"
    data.write_text(
        '[\n  {"title": "One"},\n  {"title": ""},\n  {"title": "Two",\n   "status": "nope"}\n]\n'
    )
    out = rr(tmp_path, "posts", "import", str(data), "--json")
    doc = json.loads(out.stdout)
    assert [p["title"] for p in doc["added"]] == ["One"]
    assert doc["errors"][0].startswith(f"{data}:3:")
    assert doc["errors"][1].startswith(f"{data}:4:")


def test_calendar_export_parses_back_with_stable_uids(tmp_path):
    """The .ics is valid iCalendar and a second export keeps every UID."""
    rr(tmp_path, "posts", "add", "--title", "A", "--date", "2026-12-02T18:00")
    rr(tmp_path, "posts", "add", "--title", "Unplanned")
    rr(tmp_path, "posts", "add", "--title", "B", "--date", "2026-12-05")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert rr(tmp_path, "calendar", "export", str(first)).returncode == 0
    assert rr(tmp_path, "calendar", "export", str(second)).returncode == 0

    def events(path):
        cal = Calendar.from_ical(path.read_bytes())
        return {str(e["uid"]): str(e["summary"]) for e in cal.walk("VEVENT")}

    one, two = events(first), events(second)
    assert len(one) == 2  # the unplanned post has no event
    assert one == two
    assert all(uid.endswith("@reelroom") for uid in one)


def test_script_import_show_export(tmp_path):
    """A Fountain file becomes the script; show estimates it; export gives it back."""
    post = json.loads(rr(tmp_path, "posts", "add", "--title", "Knives", "--json").stdout)
    src = tmp_path / "knives.fountain"
    src.write_text(
        "Title: Knives\n\n# Hook\n\nStop scrolling now.\n\n# Body\n\nINT. KITCHEN - DAY\n\n"
        "HOST\n今天教大家切菜。\n\n!! 1. Knife — CU @ kitchen\n",
        encoding="utf-8",
    )
    assert rr(tmp_path, "script", "import", str(post["id"]), str(src)).returncode == 0
    shown = json.loads(rr(tmp_path, "script", "show", str(post["id"]), "--json").stdout)
    assert shown["estimate_seconds"]["hook"] == round(3 * 60 / 150, 1)
    assert shown["estimate_seconds"]["body"] == round(7 * 60 / 250, 1)
    assert shown["estimated_seconds"] == round(3 * 60 / 150 + 7 * 60 / 250, 1)
    assert shown["shots"] == [
        {"number": 1, "description": "Knife", "framing": "CU", "location": "kitchen"}
    ]
    exported = rr(tmp_path, "script", "export", str(post["id"]), "--format", "fountain").stdout
    assert "INT. KITCHEN - DAY" in exported and "!! 1. Knife — CU @ kitchen" in exported


def test_script_of_a_missing_post(tmp_path):
    """A post id that does not exist exits 1 with a pointer to posts list."""
    out = rr(tmp_path, "script", "show", "42")
    assert out.returncode == 1
    assert "no post 42" in out.stderr
