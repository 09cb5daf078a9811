"""Wiring of the Publish tab: its services, built from one workspace.

The tab reads the queue through storage (storage/publish_queue.py,
storage/publications.py). What needs more than storage is handed to it as
plain callables: the caption rules (media_watch/captions.py), and the
checks of `reelroom publish add` (app/publishing/requests.py) for the
new-publication form — the same function, so the form refuses exactly what
the command refuses — and for an edit of caption, title and time. Every
callable closes its thread's connection when done (they run in worker
threads).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable, TypeVar

from app.publishing.requests import (
    PRIVACY_BY_PLATFORM,
    DisclosureRefused,
    PreflightRefused,
    PublishAsk,
    PublishRequestError,
    prepare_edit,
    prepare_publication,
)
from app.workspace import Workspace
from media_watch.captions import RULES, UNIT_WORDS, caption_problems, hashtags, measure, mentions
from media_watch.tools import ToolMissing
from screens.modals.link_post import PostChoice
from screens.publish.rows import PRESET_LABELS, media_text
from screens.publish.services import (
    AccountChoice,
    CaptionCheck,
    EditForm,
    FormDone,
    PostFacts,
    PublishForm,
    PublishFormServices,
    PublishServices,
    RenderChoice,
    Verdict,
)
from storage.accounts import AccountRepo
from storage.models import STATUS_LABELS
from storage.posts import PostRepo
from storage.publications import NewPublication, PublicationError, PublicationRepo
from storage.publish_queue import PublishQueueRepo
from storage.renders import RenderRepo
from storage.timefmt import utcnow

T = TypeVar("T")
POST_LIMIT = 50
RENDER_LIMIT = 20
FIELDS = {  # the option `publish add` names → the form's field
    "--at": "time",
    "--account": "account",
    "--post": "post",
    "--render": "file",
    "--file": "file",
    "--render/--file": "file",
    "--caption/--caption-file": "caption",
    "--caption-file": "caption",
    "--privacy": "privacy",
    "--draft": "draft",
}


def caption_check(platform: str, caption: str, title: str) -> CaptionCheck:
    """The caption (and YouTube's title) measured in the platform's units, and its problems."""
    rules = RULES.get(platform)
    if rules is None:
        return CaptionCheck("", tuple(caption_problems(platform, caption, title)))
    used = measure(caption, rules.unit)
    limit = f" of {rules.max_length}" if rules.max_length else ""
    bits = [f"{used}{limit} {UNIT_WORDS[rules.unit]}"]
    tags, names = len(hashtags(caption)), len(mentions(caption))
    bits.append(f"{tags} hashtag{'s' if tags != 1 else ''}")
    if names:
        bits.append(f"{names} mention{'s' if names != 1 else ''}")
    if rules.needs_title:
        bits.append(f"title {len(title)} of {rules.max_title} characters")
    return CaptionCheck(" · ".join(bits), tuple(caption_problems(platform, caption, title)))


def _refusal(exc: Exception) -> Verdict:
    """A refusal of `publish add` (its exit-1 and exit-2 cases) as the form shows it."""
    if isinstance(exc, PublishRequestError):
        text = str(exc).removeprefix(f"{exc.field}: ")
        return Verdict(False, FIELDS.get(exc.field, exc.field.lstrip("-")), (text,))
    if isinstance(exc, PreflightRefused):
        field = "caption" if not exc.file_problems else ""
        return Verdict(False, field, tuple(exc.lines()))
    if isinstance(exc, DisclosureRefused):
        return Verdict(
            False,
            "disclosure",
            (
                *exc.problems,
                "the post is a brand deliverable: fix the caption or flags; only "
                "`reelroom publish add … --override-disclosure REASON` lets it past (logged)",
            ),
        )
    return Verdict(False, "", (str(exc),))


def _when(moment: datetime | None, ws: Workspace, now: datetime) -> str:
    if moment is None:
        return "a draft: no time yet (e gives one later, n sends it)"
    if moment <= now:
        return "goes out now (the time is not in the future)"
    zone = ws.config.zone
    return f"goes out {moment.astimezone(zone):%a %d %b %Y %H:%M} ({zone.key})"


def _passed(new: NewPublication, ws: Workspace, now: datetime, warnings: list[str]) -> Verdict:
    preset = str((new.preflight or {}).get("preset", ""))
    return Verdict(
        True,
        "",
        (
            f"passes the {PRESET_LABELS.get(preset, preset)} limits: {media_text(new.media)}",
            _when(new.scheduled_at, ws, now),
        ),
        tuple(warnings),
    )


def form_services(ws: Workspace, clock: Callable[[], datetime] = utcnow) -> PublishFormServices:
    """The new-publication form's callables on this workspace (`clock`: the App's)."""
    store = ws.store
    posts, renders = PostRepo(store), RenderRepo(store)
    queue = PublishQueueRepo(store)
    repo = PublicationRepo(store, max_attempts=ws.config.worker.max_attempts)

    def closing(read: Callable[[], T]) -> T:
        try:
            return read()
        finally:
            store.close()

    def post(post_id: int) -> PostFacts | None:
        def read() -> PostFacts | None:
            found = posts.get(post_id)
            if found is None:
                return None
            theirs = queue.for_post(post_id)
            choices = []
            for render in renders.for_post(post_id, limit=RENDER_LIMIT):
                if render.job.state != "done" or not render.output_path:
                    continue
                exists = Path(render.output_path).is_file()
                label = f"render #{render.id} · {Path(render.output_path).name}"
                choices.append(
                    RenderChoice(
                        render.id,
                        label + ("" if exists else " · file missing"),
                        render.output_path,
                        exists,
                    )
                )
            caption = next((p.caption for p in reversed(theirs) if p.caption), found.title)
            taken = {p.account_id: f"publication {p.id} ({p.state})" for p in theirs}
            return PostFacts(
                found.id, found.title, found.planned_at, caption, tuple(choices), taken
            )

        return closing(read)

    def accounts() -> list[AccountChoice]:
        now = clock()
        return closing(
            lambda: [
                AccountChoice(
                    a.id,
                    f"{a.platform}:@{a.handle}",
                    a.platform,
                    a.state(now),
                    PRIVACY_BY_PLATFORM[a.platform],
                )
                for a in AccountRepo(store).all()
            ]
        )

    def search_posts(text: str) -> list[PostChoice]:
        zone = ws.config.zone

        def read() -> list[PostChoice]:
            return [
                PostChoice(
                    p.id,
                    p.title,
                    " · ".join(
                        [
                            STATUS_LABELS.get(p.status, p.status),
                            p.planned_at.astimezone(zone).strftime("%d %b %Y")
                            if p.planned_at
                            else "unplanned",
                        ]
                    ),
                )
                for p in posts.search_titles(text, limit=POST_LIMIT)
            ]

        return closing(read)

    def ask(form: PublishForm) -> PublishAsk:
        return PublishAsk(
            post_id=form.post_id,
            account=form.account,
            render_job_id=form.render_job_id,
            file=form.file,
            at=form.at,
            caption=form.caption,
            title=form.title,
            privacy=form.privacy,
            branded_content=form.branded_content,
            as_draft=form.as_draft,
        )

    def taken_problem(new: NewPublication) -> Verdict | None:
        for pub in queue.for_post(new.post_id):
            if pub.account_id == new.account_id:
                return Verdict(
                    False,
                    "account",
                    (
                        f"post {new.post_id} already has publication {pub.id} ({pub.state}) "
                        "on this account; change that one instead of adding another",
                    ),
                )
        return None

    def no_file(form: PublishForm) -> Verdict | None:
        if form.render_job_id is None and not (form.file or "").strip():
            return Verdict(
                False, "file", ("pick one of the post's renders, or type a file's path",)
            )
        return None

    def check(form: PublishForm) -> Verdict:
        def run() -> Verdict:
            missing = no_file(form)
            if missing is not None:
                return missing
            request = ask(form)
            try:
                new = prepare_publication(ws, request)
            except (PublishRequestError, PreflightRefused, DisclosureRefused, ToolMissing) as exc:
                return _refusal(exc)
            return taken_problem(new) or _passed(new, ws, clock(), request.warnings)

        return closing(run)

    def submit(form: PublishForm) -> FormDone:
        def run() -> FormDone:
            missing = no_file(form)
            if missing is not None:
                return FormDone(None, missing)
            request = ask(form)
            try:
                new = prepare_publication(ws, request)
                pub = repo.add(new, actor="tui")
            except (
                PublishRequestError,
                PreflightRefused,
                DisclosureRefused,
                ToolMissing,
                PublicationError,
            ) as exc:
                return FormDone(None, _refusal(exc))
            return FormDone(pub, _passed(new, ws, clock(), request.warnings))

        return closing(run)

    return PublishFormServices(
        post,
        accounts,
        search_posts,
        check,
        submit,
        caption_check,
        ws.config.zone.key,
    )


def edit_service(ws: Workspace) -> Callable[[EditForm], FormDone]:
    """Save an edit: checked by `prepare_edit`, written by the repository (all or nothing)."""
    store = ws.store
    repo = PublicationRepo(store, max_attempts=ws.config.worker.max_attempts)

    def edit(form: EditForm) -> FormDone:
        try:
            pub = repo.get(form.publication_id)
            if pub is None:
                return FormDone(
                    None, Verdict(False, "", (f"publication {form.publication_id} is gone",))
                )
            try:
                change = prepare_edit(ws, pub, caption=form.caption, title=form.title, at=form.at)
                changed = repo.edit(
                    pub.id,
                    caption=change.caption,
                    title=change.title,
                    scheduled_at=change.scheduled_at,
                    preflight=change.preflight,
                )
            except (
                PublishRequestError,
                PreflightRefused,
                DisclosureRefused,
                PublicationError,
            ) as exc:
                verdict = _refusal(exc)
                if isinstance(exc, PreflightRefused):
                    verdict = Verdict(False, "caption", tuple(exc.caption_problems))
                return FormDone(None, verdict)
            return FormDone(changed, Verdict(True))
        finally:
            store.close()

    return edit


def publish_services(ws: Workspace, clock: Callable[[], datetime] = utcnow) -> PublishServices:
    """What the Publish tab reads and writes through (`clock`: the App's)."""
    store = ws.store
    return PublishServices(
        PublishQueueRepo(store),
        PublicationRepo(store, max_attempts=ws.config.worker.max_attempts),
        form_services(ws, clock),
        edit_service(ws),
    )
