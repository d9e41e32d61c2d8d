"""Mobile broadband with a loan: asked for by the borrower (or staff), decided by the chair of the organ."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from insyn.core.services.organisations import full_clean_or_raise
from insyn.loans.models import BroadbandRequest, BroadbandStatus, Loan, LoanStatus
from insyn.loans.selectors import chair_decides_for, own_person
from insyn.loans.services._common import may_act_for_loan
from insyn.officials.models import Person

OPEN = (BroadbandStatus.REQUESTED, BroadbandStatus.APPROVED)


def end_broadband(loan: Loan) -> None:
    """The loan is over (returned, lost, stolen): its subscription or open request ends with it."""
    BroadbandRequest.objects.filter(loan=loan, status__in=OPEN).update(
        status=BroadbandStatus.ENDED, ended_at=timezone.now()
    )


@transaction.atomic
def broadband_request(*, actor: Actor, loan: Loan, reason: str, motivation: str = "") -> BroadbandRequest:
    if not may_act_for_loan(actor, loan, "loans.change_loan"):
        raise PermissionDeniedError()
    # The status as committed, not as the caller's copy remembers it (a return may have happened since).
    loan = Loan.objects.select_for_update().select_related("kit", "person").get(pk=loan.pk)
    if loan.status != LoanStatus.ACTIVE:
        raise ConflictError(_("Mobile broadband goes with an open loan."))
    if BroadbandRequest.objects.filter(loan=loan, status__in=OPEN).exists():
        raise ConflictError(_("There is already a broadband request or subscription for this loan."))
    request = BroadbandRequest(loan=loan, reason=reason, motivation=motivation)
    full_clean_or_raise(request)
    request.save()
    audit_change(actor=actor, instance=request, before=None, organisation=loan.kit.municipality_id)
    return request


# 22KS572: "Beslut om mobilt bredbandsabonnemang fattas av ordförande i nämnd eller ordförande i bolagsstyrelse."
# The organs are BROADBAND_DECIDING_ORGANS (insyn.loans.selectors, which finds the requests to decide too).


def _deciding_chair(actor: Actor, loan: Loan) -> Person:
    """The actor must be the chair of an organ (or company board) where the borrower currently sits."""
    chair = own_person(actor)
    if chair is None or not chair_decides_for(chair=chair, borrower_id=loan.person_id, on=timezone.localdate()):
        raise PermissionDeniedError(_("Only the chair of the organ decides on mobile broadband."))
    return chair


@transaction.atomic
def broadband_decide(
    *, actor: Actor, request: BroadbandRequest, approve: bool, monthly_allowance_gb: int | None = None
) -> BroadbandRequest:
    locked = BroadbandRequest.objects.select_for_update().select_related("loan__person").get(pk=request.pk)
    # Who may decide before what state the request is in: a 409 would tell anyone that the id exists.
    chair = _deciding_chair(actor, locked.loan)
    if locked.status != BroadbandStatus.REQUESTED:
        raise ConflictError(_("This request is already decided."))
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
