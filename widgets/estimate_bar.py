"""EstimateBar: a script's spoken length per section against its goals.

It takes plain values (`EstimateValues`): seconds per spoken section, the
hook's goal and the post's target length. Compact mode is one line for
narrow terminals; otherwise one line per section. The classes `-over`
(total past the target) and `-hook-long` (hook past its goal) let the
stylesheet colour the warning.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static


@dataclass(frozen=True)
class EstimateValues:
    """What the bar shows: (label, seconds) per spoken section, the total and the goals."""

    sections: tuple[tuple[str, float], ...]
    total: float
    hook: float
    hook_goal: float
    target: int | None = None
    words: int = 0
    cjk_chars: int = 0

    @property
    def over_target(self) -> bool:
        """True when the spoken length passes the post's target length."""
        return self.target is not None and self.total > self.target

    @property
    def hook_long(self) -> bool:
        """True when the hook takes longer than its goal."""
        return self.hook > self.hook_goal


def seconds(value: float) -> str:
    """'12.5 s'."""
    return f"{value:.1f} s"


def _count_text(values: EstimateValues) -> str:
    parts = []
    if values.words or not values.cjk_chars:
        parts.append(f"{values.words} words")
    if values.cjk_chars:
        parts.append(f"{values.cjk_chars} CJK chars")
    return " + ".join(parts)


def total_text(values: EstimateValues) -> str:
    """'23.6 s of 30 s target' (with 'over by' when past it)."""
    text = seconds(values.total)
    if values.target is not None:
        text += f" of {values.target} s"
        if values.over_target:
            text += f" · over by {values.total - values.target:.1f} s"
    return text


def hook_text(values: EstimateValues) -> str:
    """'2.4 s / 3 s goal'."""
    return f"{seconds(values.hook)} / {values.hook_goal:g} s goal"


def compact_content(values: EstimateValues) -> Content:
    """One line: hook against its goal, the other sections, the total against the target."""
    hook_style = "$text-warning" if values.hook_long else ""
    total_style = "bold $text-error" if values.over_target else "bold"
    parts: list[str | tuple[str, str]] = [("Hook ", "$text-muted"), (hook_text(values), hook_style)]
    for label, value in values.sections:
        if label != "Hook":
            parts += [("  ·  ", "$text-muted"), (f"{label} ", "$text-muted"), seconds(value)]
    parts += [
        ("  ·  ", "$text-muted"),
        ("Total ", "$text-muted"),
        (total_text(values), total_style),
    ]
    return Content.assemble(*parts)


def full_content(values: EstimateValues) -> Content:
    """One line per section with labels aligned by cells, then the total and the counts."""
    labels = [label for label, _ in values.sections] + ["Total"]
    width = max(cell_len(label) for label in labels) + 2
    parts: list[str | tuple[str, str]] = []
    for label, value in values.sections:
        pad = " " * (width - cell_len(label))
        text = hook_text(values) if label == "Hook" else seconds(value)
        style = "$text-warning" if label == "Hook" and values.hook_long else ""
        parts += [(label + pad, "$text-muted"), (text, style), "\n"]
    total_style = "bold $text-error" if values.over_target else "bold"
    parts += [("Total" + " " * (width - 5), "$text-muted"), (total_text(values), total_style)]
    parts += ["\n", (_count_text(values), "$text-muted")]
    return Content.assemble(*parts)


class EstimateBar(Static):
    """The spoken-length estimate of the script being edited."""

    DEFAULT_CSS = """
    EstimateBar { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.values: EstimateValues | None = None
        self._compact = False

    @property
    def compact(self) -> bool:
        """One line (narrow terminals) or one line per section."""
        return self._compact

    @compact.setter
    def compact(self, value: bool) -> None:
        self._compact = value
        self._paint()

    def show_values(self, values: EstimateValues) -> None:
        """Show a new estimate."""
        self.values = values
        self._paint()

    def _paint(self) -> None:
        values = self.values
        if values is None:
            self.update("")
            return
        self.set_class(values.over_target, "-over")
        self.set_class(values.hook_long, "-hook-long")
        self.update(compact_content(values) if self._compact else full_content(values))
