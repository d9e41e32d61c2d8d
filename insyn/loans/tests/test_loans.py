"""A loan from checkout to return under 22KS572: receipts, due dates, reminders, loss, broadband, audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from insyn.core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from insyn.core.models import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import UserFactory, make_user_with_role
from insyn.loans.models import (
    BroadbandStatus,
    Device,
    DeviceStatus,
    Incident,
    Liability,
    Loan,
    LoanStatus,
    Receipt,
    ReceiptKind,
    Reminder,
)
from insyn.loans.selectors import loan_list
from insyn.loans.services import (
    DeviceUnavailable,
    NotEligible,
    broadband_decide,
    broadband_request,
    incident_assess,
    incident_report,
    loan_checkout,
    loan_request_return,
    loan_return,
    loans_recompute_due_dates,
    loans_send_reminders,
    receipt_accept,
)
from insyn.loans.tests.conftest import HANDOVER, ON, RETURN_OK, build_pitea, make_kit
from insyn.officials.services import membership_end, membership_update


def statuses(kit: Any) -> set[str]:
    return set(Device.objects.filter(kit=kit).values_list("status", flat=True))


def audited(obj: Any, action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action))


def checkout(pitea: Any, kit: Any, person: Any, **kwargs: Any) -> Loan:
    return loan_checkout(actor=pitea.it, kit=kit, person=person, handover=HANDOVER, on=kwargs.pop("on", ON), **kwargs)


@pytest.fixture
def member(pitea: Any, official: Any) -> Any:
    return official((pitea.bun, "ledamot"), given_name="Maria")


@pytest.fixture
def loan(pitea: Any, member: Any, tablet_kit: Any) -> Loan:
    return checkout(pitea, tablet_kit, member)


# --- checkout ---------------------------------------------------------------------------------------------------


def test_checkout_refused_for_valnamnd_member_with_reasons(pitea: Any, official: Any, tablet_kit: Any) -> None:
    person = official((pitea.valnamnd, "ledamot"))

    with pytest.raises(NotEligible) as refused:
        checkout(pitea, tablet_kit, person)

    assert refused.value.detail["reasons"] == ["ledamot i Valnämnden → inget lån (valnämnden lånar inte ut utrustning)"]
    assert "valnämnden lånar inte ut utrustning" in str(refused.value.message)
    assert not Loan.objects.exists() and not Receipt.objects.exists()
    assert statuses(tablet_kit) == {DeviceStatus.IN_STOCK}
    assert not AuditEntry.objects.filter(object_type="loans.loan").exists()


def test_checkout_of_computer_refused_for_member_allowed_for_chair(
    pitea: Any, official: Any, member: Any, computer_kit: Any
) -> None:
    with pytest.raises(NotEligible) as refused:
        checkout(pitea, computer_kit, member)
    assert refused.value.detail["devices"] == ["tablet"]
    assert statuses(computer_kit) == {DeviceStatus.IN_STOCK}

    chair = official((pitea.bolag, "ordforande"))
    loan = checkout(pitea, computer_kit, chair)

    assert loan.person == chair and loan.kit == computer_kit
    assert loan.eligibility_reasons == ["ordförande i Piteå kommunföretag AB → surfplatta eller dator"]


def test_checkout_creates_loan_devices_on_loan_and_a_hashed_pdf_receipt(
    pitea: Any, member: Any, tablet_kit: Any
) -> None:
    loan = checkout(pitea, tablet_kit, member)

    assert loan.status == LoanStatus.ACTIVE
    assert loan.rule_set == pitea.rule_set
    assert loan.checked_out_by == pitea.it
    assert loan.handover == HANDOVER
    assert loan.eligibility_reasons == ["ledamot i Barn- och utbildningsnämnden → surfplatta"]
    assert loan.due_date is None  # open-ended membership: no due date yet
    assert statuses(tablet_kit) == {DeviceStatus.ON_LOAN}
    assert Device.objects.filter(kit=tablet_kit).count() == 4

    receipt = Receipt.objects.get(loan=loan)
    assert receipt.kind == ReceiptKind.CHECKOUT
    with receipt.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    assert receipt.sha256 == hashlib.sha256(pdf).hexdigest()
    assert receipt.accepted_at is None

    [entry] = audited(loan, "create")
    assert entry.actor == pitea.it and entry.organisation_id == pitea.municipality.pk


def test_checkout_with_membership_end_sets_due_date_fourteen_days_after(
    pitea: Any, official: Any, tablet_kit: Any
) -> None:
    person = official((pitea.kf, "ersattare", {"end_date": dt.date(2026, 12, 31)}))

    loan = checkout(pitea, tablet_kit, person)

    assert loan.due_date == dt.date(2027, 1, 14)


@pytest.mark.parametrize(
    "handover",
    [
        {**HANDOVER, "user_id": "pol-anna password: hunter2"},
        {**HANDOVER, "email": "anna@pitea.se / Lösenord: Sommar2024!"},
        {**HANDOVER, "user_id": "login anna, hasło Lato2024"},
        {**HANDOVER, "password": "hunter2"},
    ],
    ids=["password", "lösenord", "hasło", "password-key"],
)
def test_handover_never_records_a_password(pitea: Any, member: Any, tablet_kit: Any, handover: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        loan_checkout(actor=pitea.it, kit=tablet_kit, person=member, handover=handover, on=ON)

    assert not Loan.objects.exists()
    assert statuses(tablet_kit) == {DeviceStatus.IN_STOCK}


def test_checkout_refused_to_it_user_of_another_municipality(pitea: Any, member: Any, tablet_kit: Any) -> None:
    torsby = build_pitea("Torsby kommun")

    with pytest.raises(PermissionDeniedError):
        loan_checkout(actor=torsby.it, kit=tablet_kit, person=member, handover=HANDOVER, on=ON)
    with pytest.raises(PermissionDeniedError):
        loan_checkout(actor=pitea.secretary, kit=tablet_kit, person=member, handover=HANDOVER, on=ON)

    assert not Loan.objects.exists()
    assert statuses(tablet_kit) == {DeviceStatus.IN_STOCK}


def test_checkout_refused_for_official_of_another_municipality(pitea: Any, tablet_kit: Any) -> None:
    from insyn.loans.tests.conftest import make_official

    torsby = build_pitea("Torsby kommun")
    stranger = make_official(torsby.municipality, [(torsby.kf, "ledamot")])

    with pytest.raises(ValidationFailed):
        loan_checkout(actor=SYSTEM, kit=tablet_kit, person=stranger, handover=HANDOVER, on=ON)


def test_second_checkout_of_a_lent_kit_is_refused(pitea: Any, official: Any, loan: Loan) -> None:
    other = official((pitea.ks, "ledamot"))

    with pytest.raises(DeviceUnavailable):
        checkout(pitea, loan.kit, other)

    assert Loan.objects.filter(kit=loan.kit).count() == 1


# --- receipts ---------------------------------------------------------------------------------------------------


def test_borrower_accepts_the_receipt(member: Any, loan: Loan) -> None:
    receipt = loan.receipts.get(kind=ReceiptKind.CHECKOUT)

    accepted = receipt_accept(actor=member.user, receipt=receipt)

    accepted.refresh_from_db()
    assert accepted.accepted_at is not None and accepted.accepted_by == member.user
    assert accepted.signing_method == "click_to_accept"
    assert accepted.sha256 == receipt.sha256
    [entry] = audited(accepted, "update")
    assert entry.changes == {"accepted": receipt.sha256, "method": "click_to_accept"}
    assert entry.actor == member.user

    again = receipt_accept(actor=member.user, receipt=receipt)
    assert again.accepted_at == accepted.accepted_at
    assert len(audited(accepted, "update")) == 1


def test_receipt_cannot_be_accepted_by_anyone_else(pitea: Any, official: Any, loan: Loan) -> None:
    receipt = loan.receipts.get()
    someone = official((pitea.bun, "ersattare"))

    for actor in (pitea.it, someone.user, SYSTEM):
        with pytest.raises(PermissionDeniedError):
            receipt_accept(actor=actor, receipt=receipt)

    receipt.refresh_from_db()
    assert receipt.accepted_at is None


def test_changed_receipt_file_is_not_accepted(member: Any, loan: Loan) -> None:
    receipt = loan.receipts.get()
    with receipt.pdf.open("wb") as handle:
        handle.write(b"%PDF-1.7 something else")

    with pytest.raises(ConflictError):
        receipt_accept(actor=member.user, receipt=receipt)


# --- due dates --------------------------------------------------------------------------------------------------


def test_membership_end_moves_due_date_to_end_plus_fourteen(
    pitea: Any, member: Any, loan: Loan, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=pitea.secretary, membership=member.memberships.get(), end_date=dt.date(2025, 6, 30))

    loan.refresh_from_db()
    assert loan.due_date == dt.date(2025, 7, 14)
    entry = audited(loan, "update")[0]
    assert entry.changes["due_date"] == [None, "2025-07-14"]
    assert entry.reason == "membership changed"
    assert entry.actor_id == pitea.secretary.pk  # the change is recorded as the one who changed the membership

    with django_capture_on_commit_callbacks(execute=True):
        membership_update(actor=SYSTEM, membership=member.memberships.get(), end_date=dt.date(2025, 9, 30))
    loan.refresh_from_db()
    assert loan.due_date == dt.date(2025, 10, 14)


def test_rolled_back_membership_change_moves_no_due_date(
    pitea: Any, member: Any, loan: Loan, django_capture_on_commit_callbacks: Any
) -> None:
    """Loans hear of a membership change only after it commits: one that is rolled back moves nothing."""
    from django.db import transaction

    from insyn.officials.signals import membership_changed

    class Abort(Exception):
        pass

    heard: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        heard.append(kwargs)

    membership_changed.connect(listener, dispatch_uid="test_rolled_back_listener")
    try:
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(Abort),
            transaction.atomic(),
        ):
            membership_end(actor=SYSTEM, membership=member.memberships.get(), end_date=dt.date(2025, 6, 30))
            raise Abort
    finally:
        membership_changed.disconnect(dispatch_uid="test_rolled_back_listener")

    assert callbacks == [] and heard == []
    loan.refresh_from_db()
    assert loan.due_date is None
    assert member.memberships.get().end_date is None
    assert not audited(loan, "update")


def test_ending_one_of_two_memberships_leaves_no_due_date(
    pitea: Any, official: Any, tablet_kit: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = official((pitea.bun, "ledamot"), (pitea.kf, "ersattare"))
    loan = checkout(pitea, tablet_kit, person)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership_end(
            actor=SYSTEM, membership=person.memberships.get(organisation=pitea.kf), end_date=dt.date(2025, 6, 30)
        )
    assert callbacks  # the change was announced; the remaining membership keeps the loan open-ended

    loan.refresh_from_db()
    assert loan.due_date is None


def test_due_date_survives_the_instruction_expiring(
    pitea: Any, member: Any, loan: Loan, django_capture_on_commit_callbacks: Any
) -> None:
    """22KS572 is valid until 2026-12-31; a membership change after that must not wipe the due date."""
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=SYSTEM, membership=member.memberships.get(), end_date=dt.date(2026, 12, 31))
    loan.refresh_from_db()
    assert loan.due_date == dt.date(2027, 1, 14)

    loans_recompute_due_dates(actor=SYSTEM, person=member, on=dt.date(2027, 1, 5))

    loan.refresh_from_db()
    assert loan.due_date == dt.date(2027, 1, 14)


def test_request_return_sets_due_to_request_plus_fourteen_if_earlier(
    pitea: Any, member: Any, loan: Loan, django_capture_on_commit_callbacks: Any
) -> None:
    loan = loan_request_return(actor=pitea.it, loan=loan, requested_on=ON)

    assert loan.return_requested_on == ON and loan.due_date == ON + dt.timedelta(days=14)
    assert audited(loan, "update")[0].changes["due_date"] == [None, "2025-03-17"]

    # A term ending later does not push the requested date back …
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=SYSTEM, membership=member.memberships.get(), end_date=dt.date(2025, 6, 30))
    loan.refresh_from_db()
    assert loan.due_date == ON + dt.timedelta(days=14)


def test_request_return_keeps_an_earlier_due_date(pitea: Any, official: Any, tablet_kit: Any) -> None:
    person = official((pitea.bun, "ledamot", {"end_date": dt.date(2025, 3, 10)}))
    loan = checkout(pitea, tablet_kit, person)
    assert loan.due_date == dt.date(2025, 3, 24)

    loan = loan_request_return(actor=pitea.it, loan=loan, requested_on=ON)

    assert loan.due_date == dt.date(2025, 3, 17)
    loan = loan_request_return(actor=pitea.it, loan=loan, requested_on=dt.date(2025, 3, 20))
    assert loan.due_date == dt.date(2025, 3, 24)


def test_request_return_needs_loan_rights(pitea: Any, member: Any, loan: Loan) -> None:
    for actor in (pitea.secretary, member.user):
        with pytest.raises(PermissionDeniedError):
            loan_request_return(actor=actor, loan=loan, requested_on=ON)


# --- reminders --------------------------------------------------------------------------------------------------


def test_reminders_go_to_official_and_secretary_once_per_step(pitea: Any, member: Any, loan: Loan) -> None:
    make_user_with_role(pitea.ks, "secretary", username="sekreterare.ks", email="sekreterare.ks@pitea.example")
    loan = loan_request_return(actor=pitea.it, loan=loan, requested_on=ON)
    due = loan.due_date
    assert due == dt.date(2025, 3, 17)
    expected = [member.email, pitea.secretary.email]
    schedule = [(-8, 0), (-7, 1), (-7, 0), (-6, 0), (-1, 0), (0, 1), (0, 0), (1, 0), (7, 1), (8, 0), (29, 0), (30, 1)]
    schedule += [(31, 0), (30, 0), (90, 0)]

    for offset, sent in schedule:
        before = len(mail.outbox)
        assert loans_send_reminders(today=due + dt.timedelta(days=offset)) == {"sent": sent}, offset
        assert len(mail.outbox) - before == sent, offset

    assert [m.to for m in mail.outbox] == [expected] * 4  # the KS secretary is not the borrower's secretary
    assert len({m.subject for m in mail.outbox}) == 3  # before, on the day, overdue (the two overdue ones alike)
    assert "2025-03-17" in mail.outbox[0].subject
    assert member.name in mail.outbox[0].body
    steps = list(Reminder.objects.filter(loan=loan).order_by("sent_at").values_list("step", flat=True))
    assert steps == ["before_7", "due", "after_7", "after_30"]


def test_reminders_skip_missed_steps_without_a_burst(pitea: Any, loan: Loan) -> None:
    loan = loan_request_return(actor=pitea.it, loan=loan, requested_on=ON)

    assert loans_send_reminders(today=loan.due_date + dt.timedelta(days=10)) == {"sent": 1}
    assert list(Reminder.objects.values_list("step", flat=True)) == ["after_7"]


def test_new_due_date_starts_a_new_round_of_reminders(
    pitea: Any, member: Any, loan: Loan, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=SYSTEM, membership=member.memberships.get(), end_date=dt.date(2025, 6, 30))
    loan.refresh_from_db()
    assert loans_send_reminders(today=dt.date(2025, 7, 14)) == {"sent": 1}

    with django_capture_on_commit_callbacks(execute=True):
        membership_update(actor=SYSTEM, membership=member.memberships.get(), end_date=dt.date(2025, 8, 31))
    assert loans_send_reminders(today=dt.date(2025, 7, 14)) == {"sent": 0}
    assert loans_send_reminders(today=dt.date(2025, 9, 14)) == {"sent": 1}


def test_no_reminders_for_returned_or_undated_loans(pitea: Any, official: Any, loan: Loan) -> None:
    open_ended = checkout(pitea, make_kit(pitea.municipality, pitea.it), official((pitea.kf, "ledamot")))
    loan = loan_request_return(actor=pitea.it, loan=loan, requested_on=ON)
    loan_return(actor=pitea.it, loan=loan, checklist=RETURN_OK)

    assert loans_send_reminders(today=ON + dt.timedelta(days=60)) == {"sent": 0}
    assert open_ended.due_date is None and not mail.outbox


# --- return -----------------------------------------------------------------------------------------------------


def test_return_with_incomplete_checklist_is_refused(pitea: Any, loan: Loan) -> None:
    with pytest.raises(ValidationFailed) as refused:
        loan_return(actor=pitea.it, loan=loan, checklist={"activation_lock_off": True, "logged_out": False})

    assert refused.value.detail == {"missing": ["logged_out", "all_accessories"]}
    loan.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE and statuses(loan.kit) == {DeviceStatus.ON_LOAN}
    assert not loan.receipts.filter(kind=ReceiptKind.RETURN).exists()


def test_return_with_complete_checklist(pitea: Any, loan: Loan) -> None:
    returned = loan_return(actor=pitea.it, loan=loan, checklist=RETURN_OK)

    returned.refresh_from_db()
    assert returned.status == LoanStatus.RETURNED
    assert returned.returned_at is not None and returned.returned_to == pitea.it
    assert returned.return_checklist == RETURN_OK
    assert statuses(loan.kit) == {DeviceStatus.IN_STOCK}

    receipt = returned.receipts.get(kind=ReceiptKind.RETURN)
    assert receipt.staff_acknowledged_by == pitea.it and receipt.staff_acknowledged_at is not None
    with receipt.pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == receipt.sha256
    assert audited(receipt, "update")[0].changes == {"acknowledged": receipt.sha256}
    assert audited(returned, "update")[0].changes["status"] == ["active", "returned"]

    with pytest.raises(ConflictError):
        loan_return(actor=pitea.it, loan=returned, checklist=RETURN_OK)


def test_returned_kit_can_be_lent_again(pitea: Any, official: Any, loan: Loan) -> None:
    loan_return(actor=pitea.it, loan=loan, checklist=RETURN_OK)

    second = checkout(pitea, loan.kit, official((pitea.ks, "ersattare")))

    assert Loan.objects.filter(kit=loan.kit).count() == 2 and second.status == LoanStatus.ACTIVE


def test_return_needs_loan_rights(pitea: Any, member: Any, loan: Loan) -> None:
    for actor in (member.user, pitea.secretary):
        with pytest.raises(PermissionDeniedError):
            loan_return(actor=actor, loan=loan, checklist=RETURN_OK)


# --- loss and theft ---------------------------------------------------------------------------------------------


def test_official_reports_the_tablet_lost(pitea: Any, official: Any, member: Any, loan: Loan) -> None:
    tablet = loan.kit.devices.get(device_type="tablet")
    request = broadband_request(actor=member.user, loan=loan, reason="travel")

    incident = incident_report(
        actor=member.user,
        loan=loan,
        device=tablet,
        kind="lost",
        occurred_at=timezone.now(),
        place="Tåget Luleå–Piteå",
        description="Glömd på tåget",
    )

    tablet.refresh_from_db()
    loan.refresh_from_db()
    request.refresh_from_db()
    assert tablet.status == DeviceStatus.LOST
    assert loan.status == LoanStatus.LOST
    assert request.status == BroadbandStatus.ENDED
    assert incident.reported_by == member.user and incident.liability == Liability.UNDECIDED
    assert audited(incident, "create")
    assert audited(loan, "update")[0].changes["status"] == ["active", "lost"]
    assert audited(tablet, "update")[0].changes["status"] == ["on_loan", "lost"]

    with pytest.raises(DeviceUnavailable):
        checkout(pitea, loan.kit, official((pitea.ks, "ledamot")))
    assert Loan.objects.filter(kit=loan.kit).count() == 1


def test_lost_accessory_keeps_the_loan_open(pitea: Any, member: Any, loan: Loan) -> None:
    charger = loan.kit.devices.get(device_type="charger")

    incident_report(actor=pitea.it, loan=loan, device=charger, kind="stolen", occurred_at=timezone.now())

    loan.refresh_from_db()
    charger.refresh_from_db()
    assert loan.status == LoanStatus.ACTIVE and charger.status == DeviceStatus.STOLEN


def test_incident_report_refused_for_others_and_foreign_devices(pitea: Any, official: Any, loan: Loan) -> None:
    stranger = official((pitea.bun, "ersattare"))
    other_kit = make_kit(pitea.municipality, pitea.it)

    with pytest.raises(PermissionDeniedError):
        incident_report(
            actor=stranger.user, loan=loan, device=loan.kit.devices.first(), kind="lost", occurred_at=timezone.now()
        )
    with pytest.raises(ValidationFailed):
        incident_report(
            actor=pitea.it, loan=loan, device=other_kit.devices.first(), kind="lost", occurred_at=timezone.now()
        )
    assert not Incident.objects.exists()
    assert statuses(loan.kit) == {DeviceStatus.ON_LOAN}


def test_incident_assess_records_liability(pitea: Any, member: Any, loan: Loan) -> None:
    incident = incident_report(
        actor=member.user,
        loan=loan,
        device=loan.kit.devices.get(device_type="tablet"),
        kind="stolen",
        occurred_at=timezone.now(),
        police_report_number="5000-K123456-25",
    )

    with pytest.raises(PermissionDeniedError):
        incident_assess(actor=pitea.secretary, incident=incident, liability=Liability.NEGLIGENT)
    with pytest.raises(ValidationFailed):
        incident_assess(actor=pitea.it, incident=incident, liability="maybe")

    assessed = incident_assess(
        actor=pitea.it, incident=incident, liability=Liability.NEGLIGENT, note="Lämnad obevakad i olåst bil."
    )

    assessed.refresh_from_db()
    assert assessed.liability == Liability.NEGLIGENT and assessed.liability_note == "Lämnad obevakad i olåst bil."
    assert assessed.assessed_by == pitea.it and assessed.assessed_at is not None
    assert audited(assessed, "update")[0].changes["liability"] == ["undecided", "negligent"]


# --- mobile broadband -------------------------------------------------------------------------------------------


def test_broadband_decided_by_the_chair_of_the_borrowers_organ(
    pitea: Any, official: Any, member: Any, loan: Loan
) -> None:
    request = broadband_request(actor=member.user, loan=loan, reason="no_wifi", motivation="Inget wifi hemma")
    assert request.status == BroadbandStatus.REQUESTED and audited(request, "create")

    colleague = official((pitea.bun, "ledamot"))
    chair_elsewhere = official((pitea.ks, "ordforande"))
    for actor in (colleague.user, chair_elsewhere.user, pitea.it, member.user):
        with pytest.raises(PermissionDeniedError):
            broadband_decide(actor=actor, request=request, approve=True, monthly_allowance_gb=20)

    chair = official((pitea.bun, "ordforande"), given_name="Ordförande")
    with pytest.raises(ValidationFailed):
        broadband_decide(actor=chair.user, request=request, approve=True)

    decided = broadband_decide(actor=chair.user, request=request, approve=True, monthly_allowance_gb=20)

    decided.refresh_from_db()
    assert decided.status == BroadbandStatus.APPROVED and decided.decided_by == chair
    assert decided.monthly_allowance_gb == 20 and decided.roaming_blocked is True
    assert audited(decided, "update")[0].changes["status"] == ["requested", "approved"]
    with pytest.raises(ConflictError):
        broadband_decide(actor=chair.user, request=request, approve=False)

    loan_return(actor=pitea.it, loan=loan, checklist=RETURN_OK)
    decided.refresh_from_db()
    assert decided.status == BroadbandStatus.ENDED and decided.ended_at is not None


def test_broadband_decided_by_chair_of_the_company_board(pitea: Any, official: Any, tablet_kit: Any) -> None:
    borrower = official((pitea.bolag, "ledamot"))
    loan = checkout(pitea, tablet_kit, borrower)
    request = broadband_request(actor=pitea.it, loan=loan, reason="travel")
    chair = official((pitea.bolag, "ordforande"))

    decided = broadband_decide(actor=chair.user, request=request, approve=False)

    assert decided.status == BroadbandStatus.REJECTED and decided.monthly_allowance_gb is None


def test_broadband_request_needs_an_open_loan_and_the_borrower(
    pitea: Any, official: Any, member: Any, loan: Loan
) -> None:
    with pytest.raises(PermissionDeniedError):
        broadband_request(actor=official((pitea.bun, "ordforande")).user, loan=loan, reason="travel")
    loan_return(actor=pitea.it, loan=loan, checklist=RETURN_OK)
    with pytest.raises(ConflictError):
        broadband_request(actor=member.user, loan=loan, reason="travel")


# --- reads ------------------------------------------------------------------------------------------------------


def test_official_sees_own_loans_only(pitea: Any, official: Any, member: Any, loan: Loan) -> None:
    torsby = build_pitea("Torsby kommun")
    stranger = UserFactory(username="nobody")

    assert list(loan_list(actor=member.user)) == [loan]
    assert list(loan_list(actor=official((pitea.bun, "ersattare")).user)) == []
    assert list(loan_list(actor=pitea.it)) == [loan]
    assert list(loan_list(actor=pitea.secretary)) == [loan]
    assert list(loan_list(actor=torsby.it)) == []
    assert list(loan_list(actor=stranger)) == []


def test_setup_is_on_the_audit_trail(pitea: Any, tablet_kit: Any) -> None:
    assert audited(tablet_kit, "create")[0].actor == pitea.it
    for device in tablet_kit.devices.all():
        assert audited(device, "create")


def test_chair_does_not_decide_on_own_broadband(pitea: Any, official: Any, tablet_kit: Any) -> None:
    chair = official((pitea.bun, "ordforande"), (pitea.ks, "ledamot"))
    loan = checkout(pitea, tablet_kit, chair)
    request = broadband_request(actor=chair.user, loan=loan, reason="travel")

    with pytest.raises(PermissionDeniedError):
        broadband_decide(actor=chair.user, request=request, approve=True, monthly_allowance_gb=20)

    request.refresh_from_db()
    assert request.status == BroadbandStatus.REQUESTED
    ks_chair = official((pitea.ks, "ordforande"))
    assert (
        broadband_decide(actor=ks_chair.user, request=request, approve=True, monthly_allowance_gb=20).decided_by
        == ks_chair
    )


def test_only_a_chair_of_a_namnd_or_company_board_decides_on_broadband(
    pitea: Any, official: Any, tablet_kit: Any
) -> None:
    # 22KS572: "fattas av ordförande i nämnd eller ordförande i bolagsstyrelse" - not fullmäktige's chair.
    borrower = official((pitea.kf, "ledamot"), (pitea.bun, "ersattare"))
    request = broadband_request(actor=borrower.user, loan=checkout(pitea, tablet_kit, borrower), reason="no_wifi")
    kf_chair = official((pitea.kf, "ordforande"))
    with pytest.raises(PermissionDeniedError):
        broadband_decide(actor=kf_chair.user, request=request, approve=True, monthly_allowance_gb=20)
    bun_chair = official((pitea.bun, "ordforande"))
    decided = broadband_decide(actor=bun_chair.user, request=request, approve=True, monthly_allowance_gb=20)
    assert decided.status == BroadbandStatus.APPROVED and decided.roaming_blocked


def test_actor_without_login_never_decides_as_a_loginless_chair(pitea: Any, official: Any, loan: Loan) -> None:
    request = broadband_request(actor=pitea.it, loan=loan, reason="travel")
    official((pitea.bun, "ordforande"), with_user=False)  # a chair registered without a login

    with pytest.raises(PermissionDeniedError):
        broadband_decide(actor=SYSTEM, request=request, approve=True, monthly_allowance_gb=20)

    request.refresh_from_db()
    assert request.status == BroadbandStatus.REQUESTED


def test_anonymous_actor_is_not_the_borrower_without_a_login(pitea: Any, official: Any, tablet_kit: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    person = official((pitea.bun, "ledamot"), with_user=False)
    loan = checkout(pitea, tablet_kit, person)
    tablet = loan.kit.devices.get(device_type="tablet")

    with pytest.raises(PermissionDeniedError):
        receipt_accept(actor=AnonymousUser(), receipt=loan.receipts.get())
    with pytest.raises(PermissionDeniedError):
        broadband_request(actor=AnonymousUser(), loan=loan, reason="travel")
    with pytest.raises(PermissionDeniedError):
        incident_report(actor=AnonymousUser(), loan=loan, device=tablet, kind="lost", occurred_at=timezone.now())

    tablet.refresh_from_db()
    assert tablet.status == DeviceStatus.ON_LOAN and loan.receipts.get().accepted_at is None


def test_loss_is_reported_once_and_only_on_an_open_loan(pitea: Any, member: Any, loan: Loan) -> None:
    from insyn.core.exceptions import ConflictError
    from insyn.loans.models import Device
    from insyn.loans.services import incident_report

    tablet = Device.objects.get(kit=loan.kit, device_type="tablet")
    incident_report(actor=member.user, loan=loan, device=tablet, kind="lost", occurred_at=timezone.now())
    tablet.refresh_from_db()
    with pytest.raises(ConflictError):
        incident_report(actor=member.user, loan=loan, device=tablet, kind="stolen", occurred_at=timezone.now())


def test_accessories_of_a_lost_loan_go_back_to_stock(pitea: Any, member: Any, loan: Loan) -> None:
    from insyn.loans.models import Device
    from insyn.loans.services import incident_report, loan_hand_in_accessories

    tablet = Device.objects.get(kit=loan.kit, device_type="tablet")
    incident_report(actor=member.user, loan=loan, device=tablet, kind="stolen", occurred_at=timezone.now())
    loan.refresh_from_db()
    loan_hand_in_accessories(actor=pitea.it, loan=loan, condition="Laddaren saknas inte")
    devices = dict(Device.objects.filter(kit=loan.kit).values_list("device_type", "status"))
    assert devices.pop("tablet") == "stolen"
    assert set(devices.values()) == {"in_stock"}
    loan.refresh_from_db()
    assert loan.status == "stolen" and loan.returned_at is not None


def test_only_one_open_broadband_request_per_loan(pitea: Any, member: Any, loan: Loan) -> None:
    from insyn.core.exceptions import ConflictError

    broadband_request(actor=member.user, loan=loan, reason="travel")
    with pytest.raises(ConflictError):
        broadband_request(actor=member.user, loan=loan, reason="no_wifi")
