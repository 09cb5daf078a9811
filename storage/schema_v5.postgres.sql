-- ReelRoom schema, version 5, on PostgreSQL: the same vocabulary change as
-- schema_v5.sql. PostgreSQL changes a CHECK in place (SQLite has to rebuild
-- the table, which PostgreSQL cannot copy: other tables' foreign keys would
-- follow the dropped one). The constraint names are PostgreSQL's defaults
-- for a column CHECK (<table>_<column>_check).

ALTER TABLE jobs DROP CONSTRAINT jobs_kind_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_kind_check CHECK (kind IN (
    'render', 'publish', 'reply', 'sync', 'metrics', 'noop'));

ALTER TABLE publications DROP CONSTRAINT publications_state_check;
ALTER TABLE publications ADD CONSTRAINT publications_state_check CHECK (state IN (
    'draft', 'scheduled', 'publishing', 'processing', 'published', 'failed', 'cancelled'));
