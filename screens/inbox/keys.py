"""The Inbox tab's keys (the list's own j/k, g/G come from widgets/lists.py)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

INBOX_KEYS: list[BindingType] = [
    Binding("r", "reply", "Reply", id="inbox.reply", tooltip="Reply to the highlighted comment"),
    Binding("d", "done", "Done", id="inbox.done", tooltip="Mark it done (again: back to new)"),
    Binding("s", "spam", "Spam", id="inbox.spam", tooltip="Mark it spam and hide it (again: new)"),
    Binding("t", "label", "Label", id="inbox.label", tooltip="Edit its labels"),
    Binding("a", "assign", "Assign", id="inbox.assign", tooltip="Give it to a teammate"),
    Binding("u", "undo", "Undo", id="inbox.undo", tooltip="Undo your last triage action"),
    Binding(
        "o",
        "order",
        "Order",
        id="inbox.order",
        show=False,
        tooltip="Newest first, or oldest first (the longest waiting at the top)",
    ),
    Binding(
        "f",
        "filter_state",
        "State",
        id="inbox.state",
        show=False,
        tooltip="Show new, done, spam or every item",
    ),
    Binding(
        "L",
        "filter_label",
        "Label filter",
        id="inbox.label_filter",
        show=False,
        tooltip="Show only items with the next label (then any)",
    ),
]
