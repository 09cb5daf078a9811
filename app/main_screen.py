"""The App's own screen, set up so that Today's first frame is a finished one.

Textual's default screen is drawn once, then twice more before it settles:

- it puts the keyboard on the first widget that takes it, and the App moves
  it to the shown tab's list when the tab reports itself shown, after the
  first frame: both are drawn again. `MainScreen` gives the focus to the
  first widget that takes it inside the shown tab instead (its list), before
  the first frame; the App's own move then changes nothing. Never to a
  hidden tab's widget, whose keys would act unseen.
- Its toast rack is hidden by its default style, and the first time the
  notifications are shown (none, at start) it hides itself again by an
  inline style. Textual counts that as a change and lays the whole screen out
  again. The rack is given the same inline style when the screen mounts, so
  that later one changes nothing.

tests/test_tui_today.py checks that only the list gets the keys at start, that
a screen left with no focus gives it to the shown tab, and that a notification
still shows.
"""

from __future__ import annotations

from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import ContentSwitcher
from textual.widgets._toast import ToastRack


class MainScreen(Screen[None]):
    """The screen the App opens on (see the module docstring)."""

    @property
    def AUTO_FOCUS(self) -> str | None:  # type: ignore[override]  # Textual's class setting
        """Where the screen puts the keys when nothing has them: the first widget
        that takes them in the shown tab (the first tab, before the switcher has
        picked one). Never a hidden tab's widget: its keys would act unseen."""
        try:
            switcher = self.query_one(ContentSwitcher)
        except NoMatches:  # not composed yet
            return None
        shown = switcher.current or next((pane.id for pane in switcher.children), None)
        return f"#{shown} *" if shown else "*"

    def on_mount(self) -> None:
        for rack in self.query(ToastRack):
            rack.styles.display = "none"
