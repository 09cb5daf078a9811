"""`reelroom inbox …`, `saved-replies …` and `accounts sync` as a person runs them
(real processes against the fake platforms), and the worker's sync schedule."""

from __future__ import annotations

import json
from datetime import timedelta

from inboxing import add_account, inbox_home, published, rows
from publishing import reelroom_run

from app.inbox.schedule import ensure_schedule, tick
from app.inbox.sync import next_sync_at
from storage.inbox_sync import SyncRepo
from storage.jobs import JobQueue
from storage.timefmt import from_db, utcnow

FIELDS = {
    "id", "account", "publication_id", "remote_id", "parent_id", "author", "body",
    "received_at", "state", "labels", "reply_state", "deleted",
}  # fmt: skip


def run(ws, *args: str):
    return reelroom_run(ws.home.root, *args)


def test_sync_list_show_label_done_and_reply_with_a_saved_reply(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake, extra='link = "https://pantry.example"\n')
    doc = fake.youtube.add_channel("maker")
    account = add_account(ws, "youtube", doc)
    video = fake.youtube.add_video(doc["user_id"], "Crispy tofu")
    pub = published(ws, account, video, title="Crispy tofu")
    top = fake.youtube.add_comment(video, "What pan is that?", author="asker")
    fake.youtube.add_comment(video, "same question", author="b", parent=top)
    kuaishou = add_account(ws, "kuaishou", fake.kuaishou.add_account("ks"), handle="ks")
    assert kuaishou
    synced = run(ws, "inbox", "sync")
    assert synced.returncode == 0, synced.stderr
    assert "youtube:maker: 1 video(s), 2 new" in synced.stderr
    assert (
        "kuaishou:ks: no comments read — Kuaishou's open platform has no comment API"
        in synced.stderr
    )
    listed = run(ws, "inbox", "list", "--json")
    items = json.loads(listed.stdout)
    assert [i["body"] for i in items] == ["same question", "What pan is that?"]
    assert set(items[0]) >= FIELDS and items[1]["account"] == "youtube:maker"
    assert items[1]["labels"] == ["question"] and items[1]["publication_id"] == pub
    assert items[0]["parent_id"] == items[1]["id"] and items[1]["deleted"] is False
    first = items[1]["id"]
    added = run(ws, "saved-replies", "add", "pan", "Hi {author}! It's in {video_title}: {link}")
    assert added.returncode == 0, added.stderr
    bad = run(ws, "saved-replies", "add", "oops", "Hi {name}")
    assert bad.returncode == 1 and "{name} is not a variable" in bad.stderr
    saved = json.loads(run(ws, "saved-replies", "list", "--json").stdout)
    assert [s["name"] for s in saved] == ["pan"]
    label = run(ws, "inbox", "label", str(first), "lead")
    assert label.returncode == 0 and "question, lead" in label.stderr
    assert run(ws, "inbox", "label", str(first), "vip").returncode == 2  # not a label
    queued = run(ws, "inbox", "reply", str(first), "--saved", "pan", "--json")
    assert queued.returncode == 0, queued.stderr
    reply = json.loads(queued.stdout)
    assert reply["body"] == "Hi asker! It's in Crispy tofu: https://pantry.example"
    assert reply["state"] == "pending"
    worker = run(ws, "worker", "--once")
    assert worker.returncode == 0, worker.stderr
    shown = json.loads(run(ws, "inbox", "show", str(first), "--json").stdout)
    assert shown["reply_state"] == "sent" and shown["replies"][0]["state"] == "sent"
    assert [s["step"] for s in shown["replies"][0]["steps"]] == ["comments.insert"]
    assert shown["video"]["title"] == "Crispy tofu" and shown["thread"][0]["author"] == "asker"
    text = run(ws, "inbox", "show", str(first))
    assert "reply 1 (sent)" in text.stdout and "What pan is that?" in text.stdout
    assert run(ws, "inbox", "done", str(items[0]["id"])).returncode == 0
    assert json.loads(run(ws, "inbox", "list", "--json").stdout) == []
    done = json.loads(
        run(ws, "inbox", "list", "--state", "done", "--label", "lead", "--json").stdout
    )
    assert [d["id"] for d in done] == [first]
    assert run(ws, "saved-replies", "remove", "pan").returncode == 0
    assert run(ws, "saved-replies", "remove", "pan").returncode == 1


def test_import_keeps_good_rows_and_names_bad_ones_by_line(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake)
    add_account(ws, "instagram", fake.instagram.add_account("maker"))
    csv_file = tmp_path / "export.csv"
    csv_file.write_text(
        "remote_id,author,body,received_at,parent_remote_id\n"
        "c1,ana,Where is the pan from?,2026-11-20T10:00:00Z,\n"
        ",bob,no id,2026-11-20T10:01:00Z,\n"
        "c2,cy,,2026-11-20T10:02:00Z,\n"
        "c3,dee,lovely 😍,yesterday,\n"
        "c4,eve,thanks!,2026-11-20T10:04:00,c1\n",
        encoding="utf-8",
    )
    done = run(ws, "inbox", "import", str(csv_file), "--account", "instagram:maker")
    assert done.returncode == 1
    assert f"{csv_file}:3: remote_id is missing" in done.stderr
    assert f"{csv_file}:4: body is empty" in done.stderr
    assert f"{csv_file}:5: received_at 'yesterday' is not a time" in done.stderr
    assert "2 new, 0 edited, 0 already there; 3 bad row(s) left out" in done.stderr
    again = run(ws, "inbox", "import", str(csv_file), "--account", "instagram:maker", "--json")
    assert json.loads(again.stdout)["new"] == 0  # nothing twice
    got = rows(ws.store, "SELECT remote_id, parent_id, labels, source FROM inbox_items ORDER BY id")
    assert [(g["remote_id"], g["source"]) for g in got] == [("c1", "import"), ("c4", "import")]
    assert got[1]["parent_id"] is not None and got[0]["labels"] == '["question"]'
    json_file = tmp_path / "export.json"
    json_file.write_text(
        '[\n  {"id": "j1", "author": "fay", "text": "hi", "created_at": "2026-11-21T08:00:00Z"},\n'
        '  {"id": "j2", "author": "gus", "text": "hey", "created_at": "2026-11-21T08:00:00Z",'
        ' "colour": "red"}\n]\n',
        encoding="utf-8",
    )
    out = run(ws, "inbox", "import", str(json_file), "--account", "instagram:maker")
    assert f"{json_file}:3: unknown column 'colour'" in out.stderr and "1 new" in out.stderr
    missing = run(ws, "inbox", "import", str(tmp_path / "nope.csv"), "--account", "instagram:maker")
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_accounts_sync_brings_in_existing_videos_once(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake)
    doc = fake.tiktok.add_creator("maker")
    add_account(ws, "tiktok", doc)
    ks = fake.kuaishou.add_account("ks")
    add_account(ws, "kuaishou", ks, handle="ks")
    now = fake.clock.now()
    for n in range(25):  # two pages of the Display API
        fake.tiktok.add_video(doc["user_id"], f"Video {n} #food", at=now - timedelta(days=n))
    fake.kuaishou.add_photo(ks["user_id"], "夜市小吃 #美食")
    first = run(ws, "accounts", "sync", "--json")
    assert first.returncode == 0, first.stderr
    docs = {d["account"]: d for d in json.loads(first.stdout)}
    assert docs["tiktok:maker"]["imported"] == 25 and docs["kuaishou:ks"]["imported"] == 1
    again = json.loads(run(ws, "accounts", "sync", "tiktok:maker", "--json").stdout)
    assert again[0]["imported"] == 0 and again[0]["known"] == 25
    titles = {r["title"] for r in rows(ws.store, "SELECT title FROM posts")}
    assert "夜市小吃 #美食" in titles and "Video 0 #food" in titles


def test_the_schedule_queues_due_syncs_and_its_next_tick_once(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake)
    cfg = ws.home.root / "config.toml"
    cfg.write_text(cfg.read_text("utf-8").replace("auto_sync = false", "auto_sync = true"), "utf-8")
    from app.workspace import open_workspace

    ws = open_workspace(str(ws.home.root))
    doc = fake.youtube.add_channel("maker")
    account = add_account(ws, "youtube", doc)
    published(ws, account, fake.youtube.add_video(doc["user_id"], "Tofu"))
    add_account(ws, "kuaishou", fake.kuaishou.add_account("ks"), handle="ks")
    assert ensure_schedule(ws) is not None and ensure_schedule(ws) is None  # one tick waits
    queue = JobQueue(ws.store)
    [job] = queue.claim("test", ["sync"], 60)
    next_run = tick(ws, job.id)
    assert next_run is not None
    payloads = sorted(str(j.payload) for j in queue.list(kind="sync") if j.state == "queued")
    assert payloads == sorted(
        [
            str({"what": "comments", "account_id": account.id}),
            str({"what": "schedule"}),
            str({"what": "videos", "account_id": account.id}),
            str({"what": "videos", "account_id": account.id + 1}),
        ]
    )  # no comments job for Kuaishou (no API); one next tick
    tick(ws, job.id)  # again: nothing queued twice while those wait
    assert len([j for j in queue.list(kind="sync") if j.state == "queued"]) == 4
    gap = from_db(next_run) - utcnow()
    assert timedelta(seconds=20) < gap <= timedelta(minutes=5, seconds=5)
    assert SyncRepo(ws.store).due_accounts(next_run) == [account.id]


def test_no_tick_without_an_account_and_accounts_add_queues_the_first(tmp_path, fake) -> None:
    from app.workspace import open_workspace

    home = tmp_path / "home"
    ws = open_workspace(str(home))  # auto_sync is on by default
    assert ensure_schedule(ws) is None  # nothing to sync: the worker's queue stays empty
    assert JobQueue(ws.store).list(kind="sync") == []
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps(fake.youtube.add_channel("maker")), "utf-8")
    creds.chmod(0o600)
    done = reelroom_run(home, "accounts", "add", "youtube", "maker", "--credentials", str(creds))
    assert done.returncode == 0, done.stderr
    [job] = JobQueue(ws.store).list(kind="sync")
    assert (job.state, job.payload) == ("queued", {"what": "schedule"})


def test_sync_times_follow_the_videos_age(tmp_path, fake) -> None:
    ws = inbox_home(tmp_path / "home", fake)
    now = utcnow()
    settings = ws.config.inbox
    assert next_sync_at(now - timedelta(hours=3), now, settings) - now == timedelta(minutes=5)
    assert next_sync_at(now - timedelta(days=3), now, settings) - now == timedelta(hours=1)
    assert next_sync_at(now - timedelta(days=30), now, settings) - now == timedelta(days=1)
