"""Which connector class speaks for each platform (imported only when asked for).

`connector_for(platform, ctx)` builds the connector of one account. A
platform whose connector is not written yet raises `Unsupported` saying so;
adding one is an entry in `CONNECTORS` ("module:Class").
"""

from __future__ import annotations

import importlib

from platforms.base import Unsupported
from platforms.common import BaseConnector, ConnectorContext

CONNECTORS: dict[str, str] = {
    "tiktok": "platforms.tiktok:TikTokConnector",
    "youtube": "platforms.youtube:YouTubeConnector",
    "instagram": "platforms.instagram:InstagramConnector",
    "kuaishou": "platforms.kuaishou:KuaishouConnector",
}


def connector_for(platform: str, ctx: ConnectorContext) -> BaseConnector:
    """The connector of `platform` for the account in `ctx`."""
    target = CONNECTORS.get(platform)
    if target is None:
        raise Unsupported(f"ReelRoom has no connector for {platform!r}")
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        raise Unsupported(
            f"publishing to {platform} is not built yet in this ReelRoom ({module_name})"
        ) from None
    cls: type[BaseConnector] = getattr(module, class_name)
    return cls(ctx)


def comments_note(platform: str, *, business: bool = False) -> str | None:
    """Why an account of `platform` has no comment API (a sentence), or None when it has one.

    `business`: a TikTok account with a TikTok for Business connection. Read
    without a network call, so a tab can say it before any sync ran.
    """
    if platform == "kuaishou":
        from platforms.kuaishou.connector import NO_COMMENTS as KUAISHOU

        return KUAISHOU
    if platform == "tiktok" and not business:
        from platforms.tiktok.connector import NO_COMMENTS as TIKTOK

        return TIKTOK
    return None


def reply_limit(platform: str) -> int | None:
    """The characters a reply may have on `platform` (None: no limit known)."""
    target = CONNECTORS.get(platform)
    if target is None:
        return None
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    limit = getattr(cls, "reply_limit", None)
    return int(limit) if limit else None
