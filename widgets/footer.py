"""KeyBar: the active screen's keys on one line, drawn by one widget.

Textual's `Footer` mounts a widget per key and rebuilds them all whenever the
active bindings change — every tab switch and every focus move. Each key
widget is styled, laid out and painted on its own; on a tab switch that was
most of the time before the tab showed (about 0.3 s of 0.6 s on the large
workspace, profiled). This bar reads the same bindings the Footer reads
(`Screen.active_bindings`, one key per action, `show` bindings only, a
`Binding.group` drawn as its keys and its description) and paints them as
one line of text: a change costs one repaint.

Like the Footer it docks at the bottom, keeps the command palette's key at
the right, dims keys whose action is disabled, shows a key's tooltip on hover
and presses the key when clicked (a disabled one rings the bell). Keys that do
not fit are cut at the right; `?` lists every key.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


@dataclass(frozen=True)
class BarKey:
    """One key as the bar shows it."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str


@dataclass(frozen=True)
class BarEntry:
    """One stretch of the bar: a key, or a group's keys with the group's label."""

    keys: tuple[BarKey, ...]
    label: str


class KeyBar(Widget, can_focus=False):
    """The keys of the screen it is on, on one line at the bottom."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--hover", "keybar--rule"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .keybar--hover {
            background: $block-hover-background;
        }
        .keybar--rule {
            color: $foreground 20%;
        }
    }
    """

    def __init__(
        self,
        *,
        show_command_palette: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.show_command_palette = show_command_palette
        self.entries: tuple[BarEntry, ...] = ()
        self.palette: BarKey | None = None
        self._spans: list[tuple[int, int, BarKey]] = []  # cells [start, end) of each key
        self._hover: BarKey | None = None

    # --- bindings -------------------------------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        # As the Footer: while the terminal is unfocused the bindings thin out;
        # the bar keeps what it shows until focus comes back.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._read(screen)

    def _read(self, screen: Screen) -> None:
        active = screen.active_bindings
        by_action: dict[str, BarKey] = {}
        groups: dict[str, Binding.Group | None] = {}
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in by_action:
                continue
            by_action[binding.action] = BarKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                enabled,
                tooltip or binding.tooltip or binding.description,
            )
            groups[binding.action] = binding.group
        entries: list[BarEntry] = []
        for group, actions in groupby(by_action, key=lambda action: groups[action]):
            keys = tuple(by_action[action] for action in actions)
            if group is not None and len(keys) > 1:
                entries.append(BarEntry(keys, group.description))
            else:
                entries.extend(BarEntry((key,), key.description) for key in keys)
        palette: BarKey | None = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = BarKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    enabled,
                    tooltip or binding.tooltip or binding.description,
                )
                entries = [e for e in entries if e.keys != (palette,)]
        if tuple(entries) != self.entries or palette != self.palette:
            self.entries, self.palette = tuple(entries), palette
            self.refresh()

    # --- drawing --------------------------------------------------------------

    def _key_text(
        self, key: BarKey, label: str, styles: tuple[Style, Style, Style], pad: str = " "
    ) -> Text:
        key_style, description_style, hover_style = styles
        text = Text.assemble((f"{pad}{key.display}{pad}", key_style))
        if label:
            text.append(f"{label} " if pad else f" {label} ", description_style)
        if not key.enabled:
            text.stylize(Style(dim=True))
        if key == self._hover and key.enabled:
            text.stylize(hover_style)
        return text

    def render(self) -> Text:
        styles = (
            self.get_component_rich_style("keybar--key"),
            self.get_component_rich_style("keybar--description"),
            self.get_component_rich_style("keybar--hover", partial=True),
        )
        description_style = styles[1]
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, BarKey]] = []
        for entry in self.entries:
            if len(entry.keys) == 1:
                start = line.cell_len
                line.append_text(self._key_text(entry.keys[0], entry.label, styles))
                spans.append((start, line.cell_len, entry.keys[0]))
                continue
            for key in entry.keys:
                start = line.cell_len
                line.append_text(self._key_text(key, "", styles))
                spans.append((start, line.cell_len, key))
            line.append(f"{entry.label} ", description_style)
        width = self.size.width
        if self.palette is not None:
            tail = Text.assemble(("▏", self.get_component_rich_style("keybar--rule")))
            tail.append_text(self._key_text(self.palette, self.palette.description, styles, ""))
            room = max(0, width - tail.cell_len)
            if line.cell_len > room:
                line.truncate(room)
            line.pad_right(room - line.cell_len)
            start = line.cell_len + 1
            line.append_text(tail)
            spans.append((start, line.cell_len, self.palette))
        self._spans = [span for span in spans if span[0] < width]
        return line

    # --- mouse ----------------------------------------------------------------

    def key_at(self, x: int) -> BarKey | None:
        """The key drawn at cell `x` of the bar, if any."""
        for start, end, key in self._spans:
            if start <= x < end:
                return key
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()
