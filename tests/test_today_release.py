"""Today lists failed publications and accounts that need a login (storage and rows)."""

from __future__ import annotations

from datetime import timedelta

from screens.today import details as today_details
from screens.today import rows as today_rows
from storage.accounts import AccountRepo
from storage.posts import PostRepo
from storage.publications import NewPublication, PublicationRepo
from storage.timefmt import utcnow
from storage.today import TodayRepo


def test_failed_publications_and_logins_reach_today(workspace) -> None:
    store = workspace.store
    post = PostRepo(store).add("Crispy tofu", status="ready")
    accounts = AccountRepo(store)
    account_id, _ = accounts.upsert("tiktok", "@maker", external_id=None, token_expires_at=None)
    repo = PublicationRepo(store)
    pub = repo.add(NewPublication(post.id, account_id, "/x.mp4", scheduled_at=utcnow()))
    now = utcnow()
    empty = TodayRepo(store).items(now, workspace.config.zone)
    assert empty.failed_publications.total == 0 and empty.logins.total == 0
    keys = [s.key for s in today_rows.sections(empty, now, workspace.config.zone)]
    assert "publications" not in keys and "logins" not in keys

    repo.mark_failed(pub.id, "TikTok refused it: spam_risk_text\nmore")
    accounts.set_needs_login(account_id, "TikTok refused the stored refresh token (invalid_grant)")
    items = TodayRepo(store).items(now + timedelta(minutes=5), workspace.config.zone)
    [failed] = items.failed_publications.items
    assert failed.id == pub.id and failed.platform == "tiktok"
    [login] = items.logins.items
    assert login.handle == "maker" and "invalid_grant" in (login.error or "")
    sections = {
        s.key: s
        for s in today_rows.sections(items, now + timedelta(minutes=5), workspace.config.zone)
    }
    [row] = sections["publications"].rows
    assert row.tone == "error" and row.detail == "TikTok refused it: spam_risk_text"
    assert row.key == f"publication:{pub.id}:{post.id}"
    [login_row] = sections["logins"].rows
    assert "reelroom accounts add tiktok maker" in login_row.detail
    view = today_details.login_view(login, workspace.config.zone)
    assert view.kind == "Login needed"

    later = TodayRepo(store).items(now + timedelta(days=8), workspace.config.zone)
    assert later.failed_publications.total == 0  # old failures leave Today
