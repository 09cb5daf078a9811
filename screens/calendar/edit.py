"""The Calendar tab's writes: new post, edit a post, move it to another day, step
its status, undo the last of those, the `/` filter, and `p`, which asks the
Publish tab to open the new-publication form for the highlighted post — a mixin
of `CalendarPane`.

Each write is one short transaction on the UI thread's own connection
(through the repositories the pane was given), followed by a fresh read.
Moves, stage steps and edits each leave an undo step (`u` takes back the
latest: the post's previous values are written back).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from screens import post_edit
from screens.calendar import model as cm
from screens.modals.calendar_filter import FilterScreen
from screens.modals.edit_post import EditPostScreen, PostEdit
from screens.modals.new_post import NewPost, NewPostScreen
from screens.modals.slots import SlotsScreen
from screens.numbers.messages import ShowPostNumbers
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
    undo_steps: list[tuple[str, int, dict[str, object]]]  # (what, post id, values to restore)

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

    def action_numbers(self) -> None:
        """N: ask the Numbers tab for the highlighted post's report."""
        post_id = self._post_id()
        if post_id is None:
            self.notify(
                "Highlight a post first (j/k pick the entry of the day).", severity="warning"
            )
            return
        self.post_message(ShowPostNumbers(post_id))

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

    def moving_title(self) -> str:
        """The title of the post being moved ("" when none is)."""
        if self.moving is None or self.data is None:
            return ""
        post_id = int(self.moving.partition(":")[2])
        return next((p.title for p in self.data.posts if p.id == post_id), f"post {post_id}")

    def _remember(self, what: str, post_id: int) -> None:
        """Keep the post's values as they are now, for `u`."""
        before = self.posts.get(post_id)
        if before is not None:
            self.undo_steps.append((what, post_id, post_edit.restore(before)))
            del self.undo_steps[:-20]

    def _drop(self) -> None:
        key, self.moving = self.moving, None
        if key is None:
            return
        post_id = int(key.partition(":")[2])
        before = self.posts.get(post_id)
        if before is not None:
            self._remember(f"the move of “{before.title}”", post_id)  # before it moves
        try:
            moved = self.repo.move_post(post_id, self.selected, self.zone)
        except ValueError as exc:  # a day outside the years ReelRoom keeps
            if before is not None:
                self.undo_steps.pop()  # nothing moved: nothing to undo
            self.notify(f"Nothing moved: {exc}.", severity="error", markup=False)
            self.paint()
            return
        if moved is None:
            if before is not None:
                self.undo_steps.pop()
            self.notify(
                "That post is gone or has no planned time; nothing moved.", severity="warning"
            )
        else:
            self._want_key = key
            self.notify(f"Moved “{moved.title}” to {self.selected:%a %d %b} (time kept; u undoes).")
        self.reload_data()
        self.paint()

    def action_undo(self) -> None:
        """u: take back the latest move, stage step or edit made here."""
        if not self.undo_steps:
            self.notify("Nothing to undo here.", severity="warning")
            return
        what, post_id, values = self.undo_steps.pop()
        restored = self.posts.edit(post_id, **values)
        if restored is None:
            self.notify(f"Cannot undo {what}: the post is gone.", severity="warning")
        else:
            self._want_key = f"post:{post_id}"
            self.notify(f"Undone: {what}.")
        self.reload_data()

    def action_edit(self) -> None:
        """e: edit the highlighted post's title, pillar, status, day, time and length."""
        post_id = self._post_id()
        post = self.posts.get(post_id) if post_id is not None else None
        if post is None:
            self.notify(
                "Highlight a post first (j/k pick the entry of the day).", severity="warning"
            )
            return
        pillars, statuses = post_edit.choices(self.pillars)
        self.app.push_screen(
            EditPostScreen(
                post_edit.current_values(post, self.zone), pillars=pillars, statuses=statuses
            ),
            lambda edit: self._edited(post.id, edit),
        )

    def _edited(self, post_id: int, edit: PostEdit | None) -> None:
        if edit is None:
            return
        self._remember(f"the edit of “{edit.title}”", post_id)
        saved = self.posts.edit(post_id, **post_edit.changes(edit, self.zone))
        if saved is None:
            self.undo_steps.pop()
            self.notify("That post is gone; nothing was saved.", severity="warning")
        else:
            self._want_key = f"post:{post_id}"
            self.notify(f"Saved “{saved.title}” (u undoes).")
        self.reload_data()

    def action_step(self, step: int) -> None:
        """< and >: the highlighted post one pipeline stage back or forward."""
        post_id = self._post_id()
        if post_id is None:
            return
        before = self.posts.get(post_id)
        if before is not None:
            self._remember(
                f"“{before.title}” back to {STATUS_LABELS.get(before.status, before.status)}",
                post_id,
            )
        post = self.repo.step_status(post_id, step)
        if post is None:
            self.notify("That post is gone.", severity="warning")
        else:
            self._want_key = f"post:{post_id}" if self.view == "board" else self.current_key()
            self.notify(
                f"{post.title}: {STATUS_LABELS.get(post.status, post.status)} (u undoes)",
                markup=False,
            )
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
        try:
            post = self.posts.add(
                result.title, status=result.status, pillar_id=result.pillar_id, planned_at=planned
            )
        except ValueError as exc:  # an empty title after cleaning, a day out of range
            self.notify(f"Nothing was added: {exc}.", severity="error", markup=False)
            return
        self._want_key = f"post:{post.id}"
        self.notify(f"Added “{post.title}” on {day:%a %d %b} {result.time}.", markup=False)
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
