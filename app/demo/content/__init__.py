"""The words of the demo workspace: pillars, accounts, titles, script parts,
comments in several languages, saved replies, brand deals and ffmpeg failures.

The demo team ("Pantry Lab", 食验室) makes food shorts in English for TikTok,
YouTube Shorts and Instagram Reels, and street-food shorts in Chinese for
Kuaishou. Only data lives here, in one module per subject (team, posts, audience,
deals, renders), all re-exported here; app/demo/*.py decides where it goes.
"""

from __future__ import annotations

from app.demo.content.audience import (
    AUTHORS,
    COMMENTS,
    DMS,
    PLATFORM_LANGS,
    SAVED_REPLIES,
)
from app.demo.content.deals import (
    DEALS,
    PARTNERS,
    DemoDeal,
    DemoItem,
)
from app.demo.content.posts import (
    BODIES,
    CAPTIONS,
    CTAS,
    DISHES_EN,
    DISHES_ZH,
    HOOK_LIFT,
    HOOK_STYLES,
    HOOKS,
    NOTES,
    ON_SCREEN,
    SHOTS,
    TITLES,
    TOOLS_EN,
    ZH_NOTES,
)
from app.demo.content.renders import (
    RECIPES,
    RENDER_FAILURES,
)
from app.demo.content.team import (
    ACCOUNTS,
    EVENT_ACTORS,
    PILLAR_PLATFORMS,
    PILLARS,
    SLOT_GRID,
    PillarSpec,
)

__all__ = [
    "ACCOUNTS",
    "AUTHORS",
    "BODIES",
    "CAPTIONS",
    "COMMENTS",
    "CTAS",
    "DEALS",
    "DISHES_EN",
    "DISHES_ZH",
    "DMS",
    "DemoDeal",
    "DemoItem",
    "EVENT_ACTORS",
    "HOOKS",
    "HOOK_LIFT",
    "HOOK_STYLES",
    "NOTES",
    "ON_SCREEN",
    "PARTNERS",
    "PILLARS",
    "PILLAR_PLATFORMS",
    "PLATFORM_LANGS",
    "PillarSpec",
    "RECIPES",
    "RENDER_FAILURES",
    "SAVED_REPLIES",
    "SHOTS",
    "SLOT_GRID",
    "TITLES",
    "TOOLS_EN",
    "ZH_NOTES",
]
