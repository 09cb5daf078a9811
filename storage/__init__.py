"""ReelRoom's model: one SQLite file per workspace.

Everything that reads or writes the database lives in this package, and it
imports nothing else of ReelRoom's. Repositories return dataclasses.
"""

from storage.db import Store, StoreError

__all__ = ["Store", "StoreError"]
