-- ReelRoom schema, version 4: one index per sort of the footage library, so
-- a keyset page under any sort is an index range, not a sort of every row.
-- Each expression is written exactly as storage/footage_query.py sorts by it.

CREATE INDEX assets_sort_duration ON assets (coalesce(duration_s, -1.0), id);
CREATE INDEX assets_sort_resolution ON assets (coalesce(display_width * display_height, -1), id);
CREATE INDEX assets_sort_fps ON assets (coalesce(fps, -1.0), id);
CREATE INDEX assets_sort_codec ON assets (coalesce(video_codec, audio_codec, ''), id);
CREATE INDEX assets_sort_size ON assets (size_bytes, id);
CREATE INDEX assets_sort_post ON assets (coalesce(post_id, -1), id);
CREATE INDEX assets_sort_kind ON assets (kind, id);

-- Shoot days on the calendar are read by range of shoot time.
CREATE INDEX posts_shoot_at ON posts (shoot_at);
