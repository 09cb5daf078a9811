"""The App's own screen, set up so that Today's first frame is a finished one.

Textual's default screen is drawn once, then twice more before it settles:

- it puts the keyboard on the first widget that takes it, the tab bar, and
  the App moves it to the shown tab's list when the tab reports itself shown,
  after the first frame: both are drawn again. `MainScreen` gives the focus
  to the first widget that takes it inside the tabs' content instead (the
  list of the tab shown), before the first frame; the App's own move then
  changes nothing.
- Its toast rack is hidden by its default style, and the first time the
  notifications are shown (none, at start) it hides itself again by an
  inline style. Textual counts that as a change and lays the whole screen out
  again. The rack is given the same inline style when the screen mounts, so
  that later one changes nothing.

tests/test_tui_today.py checks that only the list gets the keys at start, and
that a notification still shows.
"""

from __future__ import annotations

from typing import ClassVar

from textual.screen import Screen
from textual.widgets._toast import ToastRack


class MainScreen(Screen[None]):
    """The screen the App opens on (see the module docstring)."""

    AUTO_FOCUS: ClassVar[str | None] = "ContentSwitcher *"

    def on_mount(self) -> None:
        for rack in self.query(ToastRack):
            rack.styles.display = "none"
