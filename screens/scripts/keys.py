"""The Scripts tab's keys: save, revisions, $EDITOR, the panel, back to the posts, filter.

The editor keys are active only while a script is open and `/` only on the
post list (`ScriptsPane.check_action`).
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

SCRIPTS_KEYS: list[BindingType] = [
    Binding("ctrl+s", "save", "Save", id="scripts.save", tooltip="Save a revision and sync shots"),
    Binding(
        "ctrl+r",
        "revisions",
        "Revisions",
        id="scripts.revisions",
        tooltip="Saved versions: diff against the text, restore",
    ),
    Binding(
        "v",
        "revisions",
        "Revisions",
        id="scripts.revisions_v",
        show=False,
        tooltip="Saved versions: diff against the text, restore",
    ),
    Binding(
        "ctrl+e",
        "external_editor",
        "$EDITOR",
        id="scripts.editor",
        priority=True,
        tooltip="Edit the script in $EDITOR (the app is suspended)",
    ),
    Binding(
        "e",
        "external_editor",
        "$EDITOR",
        id="scripts.editor_e",
        show=False,
        tooltip="Edit the script in $EDITOR (the app is suspended)",
    ),
    Binding(
        "ctrl+t",
        "toggle_panel",
        "Panel",
        id="scripts.panel",
        tooltip="Hide or show the estimate and shot list",
    ),
    Binding(
        "escape",
        "back",
        "Posts",
        id="scripts.back",
        tooltip="Back to the post list (changed text is autosaved)",
    ),
    Binding(
        "f1",
        "app.help",
        "Keys & syntax",
        id="scripts.help",
        tooltip="Every key and the script syntax (in the editor ? types a ?)",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        id="scripts.filter",
        key_display="/",
        tooltip="Filter the posts by title, pillar or status",
    ),
]
