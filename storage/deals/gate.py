"""The disclosure gate: what a publication still lacks before it may go out.

A publication of a post that belongs to a deliverable (of a deal that is not
lost) must meet that deliverable's requirements before it is queued or sent:

- disclosure `hashtag`: the caption (or title) carries the deal's wording —
  every word of it: "#ad", "#sponsored #werbung", "广告";
- disclosure `flag`: the platform's own paid-partnership setting is on
  (`publish add --branded-content`);
- disclosure `label`: the post's script has an on-screen label (its
  "On-screen text" section carries the wording, without its `#`);
- every required hashtag, mention and link is in the caption or title;
- the publication is public;
- when the deliverable asks for the brand's approval, it was approved
  (approved, or already live).

`DisclosureGate(store).check(subject)` answers for a publication that is
not stored yet (`publish add`, the Publish tab's form as it is being
filled); `.for_publication(id)` for a stored one (the worker, just before it
sends; the Deals tab). Both return a `GateVerdict`: the problems in words a
person acts on ("caption lacks #ad; TikTok branded content toggle is off;
required mention @brand missing"), the deliverables and deals that asked for
them, and the override reason when a person let it through
(`--override-disclosure "reason"`, stored on the publication and logged on
the deal). `requirement_problems` is the same check without the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.db import Store
from storage.deals.models import Deliverable, DisclosureOverride
from storage.script_text import parse as parse_script
from storage.vocab import DeliverableState, DisclosureMethod

# The platform's own disclosure setting, as a person knows it.
FLAG_NAMES: dict[str, str] = {
    "tiktok": "TikTok branded content toggle",
    "youtube": "YouTube paid promotion setting",
    "instagram": "Instagram paid partnership label",
    "kuaishou": "Kuaishou commercial disclosure",
}
APPROVED = (DeliverableState.APPROVED, DeliverableState.LIVE)


@dataclass(frozen=True)
class GateSubject:
    """What the gate looks at: one publication of a post, stored or not yet."""

    post_id: int
    platform: str
    caption: str
    title: str = ""
    branded_content: bool = False
    privacy: str = "public"
    publication_id: int | None = None
    override: str | None = None  # a stored publication's override reason


@dataclass(frozen=True)
class Requirement:
    """One deliverable's requirements, with what the gate needs of its deal."""

    deliverable: Deliverable
    deal_id: int
    deal_title: str
    partner: str
    wording: str  # the deal's disclosure words


@dataclass(frozen=True)
class GateVerdict:
    """The gate's answer for one publication."""

    subject: GateSubject
    problems: tuple[str, ...]
    deliverable_ids: tuple[int, ...]  # empty: the post fulfils no deal, the gate is open
    deal_ids: tuple[int, ...]
    override: str | None = None

    @property
    def applies(self) -> bool:
        """Whether the post belongs to a deliverable at all."""
        return bool(self.deliverable_ids)

    @property
    def ok(self) -> bool:
        """Nothing is missing."""
        return not self.problems

    @property
    def blocked(self) -> bool:
        """Something is missing and nobody overrode the gate."""
        return bool(self.problems) and not self.override

    @property
    def text(self) -> str:
        """The problems in one line: "caption lacks #ad; … missing"."""
        return "; ".join(self.problems)

    def overridden(self, reason: str) -> DisclosureOverride:
        """The override a person gives for these problems."""
        return DisclosureOverride(reason.strip(), self.problems, self.deal_ids)


def _has_tag(text: str, tag: str) -> bool:
    """`#ad` / `@brand` as a whole tag (not `#adventure`, not `@brandx`), any case."""
    return re.search(rf"(?<![\w#@]){re.escape(tag)}(?![\w])", text, re.I) is not None


def _has_word(text: str, word: str) -> bool:
    """A wording without # or @: a whole word for Latin text, a substring for CJK."""
    if re.fullmatch(r"[\w\s.-]+", word, re.A):
        return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.I) is not None
    return word.casefold() in text.casefold()


def _has(text: str, token: str) -> bool:
    return _has_tag(text, token) if token[:1] in "#@" else _has_word(text, token)


def requirement_problems(req: Requirement, subject: GateSubject, on_screen: str) -> list[str]:
    """What `subject` lacks for one deliverable (in a fixed order), without the database."""
    item = req.deliverable
    text = f"{subject.caption}\n{subject.title}"
    problems: list[str] = []
    methods = set(item.disclosure)
    if DisclosureMethod.HASHTAG in methods:
        for token in req.wording.split():
            if not _has(text, token):
                problems.append(f"caption lacks {token}")
    if DisclosureMethod.FLAG in methods and not subject.branded_content:
        name = FLAG_NAMES.get(subject.platform, f"{subject.platform} branded content setting")
        problems.append(f"{name} is off")
    if DisclosureMethod.LABEL in methods:
        words = [t.lstrip("#") for t in req.wording.split() if not t.startswith("@")]
        if words and not any(_has_word(on_screen, w) for w in words if w):
            problems.append(
                f"on-screen label missing (the script's on-screen text has no {words[0]})"
            )
    for tag in item.hashtags:
        if not _has_tag(text, tag):
            problems.append(f"required hashtag {tag} missing")
    for mention in item.mentions:
        if not _has_tag(text, mention):
            problems.append(f"required mention {mention} missing")
    for link in item.links:
        if link.rstrip("/").casefold() not in text.casefold():
            problems.append(f"required link {link} missing")
    if subject.privacy != "public":
        problems.append(f"privacy is {subject.privacy}: a paid post must be public")
    if item.approval and item.state not in APPROVED:
        problems.append(
            f"brand approval missing (deliverable {item.id} is {DeliverableState(item.state).label})"
        )
    return problems


class DisclosureGate:
    """The gate, read from the workspace (see the module docstring)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def requirements(self, post_id: int) -> list[Requirement]:
        """The deliverables (of deals not lost) this post belongs to, by due time."""
        conn = self.store.conn
        rows = conn.execute(
            "SELECT deliverables.*, deals.title AS deal_title, deals.disclosure AS wording, "
            "partners.name AS partner FROM deliverable_posts "
            "JOIN deliverables ON deliverables.id = deliverable_posts.deliverable_id "
            "JOIN deals ON deals.id = deliverables.deal_id "
            "JOIN partners ON partners.id = deals.partner_id "
            "WHERE deliverable_posts.post_id = ? AND deals.status != 'lost' "
            "ORDER BY deliverables.due_at, deliverables.id",
            (post_id,),
        ).fetchall()
        return [
            Requirement(
                Deliverable.from_row(r, (post_id,)),
                r["deal_id"],
                r["deal_title"],
                r["partner"],
                r["wording"],
            )
            for r in rows
        ]

    def _on_screen(self, post_id: int) -> str:
        row = self.store.conn.execute(
            "SELECT body FROM scripts WHERE post_id = ?", (post_id,)
        ).fetchone()
        return parse_script(row["body"]).text("on_screen") if row else ""

    def check(self, subject: GateSubject) -> GateVerdict:
        """The verdict for a publication as it is (stored or not)."""
        reqs = self.requirements(subject.post_id)
        if not reqs:
            return GateVerdict(subject, (), (), (), subject.override)
        on_screen = (
            self._on_screen(subject.post_id)
            if any(DisclosureMethod.LABEL in r.deliverable.disclosure for r in reqs)
            else ""
        )
        problems: list[str] = []
        for req in reqs:
            for problem in requirement_problems(req, subject, on_screen):
                if problem not in problems:
                    problems.append(problem)
        return GateVerdict(
            subject,
            tuple(problems),
            tuple(r.deliverable.id for r in reqs),
            tuple(dict.fromkeys(r.deal_id for r in reqs)),
            subject.override,
        )

    def subject_of(self, publication_id: int) -> GateSubject | None:
        """A stored publication as the gate sees it (None when it is gone)."""
        row = self.store.conn.execute(
            "SELECT publications.post_id, accounts.platform, publications.caption, "
            "publications.title, publications.branded_content, publications.privacy, "
            "publications.disclosure_override FROM publications JOIN accounts "
            "ON accounts.id = publications.account_id WHERE publications.id = ?",
            (publication_id,),
        ).fetchone()
        if row is None:
            return None
        return GateSubject(
            post_id=row["post_id"],
            platform=row["platform"],
            caption=row["caption"],
            title=row["title"],
            branded_content=bool(row["branded_content"]),
            privacy=row["privacy"],
            publication_id=publication_id,
            override=row["disclosure_override"],
        )

    def for_publication(self, publication_id: int) -> GateVerdict | None:
        """The verdict for a stored publication as it is now (None when it is gone)."""
        subject = self.subject_of(publication_id)
        return None if subject is None else self.check(subject)

    def for_publications(self, publication_ids: list[int]) -> dict[int, GateVerdict]:
        """Verdicts of several stored publications (the Deals and Publish tabs' rows)."""
        out: dict[int, GateVerdict] = {}
        for pub_id in publication_ids:
            verdict = self.for_publication(pub_id)
            if verdict is not None:
                out[pub_id] = verdict
        return out
