"""Labels on arrival: the triage rules of config.toml ([[label_rules]]), or the built-in ones.

A rule names a label and conditions that must all hold: any of its
`keywords` (case-insensitive, whole words for Latin text, substrings for
CJK), a question mark (`question`), a link (`links`), the language
(`languages`, told by writing system, and for Latin text by common words),
or a sender who already has that label on the account (`sender`). Several
rules may give the same label. `Labeler(rules)` is what the sync calls for
each new item: `(body, author, the sender's labels) -> labels`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from app.config.settings import LabelRule
from storage.vocab import InboxLabel, values

LABELS = values(InboxLabel)
_LINK = re.compile(
    r"(https?://|www\.)\S+|\b[\w-]+\.(com|net|org|io|ly|me|co|xyz|shop|link|app|cn)(/\S*)?\b",
    re.I,
)
_QUESTION = ("?", "？", "¿", "؟")
# A handful of very common words per Latin-script language (enough to tell a comment).
_COMMON = {
    "en": {"the", "is", "and", "you", "this", "what", "how", "where", "i", "it", "to", "my"},
    "es": {"el", "la", "que", "es", "y", "de", "por", "con", "muy", "receta", "cómo", "qué"},
    "pt": {"o", "a", "que", "é", "e", "de", "não", "com", "muito", "você", "receita", "como"},
    "fr": {"le", "la", "les", "est", "et", "de", "que", "c'est", "très", "vous", "je", "pas"},
    "de": {"der", "die", "das", "ist", "und", "ich", "nicht", "mit", "sehr", "wie", "zu", "auch"},
}
_WORD = re.compile(r"[\w'’]+", re.UNICODE)

DEFAULT_RULES: tuple[LabelRule, ...] = (
    LabelRule("question", question=True),
    LabelRule(
        "question",
        keywords=(
            "how long",
            "how much",
            "where can i",
            "what pan",
            "recipe pls",
            "怎么做",
            "哪里买",
            "多少钱",
            "什么牌子",
        ),
    ),  # fmt: skip
    LabelRule(
        "praise",
        keywords=(
            "love",
            "amazing",
            "awesome",
            "delicious",
            "best",
            "yum",
            "so good",
            "great",
            "🔥",
            "❤️",
            "😍",
            "太棒",
            "好吃",
            "喜欢",
            "厉害",
            "绝了",
            "最高",
            "おいしい",
        ),
    ),  # fmt: skip
    LabelRule(
        "complaint",
        keywords=(
            "disappointed",
            "terrible",
            "awful",
            "worst",
            "broken",
            "didn't work",
            "doesn't work",
            "refund",
            "too salty",
            "burnt",
            "失望",
            "难吃",
            "差评",
            "退款",
        ),
    ),  # fmt: skip
    LabelRule(
        "lead",
        keywords=(
            "collab",
            "collaboration",
            "partnership",
            "partner",
            "sponsor",
            "sponsorship",
            "brand deal",
            "business inquiry",
            "work with you",
            "合作",
            "推广",
            "商务",
        ),
    ),  # fmt: skip
    LabelRule("lead", sender=True),
    LabelRule("spam", links=True),
    LabelRule(
        "spam",
        keywords=(
            "free followers",
            "check my profile",
            "dm me",
            "crypto",
            "giveaway winner",
            "加微信",
            "加我",
            "兼职",
        ),
    ),  # fmt: skip
    LabelRule("spam", sender=True),
)


def _is_cjk(char: str) -> bool:
    return (
        "\u3000" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\uf900" <= char <= "\ufaff"
    )


def detect_language(text: str) -> str | None:
    """The language of a comment by its writing system (and common words for Latin script)."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if 0x3040 <= code <= 0x30FF:
            script = "ja"
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
            script = "ko"
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
            script = "han"
        elif 0x0600 <= code <= 0x06FF:
            script = "ar"
        elif 0x0590 <= code <= 0x05FF:
            script = "he"
        elif 0x0400 <= code <= 0x04FF:
            script = "ru"
        elif 0x0E00 <= code <= 0x0E7F:
            script = "th"
        elif 0x0900 <= code <= 0x097F:
            script = "hi"
        elif 0x0370 <= code <= 0x03FF:
            script = "el"
        elif unicodedata.name(char, "").startswith("LATIN"):
            script = "latin"
        else:
            continue
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    if counts.get("ja"):
        return "ja"  # kana mark Japanese even among kanji
    script = max(counts, key=lambda k: counts[k])
    if script == "han":
        return "zh"
    if script != "latin":
        return script
    words = {w.lower() for w in _WORD.findall(text)}
    scores = {lang: len(words & common) for lang, common in _COMMON.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] else None


class Keywords:
    """A rule's keywords, ready to test: Latin words as whole words, phrases as whole
    word runs, CJK and emoji anywhere in the text (all case-insensitive)."""

    def __init__(self, words: Sequence[str]) -> None:
        single: set[str] = set()
        phrases: list[str] = []
        anywhere: list[str] = []
        for word in words:
            folded = word.casefold().strip()
            if any(_is_cjk(c) for c in folded) or not any(c.isalnum() for c in folded):
                anywhere.append(folded)
            elif _WORD.fullmatch(folded):
                single.add(folded)
            else:
                phrases.append(" " + " ".join(_WORD.findall(folded)) + " ")
        self.single = frozenset(single)
        self.phrases = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        self.anywhere = re.compile("|".join(map(re.escape, anywhere))) if anywhere else None

    def found(self, text: Text) -> bool:
        return (
            not self.single.isdisjoint(text.words)
            or (self.phrases is not None and self.phrases.search(text.joined) is not None)
            or (self.anywhere is not None and self.anywhere.search(text.folded) is not None)
        )


class Text:
    """A comment folded once: its words and their run, for every rule to test."""

    def __init__(self, body: str) -> None:
        self.folded = body.casefold()
        found = _WORD.findall(self.folded)
        self.words = set(found)
        self.joined = " " + " ".join(found) + " "


@lru_cache(maxsize=256)
def _keywords(words: tuple[str, ...]) -> Keywords:
    return Keywords(words)


def matches(rule: LabelRule, body: str, sender_labels: set[str]) -> bool:
    """Whether every condition of `rule` holds for this comment."""
    if rule.keywords and not _keywords(rule.keywords).found(Text(body)):
        return False
    if rule.question is not None and any(q in body for q in _QUESTION) != rule.question:
        return False
    if rule.links is not None and bool(_LINK.search(body)) != rule.links:
        return False
    if rule.languages and detect_language(body) not in rule.languages:
        return False
    if rule.sender is not None and (rule.label in sender_labels) != rule.sender:
        return False
    return True


class Labeler:
    """The labels rules give a new comment (storage.inbox_sync.Labeler); the comment is
    folded and split into words once for every rule."""

    def __init__(self, rules: Sequence[LabelRule] = ()) -> None:
        self.rules = tuple(rules) or DEFAULT_RULES
        self._keywords = [Keywords(r.keywords) if r.keywords else None for r in self.rules]
        self._languages = any(rule.languages for rule in self.rules)

    def __call__(self, body: str, author: str, sender_labels: set[str]) -> list[str]:
        text = Text(body)
        question = any(q in body for q in _QUESTION)
        link: bool | None = None
        language = detect_language(body) if self._languages else None
        found: set[str] = set()
        for rule, keywords in zip(self.rules, self._keywords, strict=True):
            if rule.label in found:
                continue
            if rule.question is not None and question != rule.question:
                continue
            if rule.sender is not None and (rule.label in sender_labels) != rule.sender:
                continue
            if rule.languages and language not in rule.languages:
                continue
            if rule.links is not None:
                if link is None:
                    link = bool(_LINK.search(body))
                if link != rule.links:
                    continue
            if keywords is not None and not keywords.found(text):
                continue
            found.add(rule.label)
        return [label for label in LABELS if label in found]
