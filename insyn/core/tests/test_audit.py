from __future__ import annotations

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from insyn.core.audit import GENESIS_HASH, audit_read, audit_verify
from insyn.core.db_triggers import sqlite_triggers
from insyn.core.models import AuditEntry
from insyn.core.services.documents import governing_document_update


def _tamper(sql: str, params: list[object]) -> None:
    """Change the table behind the application's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only")
            return
        triggers = [t for t in sqlite_triggers(connection) if t[0].startswith("core_auditentry_append_only")]
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        cursor.execute(sql, params)
        for _name, create in triggers:
            cursor.execute(create)


def test_every_service_change_is_chained(two_municipalities):
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].previous_hash == GENESIS_HASH
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.entry_hash
    checked, problem = audit_verify()
    assert problem is None and checked == len(entries)


def test_update_records_old_and_new_values_and_reason(two_municipalities):
    pitea, _ = two_municipalities
    governing_document_update(actor=pitea.registrar, document=pitea.document, version="2.0", reason="Revidering § 12")
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "update"
    assert entry.changes == {"version": ["", "2.0"]}
    assert entry.reason == "Revidering § 12"
    assert entry.actor_label == pitea.registrar.username


def test_unchanged_save_writes_no_entry(two_municipalities):
    pitea, _ = two_municipalities
    count = AuditEntry.objects.count()
    governing_document_update(actor=pitea.registrar, document=pitea.document, title=pitea.document.title)
    assert AuditEntry.objects.count() == count


def test_sensitive_read_is_recorded(two_municipalities):
    pitea, _ = two_municipalities
    audit_read(actor=pitea.registrar, obj=pitea.registrar, fields=["email"], reason="test")
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "read" and entry.changes == {"fields": ["email"]}


@pytest.mark.parametrize("column", ["object_label", "reason", "actor_label"])
def test_verify_names_the_altered_entry(two_municipalities, column):
    target = AuditEntry.objects.order_by("id")[2]
    _tamper(f"UPDATE core_auditentry SET {column} = %s WHERE id = %s", ["förfalskad", target.pk])  # noqa: S608
    _checked, problem = audit_verify()
    assert problem is not None and problem.entry_id == target.pk
    with pytest.raises(CommandError, match=f"#{target.pk}"):
        call_command("audit", "verify")


def test_verify_detects_a_deleted_entry(two_municipalities):
    entries = list(AuditEntry.objects.order_by("id")[:5])
    _tamper("DELETE FROM core_auditentry WHERE id = %s", [entries[2].pk])
    _checked, problem = audit_verify()
    assert problem is not None and problem.entry_id == entries[3].pk


def test_verify_detects_changed_json(two_municipalities):
    target = AuditEntry.objects.filter(action="create").order_by("id")[1]
    changes = dict(target.changes)
    changes["title"] = [None, "Något annat"]
    import json

    _tamper("UPDATE core_auditentry SET changes = %s WHERE id = %s", [json.dumps(changes), target.pk])
    _checked, problem = audit_verify()
    assert problem is not None and problem.entry_id == target.pk


def test_verify_command_succeeds_on_intact_chain(two_municipalities, capsys):
    call_command("audit", "verify")
    assert "intact" in capsys.readouterr().out


def test_database_refuses_update_and_delete(two_municipalities):
    entry = AuditEntry.objects.order_by("id").first()
    for statement in (
        "UPDATE core_auditentry SET reason = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    with pytest.raises(DatabaseError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")


def test_anchor_detects_removed_tail(two_municipalities, capsys):
    call_command("audit", "head")
    anchor = capsys.readouterr().out.strip()
    call_command("audit", "verify", "--anchor", anchor)
    last_id = int(anchor.split(":")[0])
    _tamper("DELETE FROM core_auditentry WHERE id >= %s", [last_id])
    assert audit_verify()[1] is None  # the chain alone cannot see a cut-off tail...
    with pytest.raises(CommandError, match=f"#{last_id}"):
        call_command("audit", "verify", "--anchor", anchor)  # ...the anchor can


def test_orm_cannot_delete_an_entry_either(two_municipalities):
    entry = AuditEntry.objects.order_by("id").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_database_refuses_rewriting_an_entry_by_insert(two_municipalities):
    """SQLite's INSERT OR REPLACE (PostgreSQL's ON CONFLICT DO UPDATE) would rewrite a row around the
    UPDATE and DELETE triggers."""
    entry = AuditEntry.objects.order_by("id").first()
    columns = [f.column for f in AuditEntry._meta.concrete_fields]
    names = ", ".join(columns)
    selected = ", ".join("'forged'" if c == "reason" else c for c in columns)
    if connection.vendor == "sqlite":
        statement = (
            f"INSERT OR REPLACE INTO core_auditentry ({names}) SELECT {selected} FROM core_auditentry WHERE id = %s"  # noqa: S608
        )
    else:
        statement = (
            f"INSERT INTO core_auditentry ({names}) SELECT {selected} FROM core_auditentry WHERE id = %s "  # noqa: S608
            "ON CONFLICT (id) DO UPDATE SET reason = EXCLUDED.reason"
        )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    entry.refresh_from_db()
    assert entry.reason != "forged"


def test_audit_of_a_change_writes_wagtails_log_and_a_deletion_is_marked_deleted(two_municipalities):
    from wagtail.models import ModelLogEntry

    from insyn.core.permissions import SYSTEM
    from insyn.core.services.documents import governing_document_delete

    pitea, _ = two_municipalities
    document_id = str(pitea.document.pk)
    governing_document_update(actor=pitea.registrar, document=pitea.document, title="Ny titel", reason="rättelse")
    edit = ModelLogEntry.objects.get(object_id=document_id, action="wagtail.edit")
    entry = AuditEntry.objects.get(object_id=document_id, action="update")
    assert edit.user_id == pitea.registrar.pk
    assert edit.timestamp == entry.created_at
    assert edit.data["changes"]["title"][1] == "Ny titel" and edit.data["reason"] == "rättelse"
    governing_document_delete(actor=SYSTEM, document=pitea.document)
    deletion = ModelLogEntry.objects.get(object_id=document_id, action="wagtail.delete")
    assert deletion.deleted and deletion.user_id is None
    assert AuditEntry.objects.filter(object_id=document_id, action="delete").count() == 1


def test_system_events_go_to_wagtails_log_under_an_insyn_action(two_municipalities):
    from wagtail.log_actions import registry
    from wagtail.models import ModelLogEntry

    from insyn.core.audit import audit_record
    from insyn.core.models.audit import AuditAction
    from insyn.core.permissions import SYSTEM

    pitea, _ = two_municipalities
    audit_record(actor=SYSTEM, action=AuditAction.SYSTEM, obj=pitea.document, changes={"note": "x"})
    logged = ModelLogEntry.objects.get(object_id=str(pitea.document.pk), action="insyn.system")
    assert registry.action_exists("insyn.system")
    assert logged.user_id is None
