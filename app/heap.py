"""The garbage collector's schedule for the TUI (`reelroom` with no command).

Starting the App allocates a few hundred thousand objects (the DOM, parsed
stylesheets, Today's rows), and CPython's collector walks the whole heap on
each of its full collections: about 50 ms of collections before Today's
first paint on the large workspace, and a full one during a later tab switch
cost ~100 ms by itself (measured with `gc.callbacks`). So the TUI's start
(`app.cli.run_tui`, before the workspace and Textual are imported, and
`app.tui.run`) pauses the collector until the first screen is painted; then every object alive is
moved out of its view (`gc.freeze`, they live as long as the App) and it
runs again; once the other tabs are built they are frozen too. Reference
counting still frees everything that is not in a cycle; what the collector
no longer sees is only what existed at those two moments.

Only the real start asks for this; tests that make Apps in
one long process do not, so their heaps are collected as usual.
"""

from __future__ import annotations

import gc

SETTLE_BACKSTOP_S = 5.0  # should the first paint never come, collect again after this


def pause() -> None:
    """Stop automatic collection (start-up)."""
    gc.disable()


def settle() -> None:
    """Freeze every object alive now and collect again. Safe to call twice."""
    gc.freeze()
    gc.enable()
