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
