"""The fake TikTok's Display API: the creator's videos (paged), numbers, user info.

A mixin of `TikTokFake` (tiktok.py), which supplies the state (`publishes`,
`creators`, `clock`, `server`) and the envelope (`_ok`, `_err`, `_auth`).
Counts grow with the fake's clock (fakeplatforms/growth.py).
`/v2/video/list/` lists public posts newest first, at most `max_count` (≤ 20)
a page; its `cursor` is the create time (ms) the next page starts below, with
`has_more` while older ones remain. `add_video` puts a post on the account
without an upload (a video made before ReelRoom); `remove_video` takes one
down.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from fakeplatforms.growth import grown, grown_all
from fakeplatforms.server import FakeRequest, FakeResponse


class DisplayRoutes:
    """Display API routes (registered by TikTokFake)."""

    server: Any
    clock: Any
    creators: dict[str, Any]
    publishes: dict[str, Any]
    _publish_cls: Any
    _ok: Any
    _err: Any
    _auth: Any
    posts: Any
    born: datetime
    counts: dict[str, int]
    counts_per_hour: dict[str, int]

    def add_video(self, open_id: str, caption: str, *, at: datetime | None = None) -> str:
        """A public post already on the account; its post id."""
        with self.server.lock:
            made = at or self.clock.now()
            publish_id = "v_pub_file~v2-1." + secrets.token_hex(8)
            post_id = str(7_300_000_000_000_000_000 + secrets.randbelow(10**12))
            self.publishes[publish_id] = self._publish_cls(
                publish_id,
                open_id,
                False,
                1,
                1,
                1,
                {"title": caption, "privacy_level": "PUBLIC_TO_EVERYONE"},
                secrets.token_hex(8),
                received=1,
                completed_at=made,
                post_id=post_id,
            )
            return post_id

    def remove_video(self, post_id: str) -> None:
        with self.server.lock:
            for key, pub in list(self.publishes.items()):
                if pub.post_id == post_id:
                    del self.publishes[key]

    def _video_list(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        body = req.json() or {}
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            count = int(body.get("max_count") or 20)
            if not 1 <= count <= 20:
                return self._err(400, "invalid_params", "max_count must be 1 to 20.")
            posts = sorted(
                (p for p in self.posts(auth[1]) if p.post_id),
                key=lambda p: (p.completed_at, p.post_id),
                reverse=True,
            )
            below = body.get("cursor")
            if below is not None:
                posts = [p for p in posts if _ms(p.completed_at) < int(below)]
            page = posts[:count]
            more = len(posts) > count
            cursor = _ms(page[-1].completed_at) if page else 0
        return self._ok(
            {"videos": [self._video(p) for p in page], "cursor": cursor, "has_more": more}
        )

    def _video_query(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        body = req.json() or {}
        wanted = {str(v) for v in (body.get("filters") or {}).get("video_ids") or []}
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            videos = [self._video(p) for p in self.posts(auth[1]) if p.post_id in wanted]
        return self._ok({"videos": videos, "cursor": 0, "has_more": False})

    def _video(self, pub: Any) -> dict[str, Any]:
        made = pub.completed_at or self.clock.now()
        return {
            "id": pub.post_id,
            "create_time": int(made.timestamp()),
            "title": pub.post_info.get("title", ""),
            "video_description": pub.post_info.get("title", ""),
            "share_url": f"https://www.tiktok.com/@x/video/{pub.post_id}",
            "duration": 12,
            **grown_all(self.counts, self.counts_per_hour, made, self.clock.now()),
        }

    def _user_info(self, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
        with self.server.lock:
            auth = self._auth(req)
            if isinstance(auth, FakeResponse):
                return auth
            c = self.creators[auth[1]]
        return self._ok(
            {
                "user": {
                    "open_id": c.open_id,
                    "display_name": c.username,
                    "follower_count": grown(
                        c.followers, c.followers_per_hour, self.born, self.clock.now()
                    ),
                }
            }
        )


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
