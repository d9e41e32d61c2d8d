"""The register in the admin: list, register page with warnings, the activity form (every ActivityData field,
through `activity_save`), approval refused and granted, versions and their diff, another municipality's 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.models import ApprovalStatus, ProcessingActivity, Register, RegisterVersion
from insyn.privacy.services.register import activity_save
from insyn.privacy.tests.test_register_services import Sodertalje, activity, build
from insyn.records.tests.factories import import_plan, make_plan_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def s(db: Any) -> Sodertalje:
    return build()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _formset(prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "100",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def _post(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Hantering av färdtjänst",
        "purposes": "Ansökan om färdtjänst\nUtredning av ansökan",
        "data_subject_categories": ["citizen_voter"],
        "sources": ["subject", "internal"],
        "retention_text": "Gallras efter 3 år",
        "dpia_need": "not_needed",
    }
    data.update(_formset("legal_bases", [{"article": "6.1.e", "reference": "Lag (1997:736) om färdtjänst"}]))
    data.update(
        _formset(
            "personal_data_categories",
            [
                {"key": "se.personnummer", "subject": "", "national_id_reason": ""},
                {"key": "se.uppgift_om_halsa", "subject": "citizen_voter", "art9_condition": "9.2.h"},
            ],
        )
    )
    data.update(_formset("recipients", [{"kind": "named", "name": "Region Stockholm", "country": ""}]))
    data.update(_formset("processors", [{"name": "Taxibolaget AB", "agreement_reference": "PUB-2023-4"}]))
    data.update(
        _formset(
            "transfers",
            [{"country": "us", "mechanism": "adequacy", "mechanism_reference": "EU–US Data Privacy Framework"}],
        )
    )
    data.update(_formset("systems", [{"name": "Troman", "hosting_location": "Sverige", "hosting_country": "se"}]))
    data.update(fields)
    return data


def test_register_list_shows_status_version_and_warning_count(s: Sodertalje) -> None:
    activity_save(
        actor=s.contact, register=s.register, data=activity(legal_bases=[{"article": "6.1.f", "reference": ""}])
    )
    response = _client(s.dpo).get("/admin/privacy/registers/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Kommunstyrelsens personuppgiftsbehandlingar" in body
    table = response.context["table"]
    assert [row.instance for row in table.rows] == [s.register]
    warnings_column = next(column for column in table.columns.values() if column.name == "warnings")
    # Art. 6(1)(f) for an authority is one of the register checks' warnings.
    assert warnings_column.get_value(s.register) >= 1
    assert s.register.status == ApprovalStatus.DRAFT


def test_activity_form_saves_every_part_through_the_service(s: Sodertalje) -> None:
    client = _client(s.contact)
    form = client.get(f"/admin/privacy/register/{s.register.pk}/activity/new/")
    assert form.status_code == 200
    # The document-type picker offers the rows of the municipality's adopted plan only.
    offered = dict(form.context["form"].fields["document_types"].choices)
    assert set(offered) == {str(pk) for pk in s.plan_row_ids}
    response = client.post(
        f"/admin/privacy/register/{s.register.pk}/activity/new/", _post(document_types=[str(s.plan_row_ids[0])])
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    saved = ProcessingActivity.objects.get(register=s.register)
    assert saved.purposes == ["Ansökan om färdtjänst", "Utredning av ansökan"]
    assert [b.article for b in saved.legal_bases.all()] == ["6.1.e"]
    assert [t.country for t in saved.transfers.all()] == ["US"]
    assert [p.name for p in saved.processors.all()] == ["Taxibolaget AB"]
    assert [d.pk for d in saved.document_types.all()] == [s.plan_row_ids[0]]
    assert [system.name for system in saved.systems.all()] == ["Troman"]
    health = saved.data.get(category__key="se.uppgift_om_halsa")
    assert health.art9_condition == "9.2.h" and health.subject is not None


def test_warnings_are_shown_beside_their_fields(s: Sodertalje) -> None:
    data = activity()
    data["personal_data_categories"][0]["national_id_reason"] = ""
    saved = activity_save(actor=s.contact, register=s.register, data=data)
    with translation.override("en"):
        response = _client(s.contact).get(f"/admin/privacy/activity/{saved.pk}/")
    assert response.status_code == 200
    formsets = {entry["name"]: entry for entry in response.context["formsets"]}
    codes = [w["code"] for w in formsets["personal_data_categories"]["warnings"]]
    assert "national_id_without_reason" in codes
    body = response.content.decode()
    section = body.split('id="formset-personal_data_categories"')[1].split("</fieldset>")[0]
    assert 'data-code="national_id_without_reason"' in section
    # The form is filled from the activity as data.
    assert response.context["form"]["name"].value() == "Hantering av färdtjänst"


def test_approval_refused_names_the_missing_fields_then_granted(s: Sodertalje) -> None:
    incomplete = activity_save(actor=s.contact, register=s.register, data=activity(purposes=[]))
    client = _client(s.dpo)
    with translation.override("en"):
        response = client.post(f"/admin/privacy/activity/{incomplete.pk}/approve/", follow=True)
    assert "purposes" in " ".join(str(m) for m in response.context["messages"])
    incomplete.refresh_from_db()
    assert incomplete.status == ApprovalStatus.DRAFT
    activity_save(actor=s.contact, register=s.register, data=activity(), activity=incomplete)
    client.post(f"/admin/privacy/activity/{incomplete.pk}/approve/")
    incomplete.refresh_from_db()
    assert incomplete.status == ApprovalStatus.APPROVED


def test_controller_contact_cannot_approve(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    response = _client(s.contact).post(f"/admin/privacy/register/{s.register.pk}/approve/", {"note": ""})
    assert response.status_code in (302, 403)
    assert not RegisterVersion.objects.filter(register=s.register).exists()
    saved.refresh_from_db()
    assert saved.status == ApprovalStatus.DRAFT


def test_register_approval_makes_a_version_and_two_versions_compare_by_field(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    client = _client(s.dpo)
    client.post(f"/admin/privacy/register/{s.register.pk}/approve/", {"note": "Första"})
    changed = activity(recipients=[{"kind": "named", "name": "Region Stockholm"}, {"kind": "named", "name": "SL"}])
    activity_save(actor=s.contact, register=s.register, data=changed, activity=saved)
    client.post(f"/admin/privacy/register/{s.register.pk}/approve/", {"note": "Andra"})
    assert list(RegisterVersion.objects.filter(register=s.register).values_list("number", flat=True)) == [2, 1]
    page = client.get(f"/admin/privacy/register/{s.register.pk}/")
    assert page.status_code == 200 and [v.number for v in page.context["versions"]] == [2, 1]
    response = client.get(f"/admin/privacy/register/{s.register.pk}/versions/?a=1&b=2")
    assert response.status_code == 200
    rows = response.context["diff_rows"]
    assert [row["where"] for row in rows] == ["Hantering av färdtjänst: recipients"]
    assert "SL" in rows[0]["new"] and "SL" not in rows[0]["old"]


def test_register_is_created_for_an_organ_through_the_form(s: Sodertalje) -> None:
    nämnd = make_organ(s.municipality, "Socialnämnden", "namnd")
    response = _client(s.dpo).post(
        "/admin/privacy/register/new/",
        {"controller": nämnd.pk, "kind": "controller", "title": "Socialnämndens register", "dpo_email": "dso@x.se"},
    )
    assert response.status_code == 302
    register = Register.objects.get(controller=nämnd)
    assert register.title == "Socialnämndens register" and register.dpo_email == "dso@x.se"


def test_another_municipality_gets_404_everywhere(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    torsby = make_municipality("Torsby kommun")
    outsider = make_user_with_role(torsby, "dpo")
    client = _client(outsider)
    for url in (
        f"/admin/privacy/register/{s.register.pk}/",
        f"/admin/privacy/register/{s.register.pk}/edit/",
        f"/admin/privacy/register/{s.register.pk}/versions/?a=0&b=0",
        f"/admin/privacy/register/{s.register.pk}/activity/new/",
        f"/admin/privacy/activity/{saved.pk}/",
        f"/admin/privacy/activity/{saved.pk}/delete/",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/admin/privacy/register/{s.register.pk}/approve/",
        f"/admin/privacy/activity/{saved.pk}/approve/",
        f"/admin/privacy/activity/{saved.pk}/delete/",
        f"/admin/privacy/activity/{saved.pk}/",
    ):
        assert client.post(url, _post(name="Kapad")).status_code == 404, url
    saved.refresh_from_db()
    assert saved.name == "Hantering av färdtjänst" and saved.status == ApprovalStatus.DRAFT
    listing = client.get("/admin/privacy/registers/").content.decode()
    assert "Kommunstyrelsens personuppgiftsbehandlingar" not in listing
    # Its own form offers none of Södertälje's plan rows, and no Södertälje organ as controller.
    import_plan(make_organ(torsby, "Kommunstyrelsen"), make_plan_data())
    form = client.get("/admin/privacy/register/new/").context["form"]
    assert s.ks not in form.fields["controller"].queryset


def test_anonymous_visitor_is_sent_to_login(s: Sodertalje) -> None:
    response = Client().get(f"/admin/privacy/register/{s.register.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_it_systems_page_lists_systems_with_their_activities(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    response = _client(s.dpo).get("/admin/privacy/systems/")
    assert response.status_code == 200
    entries = {entry["system"].name: entry for entry in response.context["systems"]}
    assert [a.pk for a in entries["Troman"]["activities"]] == [saved.pk]
    assert "Sverige" in response.content.decode()


def test_a_registrar_reads_the_activity_but_cannot_save_it(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    registrar = make_user_with_role(s.municipality, "registrar")
    client = _client(registrar)
    page = client.get(f"/admin/privacy/activity/{saved.pk}/")
    assert page.status_code == 200 and page.context["can_save"] is False
    refused = client.post(f"/admin/privacy/activity/{saved.pk}/", _post(name="Ändrad"))
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard and a message.
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    saved.refresh_from_db()
    assert saved.name == "Hantering av färdtjänst"
