"""Levels a plan file does not have stay blank: no invented codes or names (issue 8).

On SQLite, dropping the unconditional unique constraint rebuilds `records_classificationnode`, which
drops its frozen-plan triggers and fails on triggers of other tables that name it. The triggers that
mention the rebuilt tables are lifted first and created again, from the SQL SQLite kept, afterwards
(as in 0004). PostgreSQL changes the constraint in place and needs nothing.
"""

from typing import Any

from django.db import migrations, models

TABLES = ("records_classificationnode", "records_activity")
# Per connection alias: the (name, sql) of the triggers lifted by `lift`, for `restore`.
_LIFTED: dict[str, list[tuple[str, str]]] = {}


def lift(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    triggers: list[tuple[str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = [(name, sql) for name, sql in cursor.fetchall() if any(table in sql for table in TABLES)]
        for name, _sql in triggers:
            cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    _LIFTED[connection.alias] = triggers


def restore(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for _name, sql in _LIFTED.pop(connection.alias, []):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_documenttype_reference_extra_columns"),
    ]

    operations = [
        migrations.RunPython(lift, restore),
        migrations.RemoveConstraint(
            model_name="classificationnode",
            name="node_code_unique_per_plan",
        ),
        migrations.AlterField(
            model_name="activity",
            name="name",
            field=models.CharField(blank=True, max_length=300, verbose_name="activity"),
        ),
        migrations.AlterField(
            model_name="classificationnode",
            name="code",
            field=models.CharField(blank=True, max_length=40, verbose_name="code"),
        ),
        migrations.AlterField(
            model_name="classificationnode",
            name="name",
            field=models.CharField(blank=True, max_length=300, verbose_name="name"),
        ),
        migrations.AddConstraint(
            model_name="classificationnode",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True),
                fields=("plan", "level", "code"),
                name="node_code_unique_per_plan",
            ),
        ),
        migrations.RunPython(restore, lift),
    ]
