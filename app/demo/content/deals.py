"""The demo's brand deals: the partners, and each deal with its terms and deliverables."""

from __future__ import annotations

from dataclasses import dataclass

# name, contact, email, notes, category, competitors
PARTNERS: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        "Copperline Cookware",
        "Dana Reyes",
        "dana@copperline.example",
        "Pays net 30. Wants raw footage for ads.",
        "cookware",
        ("Ironclad Pans",),
    ),
    (
        "Sunny Oat Co.",
        "Jonas Berg",
        "jonas@sunnyoat.example",
        "EU brand; German and English captions.",
        "breakfast",
        (),
    ),
    (
        "川味坊 Sichuan Pantry",
        "李婷",
        "liting@chuanweifang.example",
        "快手专场，需要口播提到品牌名。",
        "condiments",
        (),
    ),
    (
        "Lumen Lights",
        "Priya Shah",
        "priya@lumen.example",
        "First contact at a trade show.",
        "lighting",
        (),
    ),
)


@dataclass(frozen=True)
class DemoItem:
    """A deliverable of a demo deal: due `day` days from today (17:00 local)."""

    description: str
    day: int
    state: str
    pillar: str = ""  # the pillar of the post it is linked to ("" = none yet)


@dataclass(frozen=True)
class DemoDeal:
    """A demo brand deal, what its deliverables must carry, and its deliverables."""

    partner: int  # index into PARTNERS
    title: str
    fee_minor: int
    currency: str
    stage: str
    disclosure: str  # the wording in the caption
    methods: tuple[str, ...]  # flag / hashtag / label
    items: tuple[DemoItem, ...]
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    approval: bool = False
    promised: tuple[tuple[str, float], ...] = ()
    usage_rights: str = ""
    exclusive_days: int = 0  # days of exclusivity from signing (0: none)
    invoice: tuple[str, int, int] | None = None  # number, issued days ago, due days ago


DEALS: tuple[DemoDeal, ...] = (
    DemoDeal(
        0,
        "Holiday skillet series (3 videos)",
        450000,
        "USD",
        "in_production",
        "#ad",
        ("hashtag", "flag"),
        (
            DemoItem("Video 1: skillet smash burgers", -12, "live", "gear"),
            DemoItem("Video 2: skillet gift guide", 2, "to_do", "gear"),
            DemoItem("Video 3: care and seasoning", 9, "to_do"),
        ),
        hashtags=("#copperlinecooks",),
        mentions=("@copperline",),
        platforms=("tiktok", "youtube", "instagram"),
        promised=(("views", 150000.0), ("engagement_rate", 0.05)),
        usage_rights="Organic only; paid usage of the videos needs a new agreement.",
        exclusive_days=60,
    ),
    DemoDeal(
        1,
        "Breakfast in 60 s (1 reel + 3 stories)",
        180000,
        "EUR",
        "contracted",
        "#werbung",
        ("hashtag",),
        (
            DemoItem("Reel draft for approval", 5, "draft_sent", "recipes"),
            DemoItem("Three stories on launch day", 11, "to_do"),
        ),
        mentions=("@sunnyoat",),
        platforms=("instagram",),
        approval=True,
        usage_rights="Brand may repost the reel on its own channels for 90 days.",
    ),
    DemoDeal(
        2,
        "快手 麻辣酱 推广 ×2",
        1200000,
        "CNY",
        "in_production",
        "广告",
        ("hashtag",),
        (
            DemoItem("第一条：夜市麻辣串探店", 1, "to_do", "street"),
            DemoItem("第二条：在家复刻麻辣烫", 14, "to_do"),
        ),
        platforms=("kuaishou",),
        promised=(("views", 400000.0),),
    ),
    DemoDeal(
        3,
        "Creator light kit review",
        90000,
        "USD",
        "negotiating",
        "#ad",
        ("hashtag", "flag"),
        (DemoItem("Review video", 24, "to_do"),),
    ),
    DemoDeal(
        0,
        "Knife care tips (2 videos)",
        200000,
        "USD",
        "invoiced",
        "#ad",
        ("hashtag",),
        (
            DemoItem("Knife care part 1", -40, "live"),
            DemoItem("Knife care part 2", -33, "live"),
        ),
        mentions=("@copperline",),
        invoice=("PL-2026-031", 32, 2),
    ),
)
