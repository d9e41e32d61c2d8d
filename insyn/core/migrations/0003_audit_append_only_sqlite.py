"""On SQLite too, the audit table refuses UPDATE and DELETE (PostgreSQL has had it since 0002).

`flush` lifts these triggers for its own duration (insyn/core/management/commands/flush.py).
"""

from typing import Any

from django.db import migrations

MESSAGE = "core_auditentry is append-only"
CREATE = [
    f"CREATE TRIGGER core_auditentry_append_only_{op.lower()} BEFORE {op} ON core_auditentry "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} refused'); END;"
    for op in ("UPDATE", "DELETE")
] + [
    # INSERT OR REPLACE deletes the old row without firing DELETE triggers (recursive_triggers is off):
    # an insert onto an existing id is a rewrite, and refused.
    "CREATE TRIGGER core_auditentry_append_only_replace BEFORE INSERT ON core_auditentry "
    "WHEN EXISTS (SELECT 1 FROM core_auditentry WHERE id = NEW.id) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: REPLACE refused'); END;"
]
DROP = [f"DROP TRIGGER IF EXISTS core_auditentry_append_only_{op}" for op in ("update", "delete", "replace")]


def forwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]
    operations = [migrations.RunPython(forwards, backwards)]
