"""The link-a-clip modal: search posts by title, pick one (or unlink).

With a `heading` it is a plain post picker (the Publish tab's `a`): no
"linked now" line, and no unlink choice unless a `current` post is given.

It takes a `search` function returning plain `PostChoice`s (the pane wires
it to the post repository; it runs in a thread worker here) and returns a
`LinkChoice` — a post id, or None to unlink — or None when cancelled.
Typing searches, ↓/↑ move in the results, Enter links, Escape cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from screens.modals.base import Modal
from widgets.footage_table import fit
from widgets.lists import KeyedOptionList
from widgets.safe_text import visible

UNLINK = "unlink"


@dataclass(frozen=True)
class PostChoice:
    """A post as the picker shows it."""

    id: int
    title: str
    detail: str


@dataclass(frozen=True)
class LinkChoice:
    """What was picked: a post (id and title), or None to unlink."""

    post_id: int | None
    title: str = ""


@dataclass
class PostsFound(Message):
    """The search worker found these posts for `text`."""

    text: str
    posts: list[PostChoice]


class LinkPostScreen(Modal["LinkChoice | None"]):
    """Pick the post a clip belongs to."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="link_post.cancel", tooltip="Close without linking"
        ),
        Binding(
            "down",
            "move(1)",
            "Next",
            id="link_post.next",
            show=False,
            tooltip="Highlight the next post",
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous",
            id="link_post.previous",
            show=False,
            tooltip="Highlight the previous post",
        ),
    ]

    def __init__(
        self,
        clip_name: str,
        search: Callable[[str], list[PostChoice]],
        *,
        current: PostChoice | None = None,
        heading: str | None = None,
        hint: str = "type to search · Enter links · Esc cancels",
    ) -> None:
        super().__init__()
        self.clip_name = clip_name
        self.search = search
        self.current = current
        self.heading = heading  # the box's title; None: "Link · <clip>"
        self.hint = hint
        self.found: list[PostChoice] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="link-post-box", classes="modal-box") as box:
            box.border_title = visible(self.heading or f"Link · {self.clip_name}")
            box.border_subtitle = self.hint
            yield Input(placeholder="Post title…", id="link-post-search")
            yield KeyedOptionList(id="link-post-list")
            if self.heading is None:
                now = visible(
                    f"Linked now: {self.current.title}" if self.current else "Not linked to a post"
                )
                yield Static(Content.styled(now, "$text-muted"), id="link-post-current")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._search("")

    @on(Input.Changed, "#link-post-search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="link-post-search",
        description="Searching posts",
    )
    def _search(self, text: str) -> None:
        posts = self.search(text)
        if not get_current_worker().is_cancelled:
            self.post_message(PostsFound(text, posts))

    @on(PostsFound)
    def _show(self, message: PostsFound) -> None:
        message.stop()
        if message.text != self.query_one(Input).value:
            return  # typed on since: a newer search is coming
        self.found = message.posts
        options: list[Option] = []
        if self.current is not None and not message.text.strip():
            options.append(
                Option(Content.styled("— unlink (no post) —", "$text-warning"), id=UNLINK)
            )
        width = max(20, self.query_one(OptionList).scrollable_content_region.width - 2)
        detail_cells = min(28, width // 2)
        for post in message.posts:
            options.append(
                Option(
                    Content.assemble(
                        fit(post.title, width - detail_cells - 2),
                        "  ",
                        (fit(post.detail, detail_cells), "$text-muted"),
                    ),
                    id=str(post.id),
                )
            )
        if not options:
            options.append(
                Option(
                    Content.styled(
                        visible(f"No post title contains “{message.text}”"), "$text-muted"
                    ),
                    disabled=True,
                )
            )
        listing = self.query_one(OptionList)
        listing.clear_options()
        listing.add_options(options)
        listing.highlighted = 0 if not options[0].disabled else None

    def action_move(self, step: int) -> None:
        """Move the highlight in the results while typing."""
        listing = self.query_one(OptionList)
        if step > 0:
            listing.action_cursor_down()
        else:
            listing.action_cursor_up()

    @on(Input.Submitted, "#link-post-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        self._pick(listing.get_option_at_index(listing.highlighted).id)

    @on(OptionList.OptionSelected, "#link-post-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id == UNLINK:
            self.dismiss(LinkChoice(None))
            return
        post = next((p for p in self.found if str(p.id) == option_id), None)
        if post is not None:
            self.dismiss(LinkChoice(post.id, post.title))

    def action_cancel(self) -> None:
        """Close without changing the link."""
        self.dismiss(None)
