"""The disclosure gate (storage/deals/gate.py): the exact missing items, from the function,
from `reelroom publish add` and from the worker just before it sends; the override is
deliberate, logged on the publication and the deal, and lets the publication through."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakeplatforms import FakePlatforms
from publishing import add_account, make_clip, publishing_home, reelroom_run

from storage import Store
from storage.deals.gate import DisclosureGate, GateSubject, Requirement, requirement_problems
from storage.deals.models import Deliverable
from storage.deals.repo import DealRepo, NewDeal, NewDeliverable
from storage.publications import PublicationRepo
from storage.scripts import ScriptRepo

DUE = datetime(2030, 1, 10, 17, 0, tzinfo=UTC)


def item(**kw: object) -> Deliverable:
    base: dict[str, object] = dict(
        id=7, deal_id=1, description="Reel", due_at=DUE, state="to_do", platforms=("tiktok",),
        hashtags=(), mentions=(), links=(), disclosure=("hashtag",), approval=False, live_at=None,
    )  # fmt: skip
    base.update(kw)
    return Deliverable(**base)  # type: ignore[arg-type]


def problems(
    deliverable: Deliverable, caption: str, wording: str = "#ad", **kw: object
) -> list[str]:
    req = Requirement(deliverable, 1, "Deal", "Brand", wording)
    subject = GateSubject(
        post_id=1, platform=str(kw.pop("platform", "tiktok")), caption=caption, **kw
    )  # type: ignore[arg-type]
    return requirement_problems(req, subject, "")


def test_the_issue_example_names_exactly_what_is_missing() -> None:
    need = item(disclosure=("hashtag", "flag"), mentions=("@brand",))
    assert problems(need, "Crispy tofu #tofu") == [
        "caption lacks #ad",
        "TikTok branded content toggle is off",
        "required mention @brand missing",
    ]
    assert problems(need, "Crispy tofu #tofu #ad @brand", branded_content=True) == []


@pytest.mark.parametrize(
    ("caption", "missing"),
    [
        ("#adventure time @brandx", ["caption lacks #ad", "required mention @brand missing"]),
        ("#AD with @Brand", []),  # tags match whatever their case
        ("ad @brand", ["caption lacks #ad"]),  # the word alone is not the tag
    ],
)
def test_tags_match_whole(caption: str, missing: list[str]) -> None:
    assert problems(item(mentions=("@brand",)), caption) == missing


def test_local_wording_hashtags_links_privacy_and_approval() -> None:
    need = item(hashtags=("#sunnyoat",), links=("https://sunny.example/oats",), approval=True)
    assert problems(
        need, "Frühstück #werbung #sunnyoat https://sunny.example/oats", "#werbung"
    ) == ["brand approval missing (deliverable 7 is to do)"]
    assert problems(item(), "夜市 广告", "广告") == []
    assert problems(item(), "夜市", "广告") == ["caption lacks 广告"]
    assert problems(need, "#werbung", "#werbung", privacy="private") == [
        "required hashtag #sunnyoat missing",
        "required link https://sunny.example/oats missing",
        "privacy is private: a paid post must be public",
        "brand approval missing (deliverable 7 is to do)",
    ]
    approved = item(approval=True, state="approved")
    assert problems(approved, "#ad") == []
    assert problems(item(disclosure=("flag",)), "", platform="youtube") == [
        "YouTube paid promotion setting is off"
    ]


def _deal(store: Store, post_id: int, **kw: object) -> tuple[int, int]:
    repo = DealRepo(store)
    deal = repo.add(NewDeal(partner="Copperline", title="Skillets", disclosure="#ad"))
    spec: dict[str, object] = dict(
        deal_id=deal.id, description="Video 2", due_at=DUE, post_ids=(post_id,),
        platforms=("tiktok",), mentions=("@copperline",), disclosure=("hashtag", "flag"),
    )  # fmt: skip
    spec.update(kw)
    deliverable = repo.add_deliverable(NewDeliverable(**spec))  # type: ignore[arg-type]
    return deal.id, deliverable.id


def test_the_gate_reads_deliverables_of_the_post_and_the_script_label(tmp_path: Path) -> None:
    from storage.posts import PostRepo

    store = Store(tmp_path / "reelroom.db")
    post = PostRepo(store).add("Tofu", status="ready")
    other = PostRepo(store).add("Unrelated", status="ready")
    deal_id, item_id = _deal(store, post.id, disclosure=("hashtag", "label"), mentions=())
    gate = DisclosureGate(store)
    assert not gate.check(GateSubject(other.id, "tiktok", "no deal here")).applies
    verdict = gate.check(GateSubject(post.id, "tiktok", "#ad"))
    assert verdict.deal_ids == (deal_id,) and verdict.deliverable_ids == (item_id,)
    assert verdict.problems == ("on-screen label missing (the script's on-screen text has no ad)",)
    ScriptRepo(store).save(post.id, "## Hook\nHi\n## On-screen text\nAD · paid partnership\n")
    assert gate.check(GateSubject(post.id, "tiktok", "#ad")).ok
    DealRepo(store).set_stage(deal_id, "lost")
    assert not gate.check(GateSubject(post.id, "tiktok", "")).applies  # a lost deal asks nothing


# --- from the command line and the worker (real processes, fake platforms) ---------------


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "tofu.mp4")


def publish(home: Path, clip: Path, *extra: str) -> object:
    return reelroom_run(
        home, "publish", "add", "--post", "1", "--account", "tiktok:maker", "--file", str(clip),
        "--at", "now", *extra,
    )  # fmt: skip


def test_publish_add_is_refused_until_the_deliverable_is_met(tmp_path, fake: FakePlatforms, clip):
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    store = Store(home / "reelroom.db")
    deal_id, _ = _deal(store, 1)
    refused = publish(home, clip, "--caption", "Crispy tofu #tofu")
    assert refused.returncode == 1, refused.stderr
    assert (
        "caption lacks #ad; TikTok branded content toggle is off; "
        "required mention @copperline missing" in refused.stderr
    )
    assert PublicationRepo(store).listing() == []  # nothing was queued
    half = publish(home, clip, "--caption", "Crispy tofu #ad @copperline")
    assert half.returncode == 1 and "caption lacks" not in half.stderr
    assert "TikTok branded content toggle is off" in half.stderr
    done = publish(home, clip, "--caption", "Crispy tofu #ad @copperline", "--branded-content")
    assert done.returncode == 0, done.stderr
    shown = json.loads(reelroom_run(home, "publish", "show", done.stdout.strip(), "--json").stdout)
    assert shown["disclosure"] == {
        "ok": True, "missing": [], "override": None, "deliverables": [1], "deals": [deal_id],
    }  # fmt: skip


def test_the_override_is_deliberate_and_logged_on_the_deal(tmp_path, fake: FakePlatforms, clip):
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    store = Store(home / "reelroom.db")
    deal_id, _ = _deal(store, 1)
    empty = publish(home, clip, "--caption", "tofu", "--override-disclosure", " ")
    assert empty.returncode == 2 and "reason" in empty.stderr
    done = publish(
        home, clip, "--caption", "tofu #ad", "--override-disclosure", "brand OK'd by mail"
    )
    assert done.returncode == 0, done.stderr
    assert "overridden" in done.stderr
    pub_id = int(done.stdout.strip())
    assert PublicationRepo(store).must(pub_id).disclosure_override == "brand OK'd by mail"
    deal = json.loads(reelroom_run(home, "deals", "show", str(deal_id), "--json").stdout)
    [override] = deal["disclosure_overrides"]
    assert override["reason"] == "brand OK'd by mail" and override["publication_id"] == pub_id
    assert override["missing"] == [
        "TikTok branded content toggle is off",
        "required mention @copperline missing",
    ]
    kinds = [
        r[0] for r in store.conn.execute("SELECT kind FROM events WHERE entity = 'publication'")
    ]
    assert "publication.disclosure_override" in kinds
    # the worker respects the override: it goes out
    assert reelroom_run(home, "worker", "--once").returncode == 0
    assert PublicationRepo(store).must(pub_id).state == "published"
    text = reelroom_run(home, "deals", "show", str(deal_id)).stdout
    assert "override:" in text and "brand OK'd by mail" in text


def test_the_worker_checks_again_before_sending(tmp_path, fake: FakePlatforms, clip) -> None:
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    store = Store(home / "reelroom.db")
    deal_id, item_id = _deal(store, 1)
    done = publish(home, clip, "--caption", "Tofu #ad @copperline", "--branded-content")
    assert done.returncode == 0, done.stderr
    pub_id = int(done.stdout.strip())
    repo = PublicationRepo(store)
    repo.edit(pub_id, caption="Tofu, edited after queueing @copperline")  # the #ad went away
    assert reelroom_run(home, "worker", "--once").returncode == 0
    held = repo.must(pub_id)
    assert held.state == "failed" and fake.tiktok.posts() == []
    assert held.error is not None and held.error.startswith(
        "held by the disclosure gate: caption lacks #ad."
    )
    repo.edit(pub_id, caption="Tofu #ad @copperline")
    assert reelroom_run(home, "publish", "retry", str(pub_id)).returncode == 0
    assert reelroom_run(home, "worker", "--once").returncode == 0
    assert repo.must(pub_id).state == "published" and len(fake.tiktok.posts()) == 1
    deliverable = DealRepo(store).deliverable(item_id)
    assert deliverable is not None and deliverable.state == "live" and deliverable.live_at
    assert DealRepo(store).get(deal_id) is not None


def test_retry_with_an_override_sends_a_held_publication(tmp_path, fake: FakePlatforms, clip):
    home = publishing_home(tmp_path / "home", fake)
    add_account(home, "tiktok", fake.tiktok.add_creator("maker"))
    store = Store(home / "reelroom.db")
    _deal(store, 1, approval=True, disclosure=("hashtag",), mentions=())
    refused = publish(home, clip, "--caption", "Tofu #ad")
    assert refused.returncode == 1
    assert "brand approval missing (deliverable 1 is to do)" in refused.stderr
    DealRepo(store).set_deliverable_state(1, "approved")
    done = publish(home, clip, "--caption", "Tofu #ad")
    assert done.returncode == 0, done.stderr
    pub_id = int(done.stdout.strip())
    DealRepo(store).set_deliverable_state(1, "changes_asked")  # the brand changed its mind
    reelroom_run(home, "worker", "--once")
    assert PublicationRepo(store).must(pub_id).state == "failed"
    again = reelroom_run(
        home, "publish", "retry", str(pub_id), "--override-disclosure", "approved on a call"
    )
    assert again.returncode == 0, again.stderr
    reelroom_run(home, "worker", "--once")
    assert PublicationRepo(store).must(pub_id).state == "published"
