"""The command palette's ReelRoom commands: go to a tab, refresh, keys, and each
tab's own actions ("Renders: Cancel", "Calendar: New post", …).

Textual's own system commands (theme, quit, …) stay in the palette beside
these. The provider asks the running App for its tabs and their actions, so a
tab added to the registry in app/tui.py (and its keys) shows up here with no
change to this module.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider


class Navigable(Protocol):
    """What the provider needs from the App."""

    def tab_titles(self) -> Sequence[str]: ...
    def action_switch_tab(self, number: int) -> None: ...
    def action_refresh(self) -> None: ...
    def action_help(self) -> None: ...
    def tab_actions(self) -> Sequence[tuple[str, Callable[[], object], str]]: ...


@dataclass(frozen=True)
class Command:
    """A palette entry."""

    name: str
    run: Callable[[], object]
    help: str


def commands_for(app: Navigable) -> list[Command]:
    """Every ReelRoom command for this app's tabs."""
    found = [
        Command(
            f"Go to {title}",
            functools.partial(app.action_switch_tab, number),
            f"Switch to the {title} tab (key {number})",
        )
        for number, title in enumerate(app.tab_titles(), start=1)
    ]
    found.append(
        Command(
            "Refresh", app.action_refresh, "Read the active tab again from the database (key r)"
        )
    )
    found.append(Command("Keys", app.action_help, "Show every active key (key ?)"))
    found += [Command(name, run, help) for name, run, help in app.tab_actions()]
    return found


class ReelRoomCommands(Provider):
    """Go to <tab>, Refresh, Keys, and "<Tab>: <action>" for every tab's own keys."""

    def _commands(self) -> list[Command]:
        return commands_for(cast(Navigable, self.app))

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
