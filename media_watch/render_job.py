"""The handler for render jobs: plan, run ffmpeg, verify, rename into place.

Steps of one attempt: load the clips and the recipe snapshot stored with the
job → plan the graph → optional loudness pass 1 → the final pass writing
`<target>.partial-<attempt>.mp4` in the target folder (home/renders/) →
ffprobe checks the duration → `os.replace` into place, inside a transaction
that proves this attempt still holds the job (so a worker that lost its lease
while frozen cannot write over the new holder's output) → poster frame →
preflight stored. Any failure or stop deletes this attempt's partial files. Progress (percent, speed, ETA)
and the tail of ffmpeg's log go to the job's rows as it runs.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from media_watch.ffmpeg_run import Progress, RunResult, run_ffmpeg, with_progress_flags
from media_watch.probe import ProbeError, ProbeResult, probe_file
from media_watch.tools import require_tool
from storage.db import Store
from storage.footage import FootageRepo
from storage.footage_models import Asset
from storage.jobs import Job, JobQueue, JobStopped, PermanentJobError
from storage.renders import Render, RenderRepo

MEASURE_SHARE = 0.25  # share of the progress bar taken by loudness pass 1
PROGRESS_EVERY_S = 0.5
RENDERABLE_KINDS = ("video",)

StopReason = Callable[[], str | None]


class ClipProblem(ValueError):
    """A clip cannot be rendered; the message names it and says what to do."""


class ClipNotHere(RuntimeError):
    """A clip's file cannot be seen on this machine (a share not mounted, or mapped
    elsewhere): this attempt fails, and another worker may take the job."""


def check_visible(store: Store, clips: Sequence[Any], assets: Sequence[Asset]) -> None:
    """Every clip's file exists here; ClipNotHere naming the path and this host otherwise."""
    for clip, asset in zip(clips, assets, strict=True):
        if os.path.exists(clip.path):
            continue
        host = socket.gethostname()
        stored = store.paths.to_canonical(clip.path)
        shown = clip.path if stored == clip.path else f"{clip.path} (stored as {stored})"
        raise ClipNotHere(
            f"clip {asset.id} ({asset.name}): {shown} cannot be read on host {host}. Mount "
            f"the footage share on {host}, or map it with a [[paths]] rule for host "
            f'"{host}" in config.toml; another worker may take this job.'
        )


def partial_path(output: Path, token: str = "") -> Path:
    """`clip.mp4` → `clip.partial-<token>.mp4`, in the same folder (same filesystem).

    Each attempt writes its own partial (`token` names the lease owner), so a
    worker that lost its lease never writes into the new holder's file.
    """
    mark = f".partial-{token}" if token else ".partial"
    return output.with_name(f"{output.stem}{mark}{output.suffix}")


def attempt_token(owner: str) -> str:
    """A short name for one lease owner, for its partial files."""
    return hashlib.sha1(owner.encode()).hexdigest()[:10]


def remove_partials(output: Path, token: str | None = None) -> None:
    """Delete partial files of `output` (video and poster): this attempt's, or with no
    `token` every attempt's (the leftovers of earlier holders)."""
    for target in (output, output.with_suffix(".jpg")):
        if token is not None:
            partial_path(target, token).unlink(missing_ok=True)
            continue
        pattern = f"{glob.escape(target.stem)}.partial*{target.suffix}"
        for path in target.parent.glob(pattern):
            path.unlink(missing_ok=True)


def load_clip_assets(store: Store, clip_ids: Sequence[int]) -> list[Asset]:
    """The assets of `clip_ids`, each present, ok and a video; ClipProblem otherwise."""
    if not clip_ids:
        raise ClipProblem("no clips given; pass --clip ID (see `reelroom footage list`)")
    repo = FootageRepo(store)
    assets = []
    for clip_id in clip_ids:
        asset = repo.get(clip_id)
        if asset is None:
            raise ClipProblem(
                f"clip {clip_id} does not exist; `reelroom footage list` shows the clip ids"
            )
        if asset.status != "ok":
            why = f" ({asset.reason})" if asset.reason else ""
            raise ClipProblem(
                f"clip {clip_id} ({asset.name}) is {asset.status}{why}; only "
                "clips with status ok can be rendered"
            )
        if asset.kind not in RENDERABLE_KINDS:
            raise ClipProblem(
                f"clip {clip_id} ({asset.name}) is {asset.kind}; renders take video clips"
            )
        assets.append(asset)
    return assets


def idem_key(assets: Sequence[Asset], recipe_fingerprint: str, extras: dict[str, Any]) -> str:
    """hash(clip content keys, recipe steps, extra inputs): the same render is queued once."""
    keys = [a.content_key or a.full_hash or f"asset-{a.id}" for a in assets]
    text = json.dumps(
        {"clips": keys, "recipe": recipe_fingerprint, "extras": extras},
        sort_keys=True,
        ensure_ascii=False,
    )
    return "render:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recipe_from_snapshot(snapshot: dict[str, Any]) -> Any:
    """The Recipe stored with the job at add time (so later file edits do not change it)."""
    from media_watch.recipes import recipe_from_data

    return recipe_from_data(
        snapshot["name"],
        snapshot["source"],
        snapshot["description"],
        snapshot,
        snapshot.get("overrides", ()),
    )


@dataclass(frozen=True)
class PreparedRender:
    """A render checked before it is queued: recipe, clips, key, and its planned argv."""

    recipe: Any
    assets: list[Asset]
    idem_key: str
    payload: dict[str, Any]
    clips: list[Any]
    srt: Path | None
    logo: Path | None

    def planned_argv(self, output: str) -> list[str]:
        """What will run first for `output`: pass 1 when loudness is on, else the encode."""
        from media_watch.graph import plan_render

        plan = plan_render(
            self.recipe,
            self.clips,
            partial_path(Path(output)),
            srt_path=self.srt,
            logo_path=self.logo,
        )
        first = plan.measure_argv if plan.measure_argv else plan.final_argv(None)
        return with_progress_flags(first)


def prepare_render(
    store: Store,
    recipe_arg: str,
    overrides: Sequence[str],
    clip_ids: Sequence[int],
    *,
    srt: Path | None = None,
    logo: Path | None = None,
) -> PreparedRender:
    """Validate recipe, clips, SRT and logo before anything is queued.

    Raises RecipeError (recipe, SRT, logo) or ClipProblem with a message for the user.
    """
    from media_watch.graph import plan_render
    from media_watch.recipes import ClipInput, load_recipe

    recipe = load_recipe(recipe_arg, overrides)
    assets = load_clip_assets(store, clip_ids)
    clips = [ClipInput.from_asset(a) for a in assets]
    srt = srt.absolute() if srt else None
    logo = logo.absolute() if logo else None
    plan_render(recipe, clips, Path("check.partial.mp4"), srt_path=srt, logo_path=logo)
    extras = {"srt": str(srt) if srt else None, "logo": str(logo) if logo else None}
    content = {name: _file_sha(Path(path)) for name, path in extras.items() if path}
    key = idem_key(assets, recipe.fingerprint(), content)
    payload = {"recipe_data": recipe.to_json(), **{k: v for k, v in extras.items() if v}}
    return PreparedRender(recipe, assets, key, payload, clips, srt, logo)


class _Reporter:
    """Throttled progress writes from the slot thread; maps passes onto one bar."""

    def __init__(self, renders: RenderRepo, job: Job, owner: str, stop_reason: StopReason) -> None:
        self.renders, self.job, self.owner, self.stop_reason = renders, job, owner, stop_reason
        self.latest: Progress | None = None
        self.written_at = 0.0
        self.offset, self.share = 0.0, 1.0

    def phase(self, offset: float, share: float) -> None:
        self.offset, self.share, self.latest = offset, share, None

    def on_progress(self, progress: Progress) -> None:  # reader thread: only remember it
        self.latest = progress

    def should_stop(self) -> bool:  # slot thread, every ~50 ms while ffmpeg runs
        latest = self.latest
        now = time.monotonic()
        if latest is not None and (latest.done or now - self.written_at >= PROGRESS_EVERY_S):
            self.written_at = now
            self.latest = None
            percent = None if latest.percent is None else self.offset + self.share * latest.percent
            self.renders.set_progress(self.job.id, self.owner, percent, latest.speed, latest.eta_s)
        return self.stop_reason() is not None


def _run_pass(
    argv: Sequence[str],
    expected_s: float | None,
    reporter: _Reporter,
    renders: RenderRepo,
    job_id: int,
    *,
    tail_lines: int = 40,
) -> RunResult:
    result = run_ffmpeg(
        argv,
        expected_duration_s=expected_s,
        on_progress=reporter.on_progress,
        should_stop=reporter.should_stop,
        tail_lines=tail_lines,
    )
    renders.set_log_tail(job_id, result.stderr_tail)
    if result.stopped:
        raise JobStopped(reporter.stop_reason() or "shutdown")
    if result.returncode != 0:
        last = next(
            (ln for ln in reversed(result.stderr_tail.splitlines()) if ln.strip()), "no message"
        )
        raise RuntimeError(f"ffmpeg exited with status {result.returncode}: {last}")
    return result


def verify_output(path: Path, expected_s: float) -> ProbeResult:
    """ffprobe the finished partial; RuntimeError unless its duration matches the plan."""
    try:
        probe = probe_file(require_tool("ffprobe"), str(path), path.stat().st_size)
    except (ProbeError, OSError) as exc:
        raise RuntimeError(f"the output {path.name} cannot be read back: {exc}") from exc
    tolerance = max(0.5, 0.05 * expected_s)
    if probe.duration_s is None or abs(probe.duration_s - expected_s) > tolerance:
        raise RuntimeError(
            f"the output {path.name} lasts {probe.duration_s} s but the plan "
            f"expects {expected_s:.3f} s; it was not kept"
        )
    return probe


def _plan(store: Store, render: Render, target: Path) -> tuple[Any, Any]:
    from media_watch.graph import plan_render
    from media_watch.recipes import ClipInput, RecipeError

    payload = render.job.payload
    try:
        assets = load_clip_assets(store, render.clip_ids)
        recipe = (
            recipe_from_snapshot(payload["recipe_data"])
            if payload.get("recipe_data")
            else _load_named(render)
        )
        clips = [ClipInput.from_asset(a) for a in assets]
        check_visible(store, clips, assets)
        srt = Path(payload["srt"]) if payload.get("srt") else None
        logo = Path(payload["logo"]) if payload.get("logo") else None
        return recipe, plan_render(recipe, clips, target, srt_path=srt, logo_path=logo)
    except (ClipProblem, RecipeError) as exc:
        raise PermanentJobError(str(exc)) from exc


def _load_named(render: Render) -> Any:
    from media_watch.recipes import load_recipe

    overrides = [f"{k}={v}" for k, v in render.params.items()]
    return load_recipe(render.recipe, overrides)


def run_render_job(store: Store, job: Job, owner: str, stop_reason: StopReason) -> None:
    """Run one attempt of render job `job` held by `owner`.

    Raises JobStopped (cancel/shutdown/lost), PermanentJobError (bad input: no
    retry) or another exception (retried with backoff).
    """
    renders = RenderRepo(store)
    render = renders.get(job.id)
    if render is None or not render.output_path:
        raise PermanentJobError(
            f"job {job.id} has no render settings (no render row or no "
            "output path); queue it again with `reelroom render add`"
        )
    output = Path(render.output_path)
    output.parent.mkdir(parents=True, exist_ok=True)
    remove_partials(output)  # killed earlier attempts may have left theirs
    token = attempt_token(owner)
    partial = partial_path(output, token)
    recipe, plan = _plan(store, render, partial)
    reporter = _Reporter(renders, job, owner, stop_reason)
    fence = _Fence(store, job.id, owner)
    try:
        probe = _render(plan, renders, job.id, reporter, partial, output, fence)
        _poster_and_preflight(plan, recipe, renders, job.id, output, probe, fence, token)
    except BaseException:
        remove_partials(output, token)
        raise


class _Fence:
    """Renames into place only while this attempt still holds the job (storage's fence)."""

    def __init__(self, store: Store, job_id: int, owner: str) -> None:
        self.queue, self.job_id, self.owner = JobQueue(store), job_id, owner

    def replace(self, partial: Path, target: Path) -> None:
        with self.queue.while_held(self.job_id, self.owner) as held:
            if not held:
                raise JobStopped("lost")
            os.replace(partial, target)


def _render(
    plan: Any,
    renders: RenderRepo,
    job_id: int,
    reporter: _Reporter,
    partial: Path,
    output: Path,
    fence: _Fence,
) -> ProbeResult:
    """Both passes, the check and the rename; the probe of the output."""
    measured = None
    expected = float(plan.expected_duration_s)
    if plan.measure_argv:
        from media_watch.loudness import LoudnessError, parse_loudnorm

        reporter.phase(0.0, MEASURE_SHARE)
        renders.set_argv(job_id, with_progress_flags(plan.measure_argv))
        result = _run_pass(plan.measure_argv, expected, reporter, renders, job_id, tail_lines=400)
        try:
            measured = parse_loudnorm(result.stderr_tail)
        except LoudnessError as exc:
            raise RuntimeError(f"the loudness pass gave no measurement: {exc}") from exc
        reporter.phase(MEASURE_SHARE, 1.0 - MEASURE_SHARE)
    argv = plan.final_argv(measured)
    renders.set_argv(job_id, with_progress_flags(argv))
    _run_pass(argv, expected, reporter, renders, job_id)
    probe = verify_output(partial, expected)
    fence.replace(partial, output)
    return probe


def _poster_and_preflight(
    plan: Any,
    recipe: Any,
    renders: RenderRepo,
    job_id: int,
    output: Path,
    probe: ProbeResult,
    fence: _Fence,
    token: str,
) -> None:
    from media_watch.preflight import preflight

    poster = output.with_suffix(".jpg")
    poster_partial = partial_path(poster, token)
    result = run_ffmpeg(plan.poster_argv(output, poster_partial))
    if result.returncode != 0 or not poster_partial.exists():
        raise RuntimeError(f"the poster frame could not be made: {result.stderr_tail[-300:]}")
    fence.replace(poster_partial, poster)
    renders.set_preflight(job_id, preflight(probe, recipe.preset, path=str(output)).to_json())
