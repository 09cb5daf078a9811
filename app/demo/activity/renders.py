"""The demo's render jobs: done ones for recent posts with an ffmpeg log tail,
failed and dead ones, queued and cancelled work, and each publication
pointed at its post's done render.
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from app.demo import content as C
from app.demo.posts import ContentPlan, PlanPost
from app.demo.scale import DemoTime, Scale

SUCCESS_TAIL = (
    "frame= {frames} fps={fps} q=-1.0 Lsize= {kb}kB time=00:00:{secs:02d}.00 "
    "bitrate=4128.6kbits/s speed={speed:.2f}x\n"
    "video:{vkb}kB audio:{akb}kB subtitle:0kB other streams:0kB global headers:0kB "
    "muxing overhead: 0.312047%"
)


def platform_recipe(post: PlanPost, rng: random.Random) -> str:
    """The platform recipe a post's render used (Chinese posts go to Kuaishou)."""
    if any("\u4e00" <= ch <= "\u9fff" for ch in post.title):
        return "kuaishou"
    return rng.choice(("tiktok", "shorts", "reels"))


def build_renders(
    t: DemoTime,
    scale: Scale,
    plan: ContentPlan,
    rng: random.Random,
    ids: dict[str, int],
    renders_dir: Path,
) -> tuple[list[tuple], list[tuple], dict[int, int]]:
    """Render jobs: done ones for recent posts, two failures, queued and cancelled work."""
    jobs: list[tuple] = []
    renders: list[tuple] = []
    done_for: dict[int, int] = {}
    next_id = ids["jobs"]

    def add(
        post: PlanPost,
        recipe: str,
        state: str,
        run_at: datetime,
        attempts: int,
        failure: tuple[str, str] | None = None,
    ) -> int:
        nonlocal next_id
        job_id, next_id = next_id, next_id + 1
        started = run_at if state in ("done", "dead") else None
        if state == "failed":  # ran a while ago; run_at is when it is retried
            started = t.ago(minutes=rng.randint(30, 50))
        created = min(run_at, started or run_at, t.now) - timedelta(minutes=rng.randint(2, 90))
        seconds = rng.randint(25, 140)
        finished = started + timedelta(seconds=seconds) if started else None
        if state == "cancelled":
            finished = min(run_at + timedelta(minutes=5), t.now)
        error, tail = failure if failure else (None, None)
        payload = json.dumps({"recipe": recipe, "clips": []})
        jobs.append(
            (
                job_id,
                "render",
                state,
                0,
                payload,
                f"demo-render:{job_id}",
                t.db(run_at),
                attempts,
                3,
                1 if state == "cancelled" else 0,
                1.0 if state == "done" else None,
                error,
                t.db(created),
                t.db(started),
                t.db(finished),
            )
        )
        params: dict[str, str] = {}  # the built-in recipe as it is; overrides would go here
        runnable = state in (
            "done",
            "queued",
            "failed",
        )  # dead and cancelled ones never ran to an end
        output = str(renders_dir / f"post-{post.id}-{recipe}-{job_id}.mp4") if runnable else None
        argv = [
            "ffmpeg",
            "-nostdin",
            "-nostats",
            "-progress",
            "pipe:1",
            "-i",
            "…",
            "-c:v",
            "libx264",
            "-crf",
            "20",
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-movflags",
            "+faststart",
        ]
        if state == "done":
            frames = post.target_seconds * 30
            tail = SUCCESS_TAIL.format(
                frames=frames,
                fps=rng.randint(40, 70),
                kb=frames * 17,
                secs=post.target_seconds % 60,
                speed=rng.uniform(1.4, 2.6),
                vkb=frames * 16,
                akb=post.target_seconds * 16,
            )
        renders.append(
            (
                job_id,
                recipe,
                json.dumps(params),
                "[]",
                post.id,
                output,
                json.dumps(argv) if started else None,
                round(rng.uniform(1.4, 2.6), 2) if state == "done" else None,
                None,
                tail,
            )
        )
        return job_id

    for post in plan.posts:
        age = -t.days_from_now(post.planned_at)
        if (
            post.status in ("published", "archived", "scheduled", "ready")
            and age <= scale.render_days
        ):
            run_at = min(post.planned_at - timedelta(hours=rng.randint(3, 30)), t.ago(hours=1))
            failing = post.status in ("published", "archived") and rng.random() < scale.overdue_rate
            recipe = platform_recipe(post, rng)
            if failing:
                add(
                    post,
                    recipe,
                    "dead",
                    run_at - timedelta(hours=2),
                    3,
                    rng.choice(C.RENDER_FAILURES),
                )
            done_for[post.id] = add(post, recipe, "done", run_at, 1)
        elif post.status == "editing" and not post.anchor and t.days_from_now(post.planned_at) > 0:
            add(post, "vertical", "queued", t.ago(minutes=rng.randint(1, 20)), 0)
    add(
        plan.anchor("overdue_editing"),
        "tiktok",
        "failed",
        t.ago(minutes=25) + timedelta(minutes=40),
        2,
        C.RENDER_FAILURES[2],
    )
    add(plan.anchor("overdue_ready"), "shorts", "dead", t.ago(hours=7), 3, C.RENDER_FAILURES[1])
    add(plan.anchor("shot_due"), "vertical", "dead", t.ago(hours=30), 3, C.RENDER_FAILURES[0])
    add(plan.anchor("shot_due"), "tiktok", "queued", t.now + timedelta(hours=2), 0)
    add(plan.anchor("going_out_2"), "reels", "cancelled", t.ago(hours=5), 0)
    return jobs, renders, done_for


def attach_renders(publications: list[tuple], done_for: dict[int, int]) -> list[tuple]:
    """Point each publication at its post's done render job."""
    return [(*row[:3], done_for.get(row[1]), *row[4:]) for row in publications]
