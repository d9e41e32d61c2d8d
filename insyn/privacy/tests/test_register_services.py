"""The register's services on Södertälje Kommunstyrelsen's activities (seed 003, OCR damage repaired):
saving an activity whole, approval refused for missing fields, versions with their field diff, reminders.

The builders here (`Sodertalje`, `activity`, `terms`) are shared by the other `test_register_*` modules.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from insyn.core.actor import SYSTEM
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import AuditEntry, Organisation
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.activity_data import ActivityData
from insyn.privacy.exceptions import ApprovalRefused
from insyn.privacy.models import ProcessingActivity, Register, RegisterVersion, TaxonomyTerm
from insyn.privacy.register_data import activity_as_data, register_as_data
from insyn.privacy.selectors.register import version_diff
from insyn.privacy.services.register import (
    activity_approve,
    activity_delete,
    activity_save,
    register_approve,
    register_create,
    register_review_reminders,
    register_update,
)
from insyn.privacy.signals import register_changed
from insyn.records.models import ITSystem
from insyn.records.tests.factories import import_plan, make_plan_data

# (kind, key, label_sv, label_en, flags): the built-in terms these tests name, as the taxonomy defines them.
TERMS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    ("subject_category", "employee", "Medarbetare", "Employees", {}),
    ("subject_category", "citizen_voter", "Medborgare/kommuninvånare", "Residents", {}),
    ("subject_category", "se.fortroendevald", "Förtroendevald", "Elected official", {}),
    ("subject_category", "consultant", "Konsulter", "Consultants", {}),
    ("data_category", "user.name", "Namn", "Name", {}),
    ("data_category", "user.contact", "Kontaktuppgifter", "Contact details", {}),
    ("data_category", "se.personnummer", "Personnummer", "Personal identity number", {"national_id": True}),
    ("data_category", "se.uppgift_om_halsa", "Uppgift om hälsa", "Health information", {"special": "art9"}),
    ("data_category", "user.criminal_history", "Lagöverträdelser", "Criminal convictions", {"special": "art10"}),
    ("data_use", "essential.service", "Tillhandahålla tjänsten", "Providing the service", {}),
]


def terms() -> None:
    for kind, key, sv, en, flags in TERMS:
        TaxonomyTerm.objects.update_or_create(
            kind=kind, key=key, municipality=None, defaults={"label_sv": sv, "label_en": en, **flags}
        )


@dataclass
class Sodertalje:
    municipality: Organisation
    ks: Organisation
    register: Register
    dpo: Any
    contact: Any
    plan_row_ids: list[int]


def build(*, email: str = "dataskyddsombud@sodertalje.se") -> Sodertalje:
    terms()
    municipality = make_municipality("Södertälje kommun")
    municipality.email = email
    municipality.save(update_fields=["email"])
    ks = make_organ(municipality, "Kommunstyrelsen")
    plan = import_plan(ks, make_plan_data())
    register = register_create(actor=SYSTEM, controller=ks, title="Kommunstyrelsens personuppgiftsbehandlingar")
    # The records register of IT systems holds Troman: a controller contact links it, and may not create one.
    ITSystem.objects.create(municipality=municipality, name="Troman", hosting_location="Sverige", hosting_country="SE")
    return Sodertalje(
        municipality=municipality,
        ks=ks,
        register=register,
        dpo=make_user_with_role(municipality, "dpo", first_name="Dana", last_name="Ombud"),
        contact=make_user_with_role(ks, "privacy_contact"),
        plan_row_ids=list(plan.document_types.order_by("position").values_list("pk", flat=True)),
    )


def faerdtjanst() -> ActivityData:
    """Seed 003: "Hantering av färdtjänst", with the Art. 9 health data the register lists."""
    return {
        "name": "Hantering av färdtjänst",
        "purposes": ["Ansökan om färdtjänst"],
        "legal_bases": [{"article": "6.1.e", "reference": "Lag (1997:736) om färdtjänst"}],
        "data_subject_categories": [{"key": "citizen_voter"}],
        "personal_data_categories": [
            {"key": "se.personnummer", "national_id_reason": "Säker identifiering av sökanden"},
            {"key": "user.contact"},
            {"key": "se.uppgift_om_halsa", "art9_condition": "9.2.h", "dsl_reference": "DSL 3 kap. 5 §"},
        ],
        "sources": ["internal", "subject"],
        "recipients": [{"kind": "named", "name": "Region Stockholm"}, {"kind": "category", "name": "Taxi"}],
        "retention": {"text": "Gallras efter 3 år"},
        "systems": [{"name": "Troman", "hosting_location": "Sverige", "hosting_country": "SE"}],
    }


def activity(**changes: Any) -> ActivityData:
    data = copy.deepcopy(faerdtjanst())
    data.update(changes)  # type: ignore[typeddict-item]
    return data


@pytest.fixture
def s(db: Any) -> Sodertalje:
    return build()


def test_an_activity_is_saved_whole_and_read_back_as_the_same_data(s: Sodertalje) -> None:
    data = activity(retention={"text": "Gallras efter 3 år", "document_types": [{"id": s.plan_row_ids[0]}]})
    saved = activity_save(actor=s.contact, register=s.register, data=data)
    out = activity_as_data(saved, lang="en")
    assert out["name"] == "Hantering av färdtjänst"
    assert out["legal_bases"] == [{"article": "6.1.e", "reference": "Lag (1997:736) om färdtjänst"}]
    health = out["personal_data_categories"][2]
    assert (health["key"], health["label"], health["special"], health["art9_condition"]) == (
        "se.uppgift_om_halsa",
        "Health information",
        "art9",
        "9.2.h",
    )
    assert out["personal_data_categories"][0]["national_id"] is True
    assert out["retention"]["rules"][0]["action"] == "dispose" and out["retention"]["rules"][0]["period"] == "P3Y"
    assert [ref["name"] for ref in out["retention"]["document_types"]] == [
        "Riktlinjer för användning av sociala medier"
    ]
    assert out["retention"]["document_types"][0]["decision"] == "Kommunstyrelsen, 2016-11-28 § 208"
    # Systems are the municipality's shared register of systems (records), linked by name.
    assert out["systems"] == [{"name": "Troman", "hosting_location": "Sverige", "hosting_country": "SE"}]
    assert ITSystem.objects.filter(municipality=s.municipality, name="Troman").count() == 1
    assert out["warnings"] == []


def test_saving_again_replaces_every_child_and_audits_the_field_diff(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    changed = activity(recipients=[{"kind": "named", "name": "Region Stockholm"}])
    activity_save(actor=s.contact, register=s.register, data=changed, activity=saved)
    out = activity_as_data(ProcessingActivity.objects.get(pk=saved.pk))
    assert [r["name"] for r in out["recipients"]] == ["Region Stockholm"]
    entry = AuditEntry.objects.filter(object_type="privacy.processingactivity", object_id=str(saved.pk)).latest("id")
    assert entry.action == "update"
    assert list(entry.changes) == ["recipients"]
    # The same data again changes nothing and writes nothing.
    count = AuditEntry.objects.count()
    activity_save(actor=s.contact, register=s.register, data=changed, activity=saved)
    assert AuditEntry.objects.count() == count


def test_unknown_taxonomy_keys_are_named_and_nothing_is_written(s: Sodertalje) -> None:
    data = activity(
        data_subject_categories=[{"key": "citizen_voter"}, {"key": "se.fardtjanstresenar"}],
        personal_data_categories=[{"key": "user.health_and_medicall"}],
    )
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        activity_save(actor=s.contact, register=s.register, data=data)
    assert refused.value.detail == {"unknown_keys": ["se.fardtjanstresenar", "user.health_and_medicall"]}
    assert "se.fardtjanstresenar" in str(refused.value.message)
    assert not ProcessingActivity.objects.exists()


def test_document_types_only_of_an_adopted_plan_of_the_same_municipality(s: Sodertalje) -> None:
    draft = import_plan(s.ks, make_plan_data(status="draft", version="2.0"))
    elsewhere = make_organ(make_municipality("Nykvarns kommun"), "Kommunstyrelsen")
    foreign = import_plan(elsewhere, make_plan_data())
    for plan in (draft, foreign):
        row = plan.document_types.first()
        with pytest.raises(ValidationFailed) as refused:
            activity_save(
                actor=s.contact,
                register=s.register,
                data=activity(retention={"text": "Bevaras", "document_types": [{"id": row.pk}]}),
            )
        assert refused.value.detail["ids"] == [row.pk]


def test_a_contact_of_another_organ_may_not_write_this_register(s: Sodertalje) -> None:
    other = make_user_with_role(make_organ(s.municipality, "Kultur- och fritidsnämnden", "namnd"), "privacy_contact")
    with pytest.raises(PermissionDeniedError):
        activity_save(actor=other, register=s.register, data=activity())


def test_approval_is_refused_while_a_required_field_is_missing(s: Sodertalje) -> None:
    incomplete = activity(
        purposes=[],
        legal_bases=[],
        retention={"text": ""},
        transfers=[{"country": "US", "mechanism": ""}],
    )
    saved = activity_save(actor=s.contact, register=s.register, data=incomplete)
    with translation.override("en"), pytest.raises(ApprovalRefused) as refused:
        activity_approve(actor=s.dpo, activity=saved)
    assert refused.value.detail["missing"] == ["purposes", "legal_bases", "retention.text", "transfers[0].mechanism"]
    assert "Hantering av färdtjänst lacks required fields" in str(refused.value.message)
    with pytest.raises(ApprovalRefused):
        register_approve(actor=s.dpo, register=s.register)
    s.register.refresh_from_db()
    assert (s.register.status, s.register.version) == ("draft", 0)
    assert not RegisterVersion.objects.exists()


def test_only_the_dpo_approves(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    with pytest.raises(PermissionDeniedError):
        activity_approve(actor=s.contact, activity=saved)
    with pytest.raises(PermissionDeniedError):
        register_approve(actor=s.contact, register=s.register)
    assert activity_approve(actor=s.dpo, activity=saved).status == "approved"


def test_approval_freezes_a_version_and_a_change_makes_a_draft_with_a_field_diff(
    s: Sodertalje, django_capture_on_commit_callbacks: Any
) -> None:
    heard: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    register_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            saved = activity_save(actor=s.contact, register=s.register, data=activity())
            first = register_approve(actor=s.dpo, register=s.register, note="Årlig översyn")
    finally:
        register_changed.disconnect(listen)
    assert [h["register_id"] for h in heard] == [s.register.pk, s.register.pk]
    s.register.refresh_from_db()
    assert (s.register.status, s.register.version, first.number) == ("approved", 1, 1)
    assert first.snapshot["activities"][0]["status"] == "approved"
    assert first.snapshot["dpo"] == {"name": "Dana Ombud", "email": "dataskyddsombud@sodertalje.se", "phone": ""}
    assert first.approved_by == s.dpo
    assert s.register.review_date is not None and s.register.review_date > dt.date.today()

    retention = {"text": "Gallras efter 2 år", "document_types": [{"id": s.plan_row_ids[1]}]}
    activity_save(actor=s.contact, register=s.register, data=activity(retention=retention), activity=saved)
    saved.refresh_from_db()
    s.register.refresh_from_db()
    assert (saved.status, s.register.status) == ("draft", "draft")
    activity_save(actor=s.contact, register=s.register, data={**activity(), "name": "Passerbrickor"})
    second = register_approve(actor=s.dpo, register=s.register)
    assert second.number == 2

    diff = version_diff(actor=s.dpo, register=s.register, a=1, b=2)
    assert {"change": "added", "activity": "Passerbrickor"}.items() <= diff[-1].items()
    changed = {d["field"]: d for d in diff if d["change"] == "changed"}
    assert changed["retention"]["old"]["text"] == "Gallras efter 3 år"
    assert changed["retention"]["new"]["text"] == "Gallras efter 2 år"
    assert version_diff(actor=s.dpo, register=s.register, a=2, b=0) == []


def test_deleting_an_activity_is_audited_and_drafts_the_register(s: Sodertalje) -> None:
    saved = activity_save(actor=s.contact, register=s.register, data=activity())
    register_approve(actor=s.dpo, register=s.register)
    pk = saved.pk
    activity_delete(actor=s.contact, activity=saved)
    s.register.refresh_from_db()
    assert s.register.status == "draft"
    assert not ProcessingActivity.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(pk)).exists()


def test_the_dpo_is_inherited_from_the_municipality_unless_the_register_names_one(s: Sodertalje) -> None:
    assert register_as_data(s.register)["dpo"]["email"] == "dataskyddsombud@sodertalje.se"
    register_update(actor=s.contact, register=s.register, dpo_email="dso@telge.se", dpo_name="Eva Dso")
    data = register_as_data(Register.objects.get(pk=s.register.pk))
    assert data["dpo"] == {"name": "Eva Dso", "email": "dso@telge.se", "phone": ""}
    assert data["controller"]["path"] == "Södertälje kommun/Kommunstyrelsen"


def test_review_reminder_is_mailed_once_before_the_review_date(s: Sodertalje, mailoutbox: list[Any]) -> None:
    today = dt.date(2026, 3, 2)
    register_update(actor=s.contact, register=s.register, review_date=dt.date(2026, 4, 15))
    assert register_review_reminders(actor=SYSTEM, today=today) == 0  # 44 days ahead: not yet
    assert register_review_reminders(actor=SYSTEM, today=dt.date(2026, 3, 20)) == 1
    assert register_review_reminders(actor=SYSTEM, today=dt.date(2026, 3, 21)) == 0  # once
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["dataskyddsombud@sodertalje.se"]
    assert "Kommunstyrelsens personuppgiftsbehandlingar" in mailoutbox[0].subject
    # A new review date gets its own reminder.
    register_update(actor=s.contact, register=s.register, review_date=dt.date(2027, 4, 15))
    assert register_review_reminders(actor=SYSTEM, today=dt.date(2027, 4, 1)) == 1
    with pytest.raises(PermissionDeniedError):
        register_review_reminders(actor=s.dpo, today=today)


def test_reading_the_register_takes_the_same_queries_for_one_activity_or_many(s: Sodertalje) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from insyn.privacy.selectors.register import activities_data

    activity_save(actor=s.contact, register=s.register, data=activity())
    activities_data(actor=s.dpo, register=s.register)  # the actor's roles are read once, then cached
    with CaptureQueriesContext(connection) as one:
        activities_data(actor=s.dpo, register=s.register)
    for name in ("Passerbrickor", "Administrera ekonomi", "Hantera valinformation"):
        activity_save(actor=s.contact, register=s.register, data={**activity(), "name": name})
    with CaptureQueriesContext(connection) as four:
        assert len(activities_data(actor=s.dpo, register=s.register)) == 4
    assert len(four.captured_queries) == len(one.captured_queries)
