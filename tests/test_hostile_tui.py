"""Issue 15, item 1 (and 3) in the TUI: data with control characters never reaches the terminal raw.

A workspace whose rows hold ESC/BEL/OSC sequences, C1 controls and bidi
overrides (titles, file names, pillar names, errors, descriptions, a script
body, as older versions and platforms stored them), and a post whose stored
date cannot be read: every tab shows them with visible stand-ins, and no tab
fails to read its rows.
"""

from __future__ import annotations

from datetime import timedelta

from conftest import FROZEN, make_app, make_workspace, settle
from hostile import HOSTILE, raw_controls
from rows import (
    add_account,
    add_asset,
    add_deal,
    add_deliverable,
    add_pillar,
    add_post,
    add_publication,
    add_render,
)

from app.tab_host import TabHost
from screens.messages import WorkerFailed
from screens.modals.item_detail import ItemDetailScreen
from widgets.triage_list import TriageList

TABS = ("today", "calendar", "scripts", "footage", "renders", "publish", "deals")


def _screen_text(app) -> str:
    """Every character the screen would send to the terminal, as text."""
    update = app.screen._compositor.render_full_update()
    return "".join(segment.text for strip in update.strips for segment in strip)


def _hostile_workspace(root):
    ws = make_workspace(root)
    store = ws.store
    pillar = add_pillar(store, "P" + HOSTILE, "red")
    post = add_post(
        store, "T" + HOSTILE, "idea", planned=FROZEN + timedelta(days=2), pillar_id=pillar
    )
    add_post(store, "year one", "idea", notes="N" + HOSTILE)
    with store.write() as conn:
        conn.execute("UPDATE posts SET planned_at = '1-01-01T00:00:00Z' WHERE title = 'year one'")
        conn.execute(
            "INSERT INTO scripts (post_id, body, updated_at) VALUES (?, ?, ?)",
            (post, f"## Hook\nSay {HOSTILE}\n", "2026-01-01T00:00:00Z"),
        )
    add_asset(store, "clip" + HOSTILE + ".mp4")
    add_render(store, "failed", FROZEN - timedelta(hours=1), post_id=post, error="E" + HOSTILE)
    account = add_account(store, "tiktok", "h" + HOSTILE)
    add_publication(store, post, account, "scheduled", scheduled=FROZEN + timedelta(hours=3))
    deal = add_deal(store, "Acme" + HOSTILE)
    add_deliverable(store, deal, "D" + HOSTILE, FROZEN + timedelta(days=1))
    return ws


async def test_item1_every_tab_shows_control_characters_visibly(tmp_path):
    ws = _hostile_workspace(tmp_path / "home")
    app = make_app(ws, *TABS)
    failures: list[WorkerFailed] = []
    async with app.run_test(
        size=(160, 48), message_hook=lambda m: isinstance(m, WorkerFailed) and failures.append(m)
    ) as pilot:
        for tab in TABS:
            app.query_one("#tabs", TabHost).active = tab
            await settle(pilot)
            await pilot.pause()
            text = _screen_text(app)
            assert raw_controls(text) == [], (tab, [c for c in raw_controls(text)][:5])
            assert "Reading" not in text or "failed" not in text, tab
            if tab == "today":
                assert "␛]0;pwned" in text  # shown, made visible
                assert "bad date" in text  # the unreadable date, flagged
                app.query_one(TriageList).focus()
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, ItemDetailScreen)
                assert raw_controls(_screen_text(app)) == []
                await pilot.press("escape")
                await settle(pilot)
            if tab == "calendar":
                for _view in ("week", "agenda", "board"):
                    await pilot.press("v")
                    await settle(pilot)
                    text = _screen_text(app)
                    assert raw_controls(text) == [], (tab, _view)
                assert "year one" in text  # on the board, unplanned
                await pilot.press("enter")  # its detail flags the date
                await settle(pilot)
                detail = _screen_text(app)
                assert "cannot be read" in detail and "1-01-01T00:00:00Z" in detail
                await pilot.press("escape")
                await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")  # open the highlighted post's script
        await settle(pilot)
        assert raw_controls(_screen_text(app)) == []
    assert failures == []
