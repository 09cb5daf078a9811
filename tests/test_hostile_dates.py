"""Issue 15, items 3 and 9: dates and titles checked on the way in; readers survive bad rows.

Item 3: a date outside 1970-2200 is refused before anything is stored; times
are stored fixed-width; a bad date already stored (as older versions wrote
`1-01-01T00:00:00Z`) is shown and flagged by every reader — posts list,
calendar export, Today, the calendar and the Scripts tab's list — never
failing the whole list. Item 9: titles are text without control characters,
and the .ics export is valid whatever was stored.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hostile import one_paragraph, raw_controls, run
from icalendar import Calendar

from app.posts_import import parse_file
from storage import Store
from storage.calendar import CalendarRepo
from storage.posts import PostRepo
from storage.text_input import TextInputError, check_title
from storage.timefmt import TimeRangeError, check_range, to_db
from storage.today import TodayRepo

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def _cli_home(tmp_path: Path) -> Path:
    root = tmp_path / "home"
    assert run("--home", str(root), "posts", "list").returncode == 0
    return root


def _poison(db: Path) -> None:
    """Rows as a ReelRoom before these checks stored them (and one written by hand)."""
    store = Store(db)
    repo = PostRepo(store)
    repo.add("good", planned_at=NOW + timedelta(days=1))
    with store.write() as conn:
        for title, planned in (("year one", "1-01-01T00:00:00Z"), ("garbage", "next week")):
            conn.execute(
                "INSERT INTO posts (title, status, planned_at, shoot_at, created_at, updated_at)"
                " VALUES (?, 'idea', ?, ?, ?, ?)",
                (title, planned, planned, to_db(NOW), to_db(NOW)),
            )
    store.close()


def test_to_db_is_fixed_width_and_the_range_is_checked():
    assert to_db(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05Z"
    assert len(to_db(datetime(2026, 1, 1, tzinfo=UTC))) == 20
    with pytest.raises(TimeRangeError):
        check_range(datetime(1, 1, 1, tzinfo=UTC))
    with pytest.raises(TimeRangeError):
        check_range(datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert check_range(datetime(2200, 12, 31, tzinfo=UTC)).year == 2200


def test_item3_a_date_outside_the_range_is_refused_and_bad_rows_never_fail_a_list(tmp_path):
    root = _cli_home(tmp_path)
    for date in ("0001-01-01", "9999-12-31T23:00-05:00", "2201-01-02"):
        done = run("--home", str(root), "posts", "add", "--title", "x", "--date", date)
        assert done.returncode == 2 and one_paragraph(done.stderr), done.stderr
        assert "1970-2200" in done.stderr
    _poison(root / "reelroom.db")
    listed = run("--home", str(root), "posts", "list")
    assert listed.returncode == 0, listed.stderr
    assert "year one" in listed.stdout and "! 1-01-01T00:00:00Z" in listed.stdout
    assert "garbage" in listed.stdout and "good" in listed.stdout
    as_json = json.loads(run("--home", str(root), "posts", "list", "--json").stdout)
    (bad,) = [p for p in as_json if p["title"] == "year one"]
    assert bad["planned_at"] == "1-01-01T00:00:00Z" and bad["problems"]
    exported = run("--home", str(root), "calendar", "export", str(tmp_path / "plan.ics"))
    assert exported.returncode == 0, exported.stderr
    assert "year one" not in (tmp_path / "plan.ics").read_text()
    assert "1-01-01T00:00:00Z" in exported.stderr and "left out" in exported.stderr
    huge = run("--home", str(root), "posts", "list", "--to", "9999-12-31")
    assert huge.returncode == 2 and one_paragraph(huge.stderr)

    store = Store(root / "reelroom.db")
    zone = ZoneInfo("America/New_York")  # local time of year 1 would overflow
    today = TodayRepo(store).items(NOW, zone)
    flagged = [p for p in today.due_posts.items if p.bad_date]
    assert [p.title for p in flagged] == ["year one"]  # 'next week' sorts after every date
    assert all(p.due_at is None for p in flagged)
    titles = {p.title for column in CalendarRepo(store).board() for p in column.posts}
    assert {"year one", "garbage", "good"} <= titles
    (card,) = [p for c in CalendarRepo(store).board() for p in c.posts if p.title == "garbage"]
    assert card.planned_at is None and card.bad_date == "next week"
    assert len(PostRepo(store).list()) == 3  # the Scripts tab's list
    store.close()


@pytest.mark.parametrize(
    "value,words",
    [
        (["a", "b"], "a list"),
        ({"x": 1}, "an object"),
        (True, "true/false"),
        (12, "a number"),
        (" \x00\x1b\t ", "empty"),
    ],
)
def test_titles_are_text(value, words):
    with pytest.raises(TextInputError, match=words):
        check_title(value)


def test_item9_titles_are_strings_without_controls_and_the_ics_is_valid(tmp_path):
    root = _cli_home(tmp_path)
    items = [
        {"title": ["a", "b"]},
        {"title": {"x": 1}},
        {"title": True},
        {"title": 12},
        {"title": "ok\x00 \x1b]0;t\x07 title \u202eevil"},
    ]
    src = tmp_path / "ideas.json"
    src.write_text(json.dumps(items), encoding="utf-8")
    parsed = parse_file(src, zone=ZoneInfo("UTC"), pillars=set())
    assert [r.title for r in parsed.rows] == ["ok ]0;t title evil"]
    assert len(parsed.errors) == 4 and all("title must be text" in e for e in parsed.errors)
    csv = tmp_path / "ideas.csv"
    csv.write_bytes(b"title,notes\nnul\x00title,line\x1bone\n")
    (row,) = parse_file(csv, zone=ZoneInfo("UTC"), pillars=set()).rows
    assert row.title == "nultitle" and "\x1b" not in row.notes

    store = Store(root / "reelroom.db")
    with store.write() as conn:  # stored raw by an older version
        conn.execute(
            "INSERT INTO posts (title, status, planned_at, notes, created_at, updated_at)"
            " VALUES (?, 'scheduled', ?, ?, ?, ?)",
            ("t\x00i\x1btle", to_db(NOW), "n\x00o\x1b[2Jtes\x07", to_db(NOW), to_db(NOW)),
        )
    store.close()
    target = tmp_path / "plan.ics"
    assert run("--home", str(root), "calendar", "export", str(target)).returncode == 0
    data = target.read_bytes()
    assert not [b for b in data if b < 0x20 and b not in (0x09, 0x0A, 0x0D)]
    (event,) = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["summary"]) == "title"
    assert raw_controls(str(event["description"]).replace("\n", " ")) == []
