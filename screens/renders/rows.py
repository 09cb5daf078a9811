"""What the Renders tab shows: filters, columns, one row per render job, the detail view.

Pure functions from `storage.renders.Render` values to plain cell text and
`DetailView`s; times are shown in the workspace zone or relative to `now`.
"""

from __future__ import annotations

import json
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
    """The columns that fit `width` cells (clips, post, tries and a wider recipe from 120)."""
    wide = width >= 120
    cols = [
        TableColumn("id", "ID", 5, right=True),
        TableColumn("state", "STATE", 12),
        TableColumn("recipe", "RECIPE", 18 if wide else 13),
    ]
    if wide:
        cols += [TableColumn("clips", "CLIPS", 12), TableColumn("post", "POST", 6, right=True)]
    cols += [
        TableColumn("progress", "PROGRESS", 22 if wide else 14),
        TableColumn("speed", "SPEED", 5, right=True),
        TableColumn("eta", "ETA", 6, right=True),
    ]
    if wide:
        cols.append(TableColumn("tries", "TRIES", 5, right=True))
    cols.append(TableColumn("updated", "UPDATED", 9, right=True))
    spare = width - sum(c.width + 2 for c in cols) - 4  # cell padding, scrollbar
    if wide and spare >= 12:
        cols.append(TableColumn("note", "OUTPUT / ERROR", spare))
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


def row(render: Render, now: datetime, progress_cells: int) -> TableRow:
    """One job's row of cell text."""
    job = render.job
    running = job.state == "running"
    cells = {
        "id": str(render.id),
        "state": state_word(render),
        "recipe": recipe_name(render.recipe),
        "clips": ",".join(map(str, render.clip_ids)) or "—",
        "post": str(render.post_id) if render.post_id is not None else "—",
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


def preflight_text(preflight: dict | None) -> str:
    """ "ok (tiktok)" or the problems one per line; "not checked yet"."""
    if not preflight:
        return "not checked yet"
    problems = list(preflight.get("problems") or [])
    preset = preflight.get("preset", "")
    if preflight.get("ok") and not problems:
        return f"ok ({preset})" if preset else "ok"
    head = f"{len(problems)} problem(s)" + (f" for {preset}" if preset else "")
    return "\n".join([head, *(f"• {p}" for p in problems)])


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
        ("Post", str(render.post_id) if render.post_id is not None else "—"),
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
        ("Preflight", preflight_text(render.preflight)),
        (
            "ffmpeg argv (one per line)",
            "\n".join(render.argv) if render.argv else "not planned yet",
        ),
        ("Log tail", render.log_tail or "nothing logged"),
        ("Recipe", recipe_json(render)),
    )
    return DetailView(f"job {render.id}", "Render", fields, blocks)
