"""The detail modal of one publication: fields, caption per platform, preflight, step log.

It is the item-detail modal (a plain `DetailView` the Publish tab builds)
plus `y`, which copies the public URL to the clipboard (OSC 52 works over
SSH), once the publication has one.
"""

from __future__ import annotations

from textual.binding import Binding

from screens.modals.item_detail import DetailView, ItemDetailScreen


class PublicationDetailScreen(ItemDetailScreen):
    """One publication over the Publish tab; `y` copies its public URL."""

    BINDINGS = [
        Binding(
            "y",
            "copy_url",
            "Copy URL",
            id="publication_detail.copy",
            tooltip="Copy the public URL to the clipboard",
        ),
    ]

    def __init__(self, view: DetailView, url: str | None) -> None:
        super().__init__(view)
        self.url = url

    def on_mount(self) -> None:
        box = self.query_one("#detail-box")
        box.border_subtitle = ("y copies the URL · " if self.url else "") + "Esc closes"

    def action_copy_url(self) -> None:
        """Copy the public URL, or say there is none yet."""
        if not self.url:
            self.notify("This publication has no public URL yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.url)
        self.notify(self.url, title="URL copied", markup=False)
