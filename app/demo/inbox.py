"""The demo's community side: inbox items (comments, DMs, mentions in several
languages, unanswered ones of varied age), saved replies, posting slots and a
few events in the activity log.
"""

from __future__ import annotations

import itertools
import json
import random
from datetime import datetime, timedelta

from app.demo import content as C
from app.demo.activity import MetricPub
from app.demo.posts import ContentPlan
from app.demo.scale import DemoTime, Scale
from app.inbox.rules import Labeler

PREFIX = {"tiktok": "tt", "youtube": "yt", "instagram": "ig", "kuaishou": "ks"}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _status(age_days: float, rng: random.Random) -> str:
    """Unanswered is likely when fresh and rare when old; "replied" is done with a reply."""
    chance_new = 0.8 if age_days < 2 else 0.3 if age_days < 7 else 0.06 if age_days < 21 else 0.0
    if rng.random() < chance_new:
        return "new"
    return rng.choices(("replied", "done", "spam"), weights=(55, 35, 10))[0]


def _lang(platform: str, rng: random.Random) -> str:
    langs = C.PLATFORM_LANGS[platform]
    return rng.choices([lang for lang, _ in langs], weights=[w for _, w in langs])[0]


def build_inbox(
    t: DemoTime,
    scale: Scale,
    plan: ContentPlan,
    pubs: list[MetricPub],
    rng: random.Random,
    ids: dict[str, int],
) -> list[tuple]:
    """Inbox rows sorted by arrival, comments weighted to recent, popular publications."""
    account_of = {p: plan.account_ids[p] for p in PREFIX}
    pubs = [p for p in pubs if p.published_at < t.ago(minutes=10)]  # comments need time to come
    weights = [p.reach / (1.0 + max(0.0, -t.days_from_now(p.published_at)) / 5.0) for p in pubs]
    cum = list(itertools.accumulate(weights))
    drafts: list[tuple[datetime, str, int | None, str, str, str]] = []
    for _ in range(scale.inbox):
        roll = rng.random()
        if roll < 0.03 or not pubs:
            platform = rng.choice(tuple(PREFIX))
            lang = "zh" if platform == "kuaishou" else "en"
            body = rng.choice([d for d in C.DMS if (lang == "zh") == _is_chinese(d)])
            drafts.append(
                (
                    t.ago(hours=rng.uniform(1, 24 * 20)),
                    platform,
                    None,
                    "dm",
                    rng.choice(C.AUTHORS[lang]),
                    body,
                )
            )
            continue
        pub = rng.choices(pubs, cum_weights=cum)[0]
        delay = timedelta(hours=rng.expovariate(1 / 20))
        received = min(pub.published_at + delay, t.ago(minutes=rng.randint(3, 900)))
        if received <= pub.published_at:
            received = pub.published_at + (t.now - pub.published_at) / 2
        lang = _lang(pub.platform, rng)
        kind = "mention" if roll > 0.97 else "comment"
        drafts.append(
            (
                received,
                pub.platform,
                pub.id,
                kind,
                rng.choice(C.AUTHORS[lang]),
                rng.choice(C.COMMENTS[lang]),
            )
        )
    drafts.sort(key=lambda d: (d[0], d[1], d[5]))
    return _inbox_rows(t, drafts, account_of, rng, ids["inbox_items"])


def _inbox_rows(
    t: DemoTime, drafts: list, account_of: dict[str, int], rng: random.Random, first_id: int
) -> list[tuple]:
    rows: list[tuple] = []
    labeler = Labeler()  # the built-in triage rules
    seq = {p: 0 for p in PREFIX}
    last_on_pub: dict[int, int] = {}
    for n, (received, platform, pub_id, kind, author, body) in enumerate(drafts):
        item_id = first_id + n
        seq[platform] += 1
        remote = f"{PREFIX[platform]}-{seq[platform]:07d}"
        parent = None
        if pub_id is not None and pub_id in last_on_pub and rng.random() < 0.06:
            parent = last_on_pub[pub_id]
        if pub_id is not None:
            last_on_pub[pub_id] = item_id
        status = _status(-t.days_from_now(received), rng)
        replied = None
        reply_state = None
        if status == "replied":
            replied = min(received + timedelta(minutes=rng.randint(8, 600)), t.now)
            status, reply_state = "done", "sent"
        labels = labeler(body, author, set())
        rows.append(
            (
                item_id,
                account_of[platform],
                pub_id,
                parent,
                kind,
                remote,
                author,
                body,
                t.db(received),
                status,
                t.db(replied),
                json.dumps(labels, ensure_ascii=False),
                reply_state,
                "demo",
            )
        )
    return rows


def build_slots(plan: ContentPlan, ids: dict[str, int]) -> list[tuple]:
    """Posting slots per account from the best-time grid."""
    rows: list[tuple] = []
    slot_id = ids["posting_slots"]
    for platform, grid in C.SLOT_GRID.items():
        for days, hhmm in grid:
            for day in days:
                rows.append((slot_id, plan.account_ids[platform], day, hhmm))
                slot_id += 1
    return rows


def build_saved_replies(t: DemoTime, ids: dict[str, int]) -> list[tuple]:
    """The team's canned answers."""
    created = t.db(t.ago(days=60))
    return [
        (ids["saved_replies"] + i, name, body, created)
        for i, (name, body) in enumerate(C.SAVED_REPLIES)
    ]


def build_events(
    t: DemoTime, plan: ContentPlan, jobs: list[tuple], rng: random.Random, ids: dict[str, int]
) -> list[tuple]:
    """A short activity log: recent status changes, failed renders, syncs."""
    events: list[tuple[datetime | None, str, str, str, int | None, dict]] = []
    recent = [p for p in plan.posts if -2 <= t.days_from_now(p.updated_at) <= 0]  # type: ignore[arg-type]
    for post in recent[:6]:
        events.append(
            (
                post.updated_at,
                rng.choice(C.EVENT_ACTORS[:2]),
                "post.updated",
                "post",
                post.id,
                {"status": post.status},
            )
        )
    for job in jobs:
        if job[2] in ("failed", "dead"):
            at = datetime.strptime(job[14], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=t.now.tzinfo)
            if at > t.ago(days=3):
                events.append((at, "worker", "render." + job[2], "job", job[0], {"error": job[11]}))
    for hours in (1, 7, 13, 19):
        events.append(
            (
                t.ago(hours=hours),
                "worker",
                "inbox.synced",
                "account",
                None,
                {"new_items": rng.randint(0, 9)},
            )
        )
    events.sort(key=lambda e: (e[0], e[2], e[4] or 0))
    return [
        (
            ids["events"] + i,
            t.db(at),
            actor,
            kind,
            entity,
            entity_id,
            json.dumps(detail, ensure_ascii=False),
        )
        for i, (at, actor, kind, entity, entity_id, detail) in enumerate(events)
    ]
