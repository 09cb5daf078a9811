"""The base of every modal: its own footer, `?` for its keys, `q`/Escape closing it.

A modal subclasses `Modal[Result]` instead of Textual's `ModalScreen`:

- a `KeyBar` (widgets/footer.py) is mounted at the bottom of the modal, so the keys shown are the
  modal's own (not the tab's underneath);
- `?` (the App's key) lists the modal's keys first, and the digits that
  switch tabs do nothing while a modal is open (the App checks `Modal`);
- `q` and Escape close it with `close_result()` (None unless the modal says
  otherwise, e.g. a yes/no question answers no). A text field keeps `q` as a
  letter: the field takes printable keys before any binding.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual import on
from textual.binding import Binding
from textual.events import Mount
from textual.screen import ModalScreen

from widgets.footer import KeyBar

ResultType = TypeVar("ResultType")


class OwnKeysModal(ModalScreen[ResultType]):
    """A modal screen that shows its own keys at the bottom (a KeyBar), not the
    keys of the tab underneath, which do nothing while it is open."""

    @on(Mount)
    def _own_keys_mounted(self) -> None:
        self.mount(KeyBar(show_command_palette=False))


class Modal(OwnKeysModal[ResultType]):
    """A modal screen with its own footer; q and Escape close it."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="modal.close", tooltip="Close this window"),
        Binding("q", "close", "Close", id="modal.close_q", show=False, tooltip="Close this window"),
        Binding(
            "question_mark",
            "app.help",
            "Keys",
            id="modal.help",
            key_display="?",
            tooltip="Show every key of this window",
        ),
    ]

    def close_result(self) -> Any:
        """What closing without an answer returns (None: nothing chosen)."""
        return None

    def action_close(self) -> None:
        """Close with `close_result()`."""
        self.dismiss(self.close_result())
