"""Insyn's guard triggers, and lifting them for the one legitimate mass delete: `flush`.

Two migrations put triggers in the database that refuse row changes:

- `core/0002` (PostgreSQL) and `core/0003` (SQLite): the audit table is append-only;
- `records/0002` (both): an adopted retention plan's content is frozen.

`flush` (the command, and Django's TransactionTestCase / live-server tests, which call it between tests)
empties every table. On PostgreSQL it uses TRUNCATE, which FOR EACH ROW triggers never see, so nothing
is needed there. On SQLite it is a `DELETE FROM` per table, which the triggers abort: `triggers_lifted`
drops every trigger for the duration and recreates each from the SQL SQLite kept for it, so exactly the
triggers that were there come back, in the same transaction when there is one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def sqlite_triggers(connection: Any) -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement) of every trigger in a SQLite database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return [(name, sql) for name, sql in cursor.fetchall()]


@contextmanager
def triggers_lifted(connection: Any) -> Iterator[None]:
    """Run the block without row triggers on SQLite (for `flush`); a no-op on other databases."""
    if connection.vendor != "sqlite":
        yield
        return
    triggers = sqlite_triggers(connection)
    with connection.cursor() as cursor:
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
