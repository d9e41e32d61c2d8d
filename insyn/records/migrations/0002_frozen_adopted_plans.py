"""The database itself refuses changes to an adopted (or replaced) plan's content.

Services check first and give a clear message; these triggers make sure no
other path (a raw query, a future bug) can alter an adopted plan.
"""

from typing import Any

from django.db import migrations

CONTENT_TABLES = {
    # table: SQL giving the plan id of the row (ROW stands for OLD or NEW)
    "records_classificationnode": "ROW.plan_id",
    "records_activity": "ROW.plan_id",
    "records_documenttype": "ROW.plan_id",
    "records_planrevision": "ROW.plan_id",
    "records_documenttype_it_systems": "(SELECT plan_id FROM records_documenttype WHERE id = ROW.documenttype_id)",
}
PLAN_FIELDS = [
    "title",
    "scope",
    "classification",
    "adopted_by",
    "adopted_on",
    "paragraph",
    "version",
    "organisation_id",
    "previous_version_id",
]
MESSAGE = "retention plan is adopted: its content is frozen"


def _status_of(expr: str) -> str:
    return f"(SELECT status FROM records_retentionplan WHERE id = {expr})"


def sqlite_sql() -> list[str]:
    statements = []
    for table, plan_expr in CONTENT_TABLES.items():
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            status = _status_of(plan_expr.replace("ROW", row))
            statements.append(
                f"CREATE TRIGGER {table}_frozen_{op.lower()} BEFORE {op} ON {table} "
                f"WHEN {status} <> 'draft' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
    changed = " OR ".join(f"NEW.{f} IS NOT OLD.{f}" for f in PLAN_FIELDS)
    statements.append(
        "CREATE TRIGGER records_retentionplan_frozen_update BEFORE UPDATE ON records_retentionplan "
        f"WHEN OLD.status <> 'draft' AND ({changed} OR NOT (NEW.status = OLD.status OR "
        "(OLD.status = 'adopted' AND NEW.status = 'replaced'))) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
    )
    statements.append(
        "CREATE TRIGGER records_retentionplan_frozen_delete BEFORE DELETE ON records_retentionplan "
        f"WHEN OLD.status <> 'draft' BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
    )
    return statements


def postgresql_sql() -> list[str]:
    statements = []
    for table, plan_expr in CONTENT_TABLES.items():
        old_status = _status_of(plan_expr.replace("ROW", "OLD"))
        new_status = _status_of(plan_expr.replace("ROW", "NEW"))
        statements.append(
            f"""
CREATE OR REPLACE FUNCTION {table}_frozen() RETURNS trigger AS $$
BEGIN
    IF (TG_OP IN ('UPDATE', 'DELETE') AND {old_status} <> 'draft')
       OR (TG_OP IN ('INSERT', 'UPDATE') AND {new_status} <> 'draft') THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_frozen();
"""
        )
    changed = " OR ".join(f"NEW.{f} IS DISTINCT FROM OLD.{f}" for f in PLAN_FIELDS)
    statements.append(
        f"""
CREATE OR REPLACE FUNCTION records_retentionplan_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status <> 'draft' THEN
        IF TG_OP = 'DELETE' OR {changed}
           OR NOT (NEW.status = OLD.status OR (OLD.status = 'adopted' AND NEW.status = 'replaced')) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_retentionplan_frozen BEFORE UPDATE OR DELETE ON records_retentionplan
    FOR EACH ROW EXECUTE FUNCTION records_retentionplan_frozen();
"""
    )
    return statements


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = sqlite_sql() if vendor == "sqlite" else postgresql_sql() if vendor == "postgresql" else []
    for statement in statements:
        schema_editor.execute(statement, params=None)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in [*CONTENT_TABLES, "records_retentionplan"]:
        if vendor == "sqlite":
            for op in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen_{op}", params=None)
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_frozen()", params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
