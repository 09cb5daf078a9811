"""The schema's CHECK lists agree with storage/vocab.py, word for word.

Each checked column's `CHECK (column IN (...))` is read from a database
migrated to the latest version, so a migration that changes a CHECK without
the enum (or the other way round) fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storage import Store
from storage.vocab import CHECKED, values

CHECK_IN = r"CHECK\s*\(\s*{column}\s+IN\s*\(([^)]*)\)"


def checked_words(sql: str, column: str) -> tuple[str, ...]:
    """The quoted words of `CHECK (column IN (...))` in a CREATE TABLE statement."""
    found = re.search(CHECK_IN.format(column=re.escape(column)), sql, flags=re.S)
    assert found, f"no CHECK ({column} IN (...)) in {sql[:80]!r}"
    return tuple(re.findall(r"'([^']*)'", found.group(1)))


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    store = Store(Path(tmp_path_factory.mktemp("vocab")) / "reelroom.db")
    rows = store.conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    found = {row["name"]: row["sql"] for row in rows}
    store.close()
    return found


@pytest.mark.parametrize(("table", "column"), sorted(CHECKED))
def test_each_check_lists_exactly_the_enum(tables: dict[str, str], table: str, column: str):
    assert checked_words(tables[table], column) == values(CHECKED[(table, column)])


def test_every_in_list_check_of_the_schema_is_covered(tables: dict[str, str]):
    """A new CHECK (x IN (...)) of words must get an enum and an entry in CHECKED."""
    for table, sql in tables.items():
        for column in re.findall(r"CHECK\s*\(\s*(\w+)\s+IN\s*\(\s*'", sql):
            assert (table, column) in CHECKED, f"{table}.{column} has no enum in storage/vocab.py"
