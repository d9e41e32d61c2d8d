"""A change made through any of the four doors (admin, API, CLI, task) shows in the object's History view.

The audit trail is the source: `audit_record` writes the matching Wagtail log entry in the same transaction
(insyn/core/log_actions.py), so the History view of every `InsynModelViewSet` lists who did what.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import lxml.html
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken, ModelLogEntry
from wagtail.users.models import UserProfile

from insyn.core.models import AuditEntry, GoverningDocument
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_document, make_municipality, make_organ, make_user_with_role

LAPSED = dt.date(2025, 1, 31)


def _english(user: Any) -> Any:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def _user(organisation: Any, role: str, username: str, first: str, last: str) -> Any:
    return _english(make_user_with_role(organisation, role, username=username, first_name=first, last_name=last))


def _rows(html: str) -> list[str]:
    """The rows of the History table (one per log entry), as text with single spaces."""
    tree = lxml.html.fromstring(html)
    rows = tree.xpath("//table[contains(@class, 'listing') and not(contains(@class, 'insyn-changes'))]/tbody/tr")
    return [" ".join(row.text_content().split()) for row in rows]


def _row_with(rows: list[str], *parts: str) -> str:
    matching = [row for row in rows if all(part in row for part in parts)]
    assert matching, f"no History row with {parts!r} in {rows!r}"
    return matching[0]


@pytest.fixture
def pitea(db: Any) -> dict[str, Any]:
    municipality = make_municipality("Piteå kommun")
    board = make_organ(municipality)
    document = make_document(
        board, title="Dokumenthanteringspolicy", registration_number="KS-1", valid_until=LAPSED, status="in_force"
    )
    return {
        "municipality": municipality,
        "board": board,
        "document": document,
        "admin_door": _user(municipality, "registrar", "anna.admin", "Anna", "Adminsson"),
        "api_door": _user(municipality, "registrar", "bo.api", "Bo", "Apisson"),
        "cli_door": _user(municipality, "registrar", "cia.cli", "Cia", "Clisson"),
    }


def _admin_edit(client: Any, user: Any, document: GoverningDocument, title: str) -> None:
    client.force_login(user)
    response = client.post(
        reverse("governing_documents:edit", args=[document.pk]),
        {
            "organisation": document.organisation_id,
            "title": title,
            "document_type": document.document_type,
            "status": document.status,
            "registration_number": document.registration_number,
            "valid_from": document.valid_from.isoformat() if document.valid_from else "",
            "valid_until": document.valid_until.isoformat() if document.valid_until else "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    client.logout()


def _api_edit(client: Any, user: Any, document: GoverningDocument, title: str) -> None:
    _token, plaintext = APIToken.create_token(user=user, name="history test")
    response = client.patch(
        f"/api/v1/governing-documents/{document.pk}",
        data=json.dumps({"title": title}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {plaintext}",
    )
    assert response.status_code == 200, response.content


def test_an_edit_through_each_door_appears_in_the_documents_history(
    client: Any, pitea: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from insyn.core.tasks import governing_documents_daily

    document = pitea["document"]
    _admin_edit(client, pitea["admin_door"], document, "Policy via admin")
    _api_edit(client, pitea["api_door"], document, "Policy via API")
    call_command("documents", "update", str(document.pk), "--title", "Policy via CLI", "--user", "cia.cli")
    # The task door: the daily job marks the lapsed document expired, as the system actor.
    with django_capture_on_commit_callbacks(execute=True):
        governing_documents_daily.enqueue(run_date=timezone.localdate().isoformat())
    document.refresh_from_db()
    assert document.status == "expired"

    client.force_login(pitea["admin_door"])
    response = client.get(reverse("governing_documents:history", args=[document.pk]))
    assert response.status_code == 200
    rows = _rows(response.text)
    _row_with(rows, "Created", "system", "Dokumenthanteringspolicy")
    _row_with(rows, "Edited", "Anna Adminsson", "Dokumenthanteringspolicy", "Policy via admin")
    _row_with(rows, "Edited", "Bo Apisson", "Policy via admin", "Policy via API")
    _row_with(rows, "Edited", "Cia Clisson", "Policy via API", "Policy via CLI")
    _row_with(rows, "Edited", "system", "Validity ended", "In force", "Expired")
    # One Wagtail log entry per audited change, each pointing at its audit entry.
    audited = AuditEntry.objects.filter(object_type="core.governingdocument", object_id=str(document.pk))
    logged = ModelLogEntry.objects.filter(object_id=str(document.pk), content_type__model="governingdocument")
    assert audited.count() == logged.count() == 5
    assert {entry.data["insyn_audit_entry"] for entry in logged} == set(audited.values_list("pk", flat=True))
    # Bridged back? No: the audit trail holds each change once.
    assert audited.filter(action="update").count() == 4


def test_history_of_another_municipalitys_document_is_404(client: Any, pitea: dict[str, Any]) -> None:
    torsby = make_municipality("Torsby kommun")
    outsider = _user(torsby, "registrar", "olle.torsby", "Olle", "Utsson")
    _admin_edit(client, pitea["admin_door"], pitea["document"], "Hemlig titel")
    client.force_login(outsider)
    response = client.get(reverse("governing_documents:history", args=[pitea["document"].pk]))
    assert response.status_code == 404
    assert "Hemlig titel" not in response.text
    assert "Adminsson" not in response.text


def test_history_shows_sensitive_values_masked(client: Any, pitea: dict[str, Any]) -> None:
    from insyn.officials.services import person_create, person_update

    person = person_create(
        actor=SYSTEM,
        municipality=pitea["municipality"],
        given_name="Anna",
        family_name="Lindberg",
        national_id="19811218-9876",
    )
    person_update(actor=SYSTEM, person=person, given_name="Annie")
    person_update(actor=SYSTEM, person=person, national_id="19701063-2391")  # only the masked field changes
    secretary = _user(pitea["municipality"], "secretary", "sara.sekreterare", "Sara", "Sekreterare")
    client.force_login(secretary)
    response = client.get(reverse("officials_persons:history", args=[person.pk]))
    assert response.status_code == 200
    assert "19811218" not in response.text and "9876" not in response.text
    assert "19701063" not in response.text and "2391" not in response.text
    rows = _rows(response.text)
    _row_with(rows, "Edited", "Anna", "Annie")
    assert "***" in _row_with(rows, "Created", "Lindberg")
    # A new personnummer is a change on the audit trail and in History, its values still masked.
    assert "***" in _row_with(rows, "Edited", "Personal identity number")
    assert AuditEntry.objects.filter(object_id=str(person.pk), changes__national_id=["***", "***"]).exists()


def test_reads_and_logins_stay_off_wagtails_log(client: Any, pitea: dict[str, Any]) -> None:
    from insyn.core.audit import audit_read

    user = pitea["admin_door"]
    before = ModelLogEntry.objects.count()
    audit_read(actor=user, obj=pitea["document"], fields=["owner"])
    client.force_login(user)  # force_login sends user_logged_in: an audited login
    assert AuditEntry.objects.filter(action__in=["read", "login"]).count() >= 2
    assert ModelLogEntry.objects.count() == before


def test_cli_door_without_user_changes_nothing(pitea: dict[str, Any]) -> None:
    document = pitea["document"]
    with pytest.raises(CommandError, match="--user"):
        call_command("documents", "update", str(document.pk), "--title", "Utan användare")
    document.refresh_from_db()
    assert document.title == "Dokumenthanteringspolicy"
