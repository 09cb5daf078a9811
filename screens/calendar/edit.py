"""The Calendar tab's writes: new post, move a post to another day, step its
status, the `/` filter, and `p`, which asks the Publish tab to open the
new-publication form for the highlighted post — a mixin of `CalendarPane`.

Each write is one short transaction on the UI thread's own connection
(through the repositories the pane was given), followed by a fresh read.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from screens.calendar import model as cm
from screens.modals.calendar_filter import FilterScreen
from screens.modals.new_post import NewPost, NewPostScreen
from screens.modals.slots import SlotsScreen
from screens.pane import Pane
from screens.publish.messages import PublishPost
from storage.calendar import CalendarRange, CalendarRepo, PostFilter
from storage.models import POST_STATUSES, STATUS_LABELS, Account, Pillar
from storage.posts import PostRepo
from storage.slots import Slot, next_free

DEFAULT_TIME = "18:00"


class CalendarEditing(Pane):
    """n, m … Enter, < >, / of the Calendar tab (CalendarPane's writes).

    The attributes and the two reads below are CalendarPane's; they are
    declared here so this half of the pane type-checks without importing it.
    """

    repo: CalendarRepo
    posts: PostRepo
    zone: ZoneInfo
    view: str
    selected: date
    moving: str | None
    filter: PostFilter
    filter_text: str
    data: CalendarRange | None
    slots: list[Slot]
    pillars: list[Pillar]
    accounts: list[Account]
    _want_key: str | None

    def current_key(self) -> str | None:
        """The key of the highlighted entry (CalendarPane's own comes first in its MRO)."""
        raise NotImplementedError

    def paint(self) -> None:
        """Show the current state (CalendarPane's own comes first in its MRO)."""
        raise NotImplementedError

    # --- writing -------------------------------------------------------------

    def _post_id(self) -> int | None:
        key = self.current_key()
        if key is None or not key.startswith(("post:", "shoot:")):
            return None
        return int(key.partition(":")[2])

    def action_publish(self) -> None:
        """p: ask the Publish tab for the new-publication form of the highlighted post."""
        post_id = self._post_id()
        if post_id is None:
            self.notify(
                "Highlight a post first (j/k pick the entry of the day).", severity="warning"
            )
            return
        self.post_message(PublishPost(post_id))

    def action_move(self) -> None:
        """m: pick up the highlighted post; arrows choose the day, Enter drops it."""
        key = self.current_key()
        if key is None or not key.startswith("post:"):
            self.notify(
                "Highlight a post first (j/k pick the entry of the day).", severity="warning"
            )
            return
        self.moving = key
        self.paint()

    def action_cancel_move(self) -> None:
        """Escape: put the post down where it was."""
        self.moving = None
        self.paint()

    def _drop(self) -> None:
        key, self.moving = self.moving, None
        if key is None:
            return
        moved = self.repo.move_post(int(key.partition(":")[2]), self.selected, self.zone)
        if moved is None:
            self.notify(
                "That post is gone or has no planned time; nothing moved.", severity="warning"
            )
        else:
            self._want_key = key
            self.notify(f"Moved to {self.selected:%a %d %b} (time kept).")
        self.reload_data()
        self.paint()

    def action_step(self, step: int) -> None:
        """< and >: the highlighted post one pipeline stage back or forward."""
        post_id = self._post_id()
        if post_id is None:
            return
        post = self.repo.step_status(post_id, step)
        if post is None:
            self.notify("That post is gone.", severity="warning")
        else:
            self._want_key = f"post:{post_id}" if self.view == "board" else self.current_key()
            self.notify(f"{post.title}: {STATUS_LABELS.get(post.status, post.status)}")
        self.reload_data()

    def action_new_post(self) -> None:
        """n: a new post on the selected day, its time from the next free slot."""
        day = self.selected
        posts = self.data.posts if self.data is not None else ()
        slot = next_free(day, self.slots, posts, self.zone, self.filter.account_id)
        hhmm, hint = (
            (slot.strftime("%H:%M"), "next free slot")
            if slot is not None
            else (DEFAULT_TIME, "no free slot that day")
        )
        screen = NewPostScreen(
            day,
            time=hhmm,
            time_hint=hint,
            pillars=[(p.name, p.id) for p in self.pillars],
            statuses=[(STATUS_LABELS[s], s) for s in POST_STATUSES],
        )
        self.app.push_screen(screen, lambda result: self._create(day, result))

    def _create(self, day: date, result: NewPost | None) -> None:
        if result is None:
            return
        hour, minute = (int(x) for x in result.time.split(":"))
        planned = datetime.combine(day, time(hour, minute), tzinfo=self.zone)
        post = self.posts.add(
            result.title, status=result.status, pillar_id=result.pillar_id, planned_at=planned
        )
        self._want_key = f"post:{post.id}"
        self.notify(f"Added “{post.title}” on {day:%a %d %b} {result.time}.")
        self.reload_data()

    def action_slots(self) -> None:
        """s: the posting slots of the selected day's weekday, edited in the database."""
        self.app.push_screen(SlotsScreen(self.repo, self.selected.weekday()), self._slots_closed)

    def _slots_closed(self, changed: bool | None) -> None:
        if changed:
            self.reload_data()

    def action_filter(self) -> None:
        """/: filter by pillar, account or status."""
        choices = cm.filter_choices(self.pillars, self.accounts)
        self.app.push_screen(FilterScreen(self.filter_text, choices), self._filtered)

    def _filtered(self, text: str | None) -> None:
        if text is None:
            return
        flt, unknown = cm.parse_filter(text, self.pillars, self.accounts)
        if unknown:
            self.notify(
                f"No pillar, status or account matches {', '.join(unknown)}; "
                "the filter was not changed.",
                severity="warning",
            )
            return
        self.filter, self.filter_text = flt, text
        self.reload_data()
