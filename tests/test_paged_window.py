"""The shared window reader of paged tabs (screens/paged/window.py) over an in-memory keyset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from screens.paged.window import Keyset, Span, WindowAsk, read_rows

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    """A row placed by (time, id), as the queue orders publications."""

    when: str
    id: int


Key = tuple[str, int]


class ListPages(Keyset[Row, None, Key]):
    """Keyset pages over a sorted list (what a repository's SQL does)."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = sorted(rows, key=lambda r: (r.when, r.id))

    def page(self, query: None, *, after: Key | None, backwards: bool, limit: int) -> list[Row]:
        if backwards:
            found = [r for r in reversed(self.rows) if after is None or (r.when, r.id) < after]
        else:
            found = [r for r in self.rows if after is None or (r.when, r.id) > after]
        return found[:limit]

    def key_of(self, query: None, row: Row) -> Key:
        return (row.when, row.id)

    def key_before(self, query: None, row: Row) -> Key:
        return (row.when, row.id - 1)


def ask(
    mode: str, anchor: Row | None = None, *, page: int = 4, span: Span | None = None
) -> WindowAsk[Row, None]:
    return WindowAsk[Row, None](1, None, mode, anchor, page, NOW, span)


ROWS = [Row(f"{h:02d}:00", i) for i, h in enumerate(range(10, 20), start=1)]


def test_first_and_last_pages_say_which_end_they_touch() -> None:
    pages = ListPages(ROWS)
    first = read_rows(pages, ask("first"))
    assert [r.id for r in first.rows] == [1, 2, 3, 4]
    assert (first.at_start, first.at_end, first.cursor_index) == (True, False, 0)
    last = read_rows(pages, ask("last"))
    assert [r.id for r in last.rows] == [7, 8, 9, 10]
    assert (last.at_start, last.at_end, last.cursor_index) == (False, True, 3)


def test_an_anchor_keeps_its_place_with_the_rows_around_it() -> None:
    window = read_rows(ListPages(ROWS), ask("anchor", ROWS[5], span=Span(2, 3)))
    assert [r.id for r in window.rows] == [4, 5, 6, 7, 8]
    assert (window.cursor_id, window.cursor_index) == (6, 2)
    assert not window.at_start and not window.at_end


def test_an_anchor_near_the_start_keeps_every_row_before_it() -> None:
    """Fewer rows before the anchor than asked for: all of them, and the start is reached."""
    window = read_rows(ListPages(ROWS), ask("anchor", ROWS[3], span=Span(5, 3)))
    assert [r.id for r in window.rows] == [1, 2, 3, 4, 5, 6]
    assert window.at_start and window.cursor_index == 3


def test_a_row_at_the_same_time_just_before_the_anchor_stays() -> None:
    """Two rows at one time with ids n-1 and n: reading around n keeps n-1."""
    rows = [Row("10:00", 1), Row("10:00", 2), Row("10:00", 3), Row("11:00", 4)]
    window = read_rows(ListPages(rows), ask("anchor", rows[2], span=Span(5, 5)))
    assert [r.id for r in window.rows] == [1, 2, 3, 4]
    assert window.cursor_index == 2 and window.at_start and window.at_end


def test_without_an_anchor_the_first_page() -> None:
    window = read_rows(ListPages(ROWS), ask("anchor"))
    assert [r.id for r in window.rows] == [1, 2, 3, 4] and window.cursor_id is None


def test_edge_pages_come_in_the_query_order() -> None:
    pages = ListPages(ROWS)
    before, complete = pages.edge_page(None, ROWS[4], "start", 3)
    assert [r.id for r in before] == [2, 3, 4] and not complete
    after, complete = pages.edge_page(None, ROWS[7], "end", 3)
    assert [r.id for r in after] == [9, 10] and complete
