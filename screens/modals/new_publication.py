"""The new-publication form: account, file (a finished render or a path), time, caption,
title, privacy and flags for one post, all picked by keyboard.

It works through `PublishFormServices` (app/publish_form.py wires them to
the shared checks of `reelroom publish add`). Every change schedules a
check in a worker — the whole `publish add` check, preflight of the file
and the caption included — and its verdict is shown before anything is
submitted: each problem with its field, and for the file the built-in
recipe that fixes it. Ctrl+S (or the button) queues; a refusal (an exit-1
case of `publish add`) becomes lines in the form and nothing is stored.
The modal returns the stored `Publication`, or None when cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static, TextArea

from screens.modals.base import OwnKeysModal
from screens.publish.rows import safe
from screens.publish.services import (
    AccountChoice,
    FormDone,
    PostFacts,
    PublishForm,
    PublishFormServices,
    Verdict,
)
from storage.publication_models import Publication
from widgets.cells import fit

PATH = "path"  # the file choice that means "a file path, typed below"
CHECK_DELAY = 0.35


@dataclass
class FormLoaded(Message):
    """The post (None: gone) and the accounts were read."""

    post: PostFacts | None
    accounts: list[AccountChoice]


@dataclass
class FormChecked(Message):
    """The check of `form` gave `verdict`."""

    form: PublishForm
    verdict: Verdict


@dataclass
class FormSubmitted(Message):
    """The submit worker stored the publication, or was refused."""

    done: FormDone


def _field(label: str, *widgets: Widget, row_id: str | None = None) -> Horizontal:
    """One labelled line of the form."""
    return Horizontal(Label(label, classes="pub-label"), *widgets, classes="pub-field", id=row_id)


class NewPublicationScreen(OwnKeysModal[Publication | None]):
    """Queue one post for one account, checked like `reelroom publish add`."""

    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", id="new_pub.cancel", tooltip="Close without queueing"
        ),
        Binding("ctrl+s", "submit", "Queue", id="new_pub.submit", tooltip="Check and queue it"),
    ]

    def __init__(
        self, services: PublishFormServices, post_id: int, *, now: datetime, zone: ZoneInfo
    ) -> None:
        super().__init__()
        self.services = services
        self.post_id = post_id
        self.now = now
        self.zone = zone
        self.post: PostFacts | None = None
        self.accounts: list[AccountChoice] = []
        self.verdict: Verdict | None = None
        self.busy = False
        self._timer: Timer | None = None
        self._loading = True
        self._asked: PublishForm | None = None  # the form last sent to the check

    def compose(self) -> ComposeResult:
        with Vertical(id="new-pub-box", classes="modal-box") as box:
            box.border_title = "New publication"
            box.border_subtitle = "Tab moves · Ctrl+S queues · Esc cancels"
            with VerticalScroll(id="new-pub-body"):
                yield Static("Reading the post…", id="new-pub-post")
                yield _field(
                    "Account",
                    Select[int](
                        [], prompt="account", allow_blank=True, compact=True, id="new-pub-account"
                    ),
                )
                yield _field(
                    "File",
                    Select[str](
                        [], prompt="file", allow_blank=True, compact=True, id="new-pub-file"
                    ),
                )
                yield _field(
                    "Path",
                    Input(placeholder="/path/to/video.mp4", compact=True, id="new-pub-path"),
                    row_id="new-pub-path-row",
                )
                yield _field(
                    "Time",
                    Input(
                        placeholder="2026-12-01 18:00, now, or empty: a draft",
                        compact=True,
                        id="new-pub-time",
                    ),
                    Static(f" {self.zone.key}", classes="pub-hint"),
                )
                yield _field(
                    "Title",
                    Input(placeholder="YouTube's title", compact=True, id="new-pub-title"),
                    row_id="new-pub-title-row",
                )
                yield Label("Caption", classes="pub-label")
                yield TextArea("", compact=True, soft_wrap=True, id="new-pub-caption")
                yield Static("", id="new-pub-usage", classes="pub-hint")
                yield _field(
                    "Privacy",
                    Select[str](
                        [("public", "public")],
                        allow_blank=False,
                        compact=True,
                        id="new-pub-privacy",
                    ),
                    Checkbox("branded", compact=True, id="new-pub-branded"),
                    Checkbox("TikTok draft", compact=True, id="new-pub-draft"),
                )
                yield Static("", id="new-pub-check")
            with Horizontal(id="new-pub-buttons"):
                yield Button("Queue", variant="primary", compact=True, id="new-pub-submit")

    def on_mount(self) -> None:
        self.query_one("#new-pub-path-row").display = False
        self.query_one("#new-pub-title-row").display = False
        self.query_one("#new-pub-draft").display = False
        self._load()

    # --- loading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, description="Reading the post")
    def _load(self) -> None:
        services = self.services
        self.post_message(FormLoaded(services.post(self.post_id), services.accounts()))

    @on(FormLoaded)
    def _loaded(self, message: FormLoaded) -> None:
        message.stop()
        self.post, self.accounts = message.post, message.accounts
        post = message.post
        if post is None:
            self._show_post(f"There is no post {self.post_id} (deleted elsewhere?).")
            return
        box = self.query_one("#new-pub-box")
        box.border_title = f"Publish · {fit(safe(post.title), 50).rstrip()}"
        planned = (
            post.planned_at.astimezone(self.zone).strftime("%a %d %b %H:%M")
            if post.planned_at
            else "no planned time"
        )
        self._show_post(f"Post #{post.id} · planned {planned}")
        if not message.accounts:
            self._say_check(
                "✗ No accounts yet: add one with `reelroom accounts add tiktok @handle "
                "--credentials FILE.json`, then open this form again."
            )
            return
        account = self.query_one("#new-pub-account", Select)
        account.set_options([(self._account_label(a), a.id) for a in message.accounts])
        free = [a for a in message.accounts if a.id not in post.taken and a.state == "ok"]
        account.value = (free or message.accounts)[0].id
        files = [(fit(safe(r.label), 56).rstrip(), str(r.job_id)) for r in post.renders]
        files.append(("another file: type its path below", PATH))
        file_select = self.query_one("#new-pub-file", Select)
        file_select.set_options(files)
        usable = [r for r in post.renders if r.exists]
        file_select.value = str(usable[0].job_id) if usable else files[0][1]
        if post.planned_at is not None and post.planned_at > self.now:
            self.query_one("#new-pub-time", Input).value = post.planned_at.astimezone(
                self.zone
            ).strftime("%Y-%m-%d %H:%M")
        self.query_one("#new-pub-title", Input).value = post.title
        self.query_one("#new-pub-caption", TextArea).text = post.caption
        self._account_changed()
        self._loading = False
        self.query_one("#new-pub-account", Select).focus()
        self._check_now()  # at once the first time; then a moment after each change

    def _account_label(self, account: AccountChoice) -> str:
        label = account.name
        if self.post is not None and account.id in self.post.taken:
            label += f" — has {self.post.taken[account.id]}"
        elif account.state != "ok":
            label += f" — {account.state.replace('_', ' ')}"
        return fit(safe(label), 56).rstrip()

    def _show_post(self, text: str) -> None:
        self.query_one("#new-pub-post", Static).update(Content(text))

    # --- what is picked ----------------------------------------------------------

    def _account(self) -> AccountChoice | None:
        value = self.query_one("#new-pub-account", Select).value
        return next((a for a in self.accounts if a.id == value), None)

    def _account_changed(self) -> None:
        account = self._account()
        platform = account.platform if account else ""
        self.query_one("#new-pub-title-row").display = platform == "youtube"
        self.query_one("#new-pub-draft").display = platform == "tiktok"
        privacy = self.query_one("#new-pub-privacy", Select)
        choices = account.privacy if account else ("public",)
        keep = privacy.value if privacy.value in choices else choices[0]
        privacy.set_options([(word, word) for word in choices])
        privacy.value = keep
        self._show_usage()

    def form(self) -> PublishForm | None:
        """What the form holds now (None: no account picked)."""
        account = self._account()
        if account is None or self.post is None:
            return None
        file_value = self.query_one("#new-pub-file", Select).value
        render = int(file_value) if isinstance(file_value, str) and file_value.isdigit() else None
        path = self.query_one("#new-pub-path", Input).value.strip()
        privacy = self.query_one("#new-pub-privacy", Select).value
        return PublishForm(
            post_id=self.post.id,
            account=account.name,
            render_job_id=render,
            file=None if render is not None else path,
            at=self.query_one("#new-pub-time", Input).value.strip() or None,
            caption=self.query_one("#new-pub-caption", TextArea).text,
            title=self.query_one("#new-pub-title", Input).value
            if account.platform == "youtube"
            else "",
            privacy=privacy if isinstance(privacy, str) else "public",
            branded_content=self.query_one("#new-pub-branded", Checkbox).value,
            as_draft=account.platform == "tiktok"
            and self.query_one("#new-pub-draft", Checkbox).value,
        )

    @on(Select.Changed)
    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        if self._loading:
            return
        control = getattr(event, "control", None) or getattr(event, "text_area", None)
        ident = getattr(control, "id", "")
        if ident == "new-pub-account":
            self._account_changed()
        if ident == "new-pub-file":
            self.query_one("#new-pub-path-row").display = (
                self.query_one("#new-pub-file", Select).value == PATH
            )
        if ident in ("new-pub-caption", "new-pub-title"):
            self._show_usage()
        self._schedule_check()

    def _show_usage(self) -> None:
        form, account = self.form(), self._account()
        if form is None or account is None:
            return
        check = self.services.caption(account.platform, form.caption, form.title)
        self.query_one("#new-pub-usage", Static).update(Content(check.usage))

    # --- checking ----------------------------------------------------------------

    def _schedule_check(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self.form() != self._asked:  # a change that changes nothing is not checked again
            self._timer = self.set_timer(CHECK_DELAY, self._check_now)

    def _check_now(self) -> None:
        form = self.form()
        if form is None:
            return
        self._asked = form
        self._say_check("Checking the file and caption…")
        self._check(form)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="new-pub-check",
        description="Checking the publication",
    )
    def _check(self, form: PublishForm) -> None:
        verdict = self.services.check(form)
        self.post_message(FormChecked(form, verdict))

    @on(FormChecked)
    def _checked(self, message: FormChecked) -> None:
        message.stop()
        if message.form != self.form():
            return  # changed since: a newer check is coming
        self.verdict = message.verdict
        self._say_check(verdict_text(message.verdict))

    def _say_check(self, text: str) -> None:
        self.query_one("#new-pub-check", Static).update(Content(text))

    # --- submitting ----------------------------------------------------------------

    @on(Button.Pressed, "#new-pub-submit")
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Check everything again and queue it, in a worker."""
        form = self.form()
        if self.busy or form is None:
            return
        if self._timer is not None:
            self._timer.stop()
        self.busy = True
        self._say_check("Queueing…")
        self._submit(form)

    @work(
        thread=True,
        exclusive=True,
        exit_on_error=False,
        group="new-pub-submit",
        description="Queueing the publication",
    )
    def _submit(self, form: PublishForm) -> None:
        self.post_message(FormSubmitted(self.services.submit(form)))

    @on(FormSubmitted)
    def _submitted(self, message: FormSubmitted) -> None:
        message.stop()
        self.busy = False
        done = message.done
        if done.publication is not None:
            self.dismiss(done.publication)
            return
        self.verdict = done.verdict
        self._say_check("Nothing was queued:\n" + verdict_text(done.verdict))

    def action_cancel(self) -> None:
        """Close without queueing."""
        self.dismiss(None)


def verdict_text(verdict: Verdict) -> str:
    """ "✓ passes …" or one "✗ field: problem" line each, then the warnings."""
    if verdict.ok:
        lines = [f"✓ {safe(line)}" for line in verdict.lines]
    else:
        prefix = f"{verdict.field}: " if verdict.field else ""
        lines = [f"✗ {prefix}{safe(line)}" for line in verdict.lines]
    lines += [f"⚠ {safe(w)}" for w in verdict.warnings]
    return "\n".join(lines)
