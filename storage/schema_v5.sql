-- ReelRoom schema, version 5: the job kinds and publication states the
-- release, community and numbers rooms need (storage/vocab.py is the source
-- of the words; tests/test_vocab.py checks these CHECKs against it).
--   jobs.kind          + 'reply' (send a reply), 'metrics' (fetch numbers)
--   publications.state + 'processing' (uploaded, the platform is working on it)
-- SQLite cannot change a CHECK in place, so both tables are rebuilt the way
-- its documentation prescribes (new table, copy, drop, rename), with foreign
-- keys off for the step (storage/migrations.py: Migration.rebuilds) and
-- checked before it commits. Their indexes are made again.

CREATE TABLE jobs_v5 (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN (
                         'render', 'publish', 'reply', 'sync', 'metrics', 'noop')),
    state            TEXT NOT NULL DEFAULT 'queued' CHECK (state IN (
                         'queued', 'running', 'done', 'failed', 'cancelled', 'dead')),
    priority         INTEGER NOT NULL DEFAULT 0,
    payload_json     TEXT NOT NULL DEFAULT '{}',
    idem_key         TEXT UNIQUE,
    run_at           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     INTEGER NOT NULL DEFAULT 3 CHECK (max_attempts > 0),
    lease_owner      TEXT,
    lease_until      TEXT,
    heartbeat_at     TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    progress         REAL CHECK (progress IS NULL OR (progress >= 0 AND progress <= 1)),
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    started_at       TEXT,
    finished_at      TEXT,
    CHECK (state != 'running' OR lease_owner IS NOT NULL)
);

INSERT INTO jobs_v5 (id, kind, state, priority, payload_json, idem_key, run_at, attempts,
                     max_attempts, lease_owner, lease_until, heartbeat_at, cancel_requested,
                     progress, last_error, created_at, started_at, finished_at)
SELECT id, kind, state, priority, payload_json, idem_key, run_at, attempts, max_attempts,
       lease_owner, lease_until, heartbeat_at, cancel_requested, progress, last_error,
       created_at, started_at, finished_at
FROM jobs;

DROP TABLE jobs;
ALTER TABLE jobs_v5 RENAME TO jobs;
CREATE INDEX jobs_claim ON jobs (state, run_at, priority);
CREATE INDEX jobs_kind_state ON jobs (kind, state);
CREATE INDEX jobs_ready ON jobs (priority DESC, run_at, id)
    WHERE state IN ('queued', 'failed');

CREATE TABLE publications_v5 (
    id             INTEGER PRIMARY KEY,
    post_id        INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    render_job_id  INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    caption        TEXT NOT NULL DEFAULT '',
    scheduled_at   TEXT,
    state          TEXT NOT NULL DEFAULT 'draft' CHECK (state IN (
                       'draft', 'scheduled', 'publishing', 'processing', 'published',
                       'failed', 'cancelled')),
    remote_id      TEXT,
    remote_url     TEXT,
    published_at   TEXT,
    error          TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (post_id, account_id),
    CHECK (state != 'published' OR published_at IS NOT NULL)
);

INSERT INTO publications_v5 (id, post_id, account_id, render_job_id, caption, scheduled_at,
                             state, remote_id, remote_url, published_at, error, created_at)
SELECT id, post_id, account_id, render_job_id, caption, scheduled_at, state, remote_id,
       remote_url, published_at, error, created_at
FROM publications;

DROP TABLE publications;
ALTER TABLE publications_v5 RENAME TO publications;
CREATE INDEX publications_scheduled ON publications (state, scheduled_at);
CREATE INDEX publications_account ON publications (account_id);
