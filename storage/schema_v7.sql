-- ReelRoom schema, version 7: deals (issue 13, cooperation).
--   deals.status        the pipeline lead → negotiating → contracted →
--                       in_production → delivered → invoiced → paid, or lost
--                       (signed → contracted, delivering → in_production,
--                       cancelled → lost); fee_cents becomes fee_minor (the
--                       currency's minor units: JPY has none, KWD three);
--                       usage rights, exclusivity window, contact, dates and
--                       the promised figures (JSON) are new
--   deliverables.status to_do → draft_sent → changes_asked → approved → live
--                       (pending → to_do, submitted → draft_sent,
--                       done → live); platforms, required hashtags, mentions
--                       and links, the disclosure asked for, whether the
--                       brand approves a draft first, when it went live
--   deliverable_posts   a deliverable's posts (one or more; was post_id)
--   partners            + category and competitors (exclusivity)
--   publications        + disclosure_override: why the gate was overridden
--   invoices            one or more per deal: number, amount, issued, due, paid
--   deal_reports        the sponsor report of a deliverable at a checkpoint, kept
--   events_entity       a deal's (or any entity's) events without a scan
-- SQLite cannot change a CHECK in place, so deals and deliverables are rebuilt
-- as its documentation prescribes (new table, copy, drop, rename) with foreign
-- keys off for the step (storage/migrations.py: Migration.rebuilds), checked
-- before it commits; their indexes are made again. schema_v7.postgres.sql does
-- the same in place on PostgreSQL.

ALTER TABLE partners ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE partners ADD COLUMN competitors TEXT NOT NULL DEFAULT '[]';

ALTER TABLE publications ADD COLUMN disclosure_override TEXT;

CREATE TABLE deals_v9 (
    id              INTEGER PRIMARY KEY,
    partner_id      INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    fee_minor       INTEGER NOT NULL DEFAULT 0 CHECK (fee_minor >= 0),
    currency        TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
    status          TEXT NOT NULL DEFAULT 'lead' CHECK (status IN (
                        'lead', 'negotiating', 'contracted', 'in_production', 'delivered',
                        'invoiced', 'paid', 'lost')),
    disclosure      TEXT NOT NULL DEFAULT '#ad',
    usage_rights    TEXT NOT NULL DEFAULT '',
    exclusive_from  TEXT,
    exclusive_until TEXT,
    contact         TEXT NOT NULL DEFAULT '',
    promised_json   TEXT NOT NULL DEFAULT '{}',
    signed_at       TEXT,
    starts_at       TEXT,
    ends_at         TEXT,
    notes           TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    updated_at      TEXT,
    CHECK (exclusive_from IS NULL OR exclusive_until IS NULL OR exclusive_from <= exclusive_until)
);

INSERT INTO deals_v9 (id, partner_id, title, fee_minor, currency, status, disclosure, signed_at,
                      notes, created_at, updated_at)
SELECT id, partner_id, title, fee_cents, currency,
       CASE status WHEN 'signed' THEN 'contracted' WHEN 'delivering' THEN 'in_production'
                   WHEN 'cancelled' THEN 'lost' ELSE status END,
       disclosure, signed_at, notes, created_at, created_at
FROM deals;

CREATE TABLE deliverables_v9 (
    id          INTEGER PRIMARY KEY,
    deal_id     INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    due_at      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'to_do' CHECK (status IN (
                    'to_do', 'draft_sent', 'changes_asked', 'approved', 'live')),
    platforms   TEXT NOT NULL DEFAULT '[]',
    hashtags    TEXT NOT NULL DEFAULT '[]',
    mentions    TEXT NOT NULL DEFAULT '[]',
    links       TEXT NOT NULL DEFAULT '[]',
    disclosure  TEXT NOT NULL DEFAULT '["hashtag"]',
    approval    INTEGER NOT NULL DEFAULT 0 CHECK (approval IN (0, 1)),
    live_at     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT
);

INSERT INTO deliverables_v9 (id, deal_id, description, due_at, status, live_at, created_at,
                             updated_at)
SELECT id, deal_id, description, due_at,
       CASE status WHEN 'pending' THEN 'to_do' WHEN 'submitted' THEN 'draft_sent'
                   WHEN 'done' THEN 'live' ELSE status END,
       CASE WHEN status = 'done' THEN COALESCE(
           (SELECT min(publications.published_at) FROM publications
            WHERE publications.post_id = deliverables.post_id
              AND publications.state = 'published'),
           due_at) END,
       created_at, created_at
FROM deliverables;

CREATE TABLE deliverable_posts (
    deliverable_id INTEGER NOT NULL REFERENCES deliverables(id) ON DELETE CASCADE,
    post_id        INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (deliverable_id, post_id)
);

INSERT INTO deliverable_posts (deliverable_id, post_id)
SELECT id, post_id FROM deliverables WHERE post_id IS NOT NULL;

DROP TABLE deliverables;
DROP TABLE deals;
ALTER TABLE deals_v9 RENAME TO deals;
ALTER TABLE deliverables_v9 RENAME TO deliverables;

CREATE INDEX deals_partner ON deals (partner_id);
CREATE INDEX deals_status ON deals (status, id);
CREATE INDEX deliverables_due ON deliverables (status, due_at);
CREATE INDEX deliverables_deal ON deliverables (deal_id, due_at);
CREATE INDEX deliverable_posts_post ON deliverable_posts (post_id);

CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    deal_id      INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    number       TEXT NOT NULL UNIQUE CHECK (length(trim(number)) > 0),
    amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    issued_at    TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    paid_at      TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX invoices_deal ON invoices (deal_id);
CREATE INDEX invoices_open ON invoices (paid_at, due_at);

CREATE TABLE deal_reports (
    id               INTEGER PRIMARY KEY,
    deal_id          INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,
    deliverable_id   INTEGER NOT NULL REFERENCES deliverables(id) ON DELETE CASCADE,
    checkpoint_hours INTEGER NOT NULL CHECK (checkpoint_hours > 0),
    due_at           TEXT NOT NULL,
    assembled_at     TEXT NOT NULL,
    figures_json     TEXT NOT NULL,
    UNIQUE (deliverable_id, checkpoint_hours)
);
CREATE INDEX deal_reports_deal ON deal_reports (deal_id, checkpoint_hours);

CREATE INDEX events_entity ON events (entity, entity_id, id);
