"""`reelroom script …`: show, export and import a post's script."""

from __future__ import annotations

import argparse
import stat
import sys
from pathlib import Path

from app.cli.numbers import ID
from app.output import emit_json, out, say, write_text_file
from app.workspace import Workspace, open_workspace
from storage.fountain import export_fountain, import_fountain
from storage.models import Post
from storage.posts import PostRepo
from storage.script_text import HOOK_GOAL_SECONDS, SECTION_TITLES, estimate, parse
from storage.scripts import ScriptRepo
from widgets.safe_text import visible

MAX_SCRIPT_BYTES = 4 * 1024 * 1024


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `script` and its sub-commands."""
    script = sub.add_parser(
        "script", help="show, export and import a post's script", parents=[common]
    )
    ssub = script.add_subparsers(
        dest="script_command", metavar="SUBCOMMAND", required=True, parser_class=type(script)
    )
    show = ssub.add_parser(
        "show", help="sections, spoken-length estimate and shots", parents=[common]
    )
    show.add_argument("post_id", type=ID, metavar="POST_ID")
    show.add_argument("--json", action="store_true", help="print one JSON document")
    show.set_defaults(handler=script_show)
    exp = ssub.add_parser(
        "export", help="write the script as Fountain or Markdown", parents=[common]
    )
    exp.add_argument("post_id", type=ID, metavar="POST_ID")
    exp.add_argument("--format", choices=("fountain", "md"), default="fountain")
    exp.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    exp.set_defaults(handler=script_export)
    imp = ssub.add_parser(
        "import",
        help="replace the script with a Fountain file (a revision is kept)",
        parents=[common],
    )
    imp.add_argument("post_id", type=ID, metavar="POST_ID")
    imp.add_argument("file", metavar="FILE.fountain")
    imp.set_defaults(handler=script_import)


def _post_or_fail(ws: Workspace, post_id: int) -> Post | None:
    post = PostRepo(ws.store).get(post_id)
    if post is None:
        say(f"reelroom: there is no post {post_id}. `reelroom posts list` shows the ids.")
    return post


def script_show(args: argparse.Namespace) -> int:
    """Print a script's sections, its estimate and its shots."""
    ws = open_workspace(args.home)
    post = _post_or_fail(ws, args.post_id)
    if post is None:
        return 1
    script = ScriptRepo(ws.store).get(post.id)
    body = script.body if script else ""
    doc = parse(body)
    est = estimate(
        doc, wpm=ws.config.scripts.words_per_minute, cpm=ws.config.scripts.cjk_chars_per_minute
    )
    shots = doc.shots()
    target = post.target_seconds
    if args.json:
        emit_json(
            {
                "post_id": post.id,
                "title": post.title,
                "sections": {key: doc.text(key) for key in doc.sections},
                "estimate_seconds": {key: e.seconds for key, e in est.items() if key != "total"},
                "estimated_seconds": est["total"].seconds,
                "hook_goal_seconds": HOOK_GOAL_SECONDS,
                "target_seconds": target,
                "over_target": bool(target and est["total"].seconds > target),
                "shots": [
                    {
                        "number": s.number,
                        "description": s.description,
                        "framing": s.framing,
                        "location": s.location,
                    }
                    for s in shots
                ],
            }
        )
        return 0
    out(f"{visible(post.title)}  (post {post.id})")
    for key in doc.sections:
        title = SECTION_TITLES.get(key) or doc.extra_titles.get(key, key)
        seconds = f"  ~{est[key].seconds:.1f} s" if key in est else ""
        out(f"\n## {visible(title)}{seconds}\n{doc.text(key)}")
    total = est["total"].seconds
    line = f"\nSpoken length: ~{total:.1f} s"
    if target:
        line += f" of a {target} s target" + ("  (over target)" if total > target else "")
    hook = est["hook"].seconds
    line += f"; hook ~{hook:.1f} s of {HOOK_GOAL_SECONDS:.0f} s" + (
        "  (long)" if hook > HOOK_GOAL_SECONDS else ""
    )
    out(line)
    if not script:
        say("This post has no script yet.")
    return 0


def script_export(args: argparse.Namespace) -> int:
    """Write the script as Fountain or as our Markdown-like text."""
    ws = open_workspace(args.home)
    post = _post_or_fail(ws, args.post_id)
    if post is None:
        return 1
    script = ScriptRepo(ws.store).get(post.id)
    if script is None:
        say(f"reelroom: post {post.id} has no script to export yet.")
        return 1
    text = (
        export_fountain(script.body, title=post.title) if args.format == "fountain" else script.body
    )
    if args.output:
        return write_text_file(Path(args.output), text, example="script.fountain")
    sys.stdout.write(text)
    return 0


def script_import(args: argparse.Namespace) -> int:
    """Replace the script with a Fountain file; the old text stays a revision."""
    path = Path(args.file)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            say(
                f"reelroom: {path} is not a regular file (a folder, pipe or device?); give a .fountain file."
            )
            return 1
        if st.st_size > MAX_SCRIPT_BYTES:
            say(
                f"reelroom: {path} is {st.st_size / 1024 / 1024:.1f} MiB; a script file is at most "
                f"{MAX_SCRIPT_BYTES // 1024 // 1024} MiB."
            )
            return 1
        with path.open("rb") as fh:
            raw = fh.read(MAX_SCRIPT_BYTES + 1).decode("utf-8")
    except FileNotFoundError:
        say(f"reelroom: {path} does not exist.")
        return 1
    except UnicodeDecodeError:
        say(f"reelroom: {path} is not UTF-8 text. Save it as UTF-8 and import again.")
        return 1
    except OSError as exc:
        say(f"reelroom: {path} cannot be read ({exc.strerror}).")
        return 1
    ws = open_workspace(args.home)
    post = _post_or_fail(ws, args.post_id)
    if post is None:
        return 1
    body, _meta = import_fountain(raw)
    ScriptRepo(ws.store).save(post.id, body, reason="import")
    say(
        f"imported {path} into the script of post {post.id}; the previous text is kept as a revision"
    )
    return 0
