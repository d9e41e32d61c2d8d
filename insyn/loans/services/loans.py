"""A loan from checkout to return: eligibility, row locks, the handover and return checklists, receipts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.exceptions import ConflictError, ValidationFailed
from insyn.core.permissions import require_org_perm
from insyn.loans.exceptions import DeviceUnavailable, NotEligible
from insyn.loans.models import Device, DeviceStatus, Kit, Loan, LoanStatus, ReceiptKind
from insyn.loans.rules import ALL_ACCESSORIES
from insyn.loans.selectors import loan_return_checklist, person_eligibility
from insyn.loans.services._common import login_of, required_login
from insyn.loans.services.broadband import end_broadband
from insyn.loans.services.due_dates import due_date, loan_eligibility
from insyn.loans.services.receipts import make_receipt, receipt_acknowledge
from insyn.officials.models import Person

HANDOVER_KEYS = {"user_id", "email", "meeting_app_login"}
# The checklist is filled in by Swedish- and Polish-speaking staff too: "lösenord", "hasło".
PASSWORD_WORDS = ("password", "lösenord", "losenord", "hasło", "haslo")


@transaction.atomic
def loan_checkout(
    *, actor: Actor, kit: Kit, person: Person, handover: Mapping[str, Any], on: dt.date | None = None
) -> Loan:
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
    checked_out_by = required_login(actor)
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
                checked_out_by=checked_out_by,
                eligibility_reasons=eligibility.reasons,
                handover=dict(handover),
                due_date=due_date(eligibility),
            )
    except IntegrityError:
        raise DeviceUnavailable(_("This kit is already on loan.")) from None
    Device.objects.filter(pk__in=[d.pk for d in devices]).update(status=DeviceStatus.ON_LOAN)
    make_receipt(loan, ReceiptKind.CHECKOUT)
    audit_change(actor=actor, instance=loan, before=None, organisation=locked_kit.municipality)
    return loan


@transaction.atomic
def loan_request_return(*, actor: Actor, loan: Loan, requested_on: dt.date | None = None) -> Loan:
    require_org_perm(actor, "loans.change_loan", loan.kit.municipality)
    locked = Loan.objects.select_for_update().select_related("rule_set", "person").get(pk=loan.pk)
    before = snapshot(locked)
    locked.return_requested_on = requested_on or timezone.localdate()
    eligibility = loan_eligibility(loan=locked, person=locked.person, on=locked.return_requested_on)
    locked.due_date = due_date(eligibility, locked)
    locked.save(update_fields=["return_requested_on", "due_date"])
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.kit.municipality_id)
    return locked


@transaction.atomic
def loan_return(*, actor: Actor, loan: Loan, checklist: Mapping[str, Any]) -> Loan:
    """Take the kit back with the return checklist of the instruction; a return receipt is made.

    `checklist` maps each item of `loan_return_checklist` to a truth value, and may hold a "condition"
    note; an item the kit does not call for (Find My for a computer) is neither required nor kept.
    """
    require_org_perm(actor, "loans.change_loan", loan.kit.municipality)
    locked = Loan.objects.select_for_update().get(pk=loan.pk)
    if locked.status != LoanStatus.ACTIVE:
        raise ConflictError(_("This loan is not open."))
    required = loan_return_checklist(loan=locked)
    missing = [item for item in required if not checklist.get(item)]
    if missing:
        raise ValidationFailed(
            _("The return checklist is not complete: tick every item before the kit is taken back."),
            detail={"missing": missing},
        )
    before = snapshot(locked)
    locked.status, locked.returned_at, locked.returned_to = LoanStatus.RETURNED, timezone.now(), login_of(actor)
    kept = {item: bool(checklist.get(item)) for item in required}
    locked.return_checklist = {**kept, "condition": str(checklist.get("condition") or "")}
    locked.save()
    Device.objects.filter(kit=locked.kit, status=DeviceStatus.ON_LOAN).update(status=DeviceStatus.IN_STOCK)
    end_broadband(locked)
    receipt = make_receipt(locked, ReceiptKind.RETURN)
    receipt_acknowledge(actor=actor, receipt=receipt)
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.kit.municipality_id)
    return locked


@transaction.atomic
def loan_hand_in_accessories(*, actor: Actor, loan: Loan, condition: str = "") -> Loan:
    """After a loss or theft of the main device: the accessories that came back go back to stock."""
    require_org_perm(actor, "loans.change_loan", loan.kit.municipality)
    locked = Loan.objects.select_for_update().get(pk=loan.pk)
    if locked.status not in (LoanStatus.LOST, LoanStatus.STOLEN):
        raise ConflictError(_("Only the accessories of a lost or stolen loan are handed in this way."))
    before = snapshot(locked)
    Device.objects.filter(kit=locked.kit, status=DeviceStatus.ON_LOAN).update(status=DeviceStatus.IN_STOCK)
    locked.returned_at, locked.returned_to = timezone.now(), login_of(actor)
    locked.return_checklist = {ALL_ACCESSORIES: True, "condition": condition}
    locked.save(update_fields=["returned_at", "returned_to", "return_checklist"])
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.kit.municipality_id)
    return locked
