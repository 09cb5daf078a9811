"""CalendarRepo, posting slots, the [[slots]] config and the calendar's pure model."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.cells import cell_len
from rows import (
    add_account,
    add_deal,
    add_deliverable,
    add_pillar,
    add_post,
    add_publication,
)

from app.config import ConfigError, load_config
from screens.calendar import model as cm
from storage import Store
from storage.calendar import CalendarRepo, PostFilter, local_day_bounds
from storage.posts import PostRepo
from storage.scripts import ScriptRepo
from storage.slots import SlotSpec, free_times, next_free, weekday_number
from widgets.month_grid import DayCell, Entry, cut

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_range_counts_local_days(store: Store) -> None:
    """A post at 17:00 UTC on 30 Nov is on 1 Dec in Shanghai; bounds are local midnights."""
    pillar = add_pillar(store, "街头小吃", "yellow")
    late = add_post(store, "夜市", "idea", planned=utc(2026, 11, 30, 17), pillar_id=pillar)
    add_post(store, "before", "idea", planned=utc(2026, 11, 30, 15, 59))
    start, end = local_day_bounds(date(2026, 12, 1), date(2026, 12, 1), SHANGHAI)
    found = CalendarRepo(store).range(start, end)
    assert [p.id for p in found.posts] == [late]
    assert found.posts[0].pillar == "街头小吃" and found.posts[0].color == "yellow"
    cells = cm.day_cells(found, [], SHANGHAI, date(2026, 12, 1), date(2026, 12, 1))
    assert [e.key for e in cells[date(2026, 12, 1)].entries] == [f"post:{late}"]
    assert cells[date(2026, 12, 1)].entries[0].time == "01:00"


def test_range_has_deadlines_shoots_and_accounts(store: Store) -> None:
    """Deliverables and shoots come as their own kinds; posts carry their accounts."""
    acc = add_account(store, "tiktok", "lab")
    post = add_post(
        store, "tacos", "ready_to_shoot", planned=utc(2026, 12, 3, 11), shoot=utc(2026, 12, 2, 2)
    )
    add_publication(store, post, acc, "draft")
    deal = add_deal(store, "Acme")
    due = add_deliverable(store, deal, "story", utc(2026, 12, 2, 9))
    add_deliverable(store, deal, "outside", utc(2026, 12, 9, 9))
    start, end = local_day_bounds(date(2026, 12, 1), date(2026, 12, 7), UTC)
    found = CalendarRepo(store).range(start, end)
    assert found.posts[0].accounts == ("tiktok:lab",)
    assert [d.id for d in found.deadlines] == [due] and found.deadlines[0].partner == "Acme"
    assert [(s.post_id, s.shoot_at) for s in found.shoots] == [(post, utc(2026, 12, 2, 2))]
    cells = cm.day_cells(found, [], ZoneInfo("UTC"), date(2026, 12, 1), date(2026, 12, 7))
    assert [e.glyph for e in cells[date(2026, 12, 2)].entries] == [
        cm.SHOOT_GLYPH,
        cm.DEADLINE_GLYPH,
    ]


def test_filters_narrow_posts_by_pillar_status_and_account(store: Store) -> None:
    """Pillar, status and account (via publications) each narrow the range and the board."""
    a = add_pillar(store, "A", "green")
    acc = add_account(store, "youtube", "chan")
    p1 = add_post(store, "one", "idea", planned=utc(2026, 12, 1, 10), pillar_id=a)
    p2 = add_post(store, "two", "ready", planned=utc(2026, 12, 1, 11))
    add_publication(store, p2, acc, "draft")
    repo = CalendarRepo(store)
    start, end = utc(2026, 12, 1), utc(2026, 12, 2)
    assert [p.id for p in repo.posts(start, end, PostFilter(pillar_id=a))] == [p1]
    assert [p.id for p in repo.posts(start, end, PostFilter(status="ready"))] == [p2]
    assert [p.id for p in repo.posts(start, end, PostFilter(account_id=acc))] == [p2]
    counts = {c.status: c.count for c in repo.board(PostFilter(account_id=acc))}
    assert counts["ready"] == 1 and counts["idea"] == 0


def test_move_keeps_local_time_across_dst(store: Store) -> None:
    """18:00 in Berlin before the October change stays 18:00 after it (16:00Z → 17:00Z)."""
    post = add_post(store, "clocks", "idea", planned=utc(2026, 10, 20, 16))
    moved = CalendarRepo(store).move_post(post, date(2026, 10, 30), BERLIN)
    assert moved is not None
    assert moved.planned_at == utc(2026, 10, 30, 17)
    assert moved.planned_at.astimezone(BERLIN).strftime("%H:%M") == "18:00"
    assert CalendarRepo(store).move_post(9999, date(2026, 10, 30), BERLIN) is None


def test_move_leaves_unplanned_posts_alone(store: Store) -> None:
    """A post with no planned time has no time to keep: nothing is written."""
    post = add_post(store, "someday", "idea")
    assert CalendarRepo(store).move_post(post, date(2026, 12, 1), BERLIN) is None
    assert PostRepo(store).get(post).planned_at is None  # type: ignore[union-attr]


def test_step_status_walks_the_pipeline_and_clamps(store: Store) -> None:
    """> and < move one stage; the ends hold; a bad status is refused."""
    repo = CalendarRepo(store)
    post = add_post(store, "p", "idea")
    assert repo.step_status(post, -1).status == "idea"  # type: ignore[union-attr]
    assert repo.step_status(post, 1).status == "scripting"  # type: ignore[union-attr]
    repo.set_status(post, "archived")
    assert repo.step_status(post, 1).status == "archived"  # type: ignore[union-attr]
    assert repo.step_status(post, -1).status == "published"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="not one of"):
        repo.set_status(post, "done")
    assert PostRepo(store).get(post).status == "published"  # type: ignore[union-attr]


def test_board_columns_count_all_but_list_a_window(store: Store) -> None:
    """Every status is a column in pipeline order; counts are whole, lists capped."""
    for i in range(5):
        add_post(store, f"idea {i}", "idea", planned=utc(2026, 12, 5 - i, 10))
    add_post(store, "unplanned", "idea")
    add_post(store, "done", "published", planned=utc(2026, 11, 1, 10))
    columns = CalendarRepo(store).board(limit=3)
    assert [c.status for c in columns][0] == "idea" and columns[-1].status == "archived"
    idea = columns[0]
    assert idea.count == 6 and [p.title for p in idea.posts] == ["idea 4", "idea 3", "idea 2"]
    assert {c.status: c.count for c in columns}["published"] == 1


def test_card_has_script_estimate_and_shot_coverage(store: Store) -> None:
    """The detail reads the script's spoken length and how many shots are done."""
    post = add_post(store, "tacos", "shot", planned=utc(2026, 12, 1, 10))
    ScriptRepo(store).save(post, "## Hook\n" + "word " * 150 + "\n")
    for number, status in ((1, "shot"), (2, "to_shoot"), (3, "in_edit")):
        store.db["shots"].insert({"post_id": post, "number": number, "status": status})
    card = CalendarRepo(store).card(post, wpm=150)
    assert card is not None
    assert card.script_seconds == pytest.approx(60.0)
    assert (card.shots_done, card.shots_total, card.clips) == (2, 3, 0)
    view = cm.post_view(card, ZoneInfo("UTC"))
    assert ("Script", "about 60 s spoken") in view.fields and ("Shots", "2/3 shot") in view.fields
    bare = CalendarRepo(store).card(add_post(store, "bare", "idea"))
    assert bare is not None and bare.script_seconds is None and bare.shots_total == 0


def test_slots_add_seed_and_report_unmatched(store: Store) -> None:
    """A bare platform seeds every account of it; unknown accounts are reported; no duplicates."""
    a = add_account(store, "tiktok", "one")
    add_account(store, "tiktok", "two")
    repo = CalendarRepo(store)
    specs = [
        SlotSpec("tiktok", (1, 3), "18:00"),
        SlotSpec("youtube:nobody", (0,), "12:00"),
        SlotSpec("tiktok:@ONE", (5,), "09:30"),
    ]
    added, unmatched = repo.seed_slots(specs)
    assert added == 5 and unmatched == ["youtube:nobody"]
    assert repo.seed_slots(specs)[0] == 0  # seeding again adds nothing
    assert {(s.handle, s.weekday, s.local_time) for s in repo.slots() if s.weekday == 5} == {
        ("one", 5, "09:30")
    }
    assert repo.add_slot(a, 1, "18:00") is False
    slot_id = repo.slots()[0].id
    assert repo.remove_slot(slot_id) and not repo.remove_slot(slot_id)


def test_free_slots_and_next_free(store: Store) -> None:
    """A slot is taken by a post at that local time that day; next free fills the earliest gap."""
    acc = add_account(store, "tiktok", "lab")
    repo = CalendarRepo(store)
    for hhmm in ("12:30", "19:00"):
        repo.add_slot(acc, 1, hhmm)  # Tuesdays
    tuesday = date(2026, 12, 1)
    add_post(store, "lunch", "idea", planned=datetime(2026, 12, 1, 12, 30, tzinfo=SHANGHAI))
    start, end = local_day_bounds(tuesday, tuesday, SHANGHAI)
    posts = repo.posts(start, end)
    assert free_times(tuesday, repo.slots(), posts, SHANGHAI) == ["19:00"]
    assert next_free(tuesday, repo.slots(), posts, SHANGHAI) == datetime(
        2026, 12, 1, 19, tzinfo=SHANGHAI
    )
    assert next_free(tuesday + timedelta(days=1), repo.slots(), posts, SHANGHAI) is None
    assert free_times(tuesday, repo.slots(), posts, SHANGHAI, account_id=acc + 1) == []


def _config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text('[workspace]\ntimezone = "UTC"\n\n' + body, encoding="utf-8")
    return path


def test_config_slots_parse(tmp_path: Path) -> None:
    """[[slots]] with weekday names (short or long) and HH:MM become SlotSpecs."""
    path = _config(
        tmp_path,
        '[[slots]]\naccount = "tiktok:handle"\ndays = ["tue", "Thursday", "sat"]\ntime = "18:00"\n',
    )
    assert load_config(path).slots == (SlotSpec("tiktok:handle", (1, 3, 5), "18:00"),)
    assert weekday_number("SUN") == 6 and weekday_number("someday") is None


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('[[slots]]\naccount = "tiktok"\ndays = ["tue", "funday"]\ntime = "18:00"\n', 6, "days"),
        ('[[slots]]\naccount = "tiktok"\ndays = ["tue"]\ntime = "6pm"\n', 7, "time"),
        ('[[slots]]\naccount = "myspace:me"\ndays = ["tue"]\ntime = "18:00"\n', 5, "account"),
        (
            '[[slots]]\naccount = "tiktok"\ndays = ["tue"]\ntime = "18:00"\n\n'
            '[[slots]]\naccount = "tiktok"\nday = ["tue"]\ntime = "18:00"\n',
            11,
            "unknown key",
        ),
    ],
)
def test_config_slots_errors_name_the_line(
    tmp_path: Path, body: str, line: int, words: str
) -> None:
    """A bad [[slots]] entry is refused with the file, its line and what to write."""
    path = _config(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert f"{path}:{line}:" in str(caught.value) and words in str(caught.value)


def test_parse_filter_and_describe(store: Store) -> None:
    """Terms resolve to status, account or pillar; unknown terms are returned, not guessed."""
    add_pillar(store, "60-Second Recipes", "green", 0.5)
    acc = add_account(store, "kuaishou", "shiyanshi")
    pillars, accounts = PostRepo(store).pillars(), CalendarRepo(store).accounts()
    flt, unknown = cm.parse_filter("recipes, ready to shoot, @shiyanshi", pillars, accounts)
    assert unknown == [] and flt == PostFilter(pillars[0].id, "ready_to_shoot", acc)
    assert cm.describe_filter(flt, pillars, accounts) == (
        "60-Second Recipes · ready to shoot · kuaishou:shiyanshi"
    )
    assert cm.parse_filter("nonsense", pillars, accounts)[1] == ["nonsense"]
    assert cm.parse_filter("", pillars, accounts)[0] == PostFilter()


def test_pillar_mix_against_targets(store: Store) -> None:
    """Shares count non-archived posts of the range; targets come from the pillar."""
    a, b = add_pillar(store, "A", "green", 0.5), add_pillar(store, "B", "blue", 0.5)
    for i, (pillar, status) in enumerate([(a, "idea"), (a, "ready"), (a, "archived"), (b, "idea")]):
        add_post(store, f"p{i}", status, planned=utc(2026, 12, 1, 10 + i), pillar_id=pillar)
    data = CalendarRepo(store).range(utc(2026, 12, 1), utc(2026, 12, 2))
    mix = cm.pillar_mix(data.posts, PostRepo(store).pillars())
    assert [(m.name, m.planned, round(m.share, 2), m.target) for m in mix] == [
        ("A", 2, 0.67, 0.5),
        ("B", 1, 0.33, 0.5),
    ]
    line = cm.mix_text(mix, 60).plain  # narrow: labelled, shares only
    assert line.startswith("Mix %, planned/target: ■A 67/50") and cell_len(line) <= 60
    wide = cm.mix_text(mix, 140).plain
    assert "■A 2 · 67%/50%" in wide and wide.startswith("Pillar mix (posts · planned/target")


def test_cut_counts_terminal_cells() -> None:
    """CJK titles are cut by cells, with an ellipsis, and short ones padded."""
    assert cut("凌晨三点的螺蛳粉", 7) == "凌晨三…"  # 3 wide chars (6 cells) + ellipsis
    assert cell_len(cut("凌晨三点的螺蛳粉", 8)) == 8
    assert cut(" ab", 5) == " ab  "


def test_views_cover_their_days() -> None:
    """Month covers whole weeks around the month; week is Mon..Sun; agenda two weeks."""
    first, last = cm.view_days("month", date(2026, 11, 28))
    assert (first, last) == (date(2026, 10, 26), date(2026, 12, 6))
    assert cm.view_days("week", date(2026, 11, 28)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert cm.view_days("agenda", date(2026, 11, 28))[1] == date(2026, 12, 11)
    assert cm.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert cm.add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)


def test_with_moving_shows_the_post_on_the_target_day() -> None:
    """While moving, the entry leaves its day and sits on the selected one, in time order."""
    a, b = date(2026, 12, 1), date(2026, 12, 3)
    moving = Entry("post:1", "·", "19:00", "mover")
    cells = {a: DayCell(a, (moving,)), b: DayCell(b, (Entry("post:2", "·", "20:00", "stay"),))}
    shown = cm.with_moving(cells, "post:1", b)
    assert shown[a].entries == () and [e.key for e in shown[b].entries] == ["post:1", "post:2"]
    assert cells[a].entries == (moving,)  # the loaded cells are left as they were
    assert cm.with_moving(cells, None, b) is cells
    assert "Moving “Knife skills” → Thu 03 Dec" in cm.header("month", b, a, b, "", "Knife skills")
