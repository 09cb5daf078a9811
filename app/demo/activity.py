"""The demo's activity around the posts: publications, render jobs, the inbox,
brand deals, posting slots, saved replies and a few events.

Works on the `ContentPlan` from app/demo_posts.py and returns row tuples per
table (columns in the `*_COLS` constants), plus the published publications
the metric generator needs.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.demo import content as C
from app.demo.posts import ContentPlan, PlanPost
from app.demo.scale import DemoTime, Scale

PUBLICATION_COLS = (
    "id",
    "post_id",
    "account_id",
    "render_job_id",
    "caption",
    "scheduled_at",
    "state",
    "remote_id",
    "remote_url",
    "published_at",
    "error",
    "created_at",
    "branded_content",
)
JOB_COLS = (
    "id",
    "kind",
    "state",
    "priority",
    "payload_json",
    "idem_key",
    "run_at",
    "attempts",
    "max_attempts",
    "cancel_requested",
    "progress",
    "last_error",
    "created_at",
    "started_at",
    "finished_at",
)
RENDER_COLS = (
    "job_id",
    "recipe",
    "params_json",
    "clip_ids_json",
    "post_id",
    "output_path",
    "argv_json",
    "speed",
    "eta_s",
    "log_tail",
)
INBOX_COLS = (
    "id",
    "account_id",
    "publication_id",
    "parent_id",
    "kind",
    "remote_id",
    "author",
    "body",
    "received_at",
    "status",
    "replied_at",
    "labels",
    "reply_state",
    "source",
)
PARTNER_COLS = ("id", "name", "contact", "email", "notes", "category", "competitors", "created_at")
DEAL_COLS = (
    "id",
    "partner_id",
    "title",
    "fee_minor",
    "currency",
    "status",
    "disclosure",
    "usage_rights",
    "exclusive_from",
    "exclusive_until",
    "contact",
    "promised_json",
    "signed_at",
    "notes",
    "created_at",
    "updated_at",
)
DELIVERABLE_COLS = (
    "id",
    "deal_id",
    "description",
    "due_at",
    "status",
    "platforms",
    "hashtags",
    "mentions",
    "links",
    "disclosure",
    "approval",
    "live_at",
    "created_at",
    "updated_at",
)
DELIVERABLE_POST_COLS = ("deliverable_id", "post_id")
INVOICE_COLS = (
    "id",
    "deal_id",
    "number",
    "amount_minor",
    "currency",
    "issued_at",
    "due_at",
    "paid_at",
    "created_at",
)
SLOT_COLS = ("id", "account_id", "weekday", "local_time")
SAVED_REPLY_COLS = ("id", "name", "body", "created_at")
EVENT_COLS = ("id", "at", "actor", "kind", "entity", "entity_id", "detail_json")

URLS = {
    "tiktok": "https://www.tiktok.com/@pantrylab/video/{rid}",
    "youtube": "https://youtube.com/shorts/{rid}",
    "instagram": "https://www.instagram.com/reel/{rid}/",
    "kuaishou": "https://www.kuaishou.com/short-video/{rid}",
}
REACH = {"tiktok": 9000.0, "youtube": 3500.0, "instagram": 2500.0, "kuaishou": 7000.0}
SUCCESS_TAIL = (
    "frame= {frames} fps={fps} q=-1.0 Lsize= {kb}kB time=00:00:{secs:02d}.00 "
    "bitrate=4128.6kbits/s speed={speed:.2f}x\n"
    "video:{vkb}kB audio:{akb}kB subtitle:0kB other streams:0kB global headers:0kB "
    "muxing overhead: 0.312047%"
)


@dataclass(frozen=True)
class MetricPub:
    """A published publication, as the metric generator needs it."""

    id: int
    platform: str
    published_at: datetime
    target_seconds: int
    reach: float
    lift: float = 1.0  # how far its hook style carries it (the numbers only)


def _remote_id(platform: str, rng: random.Random) -> str:
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789_-"
    if platform == "tiktok":
        return str(rng.randrange(7_300_000_000_000_000_000, 7_399_999_999_999_999_999))
    size = {"youtube": 11, "instagram": 11, "kuaishou": 15}[platform]
    return "".join(rng.choice(alphabet) for _ in range(size))


@dataclass
class DealRows:
    """The demo's deal rows per table, and the posts whose publications carry the
    platform's branded-content flag (their deal asks for it)."""

    rows: dict[str, list[tuple]]
    branded_posts: set[int]


def build_deals(t: DemoTime, plan: ContentPlan, ids: dict[str, int]) -> DealRows:
    """Partners, deals, deliverables, their posts and invoices; a linked post's caption gets
    what its deal asks for (the disclosure wording, required hashtags and mentions)."""
    rows: dict[str, list[tuple]] = {
        "partners": [],
        "deals": [],
        "deliverables": [],
        "deliverable_posts": [],
        "invoices": [],
    }
    for i, (name, contact, email, notes, category, rivals) in enumerate(C.PARTNERS):
        partner_created = t.db(t.ago(days=150 - 20 * i))
        rows["partners"].append(
            (
                ids["partners"] + i,
                name,
                contact,
                email,
                notes,
                category,
                json.dumps(list(rivals)),
                partner_created,
            )
        )
    linked: set[int] = set()
    branded: set[int] = set()
    deliverable_id = ids["deliverables"]
    for n, deal in enumerate(C.DEALS):
        deal_id = ids["deals"] + n
        first_due = min(item.day for item in deal.items)
        created = t.ago(days=max(20, 10 - first_due))
        signed = None if deal.stage in ("lead", "negotiating") else created + timedelta(days=4)
        window_end = (
            signed + timedelta(days=deal.exclusive_days)
            if signed is not None and deal.exclusive_days
            else None
        )
        rows["deals"].append(
            (
                deal_id,
                ids["partners"] + deal.partner,
                deal.title,
                deal.fee_minor,
                deal.currency,
                deal.stage,
                deal.disclosure,
                deal.usage_rights,
                t.db(signed) if window_end else None,
                t.db(window_end),
                C.PARTNERS[deal.partner][1],
                json.dumps(dict(deal.promised)),
                t.db(signed),
                "",
                t.db(created),
                t.db(created),
            )
        )
        words = " ".join((deal.disclosure, *deal.hashtags, *deal.mentions))
        for item in deal.items:
            due = t.local(item.day, "17:00")
            post = _deal_post(plan.posts, item.pillar, due, linked) if item.pillar else None
            if post is not None:
                linked.add(post.id)
                post.caption = f"{post.caption} {words}"
                if "flag" in deal.methods:
                    branded.add(post.id)
                rows["deliverable_posts"].append((deliverable_id, post.id))
            live = t.db(min(due, t.now)) if item.state == "live" else None
            rows["deliverables"].append(
                (
                    deliverable_id,
                    deal_id,
                    item.description,
                    t.db(due),
                    item.state,
                    json.dumps(list(deal.platforms)),
                    json.dumps(list(deal.hashtags)),
                    json.dumps(list(deal.mentions), ensure_ascii=False),
                    "[]",
                    json.dumps(list(deal.methods)),
                    1 if deal.approval else 0,
                    live,
                    t.db(created),
                    t.db(created),
                )
            )
            deliverable_id += 1
        if deal.invoice is not None:
            number, issued_days, due_days = deal.invoice
            rows["invoices"].append(
                (
                    ids["invoices"] + len(rows["invoices"]),
                    deal_id,
                    number,
                    deal.fee_minor,
                    deal.currency,
                    t.db(t.ago(days=issued_days)),
                    t.db(t.ago(days=due_days)),
                    None,
                    t.db(t.ago(days=issued_days)),
                )
            )
    return DealRows(rows, branded)


def _deal_post(
    posts: list[PlanPost], pillar_key: str, due: datetime, taken: set[int]
) -> PlanPost | None:
    """The post of that pillar planned closest to (and not after) the deliverable's due time."""
    fits = [
        p
        for p in posts
        if p.pillar.key == pillar_key
        and p.id not in taken
        and p.planned_at <= due
        and p.status != "idea"
    ]
    return max(fits, key=lambda p: (p.planned_at, p.id), default=None)


def build_publications(
    t: DemoTime,
    plan: ContentPlan,
    rng: random.Random,
    ids: dict[str, int],
    branded: set[int] | frozenset[int] = frozenset(),
) -> tuple[list[tuple], list[MetricPub], dict[int, list[int]]]:
    """Publication rows, the published ones for metrics, and publication ids per post
    (publications of the `branded` posts carry the platform's branded-content flag)."""
    rows: list[tuple] = []
    metric_pubs: list[MetricPub] = []
    per_post: dict[int, list[int]] = {}
    pub_id = ids["publications"]
    for post in plan.posts:
        if post.status not in ("ready", "scheduled", "published", "archived"):
            continue
        for platform, chance in C.PILLAR_PLATFORMS[post.pillar.key]:
            if rng.random() >= chance:
                continue
            created = t.db(min(post.planned_at - timedelta(days=2), t.ago(hours=2)))
            row, published = _publication(t, post, platform, rng)
            flag = 1 if post.id in branded else 0
            rows.append(
                (
                    pub_id,
                    post.id,
                    plan.account_ids[platform],
                    None,
                    post.caption,
                    *row,
                    created,
                    flag,
                )
            )
            if published is not None:
                reach = REACH[platform] * rng.lognormvariate(0, 0.7)
                lift = C.HOOK_LIFT.get(post.hook or "", 1.0)
                metric_pubs.append(
                    MetricPub(pub_id, platform, published, post.target_seconds, reach, lift)
                )
            per_post.setdefault(post.id, []).append(pub_id)
            pub_id += 1
    return rows, metric_pubs, per_post


def _publication(
    t: DemoTime, post: PlanPost, platform: str, rng: random.Random
) -> tuple[tuple, datetime | None]:
    """(scheduled_at, state, remote_id, remote_url, published_at, error) and published time."""
    when = t.db(post.planned_at)
    if post.status == "ready":
        return (None, "draft", None, None, None, None), None
    if post.status == "scheduled":
        return (when, "scheduled", None, None, None, None), None
    if platform == "instagram" and rng.random() < 0.04:
        error = "Instagram API error 9004: the media could not be fetched from the upload URL"
        return (when, "failed", None, None, None, error), None
    published = min(post.planned_at + timedelta(seconds=rng.randint(20, 540)), t.now)
    rid = _remote_id(platform, rng)
    row = (when, "published", rid, URLS[platform].format(rid=rid), t.db(published), None)
    return row, published


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
