-- ReelRoom schema, version 10: numbers (issue 12, issue 9 §2).
--   metric_snapshots  rebuilt: a count a platform does not give is NULL, never 0
--                     (the NOT NULL DEFAULT 0 of v1 could not say "not given"),
--                     plus reach, total_interactions, avg_view_pct (YouTube's
--                     averageViewPercentage; may pass 100 on looping shorts)
--                     and where the row came from (source)
--   account_snapshots follower counts of an account over time
--   metric_buckets    roll-up: the gains of every snapshot, summed per UTC
--                     quarter-hour, account and pillar (storage/metrics/rollup.py)
--   metric_curve      roll-up: each publication's cumulative numbers at fixed
--                     ages (1 h … 90 days after it went out)
--   metric_pubs       roll-up: one row per publication with numbers: its post,
--                     account and time out (copied for one-table reads), its
--                     newest numbers, its numbers at 48 hours, snapshot times
-- The roll-ups of an existing workspace are built by the Python step of this
-- migration (storage/migrations.py: Migration.python), from the snapshots.
-- Existing rows keep their numbers: a 0 written by v1 stays a 0.

CREATE TABLE metric_snapshots_v8 (
    id                 INTEGER PRIMARY KEY,
    publication_id     INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    captured_at        TEXT NOT NULL,
    views              INTEGER CHECK (views IS NULL OR views >= 0),
    likes              INTEGER CHECK (likes IS NULL OR likes >= 0),
    comments           INTEGER CHECK (comments IS NULL OR comments >= 0),
    shares             INTEGER CHECK (shares IS NULL OR shares >= 0),
    saves              INTEGER CHECK (saves IS NULL OR saves >= 0),
    followers_gained   INTEGER,
    watch_time_s       REAL CHECK (watch_time_s IS NULL OR watch_time_s >= 0),
    avg_view_s         REAL CHECK (avg_view_s IS NULL OR avg_view_s >= 0),
    completion_rate    REAL CHECK (completion_rate IS NULL OR (completion_rate >= 0 AND completion_rate <= 1)),
    reach              INTEGER CHECK (reach IS NULL OR reach >= 0),
    total_interactions INTEGER CHECK (total_interactions IS NULL OR total_interactions >= 0),
    avg_view_pct       REAL CHECK (avg_view_pct IS NULL OR avg_view_pct >= 0),
    source             TEXT NOT NULL DEFAULT 'sync' CHECK (source IN ('sync', 'import', 'demo')),
    UNIQUE (publication_id, captured_at)
);

INSERT INTO metric_snapshots_v8 (id, publication_id, captured_at, views, likes, comments, shares,
                                 saves, followers_gained, watch_time_s, avg_view_s,
                                 completion_rate, source)
SELECT id, publication_id, captured_at, views, likes, comments, shares, saves, followers_gained,
       watch_time_s, avg_view_s, completion_rate, 'sync'
FROM metric_snapshots;

DROP TABLE metric_snapshots;
ALTER TABLE metric_snapshots_v8 RENAME TO metric_snapshots;
CREATE INDEX metric_snapshots_captured ON metric_snapshots (captured_at, publication_id);

CREATE TABLE account_snapshots (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    captured_at TEXT NOT NULL,
    followers   INTEGER CHECK (followers IS NULL OR followers >= 0),
    source      TEXT NOT NULL DEFAULT 'sync' CHECK (source IN ('sync', 'import', 'demo')),
    UNIQUE (account_id, captured_at)
);

-- Gains (a snapshot's value minus the publication's previous value of that
-- number) summed per quarter-hour. NULL: no snapshot there gave that number.
-- completed/completion_views and pct_views/pct_base are the numerators and
-- denominators of completion and average view percentage (see rollup.py);
-- follower_change comes from account_snapshots (pillar_id 0).
CREATE TABLE metric_buckets (
    bucket_at        TEXT NOT NULL,
    account_id       INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    pillar_id        INTEGER NOT NULL DEFAULT 0,
    snapshots        INTEGER NOT NULL DEFAULT 0,
    views            INTEGER,
    likes            INTEGER,
    comments         INTEGER,
    shares           INTEGER,
    saves            INTEGER,
    followers_gained INTEGER,
    watch_time_s     REAL,
    completed        REAL,
    completion_views INTEGER,
    pct_views        REAL,
    pct_base         INTEGER,
    follower_change  INTEGER,
    PRIMARY KEY (bucket_at, account_id, pillar_id)
);

CREATE TABLE metric_curve (
    publication_id   INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    age_h            INTEGER NOT NULL CHECK (age_h > 0),
    views            INTEGER,
    likes            INTEGER,
    comments         INTEGER,
    shares           INTEGER,
    saves            INTEGER,
    followers_gained INTEGER,
    watch_time_s     REAL,
    completion_rate  REAL,
    avg_view_pct     REAL,
    PRIMARY KEY (publication_id, age_h)
);
CREATE INDEX metric_curve_age ON metric_curve (age_h, publication_id);

CREATE TABLE metric_pubs (
    publication_id   INTEGER PRIMARY KEY REFERENCES publications(id) ON DELETE CASCADE,
    post_id          INTEGER NOT NULL,
    account_id       INTEGER NOT NULL,
    published_at     TEXT,
    first_at         TEXT NOT NULL,
    last_at          TEXT NOT NULL,
    snapshots        INTEGER NOT NULL,
    views            INTEGER,
    likes            INTEGER,
    comments         INTEGER,
    shares           INTEGER,
    saves            INTEGER,
    followers_gained INTEGER,
    watch_time_s     REAL,
    completion_rate  REAL,
    avg_view_pct     REAL,
    views_48h        INTEGER,
    likes_48h        INTEGER,
    comments_48h     INTEGER,
    shares_48h       INTEGER,
    saves_48h        INTEGER,
    completion_48h   REAL,
    avg_view_pct_48h REAL
);
CREATE INDEX metric_pubs_published ON metric_pubs (published_at);
CREATE INDEX metric_pubs_account ON metric_pubs (account_id, published_at);

-- Reports and charts pick publications by when they went out.
CREATE INDEX publications_published ON publications (published_at);
