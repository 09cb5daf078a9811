"""Checking a publish request: shared by `reelroom publish add` and the Publish tab.

`prepare_publication(ws, ask)` checks, in order, the time, the account, the
post, the file (a finished render or a path), the caption, the privacy, the
disclosure gate and then the preflight: the file against the platform's
limits (duration, size, picture size and shape, frame rate, codecs, fast
start) and the caption against its (length in the platform's units,
hashtags, mentions, title). The first problem of the request itself raises
`PublishRequestError` naming the field; a post that belongs to a brand
deliverable whose requirements the caption, flags or settings do not meet
raises `DisclosureRefused` naming each missing item (storage/deals/gate.py),
unless the ask carries an override reason, which is then stored and logged;
preflight failures raise `PreflightRefused` with every problem and, for the
file, the built-in recipe that fixes it. Nothing is stored until all of it
passes. `prepare_edit` checks a change of caption, title and time (the
Publish tab's edit) with the same rules. Headless: no Textual.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.workspace import Workspace
from media_watch.captions import caption_problems
from media_watch.preflight import fix_hint, publish_preflight
from media_watch.probe import ProbeError
from media_watch.tools import require_tool
from storage.accounts import AccountError, AccountRepo
from storage.deals.gate import DisclosureGate, GateSubject, GateVerdict
from storage.deals.models import DisclosureOverride
from storage.posts import PostRepo
from storage.publication_models import Publication
from storage.publications import NewPublication
from storage.renders import RenderRepo
from storage.text_input import clean_block, clean_line
from storage.timefmt import YEAR_MAX, YEAR_MIN, TimeRangeError, check_range, utcnow

MAX_CAPTION_FILE_BYTES = 256 * 1024
PRIVACY_BY_PLATFORM = {
    "tiktok": ("public", "friends", "private"),
    "youtube": ("public", "unlisted", "private"),
    "instagram": ("public",),
    # Kuaishou's open API publishes public only (platform-apis.md §4): refused here,
    # when the publication is added, not at send time.
    "kuaishou": ("public",),
}


class PublishRequestError(ValueError):
    """The request is wrong; `field` names the option, `usage` marks a malformed value (exit 2)."""

    def __init__(self, field_name: str, message: str, *, usage: bool = False) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.usage = usage


class DisclosureRefused(ValueError):
    """The post fulfils a brand deliverable and the publication lacks what it asks for."""

    def __init__(self, verdict: GateVerdict) -> None:
        super().__init__(verdict.text)
        self.verdict = verdict
        self.problems = list(verdict.problems)


class PreflightRefused(ValueError):
    """The file or caption would be refused by the platform; every problem is listed."""

    def __init__(self, platform: str, file_problems: list[str], caption: list[str]) -> None:
        super().__init__("; ".join(file_problems + caption))
        self.platform = platform
        self.file_problems = file_problems
        self.caption_problems = caption

    def lines(self) -> list[str]:
        out = [f"file: {p}" for p in self.file_problems]
        if self.file_problems:
            out.append(f"to fix the file, {fix_hint(self.platform)}")
        out += [f"caption: {p}" for p in self.caption_problems]
        return out


@dataclass(frozen=True)
class PublishAsk:
    """What a person asked for, as typed."""

    post_id: int
    account: str
    render_job_id: int | None = None
    file: str | None = None
    at: str | None = None
    caption: str | None = None
    caption_file: str | None = None
    title: str = ""
    privacy: str = "public"
    branded_content: bool = False
    as_draft: bool = False
    override_disclosure: str | None = None  # a reason: let it past the disclosure gate
    warnings: list[str] = field(default_factory=list)


def parse_at(text: str | None, zone: ZoneInfo) -> datetime | None:
    """`--at`: `now`, an ISO 8601 time with an offset, or one in the workspace's zone; None: a draft."""
    if text is None:
        return None
    if text.strip().lower() == "now":
        return utcnow()
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise PublishRequestError(
            "--at",
            f"{text!r} is not a time; write it like 2026-12-01T18:00 (in the workspace's "
            f"zone, {zone.key}), 2026-12-01T18:00+08:00, or now",
            usage=True,
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    try:
        return check_range(moment, "--at")
    except TimeRangeError:
        raise PublishRequestError(
            "--at",
            f"{text!r} is outside the years {YEAR_MIN}-{YEAR_MAX}; give a time in that range",
            usage=True,
        ) from None


def _file_of(ws: Workspace, ask: PublishAsk) -> tuple[Path, int | None]:
    if (ask.render_job_id is None) == (ask.file is None):
        raise PublishRequestError("--render/--file", "give exactly one of them", usage=True)
    if ask.render_job_id is not None:
        render = RenderRepo(ws.store).get(ask.render_job_id)
        if render is None:
            raise PublishRequestError(
                "--render",
                f"there is no render job {ask.render_job_id} (`reelroom render list` shows them)",
            )
        if render.job.state != "done" or not render.output_path:
            raise PublishRequestError(
                "--render",
                f"render {render.id} is {render.job.state}, not done; wait for it or "
                f"`reelroom render retry {render.id}`",
            )
        path = Path(render.output_path)
        if not path.is_file():
            raise PublishRequestError("--render", f"render {render.id}'s file {path} is gone")
        return path, render.id
    path = Path(ask.file or "").expanduser().absolute()
    if not path.is_file():
        raise PublishRequestError("--file", f"{path} does not exist (or is not a file)")
    return path, None


def _caption_of(ask: PublishAsk) -> str:
    if ask.caption is not None and ask.caption_file is not None:
        raise PublishRequestError("--caption/--caption-file", "give one of them", usage=True)
    if ask.caption_file is None:
        return clean_block(ask.caption or "")  # no control characters on the way in
    source = Path(ask.caption_file).expanduser()
    try:
        st = source.stat()
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_CAPTION_FILE_BYTES:
            raise PublishRequestError(
                "--caption-file",
                f"{ask.caption_file} is not a regular file of at most "
                f"{MAX_CAPTION_FILE_BYTES // 1024} KiB (a folder, pipe or device?)",
            )
        return clean_block(source.read_text("utf-8")).strip()
    except FileNotFoundError:
        raise PublishRequestError("--caption-file", f"{ask.caption_file} does not exist") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PublishRequestError(
            "--caption-file", f"{ask.caption_file} cannot be read as UTF-8 text ({exc})"
        ) from None


def prepare_publication(ws: Workspace, ask: PublishAsk) -> NewPublication:
    """A checked NewPublication; PublishRequestError or PreflightRefused when it cannot be."""
    when = parse_at(ask.at, ws.config.zone)
    try:
        account = AccountRepo(ws.store).by_name(ask.account)
    except AccountError as exc:
        raise PublishRequestError("--account", str(exc)) from None
    if account.auth_state == "needs_login":
        ask.warnings.append(
            f"{account.name} needs a login ({account.auth_error}); it will not go out until "
            f"`reelroom accounts add {account.platform} {account.handle} --credentials FILE.json`"
        )
    if PostRepo(ws.store).get(ask.post_id) is None:
        raise PublishRequestError(
            "--post", f"there is no post {ask.post_id} (`reelroom posts list` shows them)"
        )
    path, render_id = _file_of(ws, ask)
    caption = _caption_of(ask)
    allowed = PRIVACY_BY_PLATFORM[account.platform]
    if ask.privacy not in allowed:
        raise PublishRequestError(
            "--privacy",
            f"{account.platform} has no {ask.privacy!r} privacy here; use {', '.join(allowed)}",
        )
    if ask.as_draft and account.platform != "tiktok":
        raise PublishRequestError("--draft", "only TikTok has an inbox for drafts")
    override = disclosure_check(
        ws,
        GateSubject(
            post_id=ask.post_id,
            platform=account.platform,
            caption=caption,
            title=ask.title,
            branded_content=ask.branded_content,
            privacy=ask.privacy,
        ),
        ask.override_disclosure,
    )
    try:
        checked = publish_preflight(account.platform, str(path), require_tool("ffprobe"))
    except ProbeError as exc:
        raise PublishRequestError("--file", f"ffprobe cannot read {path}: {exc}") from None
    words = caption_problems(account.platform, caption, clean_line(ask.title))
    if checked.problems or words:
        raise PreflightRefused(account.platform, list(checked.problems), words)
    report = {**checked.to_json(), "caption": {"ok": True, "problems": []}}
    return NewPublication(
        post_id=ask.post_id,
        account_id=account.id,
        file_path=str(path),
        caption=caption,
        title=clean_line(ask.title),
        privacy=ask.privacy,
        branded_content=ask.branded_content,
        as_draft=ask.as_draft,
        render_job_id=render_id,
        scheduled_at=when,
        media=dict(checked.checked),
        preflight=report,
        disclosure_override=override,
    )


def disclosure_check(
    ws: Workspace, subject: GateSubject, override: str | None
) -> DisclosureOverride | None:
    """The gate for a publication about to be queued: None when nothing is missing, the
    override when a reason was given, else DisclosureRefused naming what is missing."""
    if override is not None and not override.strip():
        raise PublishRequestError(
            "--override-disclosure", "give the reason the gate is overridden", usage=True
        )
    verdict = DisclosureGate(ws.store).check(subject)
    if not verdict.problems:
        return None
    if override is None:
        raise DisclosureRefused(verdict)
    return verdict.overridden(override)


@dataclass(frozen=True)
class EditChange:
    """A checked change of a publication's caption, title and time (None: unchanged)."""

    caption: str | None
    title: str | None
    scheduled_at: datetime | None
    preflight: dict[str, Any] | None


def prepare_edit(
    ws: Workspace, pub: Publication, *, caption: str, title: str, at: str
) -> EditChange:
    """Check an edit the way `publish add` checks the same fields (the Publish tab's `e`).

    `at` is read by `parse_at` (workspace zone unless it has an offset;
    "now"); empty keeps a draft a draft, but a scheduled publication keeps
    a time. The caption and title go through the platform's caption rules
    and, when they change, the disclosure gate (unless the publication was
    let past it with a reason); a failure raises PublishRequestError (the
    time), DisclosureRefused or PreflightRefused (the caption) and nothing
    may be stored. Whether the publication's state still allows a change is
    the repository's to say.
    """
    when = parse_at(at, ws.config.zone) if at.strip() else None
    if when is None and at.strip() == "" and pub.state == "scheduled":
        raise PublishRequestError(
            "--at", "a scheduled publication keeps a time; give one (or cancel it with c)"
        )
    words = caption_problems(pub.platform, caption, title)
    if words:
        raise PreflightRefused(pub.platform, [], words)
    changed = caption != pub.caption or title != pub.title
    if changed and pub.disclosure_override is None:
        subject = GateSubject(
            post_id=pub.post_id,
            platform=pub.platform,
            caption=caption,
            title=title,
            branded_content=pub.branded_content,
            privacy=pub.privacy,
        )
        verdict = DisclosureGate(ws.store).check(subject)
        if verdict.problems:
            raise DisclosureRefused(verdict)
    report = dict(pub.preflight or {})
    report["caption"] = {"ok": True, "problems": []}
    new_caption = caption if caption != pub.caption else None
    new_title = title if title != pub.title else None
    return EditChange(
        caption=new_caption,
        title=new_title,
        scheduled_at=when,
        preflight=report if new_caption is not None or new_title is not None else None,
    )
