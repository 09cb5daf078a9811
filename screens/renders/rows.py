"""What the Renders tab shows: filters, columns, one row per render job, the detail view.

Pure functions from `storage.renders.Render` values to plain cell text and
`DetailView`s; times are shown in the workspace zone or relative to `now`.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from screens.modals.item_detail import DetailView
from storage.renders import Render
from storage.timefmt import from_db
from widgets.footage_table import TableColumn, TableRow
from widgets.progress_cell import duration_text, percent, progress_cell, speed_text
from widgets.tones import JOB_STATE_TONES


@dataclass(frozen=True)
class StateFilter:
    """One choice of the `f` cycle: its name and the job states it shows (empty: all)."""

    name: str
    states: tuple[str, ...]


FILTERS: tuple[StateFilter, ...] = (
    StateFilter("all", ()),
    StateFilter("active", ("running", "queued", "failed")),
    StateFilter("failed", ("failed", "dead")),
    StateFilter("done", ("done",)),
    StateFilter("cancelled", ("cancelled",)),
)

GLYPHS = {"running": "▶", "queued": "◷", "failed": "↻", "dead": "✗", "done": "✓", "cancelled": "⊘"}


def next_filter(current: StateFilter) -> StateFilter:
    """The filter after `current` in the `f` cycle."""
    index = FILTERS.index(current) if current in FILTERS else -1
    return FILTERS[(index + 1) % len(FILTERS)]


def state_word(render: Render) -> str:
    """Glyph and state, "cancelling" for a running job asked to stop."""
    job = render.job
    word = "cancelling" if job.state == "running" and job.cancel_requested else job.state
    return f"{GLYPHS.get(job.state, '·')} {word}"


def recipe_name(recipe: str) -> str:
    """A built-in name as is, a recipe file by its stem."""
    return Path(recipe).stem if recipe.endswith(".toml") else recipe


def columns(width: int) -> list[TableColumn]:
    """The columns that fit `width` cells: the post title takes what is left.

    From 120 columns the clips, speed and tries show too; below 100 the speed
    is left to the detail so the post title keeps some room at 80."""
    wide = width >= 120
    cols = [
        TableColumn("id", "ID", 4, right=True),
        TableColumn("state", "STATE", 12),
        TableColumn("recipe", "RECIPE", 10 if wide else 9),
        TableColumn("post", "POST", 0),
    ]
    if wide:
        cols.append(TableColumn("clips", "CLIPS", 8))
    cols.append(TableColumn("progress", "PROGRESS", 16 if wide else 10))
    if width >= 100:
        cols.append(TableColumn("speed", "SPEED", 5, right=True))
    cols.append(TableColumn("eta", "ETA", 6, right=True))
    if wide:
        cols.append(TableColumn("tries", "TRIES", 5, right=True))
    cols.append(TableColumn("updated", "UPDATED", 8, right=True))
    spare = width - sum(c.width + 2 for c in cols) - 4  # cell padding, scrollbar
    if wide and spare >= 40:
        note_cells = spare * 2 // 5
        cols.append(TableColumn("note", "OUTPUT / ERROR", note_cells))
        spare -= note_cells + 2
    post = cols.index(next(c for c in cols if c.key == "post"))
    cols[post] = TableColumn("post", "POST", max(8, spare))
    return cols


def note(render: Render) -> str:
    """The error of a failed job, the output file name of a done one."""
    job = render.job
    if job.state in ("failed", "dead") and job.last_error:
        return job.last_error
    if job.state == "running" and job.cancel_requested:
        return "cancel requested"
    if job.state == "done" and render.output_path:
        return Path(render.output_path).name
    return ""


def _updated(render: Render) -> datetime | None:
    job = render.job
    return from_db(job.finished_at or job.started_at or job.created_at)


def ago(moment: datetime | None, now: datetime) -> str:
    """ "now", "5m ago", "3h ago", "2d ago"; "in 2h" for the future; "—" when unknown."""
    if moment is None:
        return "—"
    seconds = (now - moment).total_seconds()
    future, seconds = seconds < 0, abs(seconds)
    if seconds < 60:
        return "now"
    for size, unit in ((86400, "d"), (3600, "h"), (60, "m")):
        if seconds >= size:
            amount = f"{int(seconds // size)}{unit}"
            return f"in {amount}" if future else f"{amount} ago"
    return "now"


def _progress_fraction(render: Render) -> float | None:
    job = render.job
    if job.state == "done":
        return 1.0
    if job.state == "running":
        return job.progress or 0.0
    return job.progress


def _updated_text(render: Render, now: datetime) -> str:
    """How long ago the job last changed; "live" while its worker holds the lease."""
    job = render.job
    if job.state == "running":
        lease = from_db(job.lease_until)
        return "stale" if lease is not None and lease < now else "live"
    return ago(_updated(render), now)


def _eta(render: Render, now: datetime) -> str:
    """Seconds left while running; "in 2h" for a waiting job whose run time is ahead."""
    job = render.job
    if job.state == "running":
        return duration_text(render.eta_s)
    run_at = from_db(job.run_at) if job.state in ("queued", "failed") else None
    if run_at is not None and run_at > now:
        return ago(run_at, now)
    return "—"


def post_text(render: Render) -> str:
    """The post's title ("post 12" when its title is unknown, "—" for none)."""
    if render.post_id is None:
        return "—"
    return render.post_title or f"post {render.post_id}"


def row(render: Render, now: datetime, progress_cells: int, pending: str = "") -> TableRow:
    """One job's row of cell text; `pending` ("cancelling…") while a change is being written."""
    job = render.job
    running = job.state == "running"
    cells = {
        "id": str(render.id),
        "state": f"… {pending}" if pending else state_word(render),
        "recipe": recipe_name(render.recipe),
        "clips": ",".join(map(str, render.clip_ids)) or "—",
        "post": post_text(render),
        "progress": progress_cell(_progress_fraction(render), progress_cells),
        "speed": speed_text(render.speed) if running or job.state == "done" else "—",
        "eta": _eta(render, now),
        "tries": f"{job.attempts}/{job.max_attempts}",
        "updated": _updated_text(render, now),
        "note": note(render),
    }
    return TableRow(str(render.id), cells, JOB_STATE_TONES.get(job.state, ""))


def header(shown: int, counts: dict[str, int], current: StateFilter) -> str:
    """ "active: 12 shown   1 running, 3 queued, 2 failed"."""
    parts = [
        f"{counts.get(s, 0)} {s}"
        for s in ("running", "queued", "failed", "dead", "done", "cancelled")
        if counts.get(s, 0)
    ]
    return f"{current.name}: {shown} shown   " + ", ".join(parts)


def _when(text: str | None, zone: ZoneInfo) -> str:
    moment = from_db(text)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


PLATFORMS = {
    "tiktok": "TikTok",
    "reels": "Instagram Reels",
    "shorts": "YouTube Shorts",
    "kuaishou": "Kuaishou",
}


def preflight_text(preflight: dict | None, recipe: str = "") -> str:
    """Which platform's limits the output was checked against, and what it found.

    A recipe that is not a platform cut (vertical, a file) is checked against
    the preset its encode uses; that is said, so "ok" is not read as "ready
    for TikTok" by mistake."""
    if not preflight:
        return "not checked yet (the worker checks the output when the render is done)"
    problems = list(preflight.get("problems") or [])
    preset = str(preflight.get("preset", ""))
    platform = PLATFORMS.get(preset, preset or "the platform")
    name = recipe_name(recipe)
    against = f"checked against {platform}'s limits"
    if name and name != preset:
        against += (
            f" (the {name} recipe encodes with the {preset} preset; it is not a platform cut:"
            " render a platform recipe before publishing)"
        )
    if preflight.get("ok") and not problems:
        return f"ok: {against}"
    head = f"{len(problems)} problem(s): {against}"
    return "\n".join([head, *(f"• {p}" for p in problems)])


def command_line(argv: list[str] | None) -> str:
    """The ffmpeg argv as one shell-quoted line a person can paste into a shell."""
    return shlex.join(argv) if argv else ""


def _run_time(render: Render) -> str:
    started, finished = from_db(render.job.started_at), from_db(render.job.finished_at)
    if started is None or finished is None:
        return ""
    return duration_text((finished - started).total_seconds())


def log_text(render: Render) -> str:
    """ffmpeg's log tail, or what an empty log means for a job in this state."""
    if render.log_tail and render.log_tail.strip():
        return render.log_tail
    state = render.job.state
    if state == "done":
        took = _run_time(render)
        return (
            "ffmpeg printed no warnings or errors"
            + (f"; the render took {took}" if took else "")
            + (f"; output {Path(render.output_path).name}" if render.output_path else "")
            + "."
        )
    if state == "queued":
        return "not run yet: ffmpeg writes here once a worker starts the job."
    if state == "running":
        return "ffmpeg has printed nothing yet (progress shows above)."
    if state == "cancelled":
        return "cancelled before ffmpeg printed anything."
    return "ffmpeg printed nothing; the error above is all there is."


def recipe_json(render: Render) -> str:
    """The recipe as stored with the job (pretty JSON), else its name and overrides."""
    data = render.job.payload.get("recipe_data")
    doc = data if data else {"recipe": render.recipe, "overrides": render.params}
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True)


def detail_view(render: Render, zone: ZoneInfo, now: datetime) -> DetailView:
    """Every field of one render job, then recipe, argv, log tail and preflight blocks."""
    job = render.job
    overrides = " ".join(f"{k}={v}" for k, v in render.params.items()) or "—"
    fields = (
        ("State", state_word(render)),
        ("Error", job.last_error or "—"),
        ("Recipe", render.recipe),
        ("Overrides", overrides),
        ("Clips", ", ".join(map(str, render.clip_ids)) or "—"),
        ("Post", f"#{render.post_id} {post_text(render)}" if render.post_id is not None else "—"),
        ("Priority", str(job.priority)),
        ("Attempts", f"{job.attempts} of {job.max_attempts}"),
        (
            "Progress",
            f"{percent(_progress_fraction(render))}  speed {speed_text(render.speed)}"
            f"  ETA {duration_text(render.eta_s) if job.state == 'running' else '—'}",
        ),
        ("Created", _when(job.created_at, zone)),
        ("Started", _when(job.started_at, zone)),
        ("Finished", _when(job.finished_at, zone)),
        ("Updated", ago(_updated(render), now)),
        ("Output", render.output_path or "—"),
        ("Poster", render.poster_path or "—"),
    )
    blocks = (
        ("Preflight", preflight_text(render.preflight, render.recipe)),
        (
            "ffmpeg command (a copies it)",
            command_line(render.argv) or "not planned yet (the worker plans it when it starts)",
        ),
        ("Log tail", log_text(render)),
        ("Recipe", recipe_json(render)),
    )
    return DetailView(f"job {render.id}", "Render", fields, blocks)
