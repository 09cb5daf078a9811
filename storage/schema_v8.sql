-- ReelRoom schema, version 8.
-- The file is marked as a ReelRoom workspace (PRAGMA application_id, set by
-- storage/migrations.py with every step, SQLite's own header field).
-- posts.import_key: one key per imported row (file + row content), so
-- importing the same file again adds nothing (app/posts_import.py).
ALTER TABLE posts ADD COLUMN import_key TEXT;
CREATE UNIQUE INDEX posts_import_key ON posts (import_key);
