-- ReelRoom schema, version 1: every area of the product.
-- Times are TEXT in UTC, ISO 8601 with a trailing Z (YYYY-MM-DDTHH:MM:SSZ).

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
);

CREATE TABLE pillars (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    color        TEXT NOT NULL DEFAULT 'blue',
    target_share REAL CHECK (target_share IS NULL OR (target_share >= 0 AND target_share <= 1)),
    description  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);

CREATE TABLE accounts (
    id           INTEGER PRIMARY KEY,
    platform     TEXT NOT NULL CHECK (platform IN ('tiktok', 'youtube', 'instagram', 'kuaishou')),
    handle       TEXT NOT NULL CHECK (length(trim(handle)) > 0),
    display_name TEXT NOT NULL DEFAULT '',
    external_id  TEXT,
    created_at   TEXT NOT NULL,
    UNIQUE (platform, handle)
);

CREATE TABLE posts (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL CHECK (length(trim(title)) > 0),
    pillar_id      INTEGER REFERENCES pillars(id) ON DELETE SET NULL,
    status         TEXT NOT NULL DEFAULT 'idea' CHECK (status IN (
                       'idea', 'scripting', 'ready_to_shoot', 'shot', 'editing',
                       'ready', 'scheduled', 'published', 'archived')),
    planned_at     TEXT,
    shoot_at       TEXT,
    target_seconds INTEGER CHECK (target_seconds IS NULL OR target_seconds > 0),
    notes          TEXT NOT NULL DEFAULT '',
    tags           TEXT NOT NULL DEFAULT '[]',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE scripts (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL UNIQUE REFERENCES posts(id) ON DELETE CASCADE,
    template   TEXT,
    body       TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);

CREATE TABLE script_revisions (
    id         INTEGER PRIMARY KEY,
    script_id  INTEGER NOT NULL REFERENCES scripts(id) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT 'save' CHECK (reason IN ('save', 'autosave', 'import', 'restore')),
    created_at TEXT NOT NULL
);

CREATE TABLE shots (
    id          INTEGER PRIMARY KEY,
    post_id     INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    number      INTEGER NOT NULL CHECK (number > 0),
    description TEXT NOT NULL DEFAULT '',
    framing     TEXT NOT NULL DEFAULT '',
    location    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'to_shoot' CHECK (status IN ('to_shoot', 'shot', 'in_edit')),
    UNIQUE (post_id, number)
);

CREATE TABLE assets (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('video', 'audio', 'image')),
    name           TEXT NOT NULL,
    content_key    TEXT UNIQUE,
    full_hash      TEXT,
    size_bytes     INTEGER NOT NULL CHECK (size_bytes >= 0),
    container      TEXT,
    duration_s     REAL,
    bit_rate       INTEGER,
    width          INTEGER,
    height         INTEGER,
    display_width  INTEGER,
    display_height INTEGER,
    rotation       INTEGER NOT NULL DEFAULT 0 CHECK (rotation IN (0, 90, 180, 270)),
    fps            REAL,
    avg_fps        REAL,
    vfr            INTEGER NOT NULL DEFAULT 0 CHECK (vfr IN (0, 1)),
    video_codec    TEXT,
    video_profile  TEXT,
    pix_fmt        TEXT,
    bit_depth      INTEGER,
    audio_codec    TEXT,
    audio_channels INTEGER,
    sample_rate    INTEGER,
    media_created_at TEXT,
    imported_at    TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'missing', 'rejected')),
    reason         TEXT,
    post_id        INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    thumbnail      TEXT,
    tags           TEXT NOT NULL DEFAULT '[]',
    probe_json     TEXT,
    CHECK (status != 'rejected' OR reason IS NOT NULL)
);

CREATE TABLE asset_paths (
    id            INTEGER PRIMARY KEY,
    asset_id      INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    path          TEXT NOT NULL UNIQUE,
    size_bytes    INTEGER NOT NULL,
    mtime_ns      INTEGER NOT NULL,
    present       INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);

CREATE TABLE shot_assets (
    shot_id  INTEGER NOT NULL REFERENCES shots(id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    PRIMARY KEY (shot_id, asset_id)
);

-- One queue for every kind of background work (storage/jobs.py).
CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('render', 'publish', 'sync', 'noop')),
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

CREATE TABLE renders (
    job_id         INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    recipe         TEXT NOT NULL,
    params_json    TEXT NOT NULL DEFAULT '{}',
    clip_ids_json  TEXT NOT NULL DEFAULT '[]',
    post_id        INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    output_path    TEXT,
    argv_json      TEXT,
    speed          REAL,
    eta_s          REAL,
    log_tail       TEXT,
    preflight_json TEXT
);

CREATE TABLE publications (
    id             INTEGER PRIMARY KEY,
    post_id        INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    render_job_id  INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    caption        TEXT NOT NULL DEFAULT '',
    scheduled_at   TEXT,
    state          TEXT NOT NULL DEFAULT 'draft' CHECK (state IN (
                       'draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled')),
    remote_id      TEXT,
    remote_url     TEXT,
    published_at   TEXT,
    error          TEXT,
    created_at     TEXT NOT NULL,
    UNIQUE (post_id, account_id),
    CHECK (state != 'published' OR published_at IS NOT NULL)
);

CREATE TABLE inbox_items (
    id             INTEGER PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    publication_id INTEGER REFERENCES publications(id) ON DELETE SET NULL,
    parent_id      INTEGER REFERENCES inbox_items(id) ON DELETE SET NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('comment', 'dm', 'mention')),
    remote_id      TEXT NOT NULL,
    author         TEXT NOT NULL,
    body           TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'replied', 'resolved', 'ignored')),
    replied_at     TEXT,
    tags           TEXT NOT NULL DEFAULT '[]',
    UNIQUE (account_id, remote_id)
);

CREATE TABLE saved_replies (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Cumulative counters of one publication at one moment.
CREATE TABLE metric_snapshots (
    id               INTEGER PRIMARY KEY,
    publication_id   INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    captured_at      TEXT NOT NULL,
    views            INTEGER NOT NULL DEFAULT 0 CHECK (views >= 0),
    likes            INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0),
    comments         INTEGER NOT NULL DEFAULT 0 CHECK (comments >= 0),
    shares           INTEGER NOT NULL DEFAULT 0 CHECK (shares >= 0),
    saves            INTEGER NOT NULL DEFAULT 0 CHECK (saves >= 0),
    followers_gained INTEGER NOT NULL DEFAULT 0,
    watch_time_s     REAL NOT NULL DEFAULT 0,
    avg_view_s       REAL,
    completion_rate  REAL CHECK (completion_rate IS NULL OR (completion_rate >= 0 AND completion_rate <= 1)),
    UNIQUE (publication_id, captured_at)
);

CREATE TABLE partners (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    contact    TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE deals (
    id          INTEGER PRIMARY KEY,
    partner_id  INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    fee_cents   INTEGER NOT NULL DEFAULT 0 CHECK (fee_cents >= 0),
    currency    TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
    status      TEXT NOT NULL DEFAULT 'lead' CHECK (status IN (
                    'lead', 'negotiating', 'signed', 'delivering', 'invoiced', 'paid', 'cancelled')),
    disclosure  TEXT NOT NULL DEFAULT '#ad',
    signed_at   TEXT,
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE deliverables (
    id          INTEGER PRIMARY KEY,
    deal_id     INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    post_id     INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    description TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'submitted', 'approved', 'done')),
    created_at  TEXT NOT NULL
);

CREATE TABLE posting_slots (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    weekday    INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    local_time TEXT NOT NULL CHECK (local_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    UNIQUE (account_id, weekday, local_time)
);

-- Long-running processes (watcher, worker) announce themselves here.
CREATE TABLE processes (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('worker', 'watch', 'tui')),
    host         TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    info_json    TEXT NOT NULL DEFAULT '{}',
    started_at   TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   INTEGER,
    detail_json TEXT NOT NULL DEFAULT '{}'
);
