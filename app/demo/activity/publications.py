"""The demo's publications: each ready or later post on its pillar's platforms,
drafts, scheduled ones, a few failures and the published ones with their
remote ids and URLs, plus what the metric generator needs of the published.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.demo import content as C
from app.demo.posts import ContentPlan, PlanPost
from app.demo.scale import DemoTime

URLS = {
    "tiktok": "https://www.tiktok.com/@pantrylab/video/{rid}",
    "youtube": "https://youtube.com/shorts/{rid}",
    "instagram": "https://www.instagram.com/reel/{rid}/",
    "kuaishou": "https://www.kuaishou.com/short-video/{rid}",
}
REACH = {"tiktok": 9000.0, "youtube": 3500.0, "instagram": 2500.0, "kuaishou": 7000.0}


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
