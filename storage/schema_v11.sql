-- ReelRoom schema, version 11: a post's renders found by the post.
-- Today's deliverable progress and a post's detail read them per post; without
-- this index each read walked every render (about 2 ms a post on the large demo).
CREATE INDEX renders_post ON renders (post_id);
