"""Typed settings: one frozen dataclass per section of config.toml.

Every field has a default, a one-line description (written as the comment
above the key in a new config.toml) and, for numbers, the range it must be
in. `app/config/reader.py` checks a file against these classes, so a new
section is one dataclass here and one field on `Config`; a new key is one
field. `[platforms.NAME]` holds the hosts each connector talks to: the
defaults are the real hosts, and tests point them at a local fake server.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from storage.pathmap import PathMap, PathRule
from storage.slots import SlotSpec
from storage.speech_rates import DEFAULT_CPM, DEFAULT_WPM


def setting(
    default: Any,
    doc: str,
    *,
    gt: float | None = None,
    ge: float | None = None,
    le: float | None = None,
    empty_ok: bool = False,
) -> Any:
    """A field with its description and, for a number, its bounds (gt/ge below, le above).

    A string setting must not be empty unless `empty_ok` (empty then means "not set").
    """
    return field(
        default=default,
        metadata={"doc": doc, "gt": gt, "ge": ge, "le": le, "empty_ok": empty_ok},
    )


@dataclass(frozen=True)
class WorkspaceSettings:
    """[workspace]"""

    timezone: str = setting("UTC", "IANA time zone for everything shown on screen.")


@dataclass(frozen=True)
class StorageSettings:
    """[storage]"""

    url: str = setting(
        "",
        "Team mode: the PostgreSQL database this workspace lives in, e.g. "
        '"postgresql://reelroom@db.lan/reelroom" (REELROOM_DATABASE_URL overrides it). '
        "Empty: the SQLite file reelroom.db in this folder.",
        empty_ok=True,
    )


@dataclass(frozen=True)
class WatchSettings:
    """[watch]"""

    folders: tuple[str, ...] = setting(
        (), "Folders watched for new footage (reelroom watch / reelroom worker --watch)."
    )
    settle_seconds: float = setting(
        2.0, "Seconds a file's size and mtime must hold still before it is imported.", gt=0, le=3600
    )
    force_polling: bool = setting(
        False, "Poll the folders instead of using inotify (for network shares)."
    )


@dataclass(frozen=True)
class WorkerSettings:
    """[worker]"""

    concurrency: int = setting(
        1, "Jobs (renders, publishes, syncs) run at once by one worker.", ge=1, le=64
    )
    lease_seconds: int = setting(
        60, "Seconds a claimed job stays ours without a heartbeat.", ge=5, le=86400
    )
    max_attempts: int = setting(3, "Attempts before a job is marked dead.", ge=1, le=100)


@dataclass(frozen=True)
class ScriptsSettings:
    """[scripts]"""

    words_per_minute: int = setting(
        DEFAULT_WPM,
        "Spoken-length estimate: words per minute for space-separated languages,",
        ge=30,
        le=600,
    )
    cjk_chars_per_minute: int = setting(
        DEFAULT_CPM,
        "and characters per minute for Chinese, Japanese and Korean text.",
        ge=30,
        le=1200,
    )
    autosave_seconds: int = setting(
        120, "Seconds between autosaves of a changed script in the Scripts tab.", ge=5, le=86400
    )


@dataclass(frozen=True)
class PublishSettings:
    """[publish]"""

    spacing_minutes: int = setting(
        30, "Minutes at least between two publications going out on one account.", ge=0, le=1440
    )
    daily_cap: int = setting(
        10, "Publications at most per account in any 24 hours (TikTok allows ~15).", ge=1, le=1000
    )
    poll_seconds: int = setting(
        15,
        "Seconds before asking a platform again about a video it is processing (then longer).",
        ge=1,
        le=3600,
    )
    processing_timeout_hours: int = setting(
        48,
        "Hours a platform may process a video before the publication is marked failed.",
        ge=1,
        le=720,
    )
    youtube_daily_units: int = setting(
        10000,
        "YouTube Data API units per Pacific day (the OAuth project's quota).",
        ge=1,
        le=100_000_000,
    )
    youtube_insert_own_bucket: bool = setting(
        True, "videos.insert has its own daily bucket of calls (the current quota rules)."
    )
    youtube_insert_daily_calls: int = setting(
        100,
        "Calls per day in that bucket (when youtube_insert_own_bucket = true).",
        ge=1,
        le=100_000,
    )
    youtube_insert_units: int = setting(
        1600, "Units one videos.insert costs otherwise (the older rules).", ge=1, le=100_000
    )


@dataclass(frozen=True)
class MetricsSettings:
    """[metrics]"""

    hourly_hours: int = setting(
        48, "A publication's numbers are fetched every hour for its first hours,", ge=1, le=720
    )
    daily_days: int = setting(30, "then every day up to this many days old,", ge=1, le=3650)
    stop_days: int = setting(
        365, "then every week, until this many days old (0: for ever).", ge=0, le=36500
    )
    followers_hours: int = setting(
        6, "Hours between two reads of an account's follower count.", ge=1, le=720
    )
    best_time_min_posts: int = setting(
        3,
        "Best time to post: fewer publications than this in a slot is not enough data.",
        ge=1,
        le=1000,
    )


@dataclass(frozen=True)
class DealsSettings:
    """[deals]"""

    locale: str = setting(
        "en_US", "Locale money is shown in (a Babel locale name: en_US, de_DE, zh_CN, ja_JP)."
    )
    script_lead_days: float = setting(
        5.0, "Days before a deliverable is due by which its post must have a script,", ge=0, le=365
    )
    footage_lead_days: float = setting(
        3.0, "footage (a clip linked to the post or one of its shots),", ge=0, le=365
    )
    render_lead_days: float = setting(
        1.0, "and a finished render; a deliverable without them is flagged.", ge=0, le=365
    )
    report_checkpoints_hours: tuple[int, ...] = setting(
        (24, 48, 168, 720),
        "Hours after a deliverable goes live at which its sponsor report is assembled and kept.",
        ge=1,
        le=24 * 366,
    )


@dataclass(frozen=True)
class InboxSettings:
    """[inbox]"""

    auto_sync: bool = setting(
        True, "The worker syncs comments and the accounts' own videos on the schedule below."
    )
    young_hours: int = setting(
        48, "Videos younger than this many hours have their comments synced", ge=1, le=8760
    )
    young_minutes: int = setting(5, "every this many minutes;", ge=1, le=1440)
    settled_days: int = setting(14, "then, until this many days old,", ge=1, le=3650)
    settled_minutes: int = setting(60, "every this many minutes;", ge=1, le=10080)
    old_minutes: int = setting(1440, "older ones every this many minutes.", ge=1, le=43200)
    full_sweep_hours: int = setting(
        24,
        "A video's comments are all read again this often (edits and deletions show then).",
        ge=1,
        le=8760,
    )
    videos_hours: int = setting(
        24,
        "The accounts' own videos are listed again this often (new ones imported).",
        ge=1,
        le=8760,
    )
    max_pages: int = setting(
        200, "Pages of comments one sync of one video reads at most (the rest: next time).", ge=1,
        le=100_000,
    )  # fmt: skip
    link: str = setting(
        "", "What {link} stands for in saved replies (e.g. your link-in-bio page).", empty_ok=True
    )
    youtube_reply_gap_seconds: int = setting(
        5, "Seconds at least between two replies of one YouTube channel,", ge=0, le=86400
    )
    instagram_reply_gap_seconds: int = setting(10, "of one Instagram account,", ge=0, le=86400)
    tiktok_reply_gap_seconds: int = setting(10, "of one TikTok account.", ge=0, le=86400)
    youtube_reply_window_hours: int = setting(
        0,
        "Hours after a comment during which the platform takes a reply (0: no window is known;",
        ge=0,
        le=87600,
    )
    instagram_reply_window_hours: int = setting(
        0, "Instagram's 7 days are for private replies (DMs), not for public ones),", ge=0,
        le=87600,
    )  # fmt: skip
    tiktok_reply_window_hours: int = setting(0, "shown as a countdown.", ge=0, le=87600)

    def reply_gap_seconds(self, platform: str) -> int:
        """The pause between two replies of one account on `platform`."""
        return int(getattr(self, f"{platform}_reply_gap_seconds", 0))

    def reply_window_hours(self, platform: str) -> int:
        """Hours a comment on `platform` takes replies (0: no known window)."""
        return int(getattr(self, f"{platform}_reply_window_hours", 0))


@dataclass(frozen=True)
class LabelRule:
    """A triage rule ([[label_rules]]): `label` applies when every condition given holds.

    keywords: any of these words (case-insensitive; CJK by substring);
    question: a question mark (or none, with false); links: a link (or none);
    languages: the text is in one of these (by writing system: zh, ja, ko,
    ar, he, ru, th, hi, el; en, es, pt, fr, de by common words); sender: the
    author already has this label on an earlier item of the account.
    """

    label: str
    keywords: tuple[str, ...] = ()
    question: bool | None = None
    links: bool | None = None
    languages: tuple[str, ...] = ()
    sender: bool | None = None


@dataclass(frozen=True)
class TikTokEndpoints:
    """[platforms.tiktok]"""

    api_base: str = setting("https://open.tiktokapis.com", "Content Posting and Display API.")
    business_api_base: str = setting(
        "https://business-api.tiktok.com", "API for Business (comments of business accounts)."
    )


@dataclass(frozen=True)
class YouTubeEndpoints:
    """[platforms.youtube]"""

    api_base: str = setting("https://www.googleapis.com", "Data API v3 and resumable uploads.")
    analytics_base: str = setting(
        "https://youtubeanalytics.googleapis.com", "YouTube Analytics API."
    )
    token_url: str = setting("https://oauth2.googleapis.com/token", "Google OAuth token endpoint.")


@dataclass(frozen=True)
class InstagramEndpoints:
    """[platforms.instagram]"""

    api_base: str = setting("https://graph.instagram.com", "Instagram Graph API (Instagram Login).")


@dataclass(frozen=True)
class KuaishouEndpoints:
    """[platforms.kuaishou]"""

    api_base: str = setting("https://open.kuaishou.com", "Kuaishou open platform.")


@dataclass(frozen=True)
class PlatformsSettings:
    """[platforms.*]: the hosts of each platform (upload URLs they hand out are used as given)."""

    tiktok: TikTokEndpoints = field(default_factory=TikTokEndpoints)
    youtube: YouTubeEndpoints = field(default_factory=YouTubeEndpoints)
    instagram: InstagramEndpoints = field(default_factory=InstagramEndpoints)
    kuaishou: KuaishouEndpoints = field(default_factory=KuaishouEndpoints)


@dataclass(frozen=True)
class AccountConfig:
    """A platform account declared in config.toml ([[accounts]])."""

    platform: str
    handle: str
    base_url: str | None = None


@dataclass(frozen=True)
class PathMapping:
    """A per-host path rule declared in config.toml ([[paths]]): canonical `from` is `to` there."""

    host: str
    from_: str
    to: str


@dataclass(frozen=True)
class Config:
    """Every setting of one workspace, each with a default."""

    workspace: WorkspaceSettings = field(default_factory=WorkspaceSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    watch: WatchSettings = field(default_factory=WatchSettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    scripts: ScriptsSettings = field(default_factory=ScriptsSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    deals: DealsSettings = field(default_factory=DealsSettings)
    platforms: PlatformsSettings = field(default_factory=PlatformsSettings)
    inbox: InboxSettings = field(default_factory=InboxSettings)
    accounts: tuple[AccountConfig, ...] = ()
    slots: tuple[SlotSpec, ...] = ()
    label_rules: tuple[LabelRule, ...] = ()  # empty: the built-in rules (app/inbox/rules.py)
    paths: tuple[PathMapping, ...] = ()

    def path_map(self, host: str | None = None) -> PathMap:
        """The [[paths]] rules of this machine (or of `host`)."""
        rules = [PathRule(p.host, p.from_, p.to) for p in self.paths]
        return PathMap(host if host is not None else socket.gethostname(), rules)

    @property
    def zone(self) -> ZoneInfo:
        """The workspace's time zone, for everything shown on screen."""
        return ZoneInfo(self.workspace.timezone)


# The sections of config.toml read as plain tables, in the order a new file lists them.
SECTIONS: dict[str, type] = {
    "workspace": WorkspaceSettings,
    "storage": StorageSettings,
    "watch": WatchSettings,
    "worker": WorkerSettings,
    "scripts": ScriptsSettings,
    "publish": PublishSettings,
    "metrics": MetricsSettings,
    "inbox": InboxSettings,
    "deals": DealsSettings,
}
# [platforms.NAME] tables.
PLATFORM_SECTIONS: dict[str, type] = {
    "tiktok": TikTokEndpoints,
    "youtube": YouTubeEndpoints,
    "instagram": InstagramEndpoints,
    "kuaishou": KuaishouEndpoints,
}
