-- ReelRoom schema, version 2: indexes for the hot reads (Today, calendar
-- ranges, the footage library, the job queue, metric windows).

CREATE INDEX posts_planned_at ON posts (planned_at);
CREATE INDEX posts_status_planned ON posts (status, planned_at);
CREATE INDEX posts_pillar ON posts (pillar_id);
CREATE INDEX assets_imported ON assets (imported_at, id);
CREATE INDEX assets_name ON assets (name, id);
CREATE INDEX assets_status ON assets (status);
CREATE INDEX assets_post ON assets (post_id);
CREATE INDEX asset_paths_asset ON asset_paths (asset_id);
CREATE INDEX jobs_claim ON jobs (state, run_at, priority);
CREATE INDEX jobs_kind_state ON jobs (kind, state);
CREATE INDEX publications_scheduled ON publications (state, scheduled_at);
CREATE INDEX publications_account ON publications (account_id);
CREATE INDEX inbox_status_received ON inbox_items (status, received_at);
CREATE INDEX metric_snapshots_captured ON metric_snapshots (captured_at, publication_id);
CREATE INDEX deliverables_due ON deliverables (status, due_at);
CREATE INDEX deals_partner ON deals (partner_id);
CREATE INDEX events_at ON events (at);
