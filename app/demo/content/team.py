"""The demo team ("Pantry Lab", 食验室): its series (pillars), accounts, where
each pillar goes out, the best-time posting slots, and who acts in its event log.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PillarSpec:
    """A series of the demo team, and how its posts are written and published."""

    key: str
    name: str
    color: str
    share: float
    description: str
    lang: str  # "en" or "zh"
    target_seconds: tuple[int, ...]
    slots: tuple[str, ...]  # local posting times
    tags: tuple[str, ...]


PILLARS: tuple[PillarSpec, ...] = (
    PillarSpec(
        "recipes",
        "60-Second Recipes",
        "green",
        0.35,
        "One dish, one pan, one minute. The channel's bread and butter.",
        "en",
        (45, 60),
        ("12:30", "19:00"),
        ("recipe", "quick", "dinner"),
    ),
    PillarSpec(
        "gear",
        "Kitchen Gear",
        "blue",
        0.2,
        "Honest tests of tools viewers ask about; brand deals land here.",
        "en",
        (30, 45),
        ("12:30", "19:00"),
        ("gear", "review"),
    ),
    PillarSpec(
        "bts",
        "Behind the Scenes",
        "magenta",
        0.15,
        "How the shorts get made: failures, set-ups, the team.",
        "en",
        (20, 30),
        ("19:00",),
        ("bts", "team"),
    ),
    PillarSpec(
        "street",
        "街头小吃",
        "yellow",
        0.3,
        "街头小吃探店，快手专栏（中文）。Street food for the Kuaishou audience.",
        "zh",
        (30, 45, 60),
        ("12:00", "20:00"),
        ("街头小吃", "探店"),
    ),
)

# (platform, handle, display name, external id)
ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("tiktok", "pantrylab", "Pantry Lab", "7231984401122334721"),
    ("youtube", "PantryLabShorts", "Pantry Lab", "UCp4ntryL4bSh0rts0000001"),
    ("instagram", "pantry.lab", "Pantry Lab", "17841400000000042"),
    ("kuaishou", "shiyanshi_pantry", "食验室 Pantry Lab", "3xq7pantrylab"),
)
# Platforms each pillar goes out on: (platform, chance).
PILLAR_PLATFORMS: dict[str, tuple[tuple[str, float], ...]] = {
    "recipes": (("tiktok", 1.0), ("youtube", 0.7), ("instagram", 0.6)),
    "gear": (("tiktok", 1.0), ("youtube", 0.8), ("instagram", 0.5)),
    "bts": (("tiktok", 1.0), ("instagram", 0.7)),
    "street": (("kuaishou", 1.0), ("instagram", 0.25)),
}
# (platform, weekday 0=Mon..6, local time) — the best-time grid per account.
SLOT_GRID: dict[str, tuple[tuple[tuple[int, ...], str], ...]] = {
    "tiktok": (((0, 1, 2, 3, 4, 5, 6), "12:30"), ((0, 1, 2, 3, 4, 5, 6), "19:00")),
    "youtube": (((1, 3, 5), "17:00"),),
    "instagram": (((0, 2, 4), "18:00"), ((5,), "11:00")),
    "kuaishou": (((0, 1, 2, 3, 4, 5, 6), "12:00"), ((0, 1, 2, 3, 4, 5, 6), "20:00")),
}

EVENT_ACTORS = ("mei", "tom", "worker", "watch")
