"""ShotRepo on a real SQLite file: sync from script lines, status, links, coverage."""

from __future__ import annotations

import pytest
from rows import add_asset, add_post

from storage import Store
from storage.script_text import parse
from storage.shots import ShotRepo, coverage_text

SCRIPT = """## Body
Hello there.
## Shots
!! 1. Knife close-up — CU @ kitchen
!! 2. Chopping onions — overhead @ kitchen
!! 3. Plating — MS @ table
"""


def test_sync_adds_shots_from_script_lines(store: Store) -> None:
    """Every `!!` line becomes a shot with its number, framing and location."""
    post = add_post(store, "Knives", "scripting")
    repo = ShotRepo(store)
    result = repo.sync(post, parse(SCRIPT).shots())
    assert result.added == (1, 2, 3) and not result.removed
    shots = repo.list(post)
    assert [(s.number, s.description, s.framing, s.location, s.status) for s in shots] == [
        (1, "Knife close-up", "CU", "kitchen", "to_shoot"),
        (2, "Chopping onions", "overhead", "kitchen", "to_shoot"),
        (3, "Plating", "MS", "table", "to_shoot"),
    ]


def test_resync_keeps_status_and_links_of_surviving_numbers(store: Store) -> None:
    """A shot whose number survives keeps status and clips; a dropped number goes."""
    post = add_post(store, "Knives", "scripting")
    repo = ShotRepo(store)
    repo.sync(post, parse(SCRIPT).shots())
    first, second, third = repo.list(post)
    repo.set_status(first.id, "shot")
    clip = add_asset(store, "A001.mov")
    assert repo.link(first.id, clip)
    assert repo.link(third.id, clip)
    edited = SCRIPT.replace("Knife close-up — CU", "Knife macro — ECU").replace(
        "!! 3. Plating — MS @ table\n", "!! 4. Tasting — CU @ table\n"
    )
    result = repo.sync(post, parse(edited).shots())
    assert result.updated == (1,) and result.added == (4,) and result.removed == (3,)
    shots = {s.number: s for s in repo.list(post)}
    assert sorted(shots) == [1, 2, 4]
    assert shots[1].id == first.id and shots[1].status == "shot" and shots[1].clips == 1
    assert (shots[1].description, shots[1].framing) == ("Knife macro", "ECU")
    assert shots[2].id == second.id
    assert repo.clips(first.id)[0].name == "A001.mov"
    assert store.db["shot_assets"].count == 1  # the removed shot's link went with it


def test_sync_reports_repeated_numbers_and_keeps_the_first(store: Store) -> None:
    """Two lines with one number: the first wins and the number is reported."""
    post = add_post(store, "Dupes", "scripting")
    text = "## Shots\n!! 1. First\n!! 1. Second\n!! 2. Third\n"
    result = ShotRepo(store).sync(post, parse(text).shots())
    assert result.duplicates == (1,)
    assert [s.description for s in ShotRepo(store).list(post)] == ["First", "Third"]


def test_unnumbered_lines_are_numbered_in_order(store: Store) -> None:
    """`!!` lines without numbers get 1, 2, 3 in order of appearance."""
    post = add_post(store, "Plain", "scripting")
    text = "## Shots\n!! Wide of the street @ Main St\n!! Sign — CU\n"
    ShotRepo(store).sync(post, parse(text).shots())
    shots = ShotRepo(store).list(post)
    assert [(s.number, s.description, s.framing, s.location) for s in shots] == [
        (1, "Wide of the street", "", "Main St"),
        (2, "Sign", "CU", ""),
    ]


def test_add_edit_and_status(store: Store) -> None:
    """Shots added in the table number after the last; edits and status stick."""
    post = add_post(store, "Table", "idea")
    repo = ShotRepo(store)
    one = repo.add(post, "Opening", framing="WS")
    two = repo.add(post, "Close", location="desk")
    assert (one.number, two.number) == (1, 2)
    edited = repo.edit(two.id, framing="CU")
    assert edited is not None and (edited.description, edited.framing, edited.location) == (
        "Close",
        "CU",
        "desk",
    )
    done = repo.set_status(two.id, "in_edit")
    assert done is not None and done.status_label == "in edit"
    with pytest.raises(ValueError, match="to_shoot, shot, in_edit"):
        repo.set_status(two.id, "filmed")
    with pytest.raises(ValueError, match="description"):
        repo.add(post, "   ")
    assert repo.get(two.id).status == "in_edit"  # the refused change left it alone


def test_link_unlink_and_coverage(store: Store) -> None:
    """Coverage counts shots with at least one existing clip; links are idempotent."""
    post = add_post(store, "Cover", "shot")
    repo = ShotRepo(store)
    repo.sync(post, parse(SCRIPT).shots())
    shots = repo.list(post)
    assert repo.coverage(post) == (0, 3)
    ok, gone = add_asset(store, "ok.mov"), add_asset(store, "gone.mov", status="missing")
    assert repo.link(shots[0].id, ok) and not repo.link(shots[0].id, ok)
    repo.link(shots[0].id, gone)
    repo.link(shots[1].id, gone)
    assert repo.coverage(post) == (1, 3)  # a missing file is not footage
    assert coverage_text(*repo.coverage(post)) == "1 of 3 shots have footage"
    assert repo.unlink(shots[0].id, ok) and not repo.unlink(shots[0].id, ok)
    assert repo.coverage(post) == (0, 3)
    assert repo.coverage(add_post(store, "Empty", "idea")) == (0, 0)
    assert coverage_text(0, 0) == "No shots yet"
    assert coverage_text(1, 1) == "1 of 1 shot has footage"


def test_today_post_detail_shows_coverage(store: Store) -> None:
    """Today's post detail carries the coverage line ("1 of 3 shots have footage")."""
    from zoneinfo import ZoneInfo

    from screens.today.details import post_view
    from storage.today import TodayRepo

    post = add_post(store, "Cover", "shot")
    repo = ShotRepo(store)
    repo.sync(post, parse(SCRIPT).shots())
    repo.link(repo.list(post)[2].id, add_asset(store, "C.mov"))
    detail = TodayRepo(store).post_detail(post)
    assert (detail.shots_covered, detail.shots_total) == (1, 3)
    assert ("Shots", "1 of 3 shots have footage") in post_view(detail, ZoneInfo("UTC")).fields


def test_candidate_clips_put_the_posts_own_first(store: Store) -> None:
    """Candidates are existing video clips, the post's own before the newest others."""
    post = add_post(store, "Mine", "shot")
    other = add_asset(store, "other.mov")
    mine = add_asset(store, "mine.mov")
    store.db["assets"].update(mine, {"post_id": post, "imported_at": "2025-01-01T00:00:00Z"})
    add_asset(store, "gone.mov", status="missing")
    repo = ShotRepo(store)
    assert [c.asset_id for c in repo.candidate_clips(post)] == [mine, other]
    shot = repo.add(post, "Only")
    repo.set_links(shot.id, [mine, other], [])
    repo.set_links(shot.id, [], [other])
    assert [c.name for c in repo.clips(shot.id)] == ["mine.mov"]
