"""The demo's content plan: pillars, accounts, posts with statuses consistent
with time, their scripts (English, and Chinese for the Kuaishou pillar),
script revisions and shot lists.

A handful of "anchor" posts are placed on purpose so Today always has
something to show: two shoots today, an overdue shoot, posts overdue for
their stage and two posts going out within 24 hours.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.demo import content as C
from app.demo.scale import DemoTime, Scale

PILLAR_COLS = ("id", "name", "color", "target_share", "description", "created_at")
ACCOUNT_COLS = ("id", "platform", "handle", "display_name", "external_id", "created_at")
POST_COLS = (
    "id",
    "title",
    "pillar_id",
    "status",
    "planned_at",
    "shoot_at",
    "target_seconds",
    "notes",
    "tags",
    "created_at",
    "updated_at",
)
SCRIPT_COLS = ("id", "post_id", "template", "body", "updated_at")
REVISION_COLS = ("id", "script_id", "body", "reason", "created_at")
SHOT_COLS = ("id", "post_id", "number", "description", "framing", "location", "status")

SHOT_STATUS = {"ready_to_shoot": "to_shoot", "shot": "shot"}
AFTER_SHOOT = ("shot", "editing", "ready", "scheduled", "published", "archived")


@dataclass
class PlanPost:
    """One post while the plan is being built (ids are given after sorting)."""

    title: str
    pillar: C.PillarSpec
    dish: str
    status: str
    planned_at: datetime
    shoot_at: datetime | None = None
    target_seconds: int = 45
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    anchor: str = ""
    id: int = 0
    pillar_id: int = 0
    caption: str = ""
    hook: str | None = None  # the hook style of its script (a `hook:` tag on the post)


@dataclass
class ContentPlan:
    """The posts and the ids of pillars and accounts, for the other generators."""

    posts: list[PlanPost]
    pillar_ids: dict[str, int]
    account_ids: dict[str, int]
    rows: dict[str, list[tuple]]

    def anchor(self, name: str) -> PlanPost:
        """The anchor post with this name."""
        return next(p for p in self.posts if p.anchor == name)


def _pillar(rng: random.Random) -> C.PillarSpec:
    return rng.choices(C.PILLARS, weights=[p.share for p in C.PILLARS])[0]


def _title(pillar: C.PillarSpec, rng: random.Random, used: set[str]) -> tuple[str, str]:
    """A title and the dish it is about; avoids repeats while the pool lasts."""
    dishes = C.DISHES_ZH if pillar.lang == "zh" else C.DISHES_EN
    for _ in range(8 if len(used) < 400 else 1):  # a large plan repeats titles anyway
        dish = rng.choice(dishes)
        title = rng.choice(C.TITLES[pillar.key]).format(dish=dish, tool=rng.choice(C.TOOLS_EN))
        if pillar.lang == "en":
            title = title[0].upper() + title[1:]
        if title not in used:
            break
    used.add(title)
    return title, dish


def _random_status(delta: float, rng: random.Random, overdue_rate: float) -> str:
    """A status that fits a post planned `delta` days from now and is not due yet."""
    if delta < -30:
        return "archived" if rng.random() < 0.35 else "published"
    if delta < 0:
        if delta < -1 and rng.random() < overdue_rate:
            return rng.choice(("scripting", "shot", "editing", "ready"))
        return "published"
    if delta < 1:
        return "scheduled"
    if delta < 3:
        return rng.choice(("scheduled", "scheduled", "ready"))
    if delta < 7:
        return rng.choice(("editing", "shot", "ready"))
    if delta < 14:
        return rng.choice(("ready_to_shoot", "scripting"))
    return rng.choice(("scripting", "idea", "idea"))


def _anchors(t: DemoTime) -> list[tuple[str, str, str, datetime, datetime | None]]:
    """(anchor name, pillar key, status, planned_at, shoot_at) placed on purpose."""
    upcoming = sorted(
        {(t.local(d, s), p.key) for d in range(0, 3) for p in C.PILLARS for s in p.slots}
    )
    soon = [(m, k) for m, k in upcoming if m > t.now + timedelta(minutes=30)]
    first = soon[0]
    second = next(x for x in soon if x[0] > first[0])
    return [
        ("going_out_1", first[1], "scheduled", first[0], None),
        ("going_out_2", second[1], "scheduled", second[0], None),
        ("shoot_today_1", "recipes", "ready_to_shoot", t.local(4, "19:00"), t.local(0, "10:00")),
        ("shoot_today_2", "street", "ready_to_shoot", t.local(5, "20:00"), t.local(0, "15:30")),
        ("shoot_overdue", "gear", "ready_to_shoot", t.local(3, "12:30"), t.local(-1, "11:00")),
        ("overdue_editing", "recipes", "editing", t.local(-3, "19:00"), None),
        ("overdue_scripting", "bts", "scripting", t.local(-6, "19:00"), None),
        ("overdue_ready", "street", "ready", t.local(-1, "20:00"), None),
        ("shot_due", "gear", "shot", t.local(1, "12:30"), None),
        ("idea_due", "street", "idea", t.local(5, "12:00"), None),
    ]


def _post(
    t: DemoTime,
    rng: random.Random,
    pillar: C.PillarSpec,
    status: str,
    planned: datetime,
    used: set[str],
) -> PlanPost:
    title, dish = _title(pillar, rng, used)
    post = PlanPost(title=title, pillar=pillar, dish=dish, status=status, planned_at=planned)
    post.target_seconds = rng.choice(pillar.target_seconds)
    notes = C.ZH_NOTES if pillar.lang == "zh" else C.NOTES
    post.notes = rng.choice(notes)
    post.tags = list(rng.sample(pillar.tags, k=rng.randint(1, len(pillar.tags))))
    created = min(planned - timedelta(days=rng.randint(7, 25)), t.ago(days=rng.randint(1, 5)))
    post.created_at = created.replace(minute=rng.randint(0, 59))
    end = min(t.now, max(planned, post.created_at))
    post.updated_at = post.created_at + (end - post.created_at) * rng.random()
    return post


def _set_shoot(t: DemoTime, post: PlanPost, rng: random.Random) -> None:
    """Shoot time: ahead of the post when waiting to shoot, in the past once shot."""
    if post.shoot_at is not None:
        return
    day = (post.planned_at.astimezone(t.zone).date() - t.today).days
    if post.status == "ready_to_shoot":
        post.shoot_at = t.local(day - 3, "10:00")
    elif post.status in AFTER_SHOOT:
        post.shoot_at = min(t.local(day - rng.randint(2, 6), "10:00"), t.local(-1, "10:00"))


def plan_posts(t: DemoTime, scale: Scale, rng: random.Random) -> list[PlanPost]:
    """Every post of the demo, sorted by planned time (ids not yet given)."""
    used: set[str] = set()
    by_key = {p.key: p for p in C.PILLARS}
    posts: list[PlanPost] = []
    for name, key, status, planned, shoot in _anchors(t):
        post = _post(t, rng, by_key[key], status, planned, used)
        post.anchor, post.shoot_at = name, shoot
        posts.append(post)
    for _ in range(scale.posts - len(posts)):
        pillar = _pillar(rng)
        planned = t.local(rng.randint(-scale.days_back, scale.days_ahead), rng.choice(pillar.slots))
        status = _random_status(t.days_from_now(planned), rng, scale.overdue_rate)
        posts.append(_post(t, rng, pillar, status, planned, used))
    for _ in range(scale.older_posts):
        pillar = _pillar(rng)
        planned = t.local(rng.randint(-90, -46), rng.choice(pillar.slots))
        status = "archived" if rng.random() < 0.4 else "published"
        posts.append(_post(t, rng, pillar, status, planned, used))
    for post in posts:
        _set_shoot(t, post, rng)
    posts.sort(key=lambda p: (p.planned_at, p.title, p.anchor))
    return posts


def script_body(
    post: PlanPost, rng: random.Random, *, sections: int = 6
) -> tuple[str, list[tuple[str, str, str]]]:
    """A Markdown-like script and its shot list (description, framing, location)."""
    lang = post.pillar.lang
    shots = rng.sample(C.SHOTS[lang], k=rng.randint(3, 5))
    parts = [
        ("Hook", rng.choice(C.HOOKS[lang]).format(dish=post.dish)),
        ("Body", rng.choice(C.BODIES[lang])),
        ("CTA", rng.choice(C.CTAS[lang])),
        ("On-screen text", rng.choice(C.ON_SCREEN[lang])),
        ("Caption", post.caption or post.title),
        (
            "Shots",
            "\n".join(f"!! {n}. {d} — {f} @ {loc}" for n, (d, f, loc) in enumerate(shots, 1)),
        ),
    ]
    body = "\n\n".join(f"## {head}\n{text}" for head, text in parts[:sections]) + "\n"
    return body, shots


def _captions(posts: list[PlanPost], rng: random.Random) -> None:
    for post in posts:
        post.caption = rng.choice(C.CAPTIONS[post.pillar.lang]).format(title=post.title)


def build_content(
    t: DemoTime, scale: Scale, rng: random.Random, ids: dict[str, int]
) -> ContentPlan:
    """Rows for pillars, accounts, posts, scripts, script_revisions and shots."""
    start = t.db(t.ago(days=400))
    pillar_ids = {p.key: ids["pillars"] + i for i, p in enumerate(C.PILLARS)}
    account_ids = {a[0]: ids["accounts"] + i for i, a in enumerate(C.ACCOUNTS)}
    rows: dict[str, list[tuple]] = {
        "pillars": [
            (pillar_ids[p.key], p.name, p.color, p.share, p.description, start) for p in C.PILLARS
        ],
        "accounts": [(account_ids[a[0]], *a, start) for a in C.ACCOUNTS],
        "posts": [],
        "scripts": [],
        "script_revisions": [],
        "shots": [],
    }
    posts = plan_posts(t, scale, rng)
    _captions(posts, rng)
    for i, post in enumerate(posts):
        post.id, post.pillar_id = ids["posts"] + i, pillar_ids[post.pillar.key]
        rows["posts"].append(
            (
                post.id,
                post.title,
                post.pillar_id,
                post.status,
                t.db(post.planned_at),
                t.db(post.shoot_at),
                post.target_seconds,
                post.notes,
                json.dumps(post.tags, ensure_ascii=False),
                t.db(post.created_at),
                t.db(post.updated_at),
            )
        )
    _scripts(t, scale, rng, posts, ids, rows)
    _tag_hooks(posts, rows)
    return ContentPlan(posts, pillar_ids, account_ids, rows)


def _scripts(
    t: DemoTime,
    scale: Scale,
    rng: random.Random,
    posts: list[PlanPost],
    ids: dict[str, int],
    rows: dict[str, list[tuple]],
) -> None:
    script_id, revision_id, shot_id = ids["scripts"], ids["script_revisions"], ids["shots"]
    for post in posts:
        if post.status == "idea":
            continue
        body, shots = script_body(post, rng)
        post.hook = hook_style(post, body)
        rows["scripts"].append((script_id, post.id, "hook-body-cta", body, t.db(post.updated_at)))
        if rng.random() < scale.revision_share:
            n = rng.randint(1, 3)
            assert post.updated_at is not None and post.created_at is not None
            span = post.updated_at - post.created_at
            for k in range(n):
                at = post.created_at + span * (k + 1) / (n + 1)
                draft, _ = script_body(post, random.Random(f"rev:{post.id}:{k}"), sections=2 + k)
                reason = "autosave" if k % 2 else "save"
                rows["script_revisions"].append((revision_id, script_id, draft, reason, t.db(at)))
                revision_id += 1
        if post.status in SHOT_STATUS or post.status in AFTER_SHOOT:
            state = SHOT_STATUS.get(post.status, "in_edit")
            for n, (desc, framing, location) in enumerate(shots, 1):
                rows["shots"].append((shot_id, post.id, n, desc, framing, location, state))
                shot_id += 1
        script_id += 1


def hook_style(post: PlanPost, body: str) -> str | None:
    """The style of the hook a script opens with (C.HOOK_STYLES), from its text."""
    lines = body.splitlines()
    if len(lines) < 2:
        return None
    lang = post.pillar.lang
    for text, style in zip(C.HOOKS[lang], C.HOOK_STYLES[lang], strict=True):
        if lines[1] == text.format(dish=post.dish):
            return style
    return None


def _tag_hooks(posts: list[PlanPost], rows: dict[str, list[tuple]]) -> None:
    """Add `hook:<style>` to the tags of every post whose script has a known hook."""
    for i, post in enumerate(posts):
        if post.hook is None:
            continue
        post.tags = [*post.tags, f"hook:{post.hook}"]
        row = list(rows["posts"][i])
        row[8] = json.dumps(post.tags, ensure_ascii=False)
        rows["posts"][i] = tuple(row)
