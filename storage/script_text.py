"""A short-video script as text: sections, shot lines and spoken length.

A script is plain, diffable Markdown-like text:

    ## Hook
    Stop scrolling: three knife tricks.
    ## Body
    INT. KITCHEN - DAY
    HOST
    (leans in)
    First, the claw grip.
    ## CTA
    Follow for part two.
    ## On-screen text
    3 KNIFE TRICKS
    ## Caption
    Knife skills in 30 s #cooking
    ## Shots
    !! 1. Close-up of the knife — CU @ kitchen

Only what is spoken counts toward the estimate: the hook, body and CTA
text and dialogue, not scene headings, character cues, parentheticals,
`[bracketed]` or `!forced` directions, `[[notes]]`, transitions or shot lines.
Space-separated words are read at a words-per-minute rate and CJK characters
at a characters-per-minute rate; mixed text is counted by both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from storage.speech_rates import DEFAULT_CPM, DEFAULT_WPM

SPOKEN_SECTIONS = ("hook", "body", "cta")
SECTION_TITLES = {
    "hook": "Hook",
    "body": "Body",
    "cta": "CTA",
    "on_screen": "On-screen text",
    "caption": "Caption",
    "shots": "Shots",
}
_TITLE_TO_KEY = {title.lower(): key for key, title in SECTION_TITLES.items()}
_TITLE_TO_KEY.update({"call to action": "cta", "on-screen": "on_screen", "shot list": "shots"})

HOOK_GOAL_SECONDS = 3.0

_SECTION = re.compile(r"^##\s+(.+?)\s*$")
_SCENE = re.compile(r"^(\.(?!\.)\S|(INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[. ])", re.IGNORECASE)
_TRANSITION = re.compile(r"^[A-Z ]+TO:$|^>")
_SHOT = re.compile(r"^!!\s*(?:(\d+)[.)]\s*)?(.*)$")
_CUE = re.compile(r"^@?[A-Z0-9][A-Z0-9 ._'\-]*(\s*\(.*\))?\s*\^?$")
_NOTE = re.compile(r"\[\[.*?\]\]")
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)


def is_cjk(char: str) -> bool:
    """Han, kana, hangul and CJK punctuation-free letters count as one syllable each."""
    if not char:
        return False
    code = ord(char)
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
        or 0x3040 <= code <= 0x30FF
        or 0xAC00 <= code <= 0xD7AF
        or 0x31F0 <= code <= 0x31FF
    ):
        return unicodedata.category(char).startswith("L")
    return False


@dataclass(frozen=True)
class Shot:
    """A shot line of the script: `!! 3. description — framing @ location`."""

    number: int
    description: str
    framing: str = ""
    location: str = ""

    def line(self) -> str:
        """The shot as a script line."""
        text = f"!! {self.number}. {self.description}"
        if self.framing:
            text += f" — {self.framing}"
        if self.location:
            text += f" @ {self.location}"
        return text


@dataclass
class ScriptDoc:
    """A script split into its sections (keys of SECTION_TITLES, plus others)."""

    sections: dict[str, str] = field(default_factory=dict)
    extra_titles: dict[str, str] = field(default_factory=dict)

    def text(self, key: str) -> str:
        """One section's text ('' when absent)."""
        return self.sections.get(key, "")

    def shots(self) -> list[Shot]:
        """Shot lines from every section, numbered in order of appearance."""
        found: list[Shot] = []
        for body in self.sections.values():
            for raw in body.splitlines():
                shot = parse_shot(raw.strip(), len(found) + 1)
                if shot is not None:
                    found.append(shot)
        return found


def parse_shot(line: str, default_number: int) -> Shot | None:
    """A `!!` line as a Shot, or None for any other line."""
    match = _SHOT.match(line)
    if not match:
        return None
    number = int(match.group(1)) if match.group(1) else default_number
    rest = match.group(2).strip()
    location = ""
    if " @ " in rest:
        rest, location = rest.rsplit(" @ ", 1)
    framing = ""
    for dash in (" — ", " -- ", " – "):
        if dash in rest:
            rest, framing = rest.rsplit(dash, 1)
            break
    return Shot(number, rest.strip(), framing.strip(), location.strip())


def _key_for(title: str) -> str:
    return _TITLE_TO_KEY.get(title.strip().lower(), re.sub(r"\W+", "_", title.strip().lower()))


def parse(text: str) -> ScriptDoc:
    """Split script text into sections; text before any heading is the body."""
    doc = ScriptDoc()
    current = "body"
    lines: dict[str, list[str]] = {}
    for raw in text.splitlines():
        head = _SECTION.match(raw)
        if head:
            current = _key_for(head.group(1))
            if current not in SECTION_TITLES:
                doc.extra_titles[current] = head.group(1).strip()
            lines.setdefault(current, [])
            continue
        lines.setdefault(current, []).append(raw)
    for key, body in lines.items():
        doc.sections[key] = "\n".join(body).strip("\n")
    return doc


def render(doc: ScriptDoc) -> str:
    """Section text back into one script, in the canonical order."""
    order = [k for k in SECTION_TITLES if k in doc.sections]
    order += [k for k in doc.sections if k not in SECTION_TITLES]
    parts = []
    for key in order:
        title = SECTION_TITLES.get(key) or doc.extra_titles.get(key, key)
        parts.append(f"## {title}\n{doc.sections[key]}".rstrip())
    return "\n\n".join(parts) + "\n"


def spoken_lines(section_text: str) -> list[str]:
    """The lines of a section that are said aloud."""
    out: list[str] = []
    lines = section_text.splitlines()
    for index, raw in enumerate(lines):
        line = _NOTE.sub("", raw).strip()
        if not line:
            continue
        if line.startswith(("!", "(", "[", "#", "=", "~", "/*")):
            continue  # shots, forced action, parentheticals, directions, sections, synopses
        if _SCENE.match(line) or _TRANSITION.match(line):
            continue
        nxt = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if _CUE.match(line) and any(c.isalpha() for c in line) and nxt:
            continue  # a character cue: the dialogue below it is spoken, not the name
        out.append(line)
    return out


@dataclass(frozen=True)
class Estimate:
    """Spoken length of some text."""

    words: int
    cjk_chars: int
    seconds: float


def estimate_text(text: str, *, wpm: int = DEFAULT_WPM, cpm: int = DEFAULT_CPM) -> Estimate:
    """Seconds to say `text`: words at wpm plus CJK characters at cpm."""
    cjk = sum(1 for ch in text if is_cjk(ch))
    latin_only = "".join(" " if is_cjk(ch) else ch for ch in text)
    words = len(_WORD.findall(latin_only))
    seconds = words * 60.0 / wpm + cjk * 60.0 / cpm
    return Estimate(words, cjk, round(seconds, 1))


def estimate(
    doc: ScriptDoc, *, wpm: int = DEFAULT_WPM, cpm: int = DEFAULT_CPM
) -> dict[str, Estimate]:
    """Per spoken section, and the total under the key 'total'."""
    result: dict[str, Estimate] = {}
    words = cjk = 0
    for key in SPOKEN_SECTIONS:
        spoken = "\n".join(spoken_lines(doc.text(key)))
        est = estimate_text(spoken, wpm=wpm, cpm=cpm)
        result[key] = est
        words += est.words
        cjk += est.cjk_chars
    total = words * 60.0 / wpm + cjk * 60.0 / cpm
    result["total"] = Estimate(words, cjk, round(total, 1))
    return result
