"""The detail modal of one render job: fields, preflight, the ffmpeg command, log tail, recipe.

It is the item-detail modal (a plain `DetailView`) plus `y`, which copies the
job's output path, and `a`, which copies the ffmpeg command as one
shell-quoted line (the clipboard is OSC 52: it works over SSH).
`ConfirmScreen` asks yes/no before a job is cancelled.
"""

from __future__ import annotations

from textual.binding import Binding

from screens.modals.item_detail import DetailView, ItemDetailScreen
from widgets.safe_text import visible


class RenderDetailScreen(ItemDetailScreen):
    """One render job over the Renders tab; `y` copies its output path, `a` its command."""

    BINDINGS = [
        Binding(
            "y",
            "copy_output",
            "Copy output path",
            id="render_detail.copy",
            tooltip="Copy the output file's path to the clipboard",
        ),
        Binding(
            "a",
            "copy_command",
            "Copy command",
            id="render_detail.copy_command",
            tooltip="Copy the ffmpeg command (one shell-quoted line) to the clipboard",
        ),
    ]

    def __init__(self, view: DetailView, output_path: str | None, command: str = "") -> None:
        super().__init__(view)
        self.output_path = output_path
        self.command = command

    def on_mount(self) -> None:
        box = self.query_one("#detail-box")
        box.border_subtitle = "y copies the output path · a the command · Esc closes"

    def action_copy_output(self) -> None:
        """Copy the output path, or say there is none yet."""
        if not self.output_path:
            self.notify("This render has no output path yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.output_path)
        self.notify(visible(self.output_path), title="Output path copied", markup=False)

    def action_copy_command(self) -> None:
        """Copy the ffmpeg command line, or say it is not planned yet."""
        if not self.command:
            self.notify("This render has no ffmpeg command yet.", severity="warning")
            return
        self.app.copy_to_clipboard(self.command)
        self.notify("Paste it into a shell to run the render by hand.", title="Command copied")
