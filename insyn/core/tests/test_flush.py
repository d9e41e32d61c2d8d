"""`flush` empties the database although the audit trail and adopted plans refuse changes (their triggers),
on SQLite and PostgreSQL, and the triggers are back afterwards, also when the flush fails."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from insyn.core.db_triggers import database_triggers, triggers_lifted
from insyn.core.models import AuditEntry
from insyn.core.tests.factories import make_municipality, make_organ
from insyn.records.models import RetentionPlan
from insyn.records.tests.factories import import_plan, make_plan_data


def audit_update_is_refused() -> bool:
    entry = AuditEntry.objects.order_by("pk").first()
    assert entry is not None
    try:
        with transaction.atomic():
            AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    except DatabaseError:
        return True
    return False


@pytest.mark.django_db(transaction=True)
def test_flush_empties_audit_trail_and_adopted_plans_and_keeps_the_triggers():
    plan = import_plan(make_organ(make_municipality("Piteå kommun")), make_plan_data())
    assert plan.status == "adopted" and AuditEntry.objects.exists()
    triggers_before = database_triggers(connection)
    assert triggers_before, "the migrations put guard triggers in the database"
    assert audit_update_is_refused()

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists() and not RetentionPlan.objects.exists()
    assert database_triggers(connection) == triggers_before
    # The guards are back: a new entry is append-only again.
    import_plan(make_organ(make_municipality("Torsby kommun")), make_plan_data())
    assert audit_update_is_refused()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_the_triggers_come_back_when_the_flush_fails():
    import_plan(make_organ(make_municipality("Piteå kommun")), make_plan_data())
    triggers_before = database_triggers(connection)

    with pytest.raises(RuntimeError), triggers_lifted(connection):
        assert database_triggers(connection) == []
        raise RuntimeError("the flush failed half-way")

    assert database_triggers(connection) == triggers_before
    assert audit_update_is_refused()
