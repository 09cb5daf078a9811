"""The Footage tab: the clip library, paged from SQLite so 100k clips stay quick.

`FootagePane` gets `FootageServices` (footage, posts and process
repositories), a clock and the workspace zone through its constructor. The
table holds one window of a few hundred rows read by keyset pages; moving
near either end of the window reads the next page in a database worker, g/G
read the first/last page (the last by reversing the sort). `/` filters, `s`
cycles the sort column (or click a header), `S` flips the direction, Enter
opens every detail of the clip, `l` links it to a post, `t` tags it, `c`/`y`
copies its folder. At 120 columns and wider the detail sits beside the table.
`reload_data()` (the App calls it when another process wrote) reads the window
again around the highlighted clip. Workers post typed messages; handlers
touch the widgets.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Unpack

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from screens.footage import rows as fr
from screens.footage.messages import (
    ClipChanged,
    ClipLoaded,
    FootagePainted,
    FootageWindowLoaded,
)
from screens.footage.window import AssetPages, FootageServices, post_choices, read_window
from screens.modals.item_detail import ItemDetailScreen, fields_content
from screens.modals.link_post import LinkChoice, LinkPostScreen, PostChoice
from screens.modals.tag_clip import TagClipScreen
from screens.paged.pane import PagedPane, PaneOptions
from screens.paged.window import WindowAsk
from screens.renders.messages import RenderClips
from storage.footage_models import Asset
from storage.footage_query import AssetQuery
from widgets.footage_table import FootageTable, TableRow
from widgets.safe_text import visible

DETAIL_CELLS = 46  # the detail's width from WIDE_COLUMNS (app/styles/footage.tcss)
ASCENDING_FIRST = ("name", "codec", "post")


class FootagePane(PagedPane[FootageServices, Asset, AssetQuery, FootageWindowLoaded]):
    """Footage: the paged clip library, its detail and the watcher status."""

    BINDINGS = [
        Binding(
            "slash",
            "filter",
            "Filter",
            id="footage.filter",
            key_display="/",
            tooltip="Filter by name, #tag, codec, portrait/landscape/square, video/audio/image",
        ),
        Binding("s", "cycle_sort", "Sort", id="footage.sort", tooltip="Sort by the next column"),
        Binding(
            "S",
            "flip_sort",
            "Flip",
            id="footage.flip",
            show=False,
            tooltip="Reverse the sort direction",
        ),
        Binding("l", "link", "Link", id="footage.link", tooltip="Link the clip to a post"),
        Binding("t", "tag", "Tag", id="footage.tag", tooltip="Edit the clip's tags"),
        Binding(
            "c,y",
            "copy_folder",
            "Copy path",
            id="footage.copy",
            tooltip="Copy the clip's folder path to the clipboard",
        ),
        Binding(
            "R",
            "render_clip",
            "Render",
            id="footage.render",
            show=False,
            tooltip="Open a new render of the highlighted clip (Renders tab)",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            id="footage.clear",
            show=False,
            tooltip="Clear the filter",
        ),
    ]

    TITLE, ID = "Footage", "footage"
    PAINTED = FootagePainted
    READING = ("footage", "Reading the footage library", "Reading a page of footage")

    def __init__(self, services: FootageServices, **options: Unpack[PaneOptions]) -> None:
        super().__init__(services, **options)
        self.shown_query = self.query_state  # the query the rows on screen were read under

    def _keyset(self) -> AssetPages:
        return AssetPages(self.services.footage)

    def _first_query(self) -> AssetQuery:
        return AssetQuery()

    def _fetch_window(self, ask: WindowAsk[Asset, AssetQuery]) -> FootageWindowLoaded:
        return read_window(self.services, ask)

    def compose(self) -> ComposeResult:
        yield Static("", id="footage-header")
        yield Static("", id="footage-status")
        yield Input(
            placeholder="name, #tag, codec, portrait, video … (Enter applies, Esc clears)",
            id="footage-filter",
        )
        with Horizontal(id="footage-body"):
            yield FootageTable(id="footage-table")
            with VerticalScroll(id="footage-detail"):
                yield Static("", id="footage-detail-body")

    def fit_width(self, width: int) -> None:
        """Detail beside the table from 120 columns; columns fitted to the width."""
        was_wide = self.wide
        super().fit_width(width)
        table_width = width - (DETAIL_CELLS if self.wide else 0)
        self.table.set_columns(fr.columns(table_width, self.wide))
        self._show_header()
        if self.wide and not was_wide and self.rows:
            self._highlight_changed()

    @property
    def table(self) -> FootageTable:
        """The paged table."""
        return self.query_one(FootageTable)

    # --- the window ------------------------------------------------------------

    def _table_rows(self, rows: list[Asset]) -> list[TableRow]:
        return [fr.row(a, self._now, self.zone) for a in rows]

    def _paint_window(self, message: FootageWindowLoaded, unchanged: bool) -> None:
        self.shown_query = message.query
        window = message.window
        if not unchanged:  # a heartbeat elsewhere changes data_version but not these rows
            self._show_rows_at(message)
        elif window.cursor_id is None and self.rows:  # g/G over a window that already held it all
            self.table.move_cursor(row=window.cursor_index, column=0, animate=False, scroll=True)
        self._show_header()
        last = fr.newest(
            [message.last_import_at, *(w.info.get("last_import_at") for w in message.watchers)]
        )
        self.query_one("#footage-status", Static).update(
            Content(visible(fr.watcher_text(message.watchers, last, message.now)))
        )
        self._highlight_changed()

    def _show_header(self) -> None:
        """The header says what the rows on screen are (and what is still being read)."""
        shown, wanted = self.shown_query, self.query_state
        text = fr.header_text(self.total, shown.sort, shown.descending, shown.text)
        if wanted != shown:
            text += " · " + fr.pending_text(wanted, shown)
        self.query_one("#footage-header", Static).update(Content(visible(text)))
        for column in self.table.layout_columns:
            self.table.set_header(column.key, fr.header_label(column, shown.sort, shown.descending))

    def jump(self, *, last: bool) -> None:
        """g/Home and G/End: the window's end when it is the list's end, else read that end."""
        if self.rows and (self.at_end if last else self.at_start):
            row = len(self.rows) - 1 if last else 0
            self.table.move_cursor(row=row, column=0, animate=False, scroll=True)
            return
        self._read_window("last" if last else "first")

    # --- sorting and filtering -------------------------------------------------

    def _sort_by(self, sort: str) -> None:
        if sort == self.query_state.sort:
            self.action_flip_sort()
            return
        self.set_query(replace(self.query_state, sort=sort, descending=sort not in ASCENDING_FIRST))

    def action_cycle_sort(self) -> None:
        """Sort by the next column (name, duration, resolution, … linked post)."""
        cycle = fr.SORT_CYCLE
        current = self.query_state.sort
        self._sort_by(
            cycle[(cycle.index(current) + 1) % len(cycle)] if current in cycle else cycle[0]
        )

    def action_flip_sort(self) -> None:
        """Reverse the sort direction."""
        self.set_query(replace(self.query_state, descending=not self.query_state.descending))

    @on(FootageTable.SortClicked)
    def _header_clicked(self, event: FootageTable.SortClicked) -> None:
        event.stop()
        self._sort_by(event.column)

    def action_filter(self) -> None:
        """Show the filter line and put the keyboard there."""
        self.add_class("-filtering")
        field = self.query_one("#footage-filter", Input)
        field.value = self.query_state.text
        field.focus()

    @on(Input.Submitted, "#footage-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.remove_class("-filtering")
        self.focus_list()
        self.set_query(replace(self.query_state, text=event.value.strip()))

    def action_clear_filter(self) -> None:
        """Escape: drop the filter (and close the filter line)."""
        had_text = bool(self.query_state.text)
        self.remove_class("-filtering")
        self.focus_list()
        if had_text:
            self.set_query(replace(self.query_state, text=""))

    # --- one clip: detail, copy, tag, link -------------------------------------

    @on(DataTable.RowHighlighted, "#footage-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._highlight_changed()

    def _highlight_changed(self) -> None:
        asset = self.highlighted()
        body = self.query_one("#footage-detail-body", Static)
        if asset is None:
            body.update("No clip here yet." if not self.query_state.text else "No clip matches.")
        elif self.wide:
            self._read_clip("detail", asset.id)

    @on(DataTable.RowSelected, "#footage-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._on_highlighted("open")

    def action_copy_folder(self) -> None:
        """Copy the clip's folder path to the clipboard (OSC 52 works over SSH)."""
        self._on_highlighted("copy")

    def action_tag(self) -> None:
        """Edit the highlighted clip's tags."""
        self._on_highlighted("tag")

    def action_link(self) -> None:
        """Link the highlighted clip to a post."""
        self._on_highlighted("link")

    def action_render_clip(self) -> None:
        """Ask the App to open the new-render form with the highlighted clip picked."""
        asset = self.highlighted()
        if asset is None:
            self.notify("No clip is highlighted.", severity="warning")
            return
        self.post_message(RenderClips([asset.id], [asset.name], asset.post_id, fr.post_text(asset)))

    def _on_highlighted(self, purpose: str) -> None:
        asset = self.highlighted()
        if asset is None:
            self.notify("No clip is highlighted.", severity="warning")
            return
        self._read_clip(purpose, asset.id)

    def _read_clip(self, purpose: str, asset_id: int) -> None:
        group = "footage-detail" if purpose == "detail" else "footage-clip"
        self.run_db(
            lambda: ClipLoaded(purpose, asset_id, self.services.footage.get(asset_id)),
            group=group,
            description="Reading the clip",
        )

    @on(ClipLoaded)
    def _clip_loaded(self, message: ClipLoaded) -> None:
        message.stop()
        asset = message.asset
        if asset is None:
            self.notify(
                "That clip is gone (changed elsewhere); the library was read again.",
                severity="warning",
            )
            self.reload_data()
            return
        if message.purpose == "detail":
            current = self.highlighted()
            if current is not None and current.id == asset.id:
                view = fr.detail_view(asset, self.zone, self._now)
                self.query_one("#footage-detail-body", Static).update(
                    Content.assemble(
                        (visible(asset.name), "bold"),
                        "\n",
                        fields_content(view.fields),
                        "\n\n",
                        ("Paths", "bold"),
                        "\n",
                        visible(view.blocks[0][1], lines=True),
                    )
                )
        elif message.purpose == "open":
            self.app.push_screen(ItemDetailScreen(fr.detail_view(asset, self.zone, self._now)))
        elif message.purpose == "copy":
            self._copy(asset)
        elif message.purpose == "tag":
            self.app.push_screen(
                TagClipScreen(asset.name, asset.tags), lambda tags: self._tagged(asset, tags)
            )
        elif message.purpose == "link":
            linked = (
                PostChoice(asset.post_id, asset.post_title or f"post {asset.post_id}", "")
                if asset.post_id is not None
                else None
            )
            self.app.push_screen(
                LinkPostScreen(asset.name, self.search_posts, current=linked),
                lambda choice: self._linked(asset, choice),
            )

    def _copy(self, asset: Asset) -> None:
        folder = fr.folder_of(asset)
        if folder is None:
            self.notify(
                f"{asset.name} has no known path to copy.", severity="warning", markup=False
            )
            return
        self.app.copy_to_clipboard(folder)
        self.notify(folder, title="Folder path copied", markup=False)

    def search_posts(self, text: str) -> list[PostChoice]:
        """Posts for the link modal (runs in its worker thread)."""
        return post_choices(self.services, text, self.zone)

    def _tagged(self, asset: Asset, tags: list[str] | None) -> None:
        if tags is None:
            return
        self._write(
            asset.id,
            "tags " + (", ".join(tags) if tags else "cleared"),
            lambda: self.services.footage.set_tags(asset.id, tags),
        )

    def _linked(self, asset: Asset, choice: LinkChoice | None) -> None:
        if choice is None:
            return
        what = f"linked to “{choice.title}”" if choice.post_id is not None else "unlinked"
        self._write(
            asset.id, what, lambda: self.services.footage.link_post(asset.id, choice.post_id)
        )

    def _write(self, asset_id: int, what: str, change: Callable[[], None]) -> None:
        def write() -> ClipChanged:
            change()
            return ClipChanged(asset_id, what)

        self.run_db(write, group="footage-write", description="Saving the clip", exclusive=False)

    @on(ClipChanged)
    def _clip_changed(self, message: ClipChanged) -> None:
        message.stop()
        name = next((a.name for a in self.rows if a.id == message.asset_id), "clip")
        self.notify(f"{name}: {message.what}", markup=False)
        self.reload_data()
