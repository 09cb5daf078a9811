"""The Publish tab's keys: filters, moving to now, the queue actions, new and edit.

Every binding has an id (`publish.<name>`) and a tooltip; the footer shows
the main ones, `?` lists them all. Enter (open the detail) and j/k, g/G come
from the table.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _b(
    key: str,
    action: str,
    text: str,
    name: str,
    tip: str,
    show: bool = True,
    display: str | None = None,
) -> Binding:
    return Binding(
        key, action, text, id=f"publish.{name}", tooltip=tip, show=show, key_display=display
    )


PUBLISH_KEYS: list[BindingType] = [
    _b("e", "edit", "Edit", "edit", "Change the highlighted publication's caption, title or time"),
    _b(
        "R,shift+r",
        "retry",
        "Retry",
        "retry",
        "Send a failed or cancelled publication again, now",
        display="R",
    ),
    _b("c", "cancel", "Cancel", "cancel", "Cancel the highlighted publication (asks first)"),
    _b("n", "send_now", "Now", "now", "Send the highlighted publication now (asks first)"),
    _b("a", "add", "Add", "add", "Queue a new publication: pick a post, then the form"),
    _b(
        "at",
        "cycle_account",
        "Account",
        "account",
        "Show one account's publications, the next, … then all",
        display="@",
    ),
    _b(
        "f",
        "cycle_filter",
        "Filter",
        "filter",
        "Show all, to go, failed, published or cancelled publications",
        show=False,
    ),
    _b(
        "y",
        "copy_url",
        "Copy URL",
        "copy",
        "Copy the public URL of the highlighted publication (OSC 52 works over SSH)",
        show=False,
    ),
    _b("t", "go_now", "Now row", "go_now", "Put the cursor on what goes out next", show=False),
]
