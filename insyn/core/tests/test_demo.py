from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management import call_command

from insyn.core import selectors
from insyn.core.audit import audit_verify
from insyn.core.models import AuditEntry, GoverningDocument, Organisation
from insyn.core.roles import ROLES


def test_demo_is_idempotent_and_complete(db, capsys, settings):
    settings.DEBUG = True
    call_command("demo", user="system")
    first = capsys.readouterr().out
    counts = (Organisation.objects.count(), GoverningDocument.objects.count(), get_user_model().objects.count())
    audit_count = AuditEntry.objects.count()
    call_command("demo", user="system")
    assert (Organisation.objects.count(), GoverningDocument.objects.count(), get_user_model().objects.count()) == counts
    assert AuditEntry.objects.count() == audit_count
    names = set(Organisation.objects.filter(parent=None).values_list("name", flat=True))
    assert {"Torsby kommun", "Piteå kommun", "Södertälje kommun"} <= names
    assert "pitea.archivist" in first  # passwords printed in DEBUG
    assert audit_verify()[1] is None
    for role in ROLES:
        assert get_user_model().objects.filter(username=f"pitea.{role.code}").exists()


def test_demo_hides_passwords_without_debug(db, capsys, settings):
    settings.DEBUG = False
    call_command("demo", user="system")
    assert "Demo-" not in capsys.readouterr().out


def test_demo_instruction_22ks572_shows_as_expiring(db):
    call_command("demo", user="system")
    doc = GoverningDocument.objects.get(registration_number="22KS572")
    assert doc.valid_until == dt.date(2026, 12, 31) and doc.status == "in_force"
    it = get_user_model().objects.get(username="pitea.it")
    days_left = (doc.valid_until - dt.date.today()).days
    expiring = selectors.governing_documents_expiring(actor=it, within_days=max(days_left, 0) + 1)
    assert doc in set(expiring)
    torsby_user = get_user_model().objects.get(username="torsby.registrar")
    assert doc not in set(selectors.governing_document_list(actor=torsby_user))
    assert doc.organisation.municipality.name == "Piteå kommun"
