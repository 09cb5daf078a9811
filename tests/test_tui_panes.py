"""Pilot tests of the pane base (screens/pane.py) on every tab, and on a pane made here.

Every registered pane is a `Pane`: a read that fails reaches the App's error
notification, the `-wide` class follows the terminal width. A small pane
written for the test shows what a new tab gets from the base: its reads run in
database workers that close their connection and post their message, and a
`TabRequest` for it waits until its pane is built and shown.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import ClassVar

import pytest
from conftest import Messages, make_app, settle
from textual.app import ComposeResult
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Static

from app.tab_host import TabHost
from app.tabs import TABS, TabContext, TabSpec
from app.workspace import Workspace
from screens.messages import WorkerFailed
from screens.pane import Pane, TabRequest
from storage import Store
from widgets.lists import KeyedOptionList
from widgets.tab_page import TabPage

# The table each tab's first read needs; renaming it makes that read fail.
READS = {
    "today": "deliverables",
    "calendar": "posting_slots",
    "scripts": "scripts",
    "footage": "assets",
    "renders": "renders",
    "numbers": "metric_buckets",
    "deals": "deals",
}


@pytest.mark.parametrize("tab", list(READS))
async def test_a_failed_read_in_any_pane_is_shown_by_the_app(
    demo_workspace: Workspace, messages: Messages, tab: str
) -> None:
    """r after the pane's table went away: WorkerFailed reaches the App, which notifies."""
    app = make_app(demo_workspace, tab)
    async with app.run_test(size=(100, 30), message_hook=messages) as pilot:
        await settle(pilot)
        pane = app.query_one(f"#{tab}")
        assert isinstance(pane, Pane) and not messages.of(WorkerFailed)
        other = Store(demo_workspace.home.db_path)
        with other.write() as conn:
            conn.execute(f"ALTER TABLE {READS[tab]} RENAME TO {READS[tab]}_gone")
        other.close()
        await pilot.press("r")
        await settle(pilot)
        failed = messages.of(WorkerFailed)
        assert failed and READS[tab] in failed[0].error
        notes = [m.notification for m in messages.of(Notify)]
        assert any(n.severity == "error" and READS[tab] in n.message for n in notes)
        assert app.is_running


@pytest.mark.parametrize("tab", [spec.id for spec in TABS])
async def test_every_pane_fits_the_width(demo_workspace: Workspace, tab: str) -> None:
    """The base sets -wide from 120 columns and takes it away below."""
    app = make_app(demo_workspace, tab)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(f"#{tab}", Pane)
        assert not pane.wide and not pane.has_class("-wide")
        await pilot.resize_terminal(Pane.WIDE_COLUMNS, 40)
        await settle(pilot)
        assert pane.wide and pane.has_class("-wide")
        await pilot.resize_terminal(Pane.WIDE_COLUMNS - 1, 40)
        await settle(pilot)
        assert not pane.wide and not pane.has_class("-wide")


# --- a pane written for the test -------------------------------------------------


class Notes:
    """A stand-in repository: what its reads return, and the threads it closed."""

    def __init__(self) -> None:
        self.lines = ["first note", "second note"]
        self.closed: list[str] = []

    def close_connection(self) -> None:
        self.closed.append(threading.current_thread().name)


@dataclass
class NotesRead(Message):
    """The notes were read."""

    lines: list[str]


@dataclass
class ShowNote(TabRequest):
    """Ask the Notes tab to highlight one note."""

    tab: ClassVar[str] = "notes"
    tab_title: ClassVar[str] = "Notes"

    index: int


class NotesPane(Pane):
    """What a new tab's pane looks like on the base."""

    def __init__(self, notes: Notes, *, title: str, id: str) -> None:
        super().__init__(title, id=id, db=notes)
        self.notes = notes
        self.requests: list[ShowNote] = []

    def compose(self) -> ComposeResult:
        yield KeyedOptionList(id="notes-list")

    def reload_data(self) -> None:
        self.run_db(lambda: NotesRead(list(self.notes.lines)), group="notes", description="Notes")

    def on_notes_read(self, message: NotesRead) -> None:
        listing = self.query_one(KeyedOptionList)
        listing.clear_options()
        listing.add_options(message.lines)

    def take_request(self, request: TabRequest) -> None:
        if isinstance(request, ShowNote):
            self.requests.append(request)
        else:
            super().take_request(request)


def notes_tab(notes: Notes) -> TabSpec:
    def factory(ctx: TabContext, title: str, pane_id: str) -> TabPage:
        return NotesPane(notes, title=title, id=pane_id)

    return TabSpec("notes", "Notes", factory)


def asker_tab() -> TabSpec:
    def factory(ctx: TabContext, title: str, pane_id: str) -> TabPage:
        return TabPage(title, Static("asks the Notes tab"), id=pane_id)

    return TabSpec("asker", "Asker", factory)


async def test_a_new_pane_reads_in_a_db_worker_and_closes_its_connection(
    demo_workspace: Workspace, messages: Messages
) -> None:
    """Mounting reads once: the message arrives, the worker thread closed its connection."""
    notes = Notes()
    app = make_app(demo_workspace, notes_tab(notes))
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        assert [m.lines for m in messages.of(NotesRead)] == [notes.lines]
        assert len(notes.closed) == 1 and notes.closed[0] != threading.main_thread().name
        listing = app.query_one(KeyedOptionList)
        assert listing.option_count == 2 and app.focused is listing
        await pilot.press("G")
        assert listing.highlighted == 1
        await pilot.press("g")
        assert listing.highlighted == 0


async def test_a_request_waits_until_its_tab_is_built_and_shown(
    demo_workspace: Workspace, messages: Messages
) -> None:
    """A TabRequest for a tab still standing in is handed over once its pane exists."""
    notes = Notes()
    app = make_app(demo_workspace, asker_tab(), notes_tab(notes))
    async with app.run_test(size=(80, 24), message_hook=messages) as pilot:
        await settle(pilot)
        assert not app.query(NotesPane)  # only the first tab is built (Today builds the rest)
        app.query_one("#asker").post_message(ShowNote(1))
        await settle(pilot)
        pane = app.query_one(NotesPane)
        assert [r.index for r in pane.requests] == [1]
        assert app.query_one("#tabs", TabHost).active == "notes"
        app.query_one("#asker").post_message(ShowNote(0))  # built now: taken at once
        await settle(pilot)
        assert [r.index for r in pane.requests] == [1, 0]
