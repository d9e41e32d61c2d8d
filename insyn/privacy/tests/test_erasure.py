"""Erasure and restriction (issue 10, items 10 and acceptance 4): erase what may go, explain the rest.

Piteå kommun as the loans tests build it, with an adopted plan of Kommunstyrelsen whose row "Protokoll" is
retained, and register activities that link Insyn's data to the plan rows. The official has an open loan,
a returned one and a membership elected by a decision in a protocol.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from insyn.core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from insyn.core.models.audit import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.core.services.personal_data import personal_data_erase
from insyn.core.tests.factories import make_user_with_role
from insyn.loans.models import Loan, Receipt
from insyn.loans.services import loan_checkout, loan_return
from insyn.loans.tests.conftest import HANDOVER, ON, RETURN_OK, build_pitea, make_kit, make_official
from insyn.officials.models import Membership, Person
from insyn.officials.services import person_erase
from insyn.officials.signals import person_erased
from insyn.privacy.exceptions import RequestStateError
from insyn.privacy.models import ErasureItem, ProcessingActivity, ProcessingRestriction, Register, SubjectRequest
from insyn.privacy.services.erasure import (
    ERASE,
    KEEP,
    MANUAL_REVIEW,
    RESTRICT,
    RETAINED_BY_PLAN,
    RETENTION_RUNNING,
    add_period,
    erasure_execute,
    erasure_plan,
    plan_for_hits,
    restriction_execute,
    restriction_lift,
)
from insyn.privacy.subject_search import ActivityRef, SubjectHit
from insyn.records.plandata import (
    ActivityData,
    AreaData,
    DocumentTypeData,
    GroupData,
    PlanData,
    ProcessData,
    RetentionData,
)
from insyn.records.services import plan_import

DECISION = "Kommunfullmäktige 2022-10-24 § 123"
TODAY = dt.date(2025, 6, 1)


def _plan(ks: Any) -> dict[str, Any]:
    rows = [
        DocumentTypeData("Protokoll", retention_text="Bevaras", retention=RetentionData(action="retain")),
        DocumentTypeData(
            "Kvittenser utlämnad utrustning",
            retention_text="Gallras 2 år efter återlämnande",
            retention=RetentionData(action="dispose", period="P2Y", trigger="created"),
        ),
    ]
    data = PlanData(
        title="Dokumenthanteringsplan för Kommunstyrelsen",
        organisation="Kommunstyrelsen",
        adopted_by="Kommunstyrelsen",
        adopted_on="2016-11-28",
        paragraph="§ 208",
        version="3",
        status="adopted",
        areas=[
            AreaData(
                "1",
                "Styra och leda",
                "",
                [
                    GroupData(
                        "1.1",
                        "Nämndadministration",
                        "",
                        [
                            ProcessData(
                                "1.1.1",
                                "Hantera sammanträden",
                                "",
                                [ActivityData("Hantera nämnd och styrelseadministration", rows)],
                            )
                        ],
                    )
                ],
            )
        ],
    )
    plan = plan_import(actor=SYSTEM, organisation=ks, data=data).plan
    assert plan is not None
    return {row.name: row for row in plan.document_types.all()}


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "media"
    pitea = build_pitea()
    rows = _plan(pitea.ks)
    register = Register.objects.create(controller=pitea.ks, title="Registerförteckning Kommunstyrelsen")
    board = ProcessingActivity.objects.create(
        register=register,
        name="Hantera nämnd och styrelseadministration",
        status="approved",  # only approved register rows decide what erasure does
        purposes=["Skriva protokoll"],
        system_models=["officials.person", "officials.membership"],
    )
    board.document_types.set([rows["Protokoll"]])
    lending = ProcessingActivity.objects.create(
        register=register,
        name="Utlåning av teknisk utrustning",
        status="approved",
        purposes=["Låna ut surfplattor till förtroendevalda"],
        system_models=["loans.loan", "loans.receipt"],
    )
    receipts_activity = ProcessingActivity.objects.create(
        register=register,
        name="Kvittenser",
        status="approved",
        purposes=["Visa vem som fått utrustningen"],
        system_models=[],
    )
    receipts_activity.document_types.set([rows["Kvittenser utlämnad utrustning"]])
    person = make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name="Maria")
    person.phone = "070-123 45 67"
    person.address = "Storgatan 1, 941 31 Piteå"
    person.national_id = "19811218-9876"
    person.save()
    Membership.objects.filter(person=person).update(decision=DECISION)
    returned = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it), person=person, handover=HANDOVER, on=ON
    )
    returned = loan_return(actor=pitea.it, loan=returned, checklist=RETURN_OK)
    open_loan = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it), person=person, handover=HANDOVER, on=ON
    )
    dpo = make_user_with_role(pitea.municipality, "dpo", username="dpo.pitea", email="dpo@pitea.example")
    request = SubjectRequest.objects.create(
        controller=pitea.ks,
        reference="DSR-2025-1",
        kind="erasure",
        channel="staff",
        received_at=timezone.now(),
        due_on=TODAY + dt.timedelta(days=30),
        name=person.name,
        email=person.email,
        national_id=person.national_id,
        identity_status="verified",
    )
    return {
        "pitea": pitea,
        "rows": rows,
        "board": board,
        "lending": lending,
        "receipts_activity": receipts_activity,
        "person": person,
        "returned": returned,
        "open_loan": open_loan,
        "dpo": dpo,
        "request": request,
    }


def _ref(activity: ProcessingActivity) -> ActivityRef:
    return ActivityRef(
        id=activity.pk,
        name=activity.name,
        controller=str(activity.register.controller),
        purposes=list(activity.purposes),
        legal_bases=[],
        retention={"text": "", "document_types": [{"id": d.pk} for d in activity.document_types.all()]},
    )


def _hit(instance: Any, *activities: ProcessingActivity) -> SubjectHit:
    return SubjectHit(
        model_label=instance._meta.label_lower,
        object_id=str(instance.pk),
        module=instance._meta.app_label,
        kind=str(instance._meta.verbose_name),
        label=str(instance),
        fields={},
        activities=[_ref(a) for a in activities],
        matched_by="link",
        instance=instance,
    )


def _hits(world: dict[str, Any]) -> list[SubjectHit]:
    person, board, lending = world["person"], world["board"], world["lending"]
    membership = Membership.objects.get(person=person)
    hits = [_hit(person, board), _hit(membership, board)]
    for loan in (world["returned"], world["open_loan"]):
        hits.append(_hit(loan, lending))
        hits.extend(_hit(r, world["receipts_activity"]) for r in loan.receipts.all())
    return hits


def _by(items: list[Any], instance: Any) -> list[Any]:
    return [i for i in items if i.model_label == instance._meta.label_lower and i.object_id == str(instance.pk)]


def test_period_arithmetic_clamps_month_ends() -> None:
    assert add_period(dt.date(2024, 1, 31), "P1M") == dt.date(2024, 2, 29)
    assert add_period(dt.date(2023, 1, 31), "P1M") == dt.date(2023, 2, 28)
    assert add_period(dt.date(2024, 2, 29), "P2Y") == dt.date(2026, 2, 28)
    assert add_period(dt.date(2025, 3, 3), "P2W1D") == dt.date(2025, 3, 18)
    assert add_period(dt.date(2025, 3, 3), "two years") is None


def test_plan_erases_what_may_go_and_explains_the_rest(world: dict[str, Any]) -> None:
    with translation.override("en"):
        items = plan_for_hits(request=world["request"], hits=_hits(world), today=TODAY)
    person, open_loan, returned = world["person"], world["open_loan"], world["returned"]

    (person_item,) = _by(items, person)
    assert person_item.action == KEEP and person_item.reason_code == "open_loan"
    since = timezone.localdate(open_loan.checked_out_at).isoformat()
    assert person_item.reason.startswith(f"open loan: {open_loan.kit.label} lent since {since}")

    (membership_item,) = _by(items, Membership.objects.get(person=person))
    assert membership_item.action == KEEP and membership_item.reason_code == RETAINED_BY_PLAN
    assert membership_item.citation["document_type"] == "Protokoll"
    assert membership_item.citation["plan"] == "Dokumenthanteringsplan för Kommunstyrelsen v3"
    assert membership_item.citation["decision"] == "Kommunstyrelsen, 2016-11-28 § 208"
    assert "Protokoll" in membership_item.reason and "Kommunstyrelsen, 2016-11-28 § 208" in membership_item.reason

    (open_item,) = _by(items, open_loan)
    assert open_item.action == KEEP and open_item.reason_code == "open_loan"
    for receipt in open_loan.receipts.all():
        assert [i.reason_code for i in _by(items, receipt)] == ["open_loan"]

    (returned_item,) = _by(items, returned)
    assert returned_item.action == ERASE and {"handover", "return_checklist"} <= set(returned_item.fields)
    # The staff who lent and took back the kit are other people: their logins are not the subject's to erase.
    assert not {"person", "checked_out_by", "returned_to"} & set(returned_item.fields)
    for receipt in returned.receipts.all():
        (receipt_item,) = _by(items, receipt)
        assert receipt_item.action == KEEP and receipt_item.reason_code == RETENTION_RUNNING
        assert receipt_item.keep_until == add_period(timezone.localdate(receipt.created_at), "P2Y")
        assert receipt_item.citation["document_type"] == "Kvittenser utlämnad utrustning"


def test_returned_loans_person_keeps_only_the_name_the_protocol_cites(world: dict[str, Any]) -> None:
    pitea, person = world["pitea"], world["person"]
    loan_return(actor=pitea.it, loan=world["open_loan"], checklist=RETURN_OK)
    person.refresh_from_db()

    items = _by(plan_for_hits(request=world["request"], hits=[_hit(person, world["board"])], today=TODAY), person)

    erase = [i for i in items if i.action == ERASE]
    keep = [i for i in items if i.action == KEEP]
    assert set(erase[0].fields) == {"email", "phone", "address", "national_id"}
    assert set(keep[0].fields) == {"given_name", "family_name"}
    assert keep[0].citation["document_type"] == "Protokoll"


def test_restriction_plan_restricts_every_place(world: dict[str, Any]) -> None:
    request = world["request"]
    request.kind = "restriction"
    items = plan_for_hits(request=request, hits=_hits(world), today=TODAY)
    assert items and {i.action for i in items} == {RESTRICT}


def test_person_erase_keeps_a_name_a_decision_cites_and_tells_after_commit(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    person, dpo = world["person"], world["dpo"]
    heard: list[dict[str, Any]] = []

    def listener(**kwargs: Any) -> None:
        heard.append(kwargs)

    person_erased.connect(listener, dispatch_uid="test_erasure_listener")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            erased = person_erase(
                actor=dpo, person=person, fields=["email", "phone", "national_id", "given_name", "family_name"]
            )
    finally:
        person_erased.disconnect(dispatch_uid="test_erasure_listener")

    person.refresh_from_db()
    assert set(erased) == {"email", "phone", "national_id"}
    assert (person.email, person.phone, person.national_id) == ("", "", "")
    assert person.given_name == "Maria" and person.address
    assert [h["person_id"] for h in heard] == [person.pk]
    assert AuditEntry.objects.filter(object_type="officials.person", object_id=str(person.pk), action="update").exists()


def test_person_erase_refuses_another_municipality(world: dict[str, Any]) -> None:
    torsby = build_pitea("Torsby kommun")
    stranger = make_user_with_role(torsby.municipality, "dpo", username="dpo.torsby")
    with pytest.raises(PermissionDeniedError):
        person_erase(actor=stranger, person=world["person"], fields=["email"])
    assert Person.objects.get(pk=world["person"].pk).email


def test_generic_erase_blanks_registered_fields_only_and_audits(world: dict[str, Any]) -> None:
    returned = world["returned"]
    erased = personal_data_erase(
        actor=world["dpo"], instance=returned, fields=["handover"], organisation=world["pitea"].municipality
    )
    assert erased == ["handover"]
    assert Loan.objects.get(pk=returned.pk).handover == {}
    with pytest.raises(ValidationFailed):
        personal_data_erase(
            actor=world["dpo"], instance=returned, fields=["due_date"], organisation=world["pitea"].municipality
        )
    assert AuditEntry.objects.filter(object_type="loans.loan", object_id=str(returned.pk), action="update").exists()


def test_erasure_items_template_cites_the_plan_row(world: dict[str, Any]) -> None:
    with translation.override("en"):
        items = plan_for_hits(request=world["request"], hits=_hits(world), today=TODAY)
        html = render_to_string("privacy/admin/erasure_items.html", {"items": items})
    assert "Plan row “Protokoll” in Dokumenthanteringsplan för Kommunstyrelsen v3" in html
    assert "decision: Kommunstyrelsen, 2016-11-28 § 208" in html
    assert "open loan:" in html


def test_erasure_execute_acceptance_4(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    """Acceptance 4, through the subject search: erased what may go, the rest explained citing the plan row."""
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        rows = erasure_execute(actor=world["dpo"], request=world["request"])
    stored = list(ErasureItem.objects.filter(request=world["request"]))
    assert len(stored) == len(rows) > 0
    returned = Loan.objects.get(pk=world["returned"].pk)
    assert returned.handover == {} and returned.return_checklist == {}
    assert Loan.objects.get(pk=world["open_loan"].pk).handover == HANDOVER
    person = Person.objects.get(pk=world["person"].pk)
    assert person.email and person.national_id  # the open loan keeps the borrower reachable
    cited = [r for r in stored if r.reason_code == RETAINED_BY_PLAN]
    assert cited and all(r.citation["document_type"] == "Protokoll" for r in cited)
    assert {r.reason_code for r in stored} >= {"open_loan", RETAINED_BY_PLAN}
    assert Receipt.objects.filter(loan=world["returned"]).count() == 2
    with pytest.raises(RequestStateError):
        erasure_execute(actor=world["dpo"], request=world["request"])


def test_erasure_needs_the_right_and_the_municipality(world: dict[str, Any]) -> None:
    torsby = build_pitea("Torsby kommun")
    stranger = make_user_with_role(torsby.municipality, "dpo", username="dpo.torsby2")
    with pytest.raises(NotFoundError):
        erasure_execute(actor=stranger, request=world["request"])
    assert not ErasureItem.objects.exists()


def test_restriction_marks_every_place_and_can_be_lifted_once(world: dict[str, Any]) -> None:
    request = world["request"]
    SubjectRequest.objects.filter(pk=request.pk).update(kind="restriction")
    request.refresh_from_db()
    restrictions = restriction_execute(actor=world["dpo"], request=request)
    labels = {r.model_label for r in restrictions}
    assert {"officials.person", "loans.loan"} <= labels
    assert ProcessingRestriction.objects.filter(request=request, lifted_at__isnull=True).count() == len(restrictions)
    assert restriction_execute(actor=world["dpo"], request=request) == []  # already restricted: nothing doubled
    lifted = restriction_lift(actor=world["dpo"], restriction=restrictions[0], reason="Prövningen klar")
    assert lifted.lifted_at is not None
    with pytest.raises(RequestStateError):
        restriction_lift(actor=world["dpo"], restriction=restrictions[0])


def test_a_draft_register_row_decides_nothing_the_dpo_decides_by_hand(world: dict[str, Any]) -> None:
    """A controller contact's unapproved change (a retain link added or removed) must not change what is erased."""
    ProcessingActivity.objects.filter(name="Utlåning av teknisk utrustning").update(status="draft")
    with translation.override("en"):
        items = erasure_plan(actor=world["dpo"], request=world["request"])
    loans = [item for item in items if item.model_label == "loans.loan"]
    assert loans and all(item.action == "keep" and item.reason_code == MANUAL_REVIEW for item in loans)
    assert all("not approved" in item.reason for item in loans)
