-- ReelRoom schema, version 9: community (issue 11): the inbox synced from the
-- platforms, triage, replies sent once, the account's own videos imported.
--
-- inbox_items is rebuilt (SQLite cannot change a CHECK in place): its triage
-- states become new / done / spam (storage/vocab.py InboxState; replied and
-- resolved become done, ignored becomes done: dealt with, not spam), `tags`
-- becomes `labels`, and it gains what sync and triage need:
--   parent_remote_id / video_remote_id  the platform's ids of the parent
--                       comment and the video (parent_id stays the local row)
--   own                 written by the account itself (our replies, synced back)
--   can_reply, hidden   what the platform says about replying to it
--   deleted, deleted_at the platform no longer has it (never removed here)
--   edited_at           its text changed on the platform (old text: inbox_edits)
--   assignee            a teammate's OS user name
--   reply_state         the latest reply's state (inbox_replies), for listings
--   source              sync / import / demo
--   synced_at, seen_sweep when a sync last saw it, and in which sweep of its
--                       video (a full sweep marks what it did not see deleted)
-- Foreign keys are off for the step (Migration.rebuilds) and checked before
-- it commits; the indexes are made again for the keyset pages of the tab.
--
-- New tables: inbox_edits (old texts), inbox_replies (each reply, its
-- never-twice journal and job), inbox_reply_steps (its requests), inbox_actions
-- (triage log, for undo), inbox_sync (per-publication cursors and schedule),
-- inbox_accounts (per-account sync state and the "no comment API" sentence).
-- publications gain `imported` (brought in by `accounts sync`), `listed_at`
-- (the platform's video list last showed it) and `gone_at` (a complete list no
-- longer shows a video it showed before; the row is never deleted).

CREATE TABLE inbox_items_v7 (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    publication_id   INTEGER REFERENCES publications(id) ON DELETE SET NULL,
    parent_id        INTEGER REFERENCES inbox_items(id) ON DELETE SET NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('comment', 'dm', 'mention')),
    remote_id        TEXT NOT NULL,
    parent_remote_id TEXT,
    video_remote_id  TEXT,
    author           TEXT NOT NULL,
    body             TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    status           TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'done', 'spam')),
    replied_at       TEXT,
    labels           TEXT NOT NULL DEFAULT '[]',
    own              INTEGER NOT NULL DEFAULT 0 CHECK (own IN (0, 1)),
    can_reply        INTEGER NOT NULL DEFAULT 1 CHECK (can_reply IN (0, 1)),
    hidden           INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    deleted          INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    deleted_at       TEXT,
    edited_at        TEXT,
    like_count       INTEGER,
    assignee         TEXT,
    reply_state      TEXT CHECK (reply_state IN ('pending', 'sent', 'failed')),
    source           TEXT NOT NULL DEFAULT 'sync' CHECK (source IN ('sync', 'import', 'demo')),
    synced_at        TEXT,
    seen_sweep       INTEGER,
    updated_at       TEXT,
    UNIQUE (account_id, remote_id)
);

INSERT INTO inbox_items_v7 (id, account_id, publication_id, parent_id, kind, remote_id, author,
                            body, received_at, status, replied_at, labels, reply_state, source)
SELECT id, account_id, publication_id, parent_id, kind, remote_id, author, body, received_at,
       CASE WHEN status = 'new' THEN 'new' ELSE 'done' END,
       replied_at, tags,
       CASE WHEN status = 'replied' THEN 'sent' ELSE NULL END,
       'sync'
FROM inbox_items;

DROP TABLE inbox_items;
ALTER TABLE inbox_items_v7 RENAME TO inbox_items;

-- The tab's pages: newest first / oldest first, of one state or all (own
-- replies are never listed, so `own` is in each key: a page and its count are index ranges).
CREATE INDEX inbox_received ON inbox_items (own, received_at, id);
CREATE INDEX inbox_status_received ON inbox_items (status, own, received_at, id);
-- Unanswered per account (Today, the tab's accounts line): counts and the oldest from the
-- index alone; listings of one account read their rows through it too.
CREATE INDEX inbox_account_unanswered ON inbox_items (account_id, status, own, deleted, received_at);
CREATE INDEX inbox_publication ON inbox_items (publication_id, received_at);
CREATE INDEX inbox_parent ON inbox_items (parent_id);
CREATE INDEX inbox_author ON inbox_items (account_id, author);

CREATE TABLE inbox_edits (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES inbox_items(id) ON DELETE CASCADE,
    body        TEXT NOT NULL,
    replaced_at TEXT NOT NULL
);
CREATE INDEX inbox_edits_item ON inbox_edits (item_id, id);

CREATE TABLE inbox_replies (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES inbox_items(id) ON DELETE CASCADE,
    body         TEXT NOT NULL CHECK (length(trim(body)) > 0),
    saved_reply  TEXT,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    error        TEXT,
    remote_id    TEXT,
    journal_json TEXT NOT NULL DEFAULT '{}',
    job_id       INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    actor        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    started_at   TEXT,
    sent_at      TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX inbox_replies_item ON inbox_replies (item_id, id);
CREATE INDEX inbox_replies_sent ON inbox_replies (state, sent_at);

CREATE TABLE inbox_reply_steps (
    id         INTEGER PRIMARY KEY,
    reply_id   INTEGER NOT NULL REFERENCES inbox_replies(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    step       TEXT NOT NULL,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     INTEGER,
    elapsed_ms REAL,
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX inbox_reply_steps_reply ON inbox_reply_steps (reply_id, id);

CREATE TABLE inbox_actions (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES inbox_items(id) ON DELETE CASCADE,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    before_json TEXT NOT NULL,
    after_json  TEXT NOT NULL,
    at          TEXT NOT NULL,
    undone_at   TEXT
);
CREATE INDEX inbox_actions_actor ON inbox_actions (actor, id);

CREATE TABLE inbox_sync (
    publication_id INTEGER PRIMARY KEY REFERENCES publications(id) ON DELETE CASCADE,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resume_cursor  TEXT,
    tail_cursor    TEXT,
    high_water     TEXT,
    sweep          INTEGER NOT NULL DEFAULT 0,
    sweep_started  TEXT,
    sweep_full     INTEGER NOT NULL DEFAULT 0 CHECK (sweep_full IN (0, 1)),
    last_synced_at TEXT,
    last_full_at   TEXT,
    next_sync_at   TEXT,
    comments_seen  INTEGER NOT NULL DEFAULT 0,
    error          TEXT
);
CREATE INDEX inbox_sync_next ON inbox_sync (next_sync_at);

CREATE TABLE inbox_accounts (
    account_id         INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    comments_note      TEXT,
    videos_synced_at   TEXT,
    comments_synced_at TEXT,
    last_error         TEXT
);

ALTER TABLE publications ADD COLUMN imported INTEGER NOT NULL DEFAULT 0
    CHECK (imported IN (0, 1));
ALTER TABLE publications ADD COLUMN gone_at TEXT;
ALTER TABLE publications ADD COLUMN listed_at TEXT;
CREATE INDEX publications_remote ON publications (account_id, remote_id);
