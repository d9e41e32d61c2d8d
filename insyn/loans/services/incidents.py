"""Loss and theft: reported by the official or staff, assessed for liability by staff."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from insyn.core.permissions import require_org_perm
from insyn.core.services.organisations import full_clean_or_raise
from insyn.loans.models import Device, DeviceStatus, Incident, Liability, Loan, LoanStatus
from insyn.loans.services._common import login_of, may_act_for_loan, required_login
from insyn.loans.services.broadband import end_broadband


@transaction.atomic
def incident_report(
    *,
    actor: Actor,
    loan: Loan,
    device: Device,
    kind: str,
    occurred_at: dt.datetime,
    place: str = "",
    police_report_number: str = "",
    description: str = "",
) -> Incident:
    """Loss or theft, reported by the official or staff: the device is blocked for lending at once."""
    if not may_act_for_loan(actor, loan, "loans.change_loan"):
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
        reported_by=required_login(actor),
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
        end_broadband(locked_loan)
    return incident


@transaction.atomic
def incident_assess(*, actor: Actor, incident: Incident, liability: str, note: str = "") -> Incident:
    require_org_perm(actor, "loans.change_incident", incident.loan.kit.municipality)
    if liability not in Liability.values:
        raise ValidationFailed(_("Unknown assessment."))
    before = snapshot(incident)
    incident.liability, incident.liability_note = liability, note
    incident.assessed_by, incident.assessed_at = login_of(actor), timezone.now()
    incident.save()
    audit_change(actor=actor, instance=incident, before=before, organisation=incident.loan.kit.municipality_id)
    return incident
