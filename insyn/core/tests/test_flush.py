"""`flush` empties the database although the audit trail and adopted plans refuse DELETE (SQLite triggers)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from insyn.core.db_triggers import sqlite_triggers
from insyn.core.models import AuditEntry
from insyn.core.tests.factories import make_municipality, make_organ
from insyn.records.models import RetentionPlan
from insyn.records.tests.factories import import_plan, make_plan_data


@pytest.mark.django_db(transaction=True)
def test_flush_empties_audit_trail_and_adopted_plans_and_keeps_the_triggers():
    plan = import_plan(make_organ(make_municipality("Piteå kommun")), make_plan_data())
    assert plan.status == "adopted" and AuditEntry.objects.exists()
    triggers_before = sqlite_triggers(connection) if connection.vendor == "sqlite" else []

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEntry.objects.exists() and not RetentionPlan.objects.exists()
    if connection.vendor == "sqlite":
        assert sqlite_triggers(connection) == triggers_before
    # The guards are back: a new entry is append-only again.
    import_plan(make_organ(make_municipality("Torsby kommun")), make_plan_data())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
