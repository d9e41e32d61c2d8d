from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from insyn.core.exceptions import ValidationFailed
from insyn.core.models import DocumentExpiryNotice, GoverningDocument
from insyn.core.rules import due_expiry_thresholds, is_valid_organisation_number
from insyn.core.services.documents import (
    governing_document_replace,
    governing_document_update,
    governing_documents_expire_and_notify,
)
from insyn.core.tests.factories import make_document

TODAY = dt.date(2026, 11, 21)


@pytest.mark.parametrize(
    ("days_left", "sent", "expected"),
    [
        (100, [], []),
        (90, [], [90]),
        (40, [], [90]),
        (40, [90], []),
        (30, [90], [30]),
        (10, [], [30, 90]),
        (0, [90, 30], [0]),
        (-3, [], [0, 30, 90]),
    ],
)
def test_due_expiry_thresholds(days_left, sent, expected):
    until = TODAY + dt.timedelta(days=days_left)
    assert due_expiry_thresholds(until, TODAY, [90, 30, 0], sent) == expected


@pytest.mark.parametrize(
    ("number", "country", "valid"),
    [
        ("212000-2742", "SE", True),
        ("2120002742", "SE", True),
        ("212000-2743", "SE", False),
        ("010101-0101", "SE", False),
        ("123456785", "PL", True),
        ("123456786", "PL", False),
        ("abc", "SE", False),
    ],
)
def test_organisation_number_validation(number, country, valid):
    assert is_valid_organisation_number(number, country) is valid


def test_owner_is_mailed_once_per_threshold(two_municipalities):
    pitea, _ = two_municipalities
    doc = make_document(
        pitea.board, owner=pitea.registrar, registration_number="22KS572", valid_until=TODAY + dt.timedelta(days=40)
    )
    governing_documents_expire_and_notify(today=TODAY)
    assert [m.to for m in mail.outbox] == [[pitea.registrar.email]]
    assert "22KS572" in mail.outbox[0].body
    # Re-running the same day, or on the next, sends nothing more.
    governing_documents_expire_and_notify(today=TODAY)
    governing_documents_expire_and_notify(today=TODAY + dt.timedelta(days=1))
    assert len(mail.outbox) == 1
    # 30 days before: the second reminder; on the day: the last.
    governing_documents_expire_and_notify(today=TODAY + dt.timedelta(days=10))
    governing_documents_expire_and_notify(today=TODAY + dt.timedelta(days=40))
    assert len(mail.outbox) == 3
    assert sorted(
        DocumentExpiryNotice.objects.filter(document=doc, sent=True).values_list("days_before", flat=True)
    ) == [0, 30, 90]


def test_late_registration_sends_only_the_closest_reminder(two_municipalities):
    pitea, _ = two_municipalities
    make_document(pitea.board, owner=pitea.registrar, valid_until=TODAY + dt.timedelta(days=5))
    governing_documents_expire_and_notify(today=TODAY)
    assert len(mail.outbox) == 1
    assert set(DocumentExpiryNotice.objects.values_list("days_before", "sent")) == {(30, True), (90, False)}


def test_new_validity_date_restarts_reminders(two_municipalities):
    pitea, _ = two_municipalities
    doc = make_document(pitea.board, owner=pitea.registrar, valid_until=TODAY + dt.timedelta(days=20))
    governing_documents_expire_and_notify(today=TODAY)
    governing_document_update(actor=pitea.registrar, document=doc, valid_until=TODAY + dt.timedelta(days=80))
    governing_documents_expire_and_notify(today=TODAY)
    assert len(mail.outbox) == 2


def test_past_documents_become_expired_and_are_audited(two_municipalities):
    from insyn.core.models import AuditEntry

    pitea, _ = two_municipalities
    doc = make_document(pitea.board, valid_from=dt.date(2020, 1, 1), valid_until=TODAY - dt.timedelta(days=1))
    result = governing_documents_expire_and_notify(today=TODAY)
    doc.refresh_from_db()
    assert doc.status == "expired" and result["expired"] == 1
    entry = AuditEntry.objects.filter(object_id=str(doc.pk)).latest("id")
    assert entry.changes == {"status": ["in_force", "expired"]} and entry.actor_label == "system"


def test_drafts_and_open_ended_documents_are_not_reminded(two_municipalities):
    pitea, _ = two_municipalities
    make_document(pitea.board, owner=pitea.registrar, status="draft", valid_until=TODAY + dt.timedelta(days=10))
    make_document(pitea.board, owner=pitea.registrar)
    governing_documents_expire_and_notify(today=TODAY)
    assert mail.outbox == []


def test_replace_links_documents_and_requires_replacement(two_municipalities):
    pitea, _torsby = two_municipalities
    new = make_document(pitea.board, status="draft", version="2")
    governing_document_replace(actor=pitea.registrar, document=pitea.document, replacement=new)
    pitea.document.refresh_from_db()
    new.refresh_from_db()
    assert pitea.document.status == "replaced" and pitea.document.replaced_by == new and new.status == "in_force"
    with pytest.raises(ValidationFailed):
        governing_document_update(actor=pitea.registrar, document=new, status="replaced")


def test_database_refuses_replaced_without_replacement(two_municipalities):
    from django.db import IntegrityError, transaction

    pitea, _ = two_municipalities
    with pytest.raises(IntegrityError), transaction.atomic():
        GoverningDocument.objects.filter(pk=pitea.document.pk).update(status="replaced", replaced_by=None)
