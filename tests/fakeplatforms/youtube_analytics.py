"""The fake YouTube Analytics API: `GET /youtube-analytics/v2/reports` (platform-apis.md §2.6).

Strict as far as the notes go: the same Bearer tokens as the Data API (401
otherwise), `ids=channel==MINE`, `startDate` ≤ `endDate` as YYYY-MM-DD,
`metrics` from the known set, `dimensions=video` with `filters=video==ID,…`
(a 400 `badRequest` otherwise). It answers `columnHeaders` (video first,
then the metrics asked, in that order) and `rows`, one per video of the
token's channel that is at least `analytics_lag_s` old: lifetime numbers
that grow with the fake clock like the Data API statistics. With
`analytics_allowed = False` every call is 403 `forbidden` (a login without
yt-analytics.readonly). Its quota is not the Data API's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from fakeplatforms.growth import grown
from fakeplatforms.server import FakeRequest, FakeResponse, json_response

if TYPE_CHECKING:
    from fakeplatforms.youtube import YouTubeFake

KNOWN = {
    "views": "INTEGER",
    "estimatedMinutesWatched": "INTEGER",
    "averageViewDuration": "INTEGER",
    "averageViewPercentage": "FLOAT",
    "subscribersGained": "INTEGER",
    "subscribersLost": "INTEGER",
    "likes": "INTEGER",
}
PREFIX = "/youtube-analytics"


def add_routes(fake: YouTubeFake) -> None:
    """Register the reports route on the fake's server."""
    fake.server.route("GET", rf"{PREFIX}/v2/reports", lambda r, m: _reports(fake, r, m))


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return None


def _reports(fake: YouTubeFake, req: FakeRequest, _m: re.Match[str]) -> FakeResponse:
    q = req.query
    with fake.server.lock:
        auth = fake._auth(req)
        if isinstance(auth, FakeResponse):
            return auth
        if not fake.analytics_allowed:
            return fake._error(403, "forbidden", "Forbidden")
        start, end = _day(q.get("startDate")), _day(q.get("endDate"))
        metrics = [m for m in (q.get("metrics") or "").split(",") if m]
        filt = q.get("filters") or ""
        if (
            q.get("ids") != "channel==MINE"
            or start is None
            or end is None
            or start > end
            or not metrics
            or any(m not in KNOWN for m in metrics)
            or q.get("dimensions") != "video"
            or not filt.startswith("video==")
        ):
            return fake._error(400, "badRequest", "Invalid query.")
        wanted = set(filt[len("video==") :].split(","))
        now = fake.clock.now()
        rows = []
        for video in fake.video_list:
            if video.channel_id != fake.channels[auth].channel_id or video.video_id not in wanted:
                continue
            if now - video.published_at < timedelta(seconds=fake.analytics_lag_s):
                continue
            views = grown(
                fake.stats["viewCount"], fake.stats_per_hour["viewCount"], video.published_at, now
            )
            values: dict[str, Any] = {
                "views": views,
                "estimatedMinutesWatched": int(views * 0.3),
                "averageViewDuration": 18,
                "averageViewPercentage": 72.5,
                "subscribersGained": views // 250,
                "subscribersLost": views // 5000,
                "likes": views // 12,
            }
            rows.append([video.video_id, *(values[m] for m in metrics)])
    headers = [{"name": "video", "columnType": "DIMENSION", "dataType": "STRING"}] + [
        {"name": m, "columnType": "METRIC", "dataType": KNOWN[m]} for m in metrics
    ]
    return json_response(
        200, {"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": rows}
    )
