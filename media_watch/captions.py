"""Caption and title checks per platform, counted in each platform's own units.

- TikTok: the caption (`post_info.title`) is at most 2200 UTF-16 code units
  (platform-apis.md §1.4; UNCONFIRMED there): a CJK character counts 1, an
  emoji outside the BMP 2, every part of a ZWJ sequence its own units.
- YouTube: a title is required, at most 100 characters, no `<` or `>`; the
  description at most 5000 bytes of UTF-8, no `<` or `>`; more than 60
  hashtags and YouTube ignores them all (the video resource reference and
  YouTube Help on hashtags; not in our notes: UNCONFIRMED).
- Instagram: at most 2200 characters, 30 hashtags and 20 @-mentions
  (Meta's IG media reference; UNCONFIRMED in our notes).
- Kuaishou: no published limits; 500 characters is our conservative bound
  (UNCONFIRMED).
Hashtags are `#word` and mentions `@name` anywhere in the text, in any script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HASHTAG = re.compile(r"(?<![\w/#])#([^\s#@,.!?;:，。！？、]+)")
MENTION = re.compile(r"(?<![\w/@])@([\w.]+)")


def utf16_units(text: str) -> int:
    """Length in UTF-16 code units (what TikTok counts)."""
    return len(text.encode("utf-16-le")) // 2


def hashtags(text: str) -> list[str]:
    """The #hashtags of a text, in order, with their #."""
    return ["#" + tag for tag in HASHTAG.findall(text)]


def mentions(text: str) -> list[str]:
    """The @mentions of a text, in order, with their @."""
    return ["@" + name for name in MENTION.findall(text)]


@dataclass(frozen=True)
class CaptionRules:
    """One platform's caption limits (None: no limit known)."""

    label: str
    max_length: int | None
    unit: str  # "utf16" | "chars" | "utf8"
    max_hashtags: int | None = None
    max_mentions: int | None = None
    needs_title: bool = False
    max_title: int | None = None


RULES: dict[str, CaptionRules] = {
    "tiktok": CaptionRules("TikTok", 2200, "utf16"),
    "youtube": CaptionRules(
        "YouTube", 5000, "utf8", max_hashtags=60, needs_title=True, max_title=100
    ),
    "instagram": CaptionRules("Instagram", 2200, "chars", max_hashtags=30, max_mentions=20),
    "kuaishou": CaptionRules("Kuaishou", 500, "chars"),
}
UNIT_WORDS = {"utf16": "UTF-16 units", "chars": "characters", "utf8": "bytes"}


def measure(text: str, unit: str) -> int:
    """The length of `text` in a platform's unit."""
    if unit == "utf16":
        return utf16_units(text)
    if unit == "utf8":
        return len(text.encode("utf-8"))
    return len(text)


def caption_problems(platform: str, caption: str, title: str = "") -> list[str]:
    """Every problem of a caption (and title) for `platform`, in words; [] when it passes."""
    rules = RULES.get(platform)
    if rules is None:
        return [f"no caption rules for {platform!r}"]
    problems: list[str] = []
    length = measure(caption, rules.unit)
    if rules.max_length is not None and length > rules.max_length:
        problems.append(
            f"caption is {length} {UNIT_WORDS[rules.unit]}; {rules.label} allows "
            f"{rules.max_length} (shorten it by {length - rules.max_length})"
        )
    tags = hashtags(caption)
    if rules.max_hashtags is not None and len(tags) > rules.max_hashtags:
        problems.append(
            f"caption has {len(tags)} hashtags; {rules.label} allows {rules.max_hashtags}"
        )
    named = mentions(caption)
    if rules.max_mentions is not None and len(named) > rules.max_mentions:
        problems.append(
            f"caption has {len(named)} @-mentions; {rules.label} allows {rules.max_mentions}"
        )
    if rules.needs_title or title:
        heading = (title or caption.split("\n")[0]).strip()
        if rules.needs_title and not heading:
            problems.append(f"{rules.label} needs a title: give --title (or a caption)")
        if rules.max_title is not None and len(heading) > rules.max_title:
            where = (
                "title" if title else "title (the caption's first line, as no --title was given)"
            )
            problems.append(
                f"{where} is {len(heading)} characters; {rules.label} allows {rules.max_title}"
            )
        if platform == "youtube" and (
            "<" in heading or ">" in heading or "<" in caption or ">" in caption
        ):
            problems.append("YouTube refuses < and > in titles and descriptions; remove them")
    return problems
