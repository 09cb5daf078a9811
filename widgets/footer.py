"""SteadyFooter: Textual's Footer, recomposed once per burst of binding changes.

The stock Footer schedules a recompose for every change of the active
bindings; at start-up focus moves a few times before the first refresh
(tabs, the pane, its list), and each move rebuilt every key of the footer
again. Here a change only asks for a recompose when none is waiting, so a
burst of changes costs one.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    """A Footer that recomposes once per burst of binding changes."""

    _waiting = False

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._waiting:
            self._waiting = True
            self.call_after_refresh(self._recompose_now)

    async def _recompose_now(self) -> None:
        self._waiting = False
        await self.recompose()
