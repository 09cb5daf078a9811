"""TriageList's line map is OptionList's, without measuring every option.

TriageList builds the line map as one line per option (widgets/triage_list.py
`_update_lines`), which is only right while no option wraps. These tests lay
out long headers, CJK titles wider than the list, empty sections and "… more"
lines at several widths, and hold the fast map equal to the one Textual's own
`OptionList._update_lines` measures; and check a header longer than the list
is cut with an ellipsis rather than wrapped onto a second line. Rows are laid
out in columns only when first drawn.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.widgets import OptionList

from widgets import triage_list
from widgets.triage_list import TriageList, row_content
from widgets.values import TriageRow, TriageSection

LONG = "A section header far longer than any terminal this list is shown in, " * 3


def sections() -> list[TriageSection]:
    rows = tuple(
        TriageRow(
            f"post:{n}",
            "Mon 09:00",
            f"街头小吃 {n} — 第{n}集 深夜的煎饼果子摊和老板的故事，一口气讲完" * (1 + n % 3),
            "scripted · 1:05 · 很长的细节说明",
            "warn" if n % 2 else "",
        )
        for n in range(40)
    )
    return [
        TriageSection("long", LONG, rows[:20], "nothing"),
        TriageSection("empty", "Empty section", (), "Nothing due today — a long note " * 4),
        TriageSection(
            "more", "With more", rows[20:], "", more=12, more_hint=" (press / to filter)"
        ),
    ]


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TriageList(id="list")


@pytest.mark.parametrize("size", [(80, 24), (41, 12), (160, 48)])
async def test_line_map_equals_textuals_measured_one(size: tuple[int, int]) -> None:
    app = ListApp()
    async with app.run_test(size=size) as pilot:
        triage = app.query_one(TriageList)
        triage.show_sections(sections())
        await pilot.pause()
        fast = (list(triage._line_cache.lines), dict(triage._line_cache.heights))
        assert len(fast[0]) == triage.option_count == 45
        triage._line_cache.clear()
        OptionList._update_lines(triage)  # Textual's own: measures each option
        measured = (list(triage._line_cache.lines), dict(triage._line_cache.heights))
        assert fast == measured
        width = triage.scrollable_content_region.width
        assert triage.get_content_height(
            app.size, app.size, width
        ) == OptionList.get_content_height(triage, app.size, app.size, width)


async def test_a_header_wider_than_the_list_is_cut_not_wrapped() -> None:
    app = ListApp()
    async with app.run_test(size=(40, 10)) as pilot:
        triage = app.query_one(TriageList)
        triage.show_sections(sections())
        await pilot.pause()
        assert triage.virtual_size.height == triage.option_count
        shown = triage.render_line(0).text
        assert shown.rstrip().endswith("…") and len(shown.rstrip()) <= 40


def drawn(triage: TriageList) -> list[str]:
    region = Region(0, 0, triage.size.width, triage.size.height)
    return [strip.text for strip in triage.render_lines(region)]


async def at_top(pilot: Any, triage: TriageList) -> list[str]:
    """The lines shown with the third option highlighted and the list at its top."""
    triage.highlighted = 2
    triage.scroll_to(0, 0, animate=False)
    await pilot.pause()
    return drawn(triage)


async def test_resized_or_shown_again_it_draws_as_a_list_built_at_that_size() -> None:
    """A Resize at the drawn width keeps the drawn options (TriageList._on_resize);
    at another width the rows are laid out and drawn again. Either way the
    lines are those of a list built afresh at the final size."""
    sizes = [(80, 30), (52, 30), (52, 12), (80, 24)]
    seen: list[list[str]] = []
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        triage = app.query_one(TriageList)
        triage.show_sections(sections())
        await at_top(pilot, triage)
        for size in sizes:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            seen.append(await at_top(pilot, triage))
        triage.display = False
        await pilot.pause()
        triage.display = True
        await pilot.pause()
        seen.append(await at_top(pilot, triage))
    fresh: list[list[str]] = []
    for size in [*sizes, sizes[-1]]:
        app = ListApp()
        async with app.run_test(size=size) as pilot:
            triage = app.query_one(TriageList)
            triage.show_sections(sections())
            await pilot.pause()
            fresh.append(await at_top(pilot, triage))
    assert seen == fresh
    assert seen[1] != seen[0] and any("…" in line for line in seen[1])


async def test_a_resize_at_the_drawn_width_keeps_the_drawn_options() -> None:
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        triage = app.query_one(TriageList)
        triage.show_sections(sections())
        await pilot.pause()
        drawn(triage)
        cache = triage._option_render_cache
        before = {key: cache.get(key) for key in list(cache.keys())}
        assert before
        await pilot.resize_terminal(80, 30)  # taller only: the same strips stay
        await pilot.pause()
        assert all(cache.get(key) is strips for key, strips in before.items())
        await pilot.resize_terminal(60, 30)  # narrower: drawn again
        await pilot.pause()
        assert triage._drawn_width == triage.scrollable_content_region.width < 60


def test_no_other_resize_handler_is_skipped() -> None:
    below = TriageList.__mro__[TriageList.__mro__.index(TriageList) + 1 :]
    handlers = [
        cls.__name__ for cls in below if "_on_resize" in vars(cls) or "on_resize" in vars(cls)
    ]
    assert handlers == ["OptionList"]


async def test_rows_are_laid_out_only_when_first_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each row's columns are worked out when the list first draws it (RowPrompt): the
    rows in view at first, the others as they scroll in, each once; what is drawn is
    the row laid out as before."""
    laid_out: list[str] = []

    def counted(row: TriageRow, width: int) -> Any:
        laid_out.append(row.key)
        return row_content(row, width)

    monkeypatch.setattr(triage_list, "row_content", counted)
    rows = tuple(
        TriageRow(f"post:{n}", "Mon 09:00", f"街头小吃 第{n}集", "scripted", "") for n in range(200)
    )
    app = ListApp()
    async with app.run_test(size=(80, 12)) as pilot:
        triage = app.query_one(TriageList)
        triage.show_sections([TriageSection("all", "All", rows, "")])
        triage.focus()
        await pilot.pause()
        shown = drawn(triage)
        in_view = [f"post:{n}" for n in range(len(shown) - 1)]  # under the header
        # The rows in view (Textual may draw a line past the bottom too), not the 200.
        assert laid_out[: len(in_view)] == in_view and 0 < len(in_view) < 12
        assert laid_out == [f"post:{n}" for n in range(len(laid_out))] and len(laid_out) <= 12
        for line, row in zip(shown[1:], rows, strict=False):  # as `row_content` lays it out
            assert row_content(row, triage._row_width()).plain.strip() in line
        await pilot.press("G")
        await pilot.pause()
        assert laid_out[-1] == "post:199" and len(laid_out) < 30
        assert len(set(laid_out)) == len(laid_out)  # none laid out twice
