"""TabPage: one page of the App's tab host (app/tab_host.py), titled for its tab.

Textual's `TabPane` plays this part inside `TabbedContent`. The App's host is
its own (a one-line `TabBar` over a `ContentSwitcher`), and `TabPane`'s module
brings `TabbedContent` and `Tabs` with it: about 7 ms of imports before the
first paint for two widgets never shown. A page keeps what the host uses of
`TabPane`: the title its tab shows, `height: auto`, and a `Focused` message
when a widget inside it takes the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widget import Widget


class TabPage(Widget):
    """A page of the tab host; `tab_title` is what its tab shows."""

    DEFAULT_CSS = """
    TabPage {
        height: auto;
    }
    """

    @dataclass
    class Focused(Message):
        """A widget inside the page took the keyboard."""

        page: TabPage

        @property
        def control(self) -> TabPage:
            """The page (for `@on(TabPage.Focused, ...)` selectors)."""
            return self.page

    def __init__(
        self,
        title: str,
        *children: Widget,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(*children, name=name, id=id, classes=classes, disabled=disabled)
        self.tab_title = title

    def _on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.post_message(self.Focused(self))
