"""The subject search (issue 10, item 9; acceptance 3): every place Insyn holds an official's data in one
municipality, found through the personal-data registry, each hit carrying its register activities.

Piteå kommun as the loans tests build it: an official with memberships, a login and a loan with its receipt.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from insyn.core.exceptions import NotFoundError, ValidationFailed
from insyn.core.models.audit import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_user_with_role
from insyn.loans.services import loan_checkout
from insyn.loans.tests.conftest import HANDOVER, ON, build_pitea, make_kit, make_official
from insyn.officials.services import person_update
from insyn.privacy.models import LegalBasis, ProcessingActivity, Register
from insyn.privacy.selectors.subject import normalise_query
from insyn.privacy.subject_search import SubjectQuery, subject_search

PNR = "19811218-9876"  # Skatteverket's test personnummer series (checksum valid)


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    return build_world(settings, tmp_path)


def build_world(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    pitea = build_pitea()
    person = make_official(pitea.municipality, [(pitea.bun, "ledamot"), (pitea.kf, "ersattare")], given_name="Maria")
    person = person_update(actor=SYSTEM, person=person, national_id=PNR)
    kit = make_kit(pitea.municipality, pitea.it, "tablet")
    loan = loan_checkout(actor=pitea.it, kit=kit, person=person, handover=HANDOVER, on=ON)
    register = Register.objects.create(controller=pitea.ks, title="Registerförteckning Kommunstyrelsen")
    officials = ProcessingActivity.objects.create(
        register=register,
        name="Förtroendevaldas uppdrag",
        status="approved",
        purposes=["Administrera förtroendeuppdrag"],
        retention_text="Bevaras",
        system_models=["officials.person", "officials.membership", "core.auditentry"],
    )
    LegalBasis.objects.create(activity=officials, article="6.1.e", reference="Kommunallagen (2017:725)")
    lending = ProcessingActivity.objects.create(
        register=register,
        name="Utlåning av teknisk utrustning",
        status="approved",
        purposes=["Låna ut surfplattor till förtroendevalda"],
        retention_text="Gallras 2 år efter återlämnande",
        system_models=["loans.loan", "loans.receipt"],
    )
    LegalBasis.objects.create(activity=lending, article="6.1.b", reference="")
    dpo = make_user_with_role(pitea.municipality, "dpo", username="dpo.pitea")
    other = build_pitea("Luleå kommun")
    twin = make_official(other.municipality, [(other.kf, "ledamot")], given_name="Maria")
    person_update(actor=SYSTEM, person=twin, national_id=PNR)
    return {"pitea": pitea, "person": person, "loan": loan, "dpo": dpo, "other": other, "twin": twin}


def _labels(result: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for hit in result.hits:
        found.setdefault(hit.model_label, set()).add(hit.object_id)
    return found


@pytest.mark.parametrize("spelling", [PNR, "198112189876", "811218-9876", "8112189876"])
def test_finds_person_memberships_login_loans_receipts_and_audit_entries(world: Any, spelling: str) -> None:
    person, loan = world["person"], world["loan"]
    result = subject_search(
        actor=world["dpo"], municipality_id=world["pitea"].municipality.pk, query=SubjectQuery(national_id=spelling)
    )
    found = _labels(result)
    assert found["officials.person"] == {str(person.pk)}  # not the twin in Luleå
    assert (
        found["officials.membership"] == {str(m.pk) for m in person.memberships.all()}
        and len(found["officials.membership"]) == 2
    )
    assert found["auth.user"] == {str(person.user_id)}
    assert found["loans.loan"] == {str(loan.pk)}
    assert found["loans.receipt"] == {str(r.pk) for r in loan.receipts.all()} != set()
    audit = AuditEntry.objects.filter(object_type="officials.person", object_id=str(person.pk))
    assert {str(e.pk) for e in audit} <= found["core.auditentry"] and audit.exists()
    by_model = {hit.model_label: hit for hit in result.hits}
    assert by_model["officials.person"].matched_by == "national_id"
    assert [a.name for a in by_model["loans.receipt"].activities] == ["Utlåning av teknisk utrustning"]
    assert by_model["loans.loan"].activities[0].legal_bases[0]["article"] == "6.1.b"
    assert by_model["officials.membership"].activities[0].retention["text"] == "Bevaras"


def test_finds_by_email_and_name_case_insensitively(world: Any) -> None:
    person = world["person"]
    query = SubjectQuery(emails=(person.email.upper(),))
    result = subject_search(actor=world["dpo"], municipality_id=world["pitea"].municipality.pk, query=query)
    assert str(person.pk) in _labels(result)["officials.person"]
    query = SubjectQuery(names=(f"  maria   {person.family_name.upper()} ",))
    result = subject_search(actor=world["dpo"], municipality_id=world["pitea"].municipality.pk, query=query)
    assert [h.matched_by for h in result.hits if h.model_label == "officials.person"] == ["name"]


def test_one_audit_entry_per_search_with_the_national_id_masked(world: Any) -> None:
    before = AuditEntry.objects.count()
    subject_search(
        actor=world["dpo"], municipality_id=world["pitea"].municipality.pk, query=SubjectQuery(national_id=PNR)
    )
    [entry] = AuditEntry.objects.filter(pk__gt=before, object_type="privacy.subjectsearch")
    assert entry.actor == world["dpo"]
    assert entry.changes["query"]["national_id"] == "811218-XXXX"
    assert "9876" not in str(entry.changes)


def test_needs_the_permission_in_that_municipality(world: Any) -> None:
    query = SubjectQuery(national_id=PNR)
    with pytest.raises(NotFoundError):
        subject_search(actor=world["pitea"].secretary, municipality_id=world["pitea"].municipality.pk, query=query)
    with pytest.raises(NotFoundError):  # a DPO of Piteå asks about Luleå: as if it didn't exist
        subject_search(actor=world["dpo"], municipality_id=world["other"].municipality.pk, query=query)


def test_an_invalid_national_id_is_refused(world: Any) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed, match="Not a valid personal identity number"):
        normalise_query(SubjectQuery(national_id="19811218-9877"))


def test_a_stranger_query_finds_nothing(world: Any) -> None:
    result = subject_search(
        actor=world["dpo"],
        municipality_id=world["pitea"].municipality.pk,
        query=SubjectQuery(national_id="19121212-1212", emails=("nobody@example.org",)),
    )
    assert result.hits == []
