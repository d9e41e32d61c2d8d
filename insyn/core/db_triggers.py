"""Insyn's guard triggers, and lifting them for the one legitimate mass delete: `flush`.

Two migrations put triggers in the database that refuse row changes:

- `core/0002` (PostgreSQL) and `core/0003` (SQLite): the audit table is append-only;
- `records/0002` (both): an adopted retention plan's content is frozen.

`flush` (the command, and Django's TransactionTestCase / live-server tests, which call it between tests)
empties every table: on SQLite with a `DELETE FROM` per table, which the triggers abort; on PostgreSQL with
TRUNCATE, which FOR EACH ROW triggers don't see today, but a statement trigger (or a later migration) would.
`triggers_lifted` therefore drops every trigger of the database (PostgreSQL: every trigger that isn't
PostgreSQL's own, in the current schema) for the duration and recreates each from the definition the
database kept for it, even when the block fails: exactly the triggers that were there come back.
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


def postgresql_triggers(connection: Any) -> list[tuple[str, str, str]]:
    """(name, table, CREATE TRIGGER statement) of every user trigger in the current schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid)
            FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE NOT t.tgisinternal AND n.nspname = current_schema()
            ORDER BY c.relname, t.tgname
            """
        )
        return [(name, table, sql) for name, table, sql in cursor.fetchall()]


def database_triggers(connection: Any) -> list[tuple[str, str]]:
    """(name, CREATE statement) of every trigger `triggers_lifted` would drop; empty on other databases."""
    if connection.vendor == "sqlite":
        return sqlite_triggers(connection)
    if connection.vendor == "postgresql":
        return [(name, sql) for name, _table, sql in postgresql_triggers(connection)]
    return []


@contextmanager
def triggers_lifted(connection: Any) -> Iterator[None]:
    """Run the block without Insyn's triggers (for `flush`) and put every one back afterwards, also on failure."""
    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":
        triggers = sqlite_triggers(connection)
        drops = [f"DROP TRIGGER IF EXISTS {quote(name)}" for name, _sql in triggers]
    elif connection.vendor == "postgresql":
        found = postgresql_triggers(connection)
        triggers = [(name, sql) for name, _table, sql in found]
        drops = [f"DROP TRIGGER IF EXISTS {quote(name)} ON {quote(table)}" for name, table, _sql in found]
    else:
        yield
        return
    with connection.cursor() as cursor:
        for statement in drops:
            cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in triggers:
                cursor.execute(sql)
