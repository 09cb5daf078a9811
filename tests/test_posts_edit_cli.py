"""`reelroom posts edit`: a post's title, pillar, length, date and status after creation,
checked like `posts add` (bad input exits 1 or 2 and changes nothing)."""

import json
import subprocess
import sys
from pathlib import Path

REELROOM = str(Path(sys.executable).with_name("reelroom"))


def rr(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [REELROOM, "--home", str(home), *args], capture_output=True, text=True, timeout=60
    )


def added(home: Path) -> dict:
    (home / "config.toml").write_text('[workspace]\ntimezone = "Asia/Shanghai"\n')
    out = rr(
        home, "posts", "add", "--title", "Knife skills", "--date", "2026-12-02T18:00", "--json"
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def listed(home: Path) -> list[dict]:
    return json.loads(rr(home, "posts", "list", "--json").stdout)


def test_edit_changes_only_the_fields_given(tmp_path: Path) -> None:
    post = added(tmp_path)
    out = rr(
        tmp_path,
        "posts",
        "edit",
        str(post["id"]),
        "--title",
        "三个切菜技巧",
        "--target-seconds",
        "45",
        "--date",
        "2026-12-05",
        "--status",
        "scripting",
        "--json",
    )
    assert out.returncode == 0, out.stderr
    edited = json.loads(out.stdout)
    assert edited["title"] == "三个切菜技巧" and edited["target_seconds"] == 45
    assert edited["status"] == "scripting"
    assert edited["planned_at"] == "2026-12-05T10:00:00Z"  # a bare date keeps 18:00 local
    assert listed(tmp_path) == [edited]
    out = rr(tmp_path, "posts", "edit", str(post["id"]), "--date", "2026-12-06T09:30")
    assert out.returncode == 0 and out.stdout.strip() == str(post["id"])
    assert listed(tmp_path)[0]["planned_at"] == "2026-12-06T01:30:00Z"
    assert listed(tmp_path)[0]["title"] == "三个切菜技巧"  # untouched


def test_edit_refuses_bad_input_and_changes_nothing(tmp_path: Path) -> None:
    post = added(tmp_path)
    before = listed(tmp_path)
    cases = [
        (("--pillar", "Nope"), 1, "no pillar 'Nope'"),
        (("--title", "  "), 2, "--title is empty"),
        (("--target-seconds", "soon"), 2, "--target-seconds 'soon' is not a length"),
        (("--date", "tomorrow"), 2, "--date 'tomorrow' is not a date"),
        ((), 2, "nothing to change"),
    ]
    for extra, status, message in cases:
        out = rr(tmp_path, "posts", "edit", str(post["id"]), *extra)
        assert out.returncode == status, (extra, out.stderr)
        assert message in out.stderr and out.stdout == ""
    out = rr(tmp_path, "posts", "edit", "999", "--title", "x")
    assert out.returncode == 1 and "no post 999" in out.stderr
    out = rr(tmp_path, "posts", "edit", str(post["id"]), "--status", "done")
    assert out.returncode == 2  # argparse names the choices
    assert listed(tmp_path) == before
