"""Numbers: metric snapshots, their roll-ups, and the queries the charts read.

Writing (every writer of snapshots goes through these, inside its transaction):
- `writer.record_snapshots(conn, rows)` / `writer.record_account_snapshots(conn, rows)`
- `writer.rebuild_rollups(conn)` (migration 10), `writer.move_post_pillar(conn, …)`
- `rollup`: the arithmetic (gains per UTC quarter-hour, curves at fixed ages)

Reading, for the Numbers tab (all pure reads of the roll-ups; none scans the
raw snapshots except `series.post_daily`, an index range of one post's):
- `series.daily(conn, first, last, zone, flt) -> Series` — one `DayPoint` per
  local day: views, likes, comments, shares, saves, watch time, followers the
  videos brought, follower change, engagement, completion, average view %,
  cumulative views; `flt = days.Filter(account_ids=…, pillar_ids=…)`
  (pillar 0: posts without one)
- `series.post_daily(conn, post_id, first, last, zone, account_ids=None) -> Series`
- `series.followers(conn, first, last, zone, account_ids=None) -> tuple[FollowerPoint]`
- `posts.best_time_grid(conn, zone, since=, until=, flt=, min_count=3) -> BestTimeGrid`
  (7 × 24 `BestTimeCell`s: count and median 48-hour views, None below min_count)
- `posts.compare_groups(conn, "pillar" | "hook", since=, until=, flt=) -> tuple[GroupStats]`
  (count and `stats.Spread` — quartiles — of 48-hour views, engagement,
  completion, average view %)
- `posts.figures(conn, since=, until=, flt=, post_id=) -> list[PublicationFigures]`,
  with the pure `posts.best_time`, `posts.compare`, `posts.ranked` over them
- `posts.post_curves(conn, post_id, since=None) -> tuple[CurveComparison]`
  (each publication's views at each age against its pillar's median and
  quartiles on the same account)
- `schedule`: when each publication is fetched next, the `metrics` jobs
- `export`, `report_rows`: rows for `reelroom metrics export` and the reports

Times in and out are aware datetimes (UTC stored); days are local dates of
the zone given. None always means "not given / not known", never zero.
"""
