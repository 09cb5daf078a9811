"""KeyBar shows the keys Textual's Footer showed, and a click presses one.

The bar (widgets/footer.py) reads the screen's active bindings: shown keys in
order, one per action, disabled ones dimmed and ringing the bell when clicked,
hidden ones left out, the palette key at the right; it follows focus and
modal screens. Run against small Apps with their own bindings.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from widgets.footer import KeyBar


class Popup(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        yield Static("popup")
        yield KeyBar(show_command_palette=False)


class Keys(App[None]):
    BINDINGS = [
        Binding("a", "add", "Add", tooltip="Add one"),
        Binding("b", "blocked", "Blocked"),
        Binding("c", "hidden", "Hidden", show=False),
        Binding("x", "add", "Add again"),  # same action as a: shown once
        Binding("p", "popup", "Popup"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.added = 0
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Static("keys", id="body")
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "blocked" else True

    def action_add(self) -> None:
        self.added += 1

    def action_popup(self) -> None:
        self.push_screen(Popup())

    def bell(self) -> None:
        self.bells += 1


def shown(bar: KeyBar) -> list[tuple[str, str, bool]]:
    return [(k.display, k.description, k.enabled) for e in bar.entries for k in e.keys]


def x_of(bar: KeyBar, description: str) -> int:
    bar.render()  # lays out the spans
    return next(start for start, _end, key in bar._spans if key.description == description)


async def test_the_bar_lists_shown_keys_once_each_and_the_palette_at_the_right() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        keys = shown(bar)
        assert ("a", "Add", True) in keys and ("b", "Blocked", False) in keys
        assert all(d not in ("Hidden", "Add again") for _, d, _ in keys)
        assert bar.palette is not None and bar.palette.description == "palette"
        line = bar.render().plain
        assert line.rstrip().endswith("palette") and len(line) == 80
        assert line.index(" a Add") < line.index(" b Blocked") < line.index(" p Popup")


async def test_clicking_a_key_presses_it_and_a_disabled_one_rings() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        bar = app.query_one(KeyBar)
        app.set_focus(None)
        await pilot.click(KeyBar, offset=(x_of(bar, "Add") + 1, 0))
        await pilot.pause()
        assert app.added == 1
        await pilot.click(KeyBar, offset=(x_of(bar, "Blocked") + 1, 0))
        await pilot.pause()
        assert app.bells == 1 and app.added == 1
        await pilot.hover(KeyBar, offset=(x_of(bar, "Add") + 1, 0))
        await pilot.pause()
        assert bar.tooltip == "Add one"


async def test_a_modal_has_its_own_keys() -> None:
    app = Keys()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        app.set_focus(None)
        await pilot.press("p")
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        assert [d for _, d, _ in shown(bar)] == ["Close"] and bar.palette is None
        assert "Add" not in bar.render().plain
