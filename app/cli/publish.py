"""`reelroom publish add/list/show/due/cancel/retry/now`: the publish queue from the shell.

`add` checks everything first (account, post, file, caption, privacy, the
platform's limits) and stores nothing when any of it fails; the worker sends
what is due. Times are read in the workspace's zone (or with an offset) and
stored in UTC. Headless: no Textual here.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.cli.numbers import ID, float_in
from app.output import emit_json, out, say, table
from app.workspace import Workspace, open_workspace
from storage.publication_models import Publication
from storage.publications import PublicationError, PublicationRepo
from storage.timefmt import lenient, utcnow
from storage.vocab import Privacy, PublicationState, values

if TYPE_CHECKING:
    from storage.deals.gate import GateVerdict

HOURS_MAX = 1_000_000  # `publish due --hours`: a century ahead, and still a date ReelRoom keeps


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `publish …`."""
    pub = sub.add_parser(
        "publish",
        help="the publish queue: add, list, show, due, cancel, retry, now",
        parents=[common],
    )
    psub = pub.add_subparsers(
        dest="publish_command", metavar="SUBCOMMAND", required=True, parser_class=type(pub)
    )
    add = psub.add_parser("add", help="queue a post for one account", parents=[common])
    add.add_argument("--post", type=ID, required=True, metavar="ID", help="the post")
    add.add_argument("--account", required=True, metavar="PLATFORM:HANDLE", help="where it goes")
    src = add.add_mutually_exclusive_group(required=True)
    src.add_argument("--render", type=ID, metavar="JOB_ID", help="a finished render")
    src.add_argument("--file", metavar="PATH", help="any video file")
    add.add_argument(
        "--at",
        metavar="ISO|now",
        default=None,
        help="when it goes out (workspace zone unless an offset is given); none: a draft",
    )
    cap = add.add_mutually_exclusive_group()
    cap.add_argument("--caption", metavar="TEXT", default=None, help="the caption")
    cap.add_argument("--caption-file", metavar="F", default=None, help="the caption, from a file")
    add.add_argument("--title", metavar="T", default="", help="the title (YouTube)")
    add.add_argument("--privacy", choices=values(Privacy), default="public", help="who sees it")
    add.add_argument(
        "--branded-content",
        action="store_true",
        help="disclose a paid partnership with the platform's own toggle",
    )
    add.add_argument(
        "--draft", action="store_true", help="TikTok: upload to the creator's inbox as a draft"
    )
    add.add_argument(
        "--override-disclosure",
        metavar="REASON",
        default=None,
        help="queue it although it lacks what its brand deliverable asks for (logged on the deal)",
    )
    add.add_argument("--json", action="store_true", help="print the publication as JSON")
    add.set_defaults(handler=cmd_publish_add)

    lst = psub.add_parser("list", help="publications by time", parents=[common])
    lst.add_argument("--state", choices=values(PublicationState), action="append", default=None)
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.set_defaults(handler=cmd_publish_list)

    show = psub.add_parser(
        "show", help="one publication, its preflight and step log", parents=[common]
    )
    show.add_argument("id", type=ID, metavar="ID")
    show.add_argument("--json", action="store_true", help="print one JSON document")
    show.set_defaults(handler=cmd_publish_show)

    due = psub.add_parser("due", help="what would go out soon (no network)", parents=[common])
    due.add_argument(
        "--hours", type=float_in(0, HOURS_MAX), default=24.0, metavar="N", help="look ahead (24)"
    )
    due.add_argument("--json", action="store_true", help="print one JSON document")
    due.set_defaults(handler=cmd_publish_due)

    for name, text in (
        ("cancel", "cancel a publication that has not gone out"),
        ("retry", "send a failed or cancelled publication again, now"),
        ("now", "send a draft or scheduled publication now (or ask about a processing one)"),
    ):
        cmd = psub.add_parser(name, help=text, parents=[common])
        cmd.add_argument("id", type=ID, metavar="ID")
        if name == "retry":
            cmd.add_argument(
                "--override-disclosure",
                metavar="REASON",
                default=None,
                help="send it although the disclosure gate holds it (logged on the deal)",
            )
        cmd.add_argument("--json", action="store_true", help="print the publication as JSON")
        cmd.set_defaults(handler=cmd_publish_action, action=name)


def _when(ws: Workspace, text: str | None) -> str:
    moment, bad = lenient(text)  # a stored time that cannot be read is shown, flagged
    if bad is not None:
        return f"! {bad}"
    return moment.astimezone(ws.config.zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _progress(pub: Publication) -> str:
    if pub.progress is None:
        return "—"
    return f"{pub.progress * 100:.0f}%"


def cmd_publish_add(args: argparse.Namespace) -> int:
    """Check the request and its preflight; store it (and its job) only when all passes."""
    from app.publishing.requests import (
        DisclosureRefused,
        PreflightRefused,
        PublishAsk,
        PublishRequestError,
        prepare_publication,
    )
    from media_watch.tools import ToolMissing

    ws = open_workspace(args.home)
    ask = PublishAsk(
        post_id=args.post,
        account=args.account,
        render_job_id=args.render,
        file=args.file,
        at=args.at,
        caption=args.caption,
        caption_file=args.caption_file,
        title=args.title,
        privacy=args.privacy,
        branded_content=args.branded_content,
        as_draft=args.draft,
        override_disclosure=args.override_disclosure,
    )
    try:
        new = prepare_publication(ws, ask)
    except PublishRequestError as exc:
        say(f"reelroom: nothing was queued: {exc}.")
        return 2 if exc.usage else 1
    except DisclosureRefused as exc:
        say(
            "reelroom: nothing was queued: the brand deal needs more disclosure: "
            f"{exc.verdict.text}. Fix the caption or flags (--branded-content), or queue it "
            'anyway with --override-disclosure "REASON" (logged on the deal).'
        )
        return 1
    except PreflightRefused as exc:
        say(f"reelroom: nothing was queued: the preflight for {exc.platform} failed:")
        for line in exc.lines():
            say(f"  - {line}")
        return 1
    except ToolMissing as exc:
        say(f"reelroom: nothing was queued: {exc}")
        return 1
    repo = PublicationRepo(ws.store, max_attempts=ws.config.worker.max_attempts)
    try:
        pub = repo.add(new)
    except PublicationError as exc:
        say(f"reelroom: nothing was queued: {exc}.")
        return 1
    for warning in ask.warnings:
        say(f"reelroom: warning: {warning}.")
    if new.disclosure_override is not None:
        say(
            "reelroom: warning: the disclosure gate was overridden "
            f"({new.disclosure_override.reason}); missing: "
            f"{'; '.join(new.disclosure_override.missing)}. Logged on the deal."
        )
    if args.json:
        emit_json(pub.to_json(detail=True))
    else:
        out(str(pub.id))
        when = _when(ws, pub.scheduled_at)
        say(
            f"publication {pub.id}: {pub.account}, {pub.state}"
            + (f" for {when} ({ws.config.zone.key})" if pub.scheduled_at else " (no time yet)")
        )
    return 0


def _rows(ws: Workspace, pubs: list[Publication]) -> str:
    rows = [["ID", "POST", "ACCOUNT", "STATE", "WHEN", "PROGRESS", "TRIES", "URL / ERROR"]]
    for p in pubs:
        rows.append(
            [
                str(p.id),
                str(p.post_id),
                p.account,
                p.state,
                _when(ws, p.scheduled_at),
                _progress(p),
                str(p.attempts),
                p.error or p.remote_url or p.note or p.remote_id or "",
            ]
        )
    return table(rows, [5, 5, 28, 11, 16, 8, 5, 90])


def cmd_publish_list(args: argparse.Namespace) -> int:
    """Publications by time (unscheduled last)."""
    ws = open_workspace(args.home)
    pubs = PublicationRepo(ws.store).listing(states=args.state)
    if args.json:
        emit_json([p.to_json() for p in pubs])
        return 0
    if not pubs:
        say("No publications. Add one with `reelroom publish add --post ID --account P:H …`.")
        return 0
    out(_rows(ws, pubs))
    return 0


def cmd_publish_show(args: argparse.Namespace) -> int:
    """One publication in full, with its preflight and step log."""
    ws = open_workspace(args.home)
    repo = PublicationRepo(ws.store)
    pub = repo.get(args.id)
    if pub is None:
        say(f"reelroom: there is no publication {args.id}; `reelroom publish list` shows them.")
        return 1
    steps = repo.steps(pub.id)
    gate = _gate(ws, pub.id)
    if args.json:
        emit_json(
            {
                **pub.to_json(detail=True),
                "disclosure": _gate_json(gate),
                "steps": [s.to_json() for s in steps],
            }
        )
        return 0
    media = pub.media
    lines = [
        f"publication {pub.id}: {pub.state} — post {pub.post_id} “{pub.post_title}” on {pub.account}",
        f"time:      {_when(ws, pub.scheduled_at)} ({ws.config.zone.key})",
        f"file:      {pub.file_path or '—'}"
        + (f" (render {pub.render_job_id})" if pub.render_job_id else ""),
        f"           {media.get('width')}x{media.get('height')}, "
        f"{media.get('duration_s') or 0:.1f} s, {(media.get('size_bytes') or 0) / 1e6:.1f} MB, "
        f"{media.get('video_codec')}/{media.get('audio_codec')}",
        f"title:     {pub.title or '—'}",
        f"caption:   {pub.caption or '—'}",
        f"privacy:   {pub.privacy}"
        + ("  branded content" if pub.branded_content else "")
        + ("  as a draft" if pub.as_draft else ""),
        f"progress:  {_progress(pub)}   attempts: {pub.attempts}",
        f"remote:    {pub.remote_id or '—'}  {pub.remote_url or ''}",
        f"error:     {pub.error or '—'}",
        f"note:      {pub.note or '—'}",
    ]
    if gate is not None:
        lines.append(f"disclosure: {_gate_line(gate)}")
    if pub.preflight:
        verdict = "passed" if pub.preflight.get("ok") else "failed"
        lines.append(f"preflight: {verdict} against {pub.preflight.get('preset')} limits")
    if steps:
        lines.append("steps:")
        for s in steps:
            lines.append(
                f"  {_when(ws, s.at)}  {s.step:<15} {s.method:<4} {s.status or '—':<4} "
                f"{s.elapsed_ms or 0:>7.0f} ms  {s.path}  {s.note}".rstrip()
            )
    out("\n".join(lines))
    return 0


def _gate(ws: Workspace, pub_id: int) -> GateVerdict | None:
    """The disclosure gate's verdict on a stored publication (None: its post is in no deal)."""
    from storage.deals.gate import DisclosureGate

    verdict = DisclosureGate(ws.store).for_publication(pub_id)
    return verdict if verdict is not None and verdict.applies else None


def _gate_json(verdict: GateVerdict | None) -> dict[str, object] | None:
    if verdict is None:
        return None
    return {
        "ok": verdict.ok,
        "missing": list(verdict.problems),
        "override": verdict.override,
        "deliverables": list(verdict.deliverable_ids),
        "deals": list(verdict.deal_ids),
    }


def _gate_line(verdict: GateVerdict) -> str:
    deals = ", ".join(str(d) for d in verdict.deal_ids)
    if verdict.ok:
        return f"meets its brand deliverable (deal {deals})"
    if verdict.override:
        return f"overridden ({verdict.override}): {verdict.text} (deal {deals})"
    return f"held: {verdict.text} (deal {deals})"


def cmd_publish_due(args: argparse.Namespace) -> int:
    """Scheduled publications due within N hours (nothing is sent)."""
    from datetime import timedelta

    ws = open_workspace(args.home)
    pubs = PublicationRepo(ws.store).due(utcnow() + timedelta(hours=args.hours))
    if args.json:
        emit_json([p.to_json() for p in pubs])
        return 0
    if not pubs:
        say(f"Nothing is due in the next {args.hours:g} h.")
        return 0
    out(_rows(ws, pubs))
    return 0


def _override_stored(ws: Workspace, repo: PublicationRepo, pub_id: int, reason: str) -> int:
    """Let a stored publication past the gate (what it lacks now is logged); an exit code."""
    from storage.deals.gate import DisclosureGate

    if not reason.strip():
        say("reelroom: --override-disclosure needs the reason the gate is overridden.")
        return 2
    verdict = DisclosureGate(ws.store).for_publication(pub_id)
    if verdict is None:
        say(f"reelroom: there is no publication {pub_id}; `reelroom publish list` shows them.")
        return 1
    if verdict.problems:
        repo.override_disclosure(pub_id, verdict.overridden(reason))
        say(f"reelroom: the disclosure gate is overridden ({reason}): {verdict.text}.")
    return 0


def cmd_publish_action(args: argparse.Namespace) -> int:
    """cancel / retry / now."""
    ws = open_workspace(args.home)
    repo = PublicationRepo(ws.store, max_attempts=ws.config.worker.max_attempts)
    try:
        if args.action == "cancel":
            pub = repo.cancel(args.id)
        elif args.action == "retry":
            reason = getattr(args, "override_disclosure", None)
            if reason is not None:
                code = _override_stored(ws, repo, args.id, reason)
                if code:
                    return code
            pub = repo.retry(args.id)
        else:
            pub = repo.send_now(args.id)
    except PublicationError as exc:
        say(f"reelroom: {exc}.")
        return 1
    if args.json:
        emit_json(pub.to_json(detail=True))
    elif args.action == "cancel" and pub.state == "publishing":
        say(f"publication {pub.id}: cancel requested; the worker stops before the next chunk.")
    else:
        say(
            f"publication {pub.id}: {pub.state}"
            + (f", goes out at {_when(ws, pub.scheduled_at)}" if pub.state == "scheduled" else "")
            + "."
        )
    return 0
