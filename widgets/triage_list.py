"""TriageList: a keyboard list of sections and fixed-column rows.

It takes plain values (`TriageSection` of `TriageRow`, widgets/values.py) and
lays every row out in columns measured in terminal cells, so CJK titles line up. Section headers,
"nothing here" lines and "… more" lines are disabled options: the highlight
skips them. Enter posts OptionList.OptionSelected with the row's key as the
option id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from textual.binding import Binding
from textual.content import Content
from textual.events import Resize
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets.option_list import Option

from widgets import cells
from widgets.lists import KeyedOptionList
from widgets.tones import tone_style
from widgets.values import TriageRow, TriageSection

if TYPE_CHECKING:
    from textual.widget import Widget

WHEN_CELLS = 11
DETAIL_NARROW, DETAIL_WIDE = 20, 30
WIDE_AT = 100


def fit_cells(text: str, width: int) -> str:
    """Pad or cut `text` to exactly `width` cells, marking a cut with an ellipsis."""
    return cells.fit(" ".join(text.split()), width)


def row_content(row: TriageRow, width: int) -> Content:
    """A row laid out in columns for a list `width` cells wide."""
    detail_cells = DETAIL_WIDE if width >= WIDE_AT else DETAIL_NARROW
    title_cells = max(8, width - WHEN_CELLS - detail_cells - 5)
    return Content.assemble(
        " ",
        (fit_cells(row.when, WHEN_CELLS), tone_style(row.tone)),
        "  ",
        fit_cells(row.title, title_cells),
        "  ",
        (fit_cells(row.detail, detail_cells), "$text-muted"),
    )


class RowPrompt:
    """A row's prompt, laid out when the list first draws it.

    OptionList asks an option's prompt for its `visualize()` when it draws that
    option (and keeps the result), so only the rows in view are laid out: about
    twenty of Today's 163 before its first paint, of Scripts' 300 on its first
    show. The list never measures its options (see `_update_lines`)."""

    __slots__ = ("row", "width")

    def __init__(self, row: TriageRow, width: int) -> None:
        self.row = row
        self.width = width

    def visualize(self, widget: Widget | None = None, obj: object = None) -> Content:
        """The row laid out in columns (`row_content`). Textual calls this with no
        arguments; its `SupportsVisual` protocol names two, hence the defaults."""
        return row_content(self.row, self.width)

    def __str__(self) -> str:
        return self.visualize().plain


def header_content(section: TriageSection) -> Content:
    """A section header with its count."""
    count = len(section.rows) + section.more
    return Content.assemble((section.title, "bold"), (f"  {count}" if count else "", "$text-muted"))


class TriageList(KeyedOptionList):
    """Sections of rows: j/k and arrows move, g/G go to the ends, Enter opens."""

    BINDINGS = [
        Binding(
            "enter",
            "select",
            "Open",
            id="triage.open",
            tooltip="Open the highlighted item's detail",
        ),
    ]

    # Rows are laid out for the content width, so that width must not depend on
    # whether the scrollbar has appeared yet: keep its gutter always. Every option
    # is one line: rows are cut to the width, headers and notes do not wrap.
    DEFAULT_CSS = """
    TriageList {
        scrollbar-gutter: stable;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._sections: tuple[TriageSection, ...] = ()
        self._laid_out_width = 0
        self._drawn_width = -1  # the width the rendered options were drawn at

    @property
    def highlighted_key(self) -> str | None:
        """The key of the highlighted row, if a row is highlighted."""
        index = self.highlighted
        if index is None or index >= self.option_count:
            return None
        option = self.get_option_at_index(index)
        return None if option.disabled else option.id

    @property
    def row_keys(self) -> list[str]:
        """Every selectable row's key, top to bottom."""
        return [row.key for section in self._sections for row in section.rows]

    def show_sections(self, sections: Sequence[TriageSection]) -> None:
        """Replace the content, keeping the highlight on the same row when it remains."""
        self._sections = tuple(sections)
        self._rebuild()

    def _row_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 0 else 78

    def _rebuild(self) -> None:
        keep = self.highlighted_key
        width = self._row_width()
        self._laid_out_width = width
        options: list[Option] = []
        for section in self._sections:
            options.append(
                Option(header_content(section), id=f"section:{section.key}", disabled=True)
            )
            if not section.rows:
                options.append(
                    Option(Content.styled(f"  {section.empty}", "$text-muted"), disabled=True)
                )
            options.extend(Option(RowPrompt(row, width), id=row.key) for row in section.rows)
            if section.more:
                text = f"  … {section.more} more{section.more_hint}"
                options.append(Option(Content.styled(text, "$text-muted"), disabled=True))
        self.clear_options()
        self.add_options(options)
        self._restore(keep)

    def _restore(self, key: str | None) -> None:
        keys = self.row_keys
        if key in keys:
            self.highlighted = self.get_option_index(key)
        elif keys:
            self.highlighted = self.get_option_index(keys[0])
        else:
            self.highlighted = None

    def _update_lines(self) -> None:
        """OptionList's line map, built without measuring each option.

        The stock OptionList wraps every option to learn its height the first
        time it paints at a width: on the large workspace's 10,000 posts that
        was about 100 ms of the switch to Scripts. Here every option is one line
        (rows are cut to the width, headers and notes do not wrap, none has a
        divider), so the map is one line per option. This is Textual 8.2's
        `_update_lines` without the measuring; tests/test_triage_list.py holds
        it equal to the stock one.
        """
        if not self.scrollable_content_region:
            return
        cache = self._line_cache
        lines = cache.lines
        for index in range(lines[-1][0] + 1 if lines else 0, len(self.options)):
            cache.index_to_line[index] = len(lines)
            cache.heights[index] = 1
            lines.append((index, 0))
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        virtual_size = Size(width, len(lines))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """One line per option, as `_update_lines` counts them (the stock OptionList lays
        every option out to measure it, for a list whose height is `auto`)."""
        return self.option_count

    def render_lines(self, crop: Region) -> list[Strip]:
        """The list's lines (noting the width its options are drawn at)."""
        self._drawn_width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def _on_resize(self, event: Resize) -> None:  # type: ignore[override]  # Textual passes it
        """Lay rows out again when the width changes; else keep what is drawn.

        Rows are cut to the width, so a new width lays them out again (not while
        hidden: a hidden tab has no width, and laying it out then would only be
        undone on return). OptionList drops every drawn option on each Resize
        and draws the list again; its first Resize comes just after Today's
        first frame, which was drawn at the final width, and one comes each time
        a tab is shown again, so at the drawn width its handler is skipped.
        Textual 8.2's handler (the only one for Resize below this class: Textual
        calls one of `_on_resize` and `on_resize` a class) only clears the
        caches; tests/test_triage_list.py checks both.
        """
        width = self.scrollable_content_region.width
        if width > 0 and self._sections and self._row_width() != self._laid_out_width:
            self._rebuild()
        if width == self._drawn_width:
            event.prevent_default()

    def action_cursor_up(self) -> None:
        """Move up; from the first row, show the top (its section header)."""
        keys = self.row_keys
        if keys and self.highlighted_key == keys[0]:
            self.scroll_home(animate=False)
            return
        super().action_cursor_up()
        if self.highlighted_key == (keys[0] if keys else None):
            self.scroll_home(animate=False)

    def action_cursor_down(self) -> None:
        """Move down, stopping at the last row rather than wrapping to the top."""
        keys = self.row_keys
        if keys and self.highlighted_key == keys[-1]:
            self.scroll_end(animate=False)
            return
        super().action_cursor_down()

    def action_first(self) -> None:
        """g: the first row, with its section header in view."""
        super().action_first()
        self.scroll_home(animate=False)

    def action_last(self) -> None:
        """G: the last row, with any "… more" line under it in view."""
        super().action_last()
        self.scroll_end(animate=False)
