"""The Calendar tab's keys: days, pages, entries, opening, new/publish/move/step, filter,
views, slots.

Every binding has an id (`calendar.<name>`) and a tooltip; most stay out of
the footer (`show=False`) and are listed by `?`.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType


def _b(
    key: str,
    action: str,
    text: str,
    name: str,
    tip: str,
    show: bool = False,
    display: str | None = None,
) -> Binding:
    return Binding(
        key, action, text, id=f"calendar.{name}", tooltip=tip, show=show, key_display=display
    )


CALENDAR_KEYS: list[BindingType] = [
    _b("left", "day(-1)", "Day back", "day_back", "Select the previous day"),
    _b("right", "day(1)", "Day on", "day_on", "Select the next day"),
    _b("up", "day(-7)", "Week back", "week_back", "Select the same day a week earlier"),
    _b("down", "day(7)", "Week on", "week_on", "Select the same day a week later"),
    # the same arrows on the board (each pair is a key only where it applies: check_action)
    _b("left", "board(-1, 0)", "Column left", "board_left", "The stage column to the left"),
    _b("right", "board(1, 0)", "Column right", "board_right", "The stage column to the right"),
    _b("up", "board(0, -1)", "Card up", "board_up", "The card above"),
    _b("down", "board(0, 1)", "Card down", "board_down", "The card below"),
    _b(
        "left_square_bracket",
        "page(-1)",
        "Earlier",
        "page_back",
        "Previous month (previous week in week and agenda)",
        display="[",
    ),
    _b(
        "right_square_bracket",
        "page(1)",
        "Later",
        "page_on",
        "Next month (next week in week and agenda)",
        display="]",
    ),
    _b("t", "today", "Today", "today", "Select today"),
    _b("j", "entry(1)", "Next entry", "entry_next", "Highlight the next entry of the day"),
    _b(
        "k",
        "entry(-1)",
        "Previous entry",
        "entry_prev",
        "Highlight the previous entry of the day",
    ),
    _b(
        "enter",
        "open",
        "Open",
        "open",
        "Open the highlighted entry (drops a post being moved)",
        show=True,
    ),
    _b("n", "new_post", "New post", "new_post", "New post on the selected day", show=True),
    _b(
        "p",
        "publish",
        "Publish",
        "publish",
        "Publish the highlighted post: the new-publication form (Publish tab)",
    ),
    _b(
        "N",
        "numbers",
        "Numbers",
        "numbers",
        "The highlighted post's numbers: its curve against its pillar (Numbers tab)",
    ),
    _b(
        "m",
        "move",
        "Move",
        "move",
        "Move the highlighted post: arrows pick the day, Enter drops",
        show=True,
    ),
    _b("escape", "cancel_move", "Cancel move", "cancel_move", "Stop moving the post"),
    _b(
        "e", "edit", "Edit", "edit", "Edit the highlighted post: title, pillar, status, day, length"
    ),
    _b("u", "undo", "Undo", "undo", "Take back the latest move, stage step or edit"),
    _b(
        "greater_than_sign",
        "step(1)",
        "Stage on",
        "stage_on",
        "Move the highlighted post one pipeline stage forward",
        display=">",
    ),
    _b(
        "less_than_sign",
        "step(-1)",
        "Stage back",
        "stage_back",
        "Move the highlighted post one pipeline stage back",
        display="<",
    ),
    _b(
        "shift+right",
        "step(1)",
        "Stage on",
        "stage_on_shift",
        "Move the highlighted post one pipeline stage forward",
    ),
    _b(
        "shift+left",
        "step(-1)",
        "Stage back",
        "stage_back_shift",
        "Move the highlighted post one pipeline stage back",
    ),
    _b(
        "slash",
        "filter",
        "Filter",
        "filter",
        "Filter by pillar, account or status",
        show=True,
        display="/",
    ),
    _b("v", "next_view", "View", "view", "Next view: month, week, agenda, board", show=True),
    _b("s", "slots", "Slots", "slots", "Posting slots of the selected weekday (add, remove)"),
]
