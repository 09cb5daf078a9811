"""Deals from lead to paid (storage/deals, `reelroom deals …`): money in several currencies,
the pipeline and its events, deliverables and lead-time flags, exclusivity warnings,
invoices and overdue invoices on Today, the old words mapped by the migration."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from conftest import FROZEN, reelroom
from rows import add_asset, add_post, insert

from app.workspace import Workspace
from storage import Store
from storage.deals.exclusivity import conflicts
from storage.deals.inputs import DealInputError, parse_promises, parse_stage
from storage.deals.invoices import InvoiceRepo
from storage.deals.money import (
    DEFAULT_LOCALE,
    MoneyError,
    check_locale,
    format_money,
    parse_amount,
    plain_amount,
)
from storage.deals.progress import LeadTimes, lead_flags, post_progress
from storage.deals.repo import DealRepo, NewDeal, NewDeliverable, next_stage
from storage.today import TodayRepo
from storage.vocab import DEAL_PIPELINE, DealStage


def test_locales_are_checked_against_babel() -> None:
    """A locale Babel does not know is refused with examples; the default is taken
    without loading Babel, and Babel does know it."""
    from babel import Locale

    assert check_locale(DEFAULT_LOCALE) == DEFAULT_LOCALE
    assert str(Locale.parse(DEFAULT_LOCALE)) == DEFAULT_LOCALE
    assert check_locale("de_DE") == "de_DE" and check_locale("zh_CN") == "zh_CN"
    with pytest.raises(MoneyError, match="'xx_NOPE' is not a locale Babel knows.*en_US"):
        check_locale("xx_NOPE")


@pytest.mark.parametrize(
    ("typed", "currency", "minor", "en", "de"),
    [
        ("1500.00", "EUR", 150000, "€1,500.00", "1.500,00\xa0€"),
        ("1,500", "USD", 150000, "$1,500.00", "1.500,00\xa0$"),
        ("150000", "JPY", 150000, "¥150,000", "150.000\xa0¥"),
        ("12.345", "KWD", 12345, "KWD12.345", "12,345\xa0KWD"),
        ("0.5", "BHD", 500, "BHD0.500", "0,500\xa0BHD"),
        ("88.8", "CNY", 8880, "CN¥88.80", "88,80\xa0CN¥"),
    ],
)
def test_money_in_minor_units_with_each_currencys_digits(typed, currency, minor, en, de) -> None:
    assert parse_amount(typed, currency) == minor
    assert format_money(minor, currency, "en_US") == en
    assert format_money(minor, currency, "de_DE") == de
    assert parse_amount(plain_amount(minor, currency), currency) == minor


@pytest.mark.parametrize(
    ("typed", "currency", "word"),
    [("1500.5", "JPY", "no minor unit"), ("1.2345", "KWD", "3 decimal places"),
     ("12,00.001", "EUR", "2 decimal places"), ("-3", "USD", "0 or more"),
     ("lots", "USD", "not an amount"), ("1", "EURO", "ISO 4217")],
)  # fmt: skip
def test_amounts_a_currency_cannot_hold_are_refused(typed, currency, word) -> None:
    with pytest.raises(MoneyError, match=word):
        parse_amount(typed, currency)


def test_the_pipeline_moves_and_logs_each_stage(store: Store) -> None:
    repo = DealRepo(store)
    deal = repo.add(NewDeal(partner="Acme", title="Autumn"))
    assert deal.stage == "lead" and deal.signed_at is None
    stage = DealStage.LEAD
    for target in DEAL_PIPELINE[1:]:
        assert next_stage(stage, 1) == target
        deal, old = repo.set_stage(deal.id, target.value)
        assert old == stage and deal.stage == target
        stage = target
    assert next_stage("paid", 1) is None and next_stage("lost", -1) == DealStage.LEAD
    assert deal.signed_at is not None  # set when it became contracted
    moves = [
        (e.detail["from"], e.detail["to"]) for e in repo.events(deal.id) if e.kind == "deal.stage"
    ]
    assert moves == list(
        zip(
            [s.value for s in DEAL_PIPELINE[:-1]], [s.value for s in DEAL_PIPELINE[1:]], strict=True
        )
    )
    assert parse_stage("In Production") == DealStage.IN_PRODUCTION
    with pytest.raises(DealInputError, match="not a stage"):
        parse_stage("signed")
    assert parse_promises(["views=150000", "engagement_rate=5%"]) == {
        "views": 150000.0,
        "engagement_rate": 0.05,
    }


def test_lead_time_flags_name_what_a_post_lacks(store: Store) -> None:
    post = add_post(store, "Gift guide", "scripting")
    repo = DealRepo(store)
    deal = repo.add(NewDeal(partner="Acme", title="Autumn"))
    leads = LeadTimes(script_days=5, footage_days=3, render_days=1)
    due = FROZEN + timedelta(days=2)
    item = repo.add_deliverable(NewDeliverable(deal.id, "Video 2", due, post_ids=(post,)))
    progress = post_progress(store, item.post_ids)
    assert lead_flags(item, progress, FROZEN, leads) == [
        "no script (5 d before due)",
        "no footage (3 d before due)",
    ]
    assert lead_flags(item, progress, due - timedelta(hours=12), leads)[-1] == (
        "no render (1 d before due)"
    )
    assert lead_flags(item, progress, due - timedelta(days=6), leads) == []  # not yet
    bare = repo.add_deliverable(NewDeliverable(deal.id, "Story", due))
    assert lead_flags(bare, [], FROZEN, leads) == ["no post linked (5 d before due)"]
    live, _ = repo.set_deliverable_state(item.id, "live")
    assert lead_flags(live, progress, FROZEN, leads) == [] and live.live_at is not None
    today = TodayRepo(store, leads=leads).deliverables(FROZEN)
    assert [(d.description, d.flags) for d in today.items] == [
        ("Story", ("no post linked (5 d before due)",))
    ]


def test_clips_of_a_post_count_its_own_and_its_shots_once_each(store: Store) -> None:
    post = add_post(store, "Gift guide", "scripting")
    other = add_post(store, "Other", "scripting")
    shot = insert(store, "shots", {"post_id": post, "number": 1})
    own, shot_only, both, rejected, elsewhere = (
        add_asset(store, name, status)
        for name, status in [
            ("own.mp4", "ok"),
            ("shot.mp4", "ok"),
            ("both.mp4", "ok"),
            ("bad.mp4", "rejected"),
            ("other.mp4", "ok"),
        ]
    )
    with store.write() as conn:
        conn.execute(
            "UPDATE assets SET post_id = ? WHERE id IN (?, ?, ?)", (post, own, both, rejected)
        )
        conn.execute("UPDATE assets SET post_id = ? WHERE id = ?", (other, elsewhere))
        for asset in (shot_only, both, rejected):
            conn.execute("INSERT INTO shot_assets (shot_id, asset_id) VALUES (?, ?)", (shot, asset))
    progress = post_progress(store, (post, other))
    assert [(p.post_id, p.clips) for p in progress] == [(post, 3), (other, 1)]


def test_exclusivity_warns_of_a_competitor_inside_the_window(store: Store) -> None:
    repo = DealRepo(store)
    window = NewDeal(
        partner="Copperline", title="Skillets", category="Cookware",
        exclusive_from=FROZEN, exclusive_until=FROZEN + timedelta(days=30),
    )  # fmt: skip
    owner = repo.add(window)
    rival = repo.add(NewDeal(partner="Ironclad", title="Pans", category="cookware"))
    named = repo.add(NewDeal(partner="Blades Co", title="Knives", competitors=("copperline",)))
    other = repo.add(NewDeal(partner="Sunny Oat", title="Oats", category="breakfast"))
    for deal, day in ((rival, 10), (named, 20), (other, 5), (rival, 40)):
        repo.add_deliverable(
            NewDeliverable(deal.id, f"{deal.partner} video", FROZEN + timedelta(days=day))
        )
    found = conflicts(store, owner.id)
    assert [(c.other_partner, c.deliverable) for c in found] == [
        ("Ironclad", "Ironclad video"),
        ("Blades Co", "Blades Co video"),
    ]
    assert "Ironclad competes with Copperline" in found[0].text()
    repo.set_stage(rival.id, "lost")
    assert [c.other_partner for c in conflicts(store)] == ["Blades Co"]


def test_invoices_move_the_deal_and_overdue_ones_show_on_today(store: Store) -> None:
    repo, bills = DealRepo(store), InvoiceRepo(store)
    deal = repo.add(NewDeal(partner="Acme", title="Autumn", stage="delivered", fee_minor=150000,
                           currency="JPY"))  # fmt: skip
    inv = bills.add(deal.id, "INV-1", 150000, FROZEN - timedelta(days=3),
                    issued_at=FROZEN - timedelta(days=33))  # fmt: skip
    assert inv.currency == "JPY" and repo.must(deal.id).stage == "invoiced"
    bills.add(deal.id, "INV-2", 1000, FROZEN + timedelta(days=3), issued_at=FROZEN)
    items = TodayRepo(store).items(FROZEN, UTC)
    assert [(i.number, i.partner, i.amount_minor) for i in items.invoices.items] == [
        ("INV-1", "Acme", 150000)
    ]
    bills.mark_paid(deal.id, "INV-1", at=FROZEN)
    assert TodayRepo(store).items(FROZEN, UTC).invoices.total == 0
    assert repo.must(deal.id).stage == "invoiced"  # INV-2 is still open
    bills.mark_paid(deal.id, "INV-2", at=FROZEN)
    assert repo.must(deal.id).stage == "paid"
    from screens.today.rows import sections

    shown = sections(TodayRepo(store).items(FROZEN - timedelta(days=400), UTC), FROZEN, UTC)
    assert "invoices" not in [s.key for s in shown]


def test_today_shows_the_overdue_invoice_of_the_demo(demo_workspace: Workspace) -> None:
    from screens.today.rows import sections

    items = TodayRepo(demo_workspace.store).items(FROZEN, demo_workspace.config.zone)
    found = {s.key: s for s in sections(items, FROZEN, demo_workspace.config.zone)}
    [row] = found["invoices"].rows
    assert row.when == "overdue 2d" and row.title == "PL-2026-031 · Copperline Cookware"
    assert row.detail == "$2,000.00 · Knife care tips (2 videos)"


def run(home: Path, *args: str) -> tuple[int, str, str]:
    proc = reelroom(home, *args)
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def test_the_command_line_from_lead_to_paid(workspace: Workspace) -> None:
    home = workspace.home.root
    post = add_post(workspace.store, "Gift guide", "scripting")
    code, out, err = run(home, "deals", "add", "--partner", "Sunny Oat", "--title", "Oats",
                         "--fee", "1500.00", "--currency", "EUR", "--promise", "views=50000",
                         "--json")  # fmt: skip
    assert code == 0, err
    deal = json.loads(out)
    assert (deal["fee"], deal["fee_minor"], deal["currency"], deal["stage"]) == (
        "1500.00",
        150000,
        "EUR",
        "lead",
    )
    code, out, err = run(home, "deals", "deliverable", "add", "--deal", str(deal["id"]),
                         "--post", str(post), "--platforms", "tiktok,instagram",
                         "--due", "2026-12-01", "--disclosure", "flag", "hashtag",
                         "--hashtags", "#ad #sunnyoat", "--mentions", "@sunnyoat",
                         "--approval", "--json")  # fmt: skip
    assert code == 0, err
    item = json.loads(out)
    assert item["platforms"] == ["tiktok", "instagram"] and item["approval"] is True
    assert item["disclosure"] == ["flag", "hashtag"] and item["due_at"] == "2026-12-01T23:59:00Z"
    code, out, _ = run(home, "deals", "list", "--json")
    [row] = json.loads(out)
    assert set(row) == {"id", "partner", "title", "stage", "fee", "fee_minor", "currency",
                        "next_deadline"}  # fmt: skip
    assert row["next_deadline"] == "2026-12-01T23:59:00Z"
    for stage in ("negotiating", "contracted", "in production", "delivered"):
        assert run(home, "deals", "stage", str(deal["id"]), stage)[0] == 0
    code, _, err = run(home, "deals", "invoice", str(deal["id"]), "--number", "SO-1",
                       "--amount", "1500.001", "--issued", "2026-12-02", "--due", "2026-12-31")  # fmt: skip
    assert code == 2 and "2 decimal places" in err
    code, _, err = run(home, "deals", "invoice", str(deal["id"]), "--number", "SO-1",
                       "--issued", "2026-12-02", "--due", "2026-12-31")  # fmt: skip
    assert code == 0, err
    assert run(home, "deals", "invoice", str(deal["id"]), "--number", "SO-1", "--paid")[0] == 0
    code, out, _ = run(home, "deals", "show", str(deal["id"]), "--json")
    shown = json.loads(out)
    assert shown["stage"] == "paid" and shown["invoices"][0]["paid_at"]
    assert shown["deliverables"][0]["posts"][0]["script"] is False
    code, out, _ = run(home, "deals", "show", str(deal["id"]))
    assert "€1,500.00" in out and "SO-1" in out
    assert run(home, "deals", "stage", str(deal["id"]), "signed")[0] == 2
    assert run(home, "deals", "show", "999")[0] == 1


def test_migration_words_in_the_demo(demo_workspace: Workspace) -> None:
    stages = {d.title: d.stage for d in DealRepo(demo_workspace.store).listing()}
    assert stages["Knife care tips (2 videos)"] == "invoiced"
    assert set(stages.values()) <= {s.value for s in DealStage}
    [n] = demo_workspace.store.conn.execute("SELECT count(*) FROM deliverable_posts").fetchone()
    assert n >= 3
