"""Paged lists: the base of a tab whose table holds a keyset window of rows from SQLite.

`pane.py` holds `PagedPane` (the window's state, reading it, paging at its
edges, trimming it, g/G), `window.py` the thread-side reader (first, last or
around a row, through a `Keyset`), `messages.py` the messages between them.
Footage, Inbox and Publish are paged lists.
"""
