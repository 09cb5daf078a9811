"""`reelroom render add/list/show/cancel/retry/priority`: the render queue from the shell."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

from app.cli.numbers import ID, PRIORITY, PRIORITY_LIMIT
from app.output import emit_json, out, say, table
from app.workspace import Workspace, open_workspace
from storage.jobs import JobError, JobQueue
from storage.renders import Render, RenderRepo
from storage.timefmt import lenient


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `render …`."""

    ren = sub.add_parser(
        "render", help="render jobs: add, list, show, cancel, retry", parents=[common]
    )
    rsub = ren.add_subparsers(
        dest="render_command", metavar="SUBCOMMAND", required=True, parser_class=type(ren)
    )
    add = rsub.add_parser("add", help="queue a render", parents=[common])
    add.add_argument(
        "--clip",
        type=ID,
        action="append",
        required=True,
        metavar="ID",
        help="footage id (repeat for several clips, joined in order)",
    )
    add.add_argument(
        "--recipe",
        required=True,
        metavar="NAME|FILE",
        help="built-in recipe (tiktok, reels, shorts, kuaishou, vertical) or a .toml",
    )
    add.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a recipe field, e.g. encode.x264_preset=fast",
    )
    add.add_argument("--post", type=ID, default=None, metavar="ID", help="the post it is for")
    add.add_argument(
        "--priority",
        type=PRIORITY,
        default=0,
        metavar="N",
        help=f"higher runs first (from -{PRIORITY_LIMIT} to {PRIORITY_LIMIT})",
    )
    add.add_argument("--srt", default=None, metavar="FILE", help="burn in these subtitles")
    add.add_argument("--logo", default=None, metavar="FILE", help="overlay this logo (PNG)")
    add.add_argument("--json", action="store_true", help="print the new job as JSON")
    add.set_defaults(handler=cmd_render_add)

    lst = rsub.add_parser("list", help="list render jobs", parents=[common])
    lst.add_argument("--json", action="store_true", help="print one JSON document")
    lst.add_argument(
        "--state",
        action="append",
        default=None,
        metavar="STATE",
        help="only jobs in this state (repeatable)",
    )
    lst.set_defaults(handler=cmd_render_list)

    show = rsub.add_parser("show", help="one render job with its argv and log", parents=[common])
    show.add_argument("id", type=ID, metavar="ID")
    show.add_argument("--json", action="store_true", help="print one JSON document")
    show.set_defaults(handler=cmd_render_show)

    for name, text, func in (
        ("cancel", "cancel a queued or running render", cmd_render_cancel),
        ("retry", "queue a failed, dead or cancelled render again", cmd_render_retry),
    ):
        cmd = rsub.add_parser(name, help=text, parents=[common])
        cmd.add_argument("id", type=ID, metavar="ID")
        cmd.set_defaults(handler=func)

    pri = rsub.add_parser("priority", help="change a render's priority", parents=[common])
    pri.add_argument("id", type=ID, metavar="ID")
    pri.add_argument("priority", type=PRIORITY, metavar="N")
    pri.set_defaults(handler=cmd_render_priority)


# --- render commands ------------------------------------------------------------


def cmd_render_add(args: argparse.Namespace) -> int:
    """Validate recipe, clips and post, then queue the render; print its id."""
    from app.render_requests import (
        RenderRequest,
        RenderRequestError,
        parse_overrides,
        queue_render,
    )

    try:
        params = parse_overrides(args.set)
    except RenderRequestError as exc:
        say(f"reelroom: --set: {exc}.")
        return 2
    ws = open_workspace(args.home)
    request = RenderRequest(
        recipe=args.recipe,
        clip_ids=args.clip,
        overrides=params,
        post_id=args.post,
        priority=args.priority,
        srt=Path(args.srt) if args.srt else None,
        logo=Path(args.logo) if args.logo else None,
    )
    try:
        queued = queue_render(
            ws.store, ws.home.renders, request, max_attempts=ws.config.worker.max_attempts
        )
    except RenderRequestError as exc:
        say(f"reelroom: nothing was queued: {exc}.")
        return 1
    render = queued.render
    if not queued.created:
        hint = (
            f" Run `reelroom render retry {render.id}` to run it again."
            if render.job.state in ("failed", "dead", "cancelled")
            else ""
        )
        say(
            f"reelroom: the same render (same clips, recipe and settings) is already job "
            f"{render.id} ({render.job.state}); nothing new was queued.{hint}"
        )
    if args.json:
        emit_json({**render.to_json(detail=True), "created": queued.created})
    else:
        out(str(render.id))
    return 0


def _when(text: str | None, ws: Workspace) -> str:
    moment, bad = lenient(text)  # a stored time that cannot be read is shown, flagged
    if bad is not None:
        return f"! {bad}"
    return moment.astimezone(ws.config.zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _progress(render: Render) -> str:
    job = render.job
    if job.state == "running" and job.progress is not None:
        eta = f" eta {render.eta_s:.0f}s" if render.eta_s is not None else ""
        return f"{job.progress * 100:.0f}%{eta}"
    return "100%" if job.state == "done" else "—"


def cmd_render_list(args: argparse.Namespace) -> int:
    """Render jobs, newest first."""
    ws = open_workspace(args.home)
    renders = RenderRepo(ws.store).list(states=args.state)
    if args.json:
        emit_json([r.to_json() for r in renders])
        return 0
    if not renders:
        say("No render jobs. Queue one with `reelroom render add --clip ID --recipe NAME`.")
        return 0
    rows = [
        ["ID", "STATE", "PRI", "TRIES", "PROGRESS", "RECIPE", "CLIPS", "CREATED", "OUTPUT / ERROR"]
    ]
    for r in renders:
        job = r.job
        last = job.last_error if job.state in ("failed", "dead") else r.output_path
        if job.state == "cancelled":
            last = None  # a cancelled render leaves no output behind
        rows.append(
            [
                str(r.id),
                job.state + ("*" if job.cancel_requested and job.state == "running" else ""),
                str(job.priority),
                f"{job.attempts}/{job.max_attempts}",
                _progress(r),
                Path(r.recipe).name,
                ",".join(map(str, r.clip_ids)),
                _when(job.created_at, ws),
                last or "—",
            ]
        )
    out(table(rows, [6, 10, 4, 6, 14, 16, 12, 16, 60]))
    return 0


def _get(ws: Workspace, job_id: int) -> Render | None:
    render = RenderRepo(ws.store).get(job_id)
    if render is None:
        say(f"reelroom: there is no render job {job_id}; `reelroom render list` shows them.")
    return render


def cmd_render_show(args: argparse.Namespace) -> int:
    """One render job in full: state, progress, argv, log tail, preflight."""
    ws = open_workspace(args.home)
    render = _get(ws, args.id)
    if render is None:
        return 1
    if args.json:
        emit_json(render.to_json(detail=True))
        return 0
    job = render.job
    lines = [
        f"job {render.id}: {job.state}"
        + (" (cancel requested)" if job.cancel_requested and job.state == "running" else ""),
        f"recipe:    {render.recipe}" + "".join(f"  {k}={v}" for k, v in render.params.items()),
        f"clips:     {', '.join(map(str, render.clip_ids))}",
        f"post:      {render.post_id if render.post_id is not None else '—'}",
        f"priority:  {job.priority}    attempts: {job.attempts}/{job.max_attempts}",
        f"progress:  {_progress(render)}" + (f"  speed {render.speed:g}x" if render.speed else ""),
        f"created:   {_when(job.created_at, ws)}   started: {_when(job.started_at, ws)}   "
        f"finished: {_when(job.finished_at, ws)}",
        f"output:    {render.output_path or '—'}",
        f"error:     {job.last_error or '—'}",
        f"argv:      {shlex.join(render.argv) if render.argv else '—'}",
    ]
    if render.preflight is not None:
        lines.append(f"preflight: {json_line(render.preflight)}")
    if render.log_tail:
        lines += ["log tail:", *("  " + ln for ln in render.log_tail.splitlines())]
    out("\n".join(lines))
    return 0


def json_line(doc: Any) -> str:
    """A compact one-line JSON text."""
    import json

    return json.dumps(doc, ensure_ascii=False, separators=(", ", ": "))


def _queue_action(args: argparse.Namespace, action: str) -> int:
    ws = open_workspace(args.home)
    if _get(ws, args.id) is None:
        return 1
    queue = JobQueue(ws.store)
    try:
        if action == "cancel":
            job = queue.cancel(args.id)
        elif action == "retry":
            job = queue.retry(args.id)
        else:
            job = queue.set_priority(args.id, args.priority)
    except JobError as exc:
        say(f"reelroom: {exc}.")
        return 1
    if action == "cancel" and job.state == "running":
        say(
            f"job {job.id}: cancel requested; its worker stops ffmpeg and removes the partial file."
        )
    elif action == "priority":
        say(f"job {job.id}: priority {job.priority}.")
    else:
        say(f"job {job.id}: {job.state}.")
    return 0


def cmd_render_cancel(args: argparse.Namespace) -> int:
    """Cancel a waiting render now, or ask its worker to stop a running one."""
    return _queue_action(args, "cancel")


def cmd_render_retry(args: argparse.Namespace) -> int:
    """Queue a failed, dead or cancelled render again."""
    return _queue_action(args, "retry")


def cmd_render_priority(args: argparse.Namespace) -> int:
    """Change a render's priority."""
    return _queue_action(args, "priority")
