"""Devices and kits: registered by IT, a kit being a tablet or computer with its accessories."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change
from insyn.core.exceptions import ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import require_org_perm
from insyn.core.services.organisations import full_clean_or_raise
from insyn.loans.models import Device, Kit


@transaction.atomic
def device_create(
    *,
    actor: Actor,
    municipality: Organisation,
    device_type: str,
    serial_number: str,
    make: str = "",
    model: str = "",
    imei: str = "",
    mdm_id: str = "",
    purchase_date: dt.date | None = None,
    notes: str = "",
) -> Device:
    require_org_perm(actor, "loans.add_device", municipality)
    device = Device(
        municipality=municipality,
        device_type=device_type,
        serial_number=serial_number,
        make=make,
        model=model,
        imei=imei,
        mdm_id=mdm_id,
        purchase_date=purchase_date,
        notes=notes,
    )
    full_clean_or_raise(device, exclude=["municipality"])
    device.save()
    audit_change(actor=actor, instance=device, before=None, organisation=municipality)
    return device


@transaction.atomic
def kit_create(*, actor: Actor, municipality: Organisation, label: str, kind: str, devices: list[Device]) -> Kit:
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
