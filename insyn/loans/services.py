"""Every change to loans: checkout, receipts, due dates, return, loss, broadband, reminders."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.audit import audit_change, audit_record, snapshot
from insyn.core.exceptions import ConflictError, DomainError, PermissionDeniedError, ValidationFailed
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import require_org_perm
from insyn.core.services.organisations import full_clean_or_raise
from insyn.loans.eligibility import Eligibility, MembershipFacts, evaluate
from insyn.loans.models import (
    BroadbandRequest,
    BroadbandStatus,
    Device,
    DeviceStatus,
    Incident,
    Kit,
    Liability,
    Loan,
    LoanRuleSet,
    LoanStatus,
    Receipt,
    ReceiptKind,
    Reminder,
)
from insyn.loans.receipts import render_receipt
from insyn.loans.selectors import BROADBAND_DECIDING_ORGANS, rule_set_in_force
from insyn.loans.signing import DEFAULT_SIGNER, Signer
from insyn.officials.models import Membership, Person

logger = logging.getLogger(__name__)
RETURN_CHECKLIST = ("activation_lock_off", "logged_out", "all_accessories")
HANDOVER_KEYS = {"user_id", "email", "meeting_app_login"}
# The checklist is filled in by Swedish- and Polish-speaking staff too: "lösenord", "hasło".
PASSWORD_WORDS = ("password", "lösenord", "losenord", "hasło", "haslo")


class NotEligible(DomainError):
    status_code = 409
    default_code = "not_eligible"


class DeviceUnavailable(ConflictError):
    default_code = "device_unavailable"


def _facts(person: Person) -> list[MembershipFacts]:
    return [
        MembershipFacts(
            role=m.role,
            organ_type=m.organisation.organ_type,
            organ_name=m.organisation.name,
            is_external=m.is_external,
            start_date=m.start_date,
            end_date=m.end_date,
        )
        for m in Membership.objects.filter(person=person).select_related("organisation")
    ]


def person_eligibility(*, person: Person, on: dt.date) -> tuple[Eligibility, LoanRuleSet | None]:
    rule_set = rule_set_in_force(municipality_id=person.municipality_id, on=on)
    if rule_set is None:
        return Eligibility(False, [], [_("No loan instruction is in force.")]), None
    return evaluate(_facts(person), on=on, rules=rule_set.rules, return_days=rule_set.return_days), rule_set


@transaction.atomic
def device_create(*, actor: Any, municipality: Any, **data: Any) -> Device:
    require_org_perm(actor, "loans.add_device", municipality)
    device = Device(municipality=municipality, **data)
    full_clean_or_raise(device, exclude=["municipality"])
    device.save()
    audit_change(actor=actor, instance=device, before=None, organisation=municipality)
    return device


@transaction.atomic
def kit_create(*, actor: Any, municipality: Any, label: str, kind: str, devices: list[Device]) -> Kit:
    require_org_perm(actor, "loans.add_kit", municipality)
    if not any(d.device_type == kind for d in devices):
        raise ValidationFailed(_("A kit needs its main device (a tablet or a computer)."))
    kit = Kit(municipality=municipality, label=label, kind=kind)
    full_clean_or_raise(kit, exclude=["municipality"])
    kit.save()
    for device in Device.objects.select_for_update().filter(pk__in=[d.pk for d in devices]):
        if device.municipality_id != municipality.pk:
            raise ValidationFailed(_("The device belongs to another municipality."))
        if device.kit_id is not None:
            raise ValidationFailed(_("%(device)s is already in kit %(kit)s.") % {"device": device, "kit": device.kit})
        device.kit = kit
        device.save(update_fields=["kit"])
    audit_change(actor=actor, instance=kit, before=None, organisation=municipality)
    return kit


def _due_date(eligibility: Eligibility, loan: Loan | None = None) -> dt.date | None:
    candidates = [eligibility.return_due]
    if loan is not None and loan.return_requested_on:
        candidates.append(loan.return_requested_on + dt.timedelta(days=loan.rule_set.return_days))
    dates = [d for d in candidates if d is not None]
    return min(dates) if dates else None


@transaction.atomic
def loan_checkout(*, actor: Any, kit: Kit, person: Person, handover: dict[str, Any], on: dt.date | None = None) -> Loan:
    """Lend a kit to an eligible official; the receipt PDF is created for them to accept."""
    require_org_perm(actor, "loans.add_loan", kit.municipality)
    if person.municipality_id != kit.municipality_id:
        raise ValidationFailed(_("The official and the kit belong to different municipalities."))
    unknown = set(handover) - HANDOVER_KEYS
    if unknown or any(isinstance(v, str) and any(w in v.lower() for w in PASSWORD_WORDS) for v in handover.values()):
        raise ValidationFailed(
            _("The handover checklist records user id, e-mail and meeting-app login; never passwords.")
        )
    on = on or timezone.localdate()
    eligibility, rule_set = person_eligibility(person=person, on=on)
    if not eligibility.eligible or rule_set is None:
        raise NotEligible(
            _("Not eligible to borrow: %(reasons)s") % {"reasons": "; ".join(eligibility.reasons)},
            detail={"reasons": eligibility.reasons},
        )
    if kit.kind not in eligibility.devices:
        raise NotEligible(
            _("Not eligible for a %(kind)s: %(reasons)s")
            % {"kind": kit.get_kind_display(), "reasons": "; ".join(eligibility.reasons)},
            detail={"reasons": eligibility.reasons, "devices": eligibility.devices},
        )
    # Row locks: a second checkout of the same kit waits here, then finds it lent.
    locked_kit = Kit.objects.select_for_update().get(pk=kit.pk)
    devices = list(Device.objects.select_for_update().filter(kit=locked_kit).order_by("pk"))
    if Loan.objects.filter(kit=locked_kit, status=LoanStatus.ACTIVE).exists():
        raise DeviceUnavailable(_("This kit is already on loan."))
    blocked = [d for d in devices if d.status != DeviceStatus.IN_STOCK]
    if blocked:
        raise DeviceUnavailable(
            _("Cannot be lent: %(devices)s")
            % {"devices": ", ".join(f"{d} ({d.get_status_display()})" for d in blocked)}
        )
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                kit=locked_kit,
                person=person,
                rule_set=rule_set,
                checked_out_at=timezone.now(),
                checked_out_by=actor,
                eligibility_reasons=eligibility.reasons,
                handover=handover,
                due_date=_due_date(eligibility),
            )
    except IntegrityError:
        raise DeviceUnavailable(_("This kit is already on loan.")) from None
    Device.objects.filter(pk__in=[d.pk for d in devices]).update(status=DeviceStatus.ON_LOAN)
    _make_receipt(loan, ReceiptKind.CHECKOUT)
    audit_change(actor=actor, instance=loan, before=None, organisation=locked_kit.municipality)
    return loan


def _is_borrower(actor: Any, loan: Loan) -> bool:
    # Both sides must be a real login: a borrower without one (user_id None) is not "the same" as an anonymous actor.
    actor_pk = getattr(actor, "pk", None)
    return actor_pk is not None and loan.person.user_id == actor_pk


def _make_receipt(loan: Loan, kind: str) -> Receipt:
    pdf, digest = render_receipt(loan=loan, kind=kind)
    receipt = Receipt(loan=loan, kind=kind, sha256=digest)
    receipt.pdf.save(f"loan-{loan.pk}-{kind}.pdf", ContentFile(pdf), save=False)
    receipt.save()
    return receipt


@transaction.atomic
def receipt_accept(*, actor: Any, receipt: Receipt, signer: Signer = DEFAULT_SIGNER) -> Receipt:
    """The official accepts the receipt: time, person and the document's SHA-256 are recorded."""
    locked = Receipt.objects.select_for_update().select_related("loan__person").get(pk=receipt.pk)
    if not _is_borrower(actor, locked.loan):
        raise PermissionDeniedError(_("Only the borrower accepts the receipt."))
    if locked.accepted_at:
        return locked
    with locked.pdf.open("rb") as handle:
        document = handle.read()
    signature = signer.sign(document=document, signer=actor)
    if signature.document_sha256 != locked.sha256:
        raise ConflictError(_("The receipt has changed since it was created."))
    locked.accepted_at, locked.accepted_by, locked.signing_method = timezone.now(), actor, signature.method
    locked.save(update_fields=["accepted_at", "accepted_by", "signing_method"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        changes={"accepted": locked.sha256, "method": signature.method},
        organisation=locked.loan.kit.municipality_id,
    )
    return locked


@transaction.atomic
def receipt_acknowledge(*, actor: Any, receipt: Receipt) -> Receipt:
    """Staff's side of the return receipt."""
    require_org_perm(actor, "loans.change_loan", receipt.loan.kit.municipality)
    if receipt.staff_acknowledged_at is None:
        receipt.staff_acknowledged_at, receipt.staff_acknowledged_by = timezone.now(), actor
        receipt.save(update_fields=["staff_acknowledged_at", "staff_acknowledged_by"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=receipt,
            changes={"acknowledged": receipt.sha256},
            organisation=receipt.loan.kit.municipality_id,
        )
    return receipt


def _loan_eligibility(*, loan: Loan, person: Person, on: dt.date) -> Eligibility:
    """The rules in force decide; when none is (the instruction has expired), the version the loan was made under.

    Without the fallback every due date would be wiped the day the instruction expires.
    """
    eligibility, rule_set = person_eligibility(person=person, on=on)
    if rule_set is None:
        return evaluate(_facts(person), on=on, rules=loan.rule_set.rules, return_days=loan.rule_set.return_days)
    return eligibility


@transaction.atomic
def loans_recompute_due_dates(*, person: Person, on: dt.date | None = None) -> list[Loan]:
    """After a membership changes: the due date follows the last qualifying membership (+14 days)."""
    on = on or timezone.localdate()
    changed = []
    for loan in (
        Loan.objects.select_for_update().filter(person=person, status=LoanStatus.ACTIVE).select_related("rule_set")
    ):
        due = _due_date(_loan_eligibility(loan=loan, person=person, on=on), loan)
        if due != loan.due_date:
            before = snapshot(loan)
            loan.due_date = due
            loan.save(update_fields=["due_date"])
            audit_change(
                actor=None,
                instance=loan,
                before=before,
                organisation=person.municipality_id,
                reason="membership changed",
            )
            changed.append(loan)
    return changed


@transaction.atomic
def loan_request_return(*, actor: Any, loan: Loan, requested_on: dt.date | None = None) -> Loan:
    require_org_perm(actor, "loans.change_loan", loan.kit.municipality)
    locked = Loan.objects.select_for_update().select_related("rule_set", "person").get(pk=loan.pk)
    before = snapshot(locked)
    locked.return_requested_on = requested_on or timezone.localdate()
    eligibility = _loan_eligibility(loan=locked, person=locked.person, on=locked.return_requested_on)
    locked.due_date = _due_date(eligibility, locked)
    locked.save(update_fields=["return_requested_on", "due_date"])
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.kit.municipality_id)
    return locked


@transaction.atomic
def loan_return(*, actor: Any, loan: Loan, checklist: dict[str, Any]) -> Loan:
    """Take the kit back with the return checklist of the instruction; a return receipt is made."""
    require_org_perm(actor, "loans.change_loan", loan.kit.municipality)
    locked = Loan.objects.select_for_update().get(pk=loan.pk)
    if locked.status != LoanStatus.ACTIVE:
        raise ConflictError(_("This loan is not open."))
    missing = [item for item in RETURN_CHECKLIST if not checklist.get(item)]
    if missing:
        raise ValidationFailed(
            _("The return checklist is not complete: %(items)s") % {"items": ", ".join(missing)},
            detail={"missing": missing},
        )
    before = snapshot(locked)
    locked.status, locked.returned_at, locked.returned_to = LoanStatus.RETURNED, timezone.now(), actor
    locked.return_checklist = {k: checklist.get(k) for k in (*RETURN_CHECKLIST, "condition")}
    locked.save()
    Device.objects.filter(kit=locked.kit, status=DeviceStatus.ON_LOAN).update(status=DeviceStatus.IN_STOCK)
    _end_broadband(locked)
    receipt = _make_receipt(locked, ReceiptKind.RETURN)
    receipt_acknowledge(actor=actor, receipt=receipt)
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.kit.municipality_id)
    return locked


def _end_broadband(loan: Loan) -> None:
    BroadbandRequest.objects.filter(loan=loan, status__in=[BroadbandStatus.REQUESTED, BroadbandStatus.APPROVED]).update(
        status=BroadbandStatus.ENDED, ended_at=timezone.now()
    )


def _may_act_for_loan(actor: Any, loan: Loan, perm: str) -> bool:
    from insyn.core.permissions import has_org_perm

    return _is_borrower(actor, loan) or has_org_perm(actor, perm, loan.kit.municipality)


@transaction.atomic
def incident_report(
    *,
    actor: Any,
    loan: Loan,
    device: Device,
    kind: str,
    occurred_at: dt.datetime,
    place: str = "",
    police_report_number: str = "",
    description: str = "",
) -> Incident:
    """Loss or theft, reported by the official or staff: the device is blocked for lending at once."""
    if not _may_act_for_loan(actor, loan, "loans.change_loan"):
        raise PermissionDeniedError()
    if device.kit_id != loan.kit_id:
        raise ValidationFailed(_("The device is not part of this loan."))
    if loan.status != LoanStatus.ACTIVE:
        raise ConflictError(_("Report a loss on an open loan; this one is closed."))
    if device.status in (DeviceStatus.LOST, DeviceStatus.STOLEN):
        raise ConflictError(_("This device is already reported lost or stolen."))
    incident = Incident(
        loan=loan,
        device=device,
        kind=kind,
        occurred_at=occurred_at,
        place=place,
        police_report_number=police_report_number,
        description=description,
        reported_by=actor,
    )
    full_clean_or_raise(incident, exclude=["reported_by"])
    incident.save()
    audit_change(actor=actor, instance=incident, before=None, organisation=loan.kit.municipality_id)
    locked_device = Device.objects.select_for_update().get(pk=device.pk)
    before = snapshot(locked_device)
    locked_device.status = kind
    locked_device.save(update_fields=["status"])
    audit_change(actor=actor, instance=locked_device, before=before, organisation=loan.kit.municipality_id)
    locked_loan = Loan.objects.select_for_update().select_related("kit").get(pk=loan.pk)
    if locked_loan.status == LoanStatus.ACTIVE and locked_device.device_type == locked_loan.kit.kind:
        # The main device is gone: the loan ends as lost/stolen; accessories return to stock when handed in.
        before = snapshot(locked_loan)
        locked_loan.status = kind
        locked_loan.save(update_fields=["status"])
        audit_change(actor=actor, instance=locked_loan, before=before, organisation=loan.kit.municipality_id)
        _end_broadband(locked_loan)
    return incident


@transaction.atomic
def incident_assess(*, actor: Any, incident: Incident, liability: str, note: str = "") -> Incident:
    require_org_perm(actor, "loans.change_incident", incident.loan.kit.municipality)
    if liability not in Liability.values:
        raise ValidationFailed(_("Unknown assessment."))
    before = snapshot(incident)
    incident.liability, incident.liability_note = liability, note
    incident.assessed_by, incident.assessed_at = actor, timezone.now()
    incident.save()
    audit_change(actor=actor, instance=incident, before=before, organisation=incident.loan.kit.municipality_id)
    return incident


@transaction.atomic
def broadband_request(*, actor: Any, loan: Loan, reason: str, motivation: str = "") -> BroadbandRequest:
    if not _may_act_for_loan(actor, loan, "loans.change_loan"):
        raise PermissionDeniedError()
    # The status as committed, not as the caller's copy remembers it (a return may have happened since).
    loan = Loan.objects.select_for_update().select_related("kit", "person").get(pk=loan.pk)
    if loan.status != LoanStatus.ACTIVE:
        raise ConflictError(_("Mobile broadband goes with an open loan."))
    if BroadbandRequest.objects.filter(
        loan=loan, status__in=[BroadbandStatus.REQUESTED, BroadbandStatus.APPROVED]
    ).exists():
        raise ConflictError(_("There is already a broadband request or subscription for this loan."))
    request = BroadbandRequest(loan=loan, reason=reason, motivation=motivation)
    full_clean_or_raise(request)
    request.save()
    audit_change(actor=actor, instance=request, before=None, organisation=loan.kit.municipality_id)
    return request


# 22KS572: "Beslut om mobilt bredbandsabonnemang fattas av ordförande i nämnd eller ordförande i bolagsstyrelse."
# The organs are BROADBAND_DECIDING_ORGANS (insyn.loans.selectors, which finds the requests to decide too).


def _deciding_chair(actor: Any, loan: Loan, on: dt.date) -> Person:
    """The actor must be the chair of an organ (or company board) where the borrower currently sits."""
    actor_pk = getattr(actor, "pk", None)
    chair = Person.objects.filter(user_id=actor_pk).first() if actor_pk is not None else None
    if chair is None:
        raise PermissionDeniedError(_("Only the chair of the organ decides on mobile broadband."))
    if chair.pk == loan.person_id:
        # A chair who borrows does not decide on their own subscription.
        raise PermissionDeniedError(_("Only the chair of the organ decides on mobile broadband."))
    current = Q(start_date__isnull=True) | Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on)
    borrower_organs = Membership.objects.filter(*current, person=loan.person).values("organisation_id")
    if not Membership.objects.filter(
        *current,
        person=chair,
        role="ordforande",
        organisation_id__in=borrower_organs,
        organisation__organ_type__in=BROADBAND_DECIDING_ORGANS,
    ).exists():
        raise PermissionDeniedError(_("Only the chair of the organ decides on mobile broadband."))
    return chair


@transaction.atomic
def broadband_decide(
    *, actor: Any, request: BroadbandRequest, approve: bool, monthly_allowance_gb: int | None = None
) -> BroadbandRequest:
    locked = BroadbandRequest.objects.select_for_update().select_related("loan__person").get(pk=request.pk)
    if locked.status != BroadbandStatus.REQUESTED:
        raise ConflictError(_("This request is already decided."))
    chair = _deciding_chair(actor, locked.loan, timezone.localdate())
    if approve and not monthly_allowance_gb:
        raise ValidationFailed(_("Give the monthly data allowance."))
    before = snapshot(locked)
    locked.status = BroadbandStatus.APPROVED if approve else BroadbandStatus.REJECTED
    locked.decided_by, locked.decided_at = chair, timezone.now()
    locked.monthly_allowance_gb = monthly_allowance_gb if approve else None
    locked.roaming_blocked = True
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.loan.kit.municipality_id)
    return locked


# --- Reminders -------------------------------------------------------------------------------

REMINDER_STEPS = ((-7, "before_7"), (0, "due"), (7, "after_7"), (30, "after_30"))


def _secretaries(loan: Loan) -> list[str]:
    """Committee secretaries whose role covers an organ the borrower sits in."""
    from insyn.core.models import RoleAssignment

    assignments = RoleAssignment.objects.filter(role__name="Committee secretary").select_related("user", "organisation")
    emails = set()
    organs = list(loan.person.memberships.select_related("organisation").values_list("organisation__path", flat=True))
    for assignment in assignments.filter(organisation__municipality_id=loan.kit.municipality_id):
        if any(path.startswith(assignment.organisation.path) for path in organs) and assignment.user.email:
            emails.add(assignment.user.email)
    return sorted(emails)


def loans_send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily job: e-mail the official and the committee secretary before and after the due date (once per step)."""
    today = today or timezone.localdate()
    sent = 0
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE, due_date__isnull=False).select_related("person", "kit")
    for loan in loans:
        assert loan.due_date is not None
        days_past = (today - loan.due_date).days
        due_steps = [name for offset, name in REMINDER_STEPS if days_past >= offset]
        if not due_steps:
            continue
        step = due_steps[-1]  # only the latest step reached: no burst of old reminders
        recipients = [e for e in [loan.person.email, *_secretaries(loan)] if e]
        if not recipients:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(loan=loan, due_date=loan.due_date, step=step, sent_to=recipients)
                context = {"loan": loan, "step": step, "days_past": days_past}
                subject = render_to_string("loans/email/reminder_subject.txt", context).strip()
                body = render_to_string("loans/email/reminder_body.txt", context)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except IntegrityError:
            continue
        sent += 1
    logger.info("loan reminders: %s sent", sent)
    return {"sent": sent}


@transaction.atomic
def loan_hand_in_accessories(*, actor: Any, loan: Loan, condition: str = "") -> Loan:
    """After a loss or theft of the main device: the accessories that came back go back to stock."""
    require_org_perm(actor, "loans.change_loan", loan.kit.municipality)
    locked = Loan.objects.select_for_update().get(pk=loan.pk)
    if locked.status not in (LoanStatus.LOST, LoanStatus.STOLEN):
        raise ConflictError(_("Only the accessories of a lost or stolen loan are handed in this way."))
    before = snapshot(locked)
    Device.objects.filter(kit=locked.kit, status=DeviceStatus.ON_LOAN).update(status=DeviceStatus.IN_STOCK)
    locked.returned_at, locked.returned_to = timezone.now(), actor
    locked.return_checklist = {"all_accessories": True, "condition": condition}
    locked.save(update_fields=["returned_at", "returned_to", "return_checklist"])
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.kit.municipality_id)
    return locked
