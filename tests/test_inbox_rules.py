"""Labels on arrival (the built-in rules, [[label_rules]] from config.toml, languages),
saved-reply variables, triage undo that refuses to clobber a newer change, and
migration 9 carrying an older inbox over (states, tags, replies) intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import make_workspace

from app.config import ConfigError, load_config
from app.config.settings import LabelRule
from app.inbox.rules import Labeler, detect_language
from storage import Store
from storage.inbox import InboxError
from storage.inbox_replies import check_template, fill
from storage.inbox_triage import TriageRepo
from storage.migrations import migrate

NOW = "2026-11-28T09:00:00Z"


@pytest.mark.parametrize(
    ("body", "labels"),
    [
        ("What pan is that?", ["question"]),
        ("这家店在哪里？求地址！", ["question"]),
        ("Love it 🔥", ["praise"]),
        ("太好吃了", ["praise"]),
        ("The worst, it didn't work at all", ["complaint"]),
        ("We'd like to sponsor a video, who handles partnerships", ["lead"]),
        ("你好，我们想合作推广", ["lead"]),
        ("cheap followers here: www.spam.example", ["spam"]),
        ("check my profile for free followers", ["spam"]),
        ("nice", []),
        ("lovely", []),  # whole words: "love" is not in "lovely"
    ],
)
def test_the_built_in_rules(body: str, labels: list[str]) -> None:
    assert Labeler()(body, "someone", set()) == labels


def test_a_sender_already_labelled_keeps_the_label() -> None:
    label = Labeler()
    assert label("hello again", "bot", {"spam"}) == ["spam"]
    assert label("hello again", "brand", {"lead"}) == ["lead"]
    assert label("hello again", "fan", {"praise"}) == []  # praise does not follow a sender


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("这个价格良心了", "zh"),
        ("美味しそう！週末に作ってみます", "ja"),
        ("맛있어 보여요", "ko"),
        ("هل يمكن استخدام زيت الزيتون؟", "ar"),
        ("מתכון מעולה", "he"),
        ("Очень вкусно", "ru"),
        ("How long does it keep in the fridge?", "en"),
        ("¿Dónde compraste esa sartén? Me encanta la receta", "es"),
        ("Welche Pfanne ist das und wie lange", "de"),
        ("🔥🔥", None),
    ],
)
def test_languages_are_told_by_script_and_common_words(text: str, language: str | None) -> None:
    assert detect_language(text) == language


def test_rules_from_config_replace_the_built_in_ones(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(
        '[[label_rules]]\nlabel = "lead"\nlanguages = ["zh"]\nkeywords = ["价格"]\n'
        '[[label_rules]]\nlabel = "question"\nquestion = true\nlinks = false\n',
        encoding="utf-8",
    )
    rules = load_config(config).label_rules
    assert rules == (
        LabelRule("lead", keywords=("价格",), languages=("zh",)),
        LabelRule("question", question=True, links=False),
    )
    label = Labeler(rules)
    assert label("这个价格良心了", "a", set()) == ["lead"]
    assert label("What price?", "a", set()) == ["question"]
    assert label("What? see x.com", "a", set()) == []  # a link: not this rule's question
    assert label("Love it 🔥", "a", set()) == []  # the built-in rules are replaced


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ('[[label_rules]]\nlabel = "vip"\nquestion = true\n', "label must be one of"),
        ('[[label_rules]]\nlabel = "lead"\n', "needs a condition"),
        ('[[label_rules]]\nlabel = "lead"\nkeywords = "collab"\n', "must be a list"),
        ('[[label_rules]]\nlabel = "lead"\nkeywords = [""]\n', "non-empty strings"),
        ('[[label_rules]]\nlabel = "lead"\ncolour = "red"\n', "unknown key 'colour'"),
        ("[inbox]\nyoung_minutes = 0\n", "young_minutes must be at least 1"),
    ],
)
def test_bad_rules_and_settings_name_the_line(tmp_path: Path, toml: str, words: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=words) as caught:
        load_config(config)
    assert f"{config}:" in str(caught.value)


def test_saved_reply_variables() -> None:
    values = {"author": "ana", "video_title": "Tofu", "link": "https://x.example", "post_url": "u"}
    assert fill("Hi {author}! {video_title}: {link} ({post_url}) {{braces}}", values) == (
        "Hi ana! Tofu: https://x.example (u) {braces}"
    )
    check_template("Hi {author} {{ok}}")
    with pytest.raises(InboxError, match="is not a variable"):
        check_template("Hi {name}")
    with pytest.raises(InboxError, match="brace is not closed"):
        check_template("Hi {author")


def test_undo_puts_back_only_what_still_looks_as_the_action_left_it(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "home")
    with ws.store.write() as conn:
        account = conn.execute(
            "INSERT INTO accounts (platform, handle, created_at) VALUES ('youtube', 'a', ?) "
            "RETURNING id",
            (NOW,),
        ).fetchone()[0]
        item = conn.execute(
            "INSERT INTO inbox_items (account_id, kind, remote_id, author, body, received_at) "
            "VALUES (?, 'comment', 'c1', 'fan', 'hi', ?) RETURNING id",
            (account, NOW),
        ).fetchone()[0]
    triage = TriageRepo(ws.store)
    assert triage.set_labels(item, ["praise"], actor="ana")
    assert triage.set_state(item, "done", actor="ana")
    assert not triage.set_state(item, "done", actor="ana")  # nothing changed, nothing logged
    assert triage.assign(item, "bo", actor="bo")
    undone = triage.undo("ana")  # ana's latest: done (bo's assignment is bo's)
    assert undone is not None and undone.action == "done"
    assert triage.set_labels(item, ["praise", "lead"], actor="bo")  # someone else changed it
    with pytest.raises(InboxError, match="changed after that label"):
        triage.undo("ana")
    assert triage.undo("bo") is not None and triage.undo("bo") is not None
    assert triage.undo("bo") is None
    with pytest.raises(InboxError, match="one OS user name"):
        triage.assign(item, "two words", actor="ana")


def test_migration_9_carries_an_older_inbox_over(tmp_path: Path) -> None:
    path = tmp_path / "reelroom.db"
    migrate(path, target=7)
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO accounts (id, platform, handle, created_at) VALUES (1, 'tiktok', 'a', ?)",
        (NOW,),
    )
    for n, status in enumerate(("new", "replied", "resolved", "ignored"), start=1):
        conn.execute(
            "INSERT INTO inbox_items (id, account_id, parent_id, kind, remote_id, author, body, "
            "received_at, status, replied_at, tags) VALUES (?, 1, ?, 'comment', ?, 'fan', "
            "'好吃！', ?, ?, ?, ?)",
            (n, 1 if n > 1 else None, f"r{n}", NOW, status,
             NOW if status == "replied" else None, '["question"]'),
        )  # fmt: skip
    conn.commit()
    conn.close()
    store = Store(path)
    rows = [
        dict(r)
        for r in store.conn.execute(
            "SELECT id, parent_id, status, reply_state, labels, own, deleted, body "
            "FROM inbox_items ORDER BY id"
        )
    ]
    assert [(r["status"], r["reply_state"]) for r in rows] == [
        ("new", None),
        ("done", "sent"),
        ("done", None),
        ("done", None),
    ]
    assert {r["labels"] for r in rows} == {'["question"]'} and rows[3]["parent_id"] == 1
    assert {(r["own"], r["deleted"], r["body"]) for r in rows} == {(0, 0, "好吃！")}
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        store.conn.execute("UPDATE inbox_items SET status = 'replied' WHERE id = 1")
