"""Numbers: metric snapshots, their roll-ups, and the aggregations the charts read.

- `writer`   record_snapshots / record_account_snapshots (every writer of
             snapshots calls these), rebuild_rollups, move_post_pillar
- `rollup`   the arithmetic of the roll-ups (gains per quarter-hour, curves)
See each module's docstring; the charts' query functions are listed in
`storage.metrics.queries`.
"""
