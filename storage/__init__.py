"""ReelRoom's model: one database per workspace, a SQLite file or PostgreSQL.

Everything that reads or writes the database lives in this package, and it
imports nothing else of ReelRoom's. Repositories return dataclasses and
write their SQL once, through `store.conn.execute(sql, params)` with `?`
placeholders, in the dialect both engines share; storage/dialect.py is the
one place where SQLite and PostgreSQL differ (storage/pg.py and
storage/pg_store.py carry it out, and are imported only for a PostgreSQL URL).
"""

from storage.db import Store, StoreError

__all__ = ["Store", "StoreError"]
