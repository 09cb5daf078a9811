"""Today and the Publish tab: what the release lines say to do, and `p` on a post.

Enter on a failed publication opens its reason and what to do (R in the
Publish tab, `reelroom publish retry ID`); Enter on an account that needs a
login names the command that fixes it; `p` on a post (or a publication's
line) opens the new-publication form for that post in the Publish tab.
"""

from __future__ import annotations

from datetime import timedelta

from conftest import FROZEN, make_app, settle

from app.tab_host import TabHost
from app.workspace import Workspace
from screens.modals.item_detail import ItemDetailScreen
from screens.modals.new_publication import NewPublicationScreen
from storage.accounts import AccountRepo
from storage.posts import PostRepo
from storage.publications import NewPublication, PublicationRepo
from widgets.triage_list import TriageList


def _failed_and_login(ws: Workspace) -> tuple[int, int]:
    store = ws.store
    post = PostRepo(store).add(
        "Crispy tofu", status="ready", planned_at=FROZEN + timedelta(hours=3)
    )
    accounts = AccountRepo(store)
    account_id, _ = accounts.upsert("tiktok", "maker", external_id=None, token_expires_at=None)
    repo = PublicationRepo(store)
    pub = repo.add(NewPublication(post.id, account_id, "/x.mp4", scheduled_at=FROZEN))
    repo.mark_failed(pub.id, "TikTok refused it: spam_risk_text")
    store.db.table("publications").update(pub.id, {"updated_at": "2026-11-28T08:30:00Z"})
    accounts.set_needs_login(account_id, "TikTok refused the refresh token (invalid_grant)")
    store.db.table("accounts").update(account_id, {"checked_at": "2026-11-28T08:00:00Z"})
    return pub.id, post.id


async def _open(pilot, key: str) -> ItemDetailScreen:  # type: ignore[no-untyped-def]
    triage = pilot.app.query_one(TriageList)
    index = next(i for i, o in enumerate(triage.options) if o.id == key)
    triage.highlighted = index
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ItemDetailScreen)
    return screen


async def test_today_says_what_to_do_and_p_opens_the_form(workspace: Workspace) -> None:
    pub_id, post_id = _failed_and_login(workspace)
    account = AccountRepo(workspace.store).find("tiktok", "maker")
    assert account is not None
    async with make_app(workspace, "today", "publish").run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        detail = await _open(pilot, f"publication:{pub_id}:{post_id}")
        blocks = dict(detail.view.blocks)
        assert detail.view.kind == "Failed publication"
        assert blocks["The platform said"] == "TikTok refused it: spam_risk_text"
        assert f"reelroom publish retry {pub_id}" in blocks["What to do"]
        assert "press R" in blocks["What to do"]
        await pilot.press("escape")
        detail = await _open(pilot, f"login:{account.id}")
        todo = dict(detail.view.blocks)["What to do"]
        assert "reelroom accounts add tiktok maker --credentials FILE.json" in todo
        await pilot.press("escape")

        triage = pilot.app.query_one(TriageList)
        triage.highlighted = next(
            i for i, o in enumerate(triage.options) if o.id == f"publication:{pub_id}:{post_id}"
        )
        await pilot.press("p")
        await settle(pilot)
        assert pilot.app.query_one("#tabs", TabHost).active == "publish"
        form = pilot.app.screen
        assert isinstance(form, NewPublicationScreen) and form.post_id == post_id
        assert form.post is not None and form.post.taken  # this account already has it
        assert form.verdict is not None and not form.verdict.ok
        assert form.verdict.field in ("account", "file")
