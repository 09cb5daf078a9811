"""The Publish tab's actions on one publication and its forms — a base of `PublishPane`.

Enter opens the detail (caption per platform, flags, file facts, preflight,
step log); `e` edits caption, title and time (refused, saying why, once a
publication is being sent or is out); `R` retries; `c` cancels and `n` sends
now, each after a yes/no that names the publication (post, account, time);
`y` copies the public URL; `a` picks a post and opens the new-publication
form, which the `PublishPost` request of Calendar and Today opens for their
post. Writes run in database workers; the list is read again after each.
"""

from __future__ import annotations

from textual import on
from textual.widgets import DataTable

from screens.modals.confirm import ConfirmScreen
from screens.modals.edit_publication import EditPublicationScreen
from screens.modals.link_post import LinkChoice, LinkPostScreen
from screens.modals.new_publication import NewPublicationScreen
from screens.modals.publication_detail import PublicationDetailScreen
from screens.paged.pane import PagedPane
from screens.pane import TabRequest
from screens.publish import rows as pr
from screens.publish.messages import (
    PublicationChanged,
    PublicationRead,
    PublishPost,
    QueueLoaded,
)
from screens.publish.services import PublishServices
from storage.publication_models import Publication
from storage.publications import PublicationError
from storage.publish_queue import QueueQuery

# Why a publication in this state cannot be edited (draft, scheduled, failed can).
NOT_EDITABLE = {
    "publishing": "is being sent to {platform} right now; cancel it (c) first, or wait",
    "processing": "is already on {platform}, which is processing it; change it there",
    "published": "is published on {platform}; change it there (in the app)",
    "cancelled": "is cancelled; R sends it again",
}


class PublishActions(PagedPane[PublishServices, Publication, QueueQuery, QueueLoaded]):
    """e, R, c, n, y, a and Enter of the Publish tab (PublishPane's actions)."""

    def _current(self) -> Publication | None:
        pub = self.highlighted()
        if pub is None:
            self.notify("No publication is highlighted.", severity="warning")
        return pub

    def describe(self, pub: Publication) -> str:
        """ "“Crispy tofu” on tiktok:@pantrylab at Sat 28 Nov 19:00 (Asia/Shanghai)"."""
        when = (
            f"at {pr.local(pub.scheduled_at, self.zone, '%a %d %b %H:%M')} ({self.zone.key})"
            if pub.scheduled_at
            else "(no time yet)"
        )
        return f"“{pr.safe(pub.post_title)}” on {pub.platform}:@{pr.safe(pub.handle)} {when}"

    # --- reading one -----------------------------------------------------------

    def _read(self, purpose: str, pub_id: int) -> None:
        services = self.services

        def read() -> PublicationRead:
            pub = services.publications.get(pub_id)
            steps = services.publications.steps(pub_id) if pub and purpose == "detail" else []
            account = services.queue.account(pub.account_id) if pub else None
            return PublicationRead(purpose, pub_id, pub, steps, account)

        self.run_db(read, group=f"publish-{purpose}", description="Reading the publication")

    @on(DataTable.RowSelected, "#publish-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        pub = self.highlighted()
        if pub is not None:
            self._read("detail", pub.id)

    @on(PublicationRead)
    def _publication_read(self, message: PublicationRead) -> None:
        message.stop()
        pub = message.publication
        if pub is None:
            self.notify(
                f"Publication {message.publication_id} is gone; the queue was read again.",
                severity="warning",
            )
            self.reload_data()
            return
        if message.purpose == "detail":
            check = self.services.form.caption(pub.platform, pub.caption, pub.title)
            view = pr.detail_view(
                pub, message.steps, message.account, check, self.zone, self.clock()
            )
            self.app.push_screen(PublicationDetailScreen(view, pub.remote_url))
        elif message.purpose == "edit":
            self._open_edit(pub)

    # --- edit ------------------------------------------------------------------

    def action_edit(self) -> None:
        """e: change caption, title or time — not once it is being sent or is out."""
        pub = self._current()
        if pub is None:
            return
        why = NOT_EDITABLE.get(pub.state)
        if why is not None:
            name = pr.PLATFORM_NAMES.get(pub.platform, pub.platform)
            self.notify(
                f"Publication {pub.id} {why.format(platform=name)}.",
                title="Cannot be changed",
                severity="warning",
                markup=False,
            )
            return
        self._read("edit", pub.id)

    def _open_edit(self, pub: Publication) -> None:
        if pub.state in NOT_EDITABLE:  # it moved on since the list was read
            self.action_edit()
            return
        screen = EditPublicationScreen(
            pub,
            caption_check=self.services.form.caption,
            save=self.services.edit,
            zone=self.zone,
        )
        self.app.push_screen(screen, self._edited)

    def _edited(self, result: Publication | None) -> None:
        if result is None:
            return
        when = pr.local(result.scheduled_at, self.zone, "%a %d %b %H:%M")
        self.notify(
            f"Publication {result.id} changed: {result.state}"
            + (f", goes out {when}" if result.state == "scheduled" else "")
            + ".",
            markup=False,
        )
        self.reload_data()

    # --- retry, cancel, now ----------------------------------------------------

    def action_retry(self) -> None:
        """R: send a failed or cancelled publication again, now."""
        pub = self._current()
        if pub is not None:
            self._write(pub.id, "retry")

    def action_cancel(self) -> None:
        """c: ask (naming the publication), then cancel it."""
        pub = self._current()
        if pub is None:
            return
        if pub.state in ("processing", "published", "cancelled"):
            name = pr.PLATFORM_NAMES.get(pub.platform, pub.platform)
            why = (
                "is already cancelled"
                if pub.state == "cancelled"
                else f"has already gone to {name}; remove it there (in the app) if it must not stay"
            )
            self.notify(f"Publication {pub.id} {why}.", severity="warning", markup=False)
            return
        stop = (
            "\nIt is being sent now: the upload stops before its next chunk."
            if pub.state == "publishing"
            else ""
        )
        question = (
            f"Cancel publication {pub.id}?\n{self.describe(pub)}{stop}\n\ny cancels it · n keeps it"
        )
        self.app.push_screen(
            ConfirmScreen(question), lambda yes: self._write(pub.id, "cancel") if yes else None
        )

    def action_send_now(self) -> None:
        """n: send a draft or scheduled publication now (after a yes); ask a processing one."""
        pub = self._current()
        if pub is None:
            return
        if pub.state == "processing":
            self._write(pub.id, "now")
            return
        if pub.state not in ("draft", "scheduled"):
            why = {
                "publishing": "is being sent right now",
                "published": "is already published",
                "failed": "failed; R sends it again",
                "cancelled": "is cancelled; R sends it again",
            }.get(pub.state, f"is {pub.state}")
            self.notify(f"Publication {pub.id} {why}.", severity="warning", markup=False)
            return
        question = (
            f"Send publication {pub.id} now?\n{self.describe(pub)}\n"
            "It goes public at once and cannot be taken back here.\n\n"
            "y sends it now · n keeps its time"
        )
        self.app.push_screen(
            ConfirmScreen(question), lambda yes: self._write(pub.id, "now") if yes else None
        )

    def _write(self, pub_id: int, action: str) -> None:
        repo = self.services.publications

        def write() -> PublicationChanged:
            try:
                if action == "cancel":
                    pub = repo.cancel(pub_id, actor="tui")
                    text = (
                        f"Publication {pub_id}: cancel requested; the upload stops before "
                        "its next chunk."
                        if pub.state == "publishing"
                        else f"Publication {pub_id} cancelled."
                    )
                elif action == "retry":
                    pub = repo.retry(pub_id, actor="tui")
                    text = f"Publication {pub_id} goes out again now (a worker sends it)."
                else:
                    pub = repo.send_now(pub_id, actor="tui")
                    text = (
                        f"Publication {pub_id}: the platform is asked again now."
                        if pub.state == "processing"
                        else f"Publication {pub_id} goes out now (a worker sends it)."
                    )
            except PublicationError as exc:
                return PublicationChanged(pub_id, f"{pr.safe(str(exc))}.", error=True)
            return PublicationChanged(pub_id, text)

        self.run_db(
            write, group="publish-write", description="Changing the publication", exclusive=False
        )

    @on(PublicationChanged)
    def _changed(self, message: PublicationChanged) -> None:
        message.stop()
        self.notify(
            message.text, severity="error" if message.error else "information", markup=False
        )
        self.reload_data()

    # --- copy ------------------------------------------------------------------

    def action_copy_url(self) -> None:
        """y: copy the public URL (OSC 52 reaches the terminal over SSH)."""
        pub = self._current()
        if pub is None:
            return
        if not pub.remote_url:
            self.notify(
                f"Publication {pub.id} has no public URL yet ({pub.state}).", severity="warning"
            )
            return
        self.app.copy_to_clipboard(pub.remote_url)
        self.notify(pr.safe(pub.remote_url), title="URL copied", markup=False)

    # --- new publications ------------------------------------------------------

    def action_add(self) -> None:
        """a: pick a post, then the new-publication form for it."""
        self.app.push_screen(
            LinkPostScreen(
                "",
                self.services.form.search_posts,
                heading="Publish a post",
                hint="type to search · Enter picks · Esc cancels",
            ),
            self._post_picked,
        )

    def _post_picked(self, choice: LinkChoice | None) -> None:
        if choice is not None and choice.post_id is not None:
            self.open_new_publication(choice.post_id)

    def take_request(self, request: TabRequest) -> None:
        """`PublishPost` (Calendar's or Today's p): the form for that post."""
        if isinstance(request, PublishPost):
            self.open_new_publication(request.post_id)
        else:
            super().take_request(request)

    def open_new_publication(self, post_id: int) -> None:
        """Open the new-publication form for a post."""
        self.app.push_screen(
            NewPublicationScreen(self.services.form, post_id, now=self.clock(), zone=self.zone),
            self._added,
        )

    def _added(self, result: Publication | None) -> None:
        if result is None:
            return
        when = pr.local(result.scheduled_at, self.zone, "%a %d %b %H:%M")
        self.notify(
            f"Publication {result.id} queued: {result.platform}:@{pr.safe(result.handle)}, "
            + (f"{result.state} for {when}." if result.scheduled_at else "a draft (no time yet)."),
            title="Queued",
            markup=False,
        )
        self._follow(result)

    def _follow(self, pub: Publication) -> None:
        """Read the window around `pub` (just added: it may not be in the window yet;
        as it is not the highlighted row, the window is read around now)."""
        self._read_window("anchor", pub)
