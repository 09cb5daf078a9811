"""Fake platform servers for connector, worker and CLI tests (real HTTP on loopback).

`FakePlatforms` starts one `FakeServer` (server.py) with every platform's
routes under its own prefix, and `config_toml()` gives the `[platforms.*]`
tables that point a workspace at it. The `fake` fixture (imported by
tests/conftest.py) starts one per test and stops it afterwards, releasing
any held answers.

A platform module adds itself in `FakePlatforms.__init__`: a class taking
the server, registering its routes, with `add_*` helpers returning the
credentials document `reelroom accounts add --credentials` takes (TikTok,
YouTube, Instagram, Kuaishou; `tiktok_business.add_business` gives the
`business` object of a TikTok account with an API for Business connection).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fakeplatforms.instagram import InstagramFake
from fakeplatforms.kuaishou import KuaishouFake
from fakeplatforms.server import FakeClock, FakeServer, Fault
from fakeplatforms.tiktok import TikTokFake
from fakeplatforms.tiktok_business import TikTokBusinessFake
from fakeplatforms.youtube import YouTubeFake

__all__ = ["FakeClock", "FakePlatforms", "FakeServer", "Fault", "fake"]


class FakePlatforms:
    """Every fake platform on one loopback server."""

    def __init__(self) -> None:
        self.server = FakeServer()
        self.clock = self.server.clock
        self.tiktok = TikTokFake(self.server)
        self.tiktok_business = TikTokBusinessFake(self.server)
        self.youtube = YouTubeFake(self.server)
        self.instagram = InstagramFake(self.server)
        self.kuaishou = KuaishouFake(self.server)
        self.server.start()

    @property
    def url(self) -> str:
        return self.server.url

    def fault(self, action: str, path: str, **kw: object) -> Fault:
        """Arm a fault on the server (see server.py)."""
        return self.server.fault(action, path, **kw)  # type: ignore[arg-type]

    def config_toml(self) -> str:
        """`[platforms.*]` tables pointing a workspace's config.toml at this server."""
        url = self.url
        return (
            f'[platforms.tiktok]\napi_base = "{url}/tiktok"\n'
            f'business_api_base = "{url}/tiktok-business"\n'
            f'[platforms.youtube]\napi_base = "{url}/youtube"\n'
            f'analytics_base = "{url}/youtube-analytics"\n'
            f'token_url = "{url}/youtube/token"\n'
            f'[platforms.instagram]\napi_base = "{url}/instagram"\n'
            f'[platforms.kuaishou]\napi_base = "{url}/kuaishou"\n'
        )

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
def fake() -> Iterator[FakePlatforms]:
    """Fake TikTok/YouTube/… on a random loopback port, for one test."""
    platforms = FakePlatforms()
    try:
        yield platforms
    finally:
        platforms.stop()
