-- ReelRoom schema, version 6: release (issue 10): accounts' login state, the
-- publish queue's own columns, each publication's step log, platform quotas.
-- Only ADD COLUMN and new tables: no rebuild. Secrets never live here (they
-- are in the owner-only secrets.json in the home).
--   accounts.auth_state        ok / needs_login (a refusal of the refresh token)
--   accounts.auth_error        what the platform said and what to do (no secret)
--   accounts.token_expires_at  a copy of the access token's expiry, for listings
--   accounts.login_expires_at  when a person must log in again (the refresh
--                              token's expiry; without one, the access token's)
--   publications.*             title, privacy, flags (branded content, as a draft), the file and its facts,
--                              preflight, progress, attempts, the never-twice
--                              journal (journal_json), the current job and a
--                              sequence for its idempotency key, times, a note
--   publication_steps          each request and answer (method, path, status,
--                              timing; tokens redacted before they get here)
--   platform_quota             units used per quota scope, bucket and day

ALTER TABLE accounts ADD COLUMN auth_state TEXT NOT NULL DEFAULT 'ok'
    CHECK (auth_state IN ('ok', 'needs_login'));
ALTER TABLE accounts ADD COLUMN auth_error TEXT;
ALTER TABLE accounts ADD COLUMN token_expires_at TEXT;
ALTER TABLE accounts ADD COLUMN login_expires_at TEXT;
ALTER TABLE accounts ADD COLUMN checked_at TEXT;

ALTER TABLE publications ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE publications ADD COLUMN privacy TEXT NOT NULL DEFAULT 'public'
    CHECK (privacy IN ('public', 'private', 'friends', 'unlisted'));
ALTER TABLE publications ADD COLUMN branded_content INTEGER NOT NULL DEFAULT 0
    CHECK (branded_content IN (0, 1));
ALTER TABLE publications ADD COLUMN as_draft INTEGER NOT NULL DEFAULT 0
    CHECK (as_draft IN (0, 1));
ALTER TABLE publications ADD COLUMN file_path TEXT;
ALTER TABLE publications ADD COLUMN media_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE publications ADD COLUMN preflight_json TEXT;
ALTER TABLE publications ADD COLUMN progress REAL
    CHECK (progress IS NULL OR (progress >= 0 AND progress <= 1));
ALTER TABLE publications ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE publications ADD COLUMN journal_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE publications ADD COLUMN job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL;
ALTER TABLE publications ADD COLUMN job_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE publications ADD COLUMN started_at TEXT;
ALTER TABLE publications ADD COLUMN updated_at TEXT;
ALTER TABLE publications ADD COLUMN note TEXT;

CREATE INDEX publications_job ON publications (job_id);
CREATE INDEX publications_account_started ON publications (account_id, started_at);

CREATE TABLE publication_steps (
    id             INTEGER PRIMARY KEY,
    publication_id INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    step           TEXT NOT NULL,
    method         TEXT NOT NULL,
    path           TEXT NOT NULL,
    status         INTEGER,
    elapsed_ms     REAL,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX publication_steps_publication ON publication_steps (publication_id, id);

CREATE TABLE platform_quota (
    scope  TEXT NOT NULL,
    bucket TEXT NOT NULL,
    day    TEXT NOT NULL,
    units  INTEGER NOT NULL DEFAULT 0 CHECK (units >= 0),
    PRIMARY KEY (scope, bucket, day)
);
