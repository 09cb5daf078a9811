"""TikTok's words and ours: privacy levels, statuses, fail reasons for a person.

Fail reasons are those seen in clients (platform-apis.md §1.6; the official
list is UNCONFIRMED); an unknown one is shown as TikTok wrote it.
"""

from __future__ import annotations

PRIVACY = {
    "public": "PUBLIC_TO_EVERYONE",
    "friends": "MUTUAL_FOLLOW_FRIENDS",
    "private": "SELF_ONLY",
}
FOLLOWERS = "FOLLOWER_OF_CREATOR"
IN_PROGRESS = ("PROCESSING_UPLOAD", "PROCESSING_DOWNLOAD")
TERMINAL = ("PUBLISH_COMPLETE", "SEND_TO_USER_INBOX", "FAILED")

FAIL_REASONS = {
    "file_format_check_failed": "TikTok could not read the file's format (send MP4 H.264/AAC: "
    "the tiktok recipe makes one)",
    "duration_check_failed": "the video is longer than this creator may post",
    "frame_rate_check_failed": "the frame rate is outside 23-60 fps",
    "picture_size_check_failed": "the picture size is outside 360-4096 px per side",
    "spam_risk": "TikTok held the post back as possible spam",
    "spam_risk_text": "TikTok held the caption back as possible spam; change the caption",
    "spam_risk_too_many_posts": "the creator reached TikTok's daily post limit; try tomorrow",
    "spam_risk_too_many_pending_share": "too many uploads wait in the creator's inbox; "
    "finish or delete some in the app",
    "spam_risk_user_banned_from_posting": "TikTok has banned this account from posting",
    "reached_active_user_cap": "the app reached TikTok's daily cap of active users",
    "unaudited_client_can_only_post_to_private_accounts": "the app is not audited by TikTok: "
    "it may post only to private accounts",
    "privacy_level_option_mismatch": "the privacy asked for is not one this creator allows",
    "app_version_check_failed": "the creator's TikTok app is too old; update it",
    "auth_removed": "the creator removed the app's access; log in again",
    "publish_cancelled": "the post was cancelled in TikTok",
    "internal": "TikTok failed on its side; retry later",
}


def privacy_level(privacy: str, options: list[str]) -> str:
    """TikTok's privacy_level for ours, or ValueError saying what the creator allows."""
    wanted = PRIVACY.get(privacy)
    if wanted is None:
        raise ValueError(f"TikTok has no {privacy!r} privacy; use public, friends or private")
    if wanted not in options:
        allowed = ", ".join(options) or "none"
        raise ValueError(
            f"this creator may not post {privacy} ({wanted}) on TikTok; allowed now: {allowed}"
            + (" (an unaudited app may post only privately)" if options == ["SELF_ONLY"] else "")
        )
    return wanted


def fail_reason(code: str | None) -> str:
    """A fail reason in words (the code kept in brackets)."""
    if not code:
        return "TikTok gave no reason"
    return f"{FAIL_REASONS.get(code, 'TikTok refused it')} ({code})"
