"""Pilot tests of the Deals tab: a deal moved from lead to paid by keyboard (each move
confirmed, the question naming the deal), board ⇄ list, the detail's deliverable
state and new deliverable, and the disclosure gate's state shown per publication."""

from __future__ import annotations

from datetime import timedelta

from conftest import FROZEN, Messages, make_app, settle
from rows import add_account, add_post, add_publication

from app.workspace import Workspace
from screens.deals.detail import DealDetailScreen
from screens.deals.messages import DealsPainted
from screens.deals.pane import DealsPane
from screens.modals.confirm import ConfirmScreen
from storage.deals.repo import DealRepo, NewDeal, NewDeliverable
from storage.vocab import DEAL_PIPELINE
from widgets.lists import KeyedDataTable


async def test_a_deal_goes_from_lead_to_paid_by_keyboard(
    workspace: Workspace, messages: Messages
) -> None:
    repo = DealRepo(workspace.store)
    deal = repo.add(NewDeal(partner="Acme", title="Autumn reel"))
    app = make_app(workspace, "deals")
    async with app.run_test(size=(120, 30), message_hook=messages) as pilot:
        await settle(pilot)
        pane = app.query_one(DealsPane)
        assert pane.highlighted_id() == deal.id
        for target in DEAL_PIPELINE[1:]:
            await pilot.press("greater_than_sign")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            assert f"deal {deal.id} “Autumn reel” (Acme)" in app.screen.question
            assert f"to {target.label}?" in app.screen.question
            await pilot.press("y")
            await settle(pilot)
            assert repo.must(deal.id).stage == target
            assert pane.highlighted_id() == deal.id  # the cursor follows the deal
        await pilot.press("greater_than_sign")  # paid is the end
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        await pilot.press("less_than_sign", "n")  # asked, answered no
        await settle(pilot)
        assert repo.must(deal.id).stage == "paid"
        await pilot.press("x", "y")
        await settle(pilot)
        assert repo.must(deal.id).stage == "lost"
        assert pane.board[pane.cursor[0]].key == "lost"
        moves = [e for e in repo.events(deal.id) if e.kind == "deal.stage"]
        assert len(moves) == len(DEAL_PIPELINE) and all(e.actor == "tui" for e in moves)
        assert messages.of(DealsPainted)


async def test_board_and_list_keep_the_deal_and_the_detail_acts(workspace: Workspace) -> None:
    store = workspace.store
    repo = DealRepo(store)
    post = add_post(store, "Gift guide", "ready")
    acc = add_account(store, "tiktok", "maker")
    pub = add_publication(store, post, acc, "scheduled", scheduled=FROZEN + timedelta(days=1))
    repo.add(NewDeal(partner="Sunny Oat", title="Oats", stage="contracted"))
    deal = repo.add(NewDeal(partner="Copperline", title="Skillets", stage="in_production"))
    repo.add_deliverable(
        NewDeliverable(deal.id, "Video 2", FROZEN + timedelta(days=2), post_ids=(post,),
                       mentions=("@copperline",), approval=True)
    )  # fmt: skip
    app = make_app(workspace, "deals")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        pane = app.query_one(DealsPane)
        await pilot.press("l")
        assert pane.highlighted_id() == deal.id
        await pilot.press("v")
        await settle(pilot)
        assert pane.view == "list" and pane.highlighted_id() == deal.id
        table = pane.query_one("#deals-table", KeyedDataTable)
        assert table.row_count == 2 and app.focused is table
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DealDetailScreen) and detail.detail is not None
        [item] = detail.detail.items
        verdict = item.gates[pub]
        assert verdict.problems == (
            "caption lacks #ad",
            "required mention @copperline missing",
            "brand approval missing (deliverable 1 is to do)",
        )
        shown = str(detail.query_one("#deal-item").render())
        assert "HELD: caption lacks #ad" in shown
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("j", "j", "j", "enter")  # to do → approved
        await settle(pilot)
        assert repo.deliverable(item.item.id).state == "approved"  # type: ignore[union-attr]
        after = detail.detail.items[0].gates[pub].problems
        assert after == ("caption lacks #ad", "required mention @copperline missing")
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Stories", "tab", "tab", "tab", *"2026-12-09", "enter")
        await settle(pilot)
        assert [d.description for d in repo.deliverables(deal.id)] == ["Video 2", "Stories"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is not detail and pane.highlighted_id() == deal.id


async def test_a_new_deal_by_keyboard_names_a_wrong_field_and_lands_on_the_deal(
    workspace: Workspace,
) -> None:
    from textual.widgets import Input, Static

    from screens.deals.new_deal import NewDealScreen

    repo = DealRepo(workspace.store)
    older = repo.add(NewDeal(partner="Acme", title="Autumn reel"))
    app = make_app(workspace, "deals")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        pane = app.query_one(DealsPane)
        assert pane.highlighted_id() == older.id
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NewDealScreen)
        form = app.screen
        await pilot.press(*"燕麦奶 Oatly")
        form.query_one("#nd-title", Input).value = "冬季拿铁 · winter series"
        form.query_one("#nd-fee", Input).value = "1,500.50"
        form.query_one("#nd-currency", Input).value = "XYZ"
        form.query_one("#nd-stage", Input).value = "negotiating"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form  # refused: the field is named, nothing stored
        assert "Currency" in str(form.query_one(".form-error", Static).render())
        assert app.focused is form.query_one("#nd-currency", Input)
        assert [d.id for d in repo.listing()] == [older.id]
        form.query_one("#nd-currency", Input).value = "eur"
        form.query_one("#nd-ends", Input).value = "2026-12-31"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, NewDealScreen)
        new = next(d for d in repo.listing() if d.id != older.id)
        assert (new.partner, new.title, new.currency, new.fee_minor) == (
            "燕麦奶 Oatly",
            "冬季拿铁 · winter series",
            "EUR",
            150050,
        )
        assert new.stage == "negotiating" and new.ends_at is not None
        assert pane.highlighted_id() == new.id  # the cursor is on the new deal
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # cancelled: nothing more stored
        await settle(pilot)
        assert len(repo.listing()) == 2
