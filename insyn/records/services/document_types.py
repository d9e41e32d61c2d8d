"""Document types (the rows of a plan): created, changed and deleted while their plan is a draft."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_delete, snapshot
from insyn.core.exceptions import ValidationFailed
from insyn.core.permissions import require_org_perm
from insyn.core.services import UNCHANGED, changed_fields
from insyn.core.services.organisations import full_clean_or_raise
from insyn.records.models import Activity, DocumentType
from insyn.records.services._common import CHANGE_PLAN, Maybe, require_draft, search_text


def _row_fields(
    *,
    name: Maybe[str],
    analog_format: Maybe[str],
    analog_storage: Maybe[str],
    digital_format: Maybe[str],
    digital_storage: Maybe[str],
    retention_text: Maybe[str],
    action: Maybe[str],
    period: Maybe[str | None],
    trigger: Maybe[str],
    trigger_event: Maybe[str | None],
    align: Maybe[str],
    sampling: Maybe[str | None],
    archival_format: Maybe[str],
    remarks: Maybe[str],
    legal_reference: Maybe[str],
    personal_data: Maybe[bool | None],
    sorting: Maybe[str],
    delivery_deadline: Maybe[str],
    original_or_copy: Maybe[str],
    position: Maybe[int],
) -> dict[str, Any]:
    fields = changed_fields(
        name=name,
        analog_format=analog_format,
        analog_storage=analog_storage,
        digital_format=digital_format,
        digital_storage=digital_storage,
        retention_text=retention_text,
        action=action,
        period=period,
        trigger=trigger,
        trigger_event=trigger_event,
        align=align,
        sampling=sampling,
        archival_format=archival_format,
        remarks=remarks,
        legal_reference=legal_reference,
        personal_data=personal_data,
        sorting=sorting,
        delivery_deadline=delivery_deadline,
        original_or_copy=original_or_copy,
        position=position,
    )
    # A text field left empty in a form or sent as null is the empty text; `personal_data` None is "not known".
    return {key: "" if value is None and key != "personal_data" else value for key, value in fields.items()}


@transaction.atomic
def document_type_update(
    *,
    actor: Actor,
    document_type: DocumentType,
    activity: Maybe[Activity] = UNCHANGED,
    name: Maybe[str] = UNCHANGED,
    analog_format: Maybe[str] = UNCHANGED,
    analog_storage: Maybe[str] = UNCHANGED,
    digital_format: Maybe[str] = UNCHANGED,
    digital_storage: Maybe[str] = UNCHANGED,
    retention_text: Maybe[str] = UNCHANGED,
    action: Maybe[str] = UNCHANGED,
    period: Maybe[str | None] = UNCHANGED,
    trigger: Maybe[str] = UNCHANGED,
    trigger_event: Maybe[str | None] = UNCHANGED,
    align: Maybe[str] = UNCHANGED,
    sampling: Maybe[str | None] = UNCHANGED,
    archival_format: Maybe[str] = UNCHANGED,
    remarks: Maybe[str] = UNCHANGED,
    legal_reference: Maybe[str] = UNCHANGED,
    personal_data: Maybe[bool | None] = UNCHANGED,
    sorting: Maybe[str] = UNCHANGED,
    delivery_deadline: Maybe[str] = UNCHANGED,
    original_or_copy: Maybe[str] = UNCHANGED,
    position: Maybe[int] = UNCHANGED,
    reason: str = "",
) -> DocumentType:
    """Change a row of a draft plan; a field not given keeps its value."""
    changes = _row_fields(
        name=name,
        analog_format=analog_format,
        analog_storage=analog_storage,
        digital_format=digital_format,
        digital_storage=digital_storage,
        retention_text=retention_text,
        action=action,
        period=period,
        trigger=trigger,
        trigger_event=trigger_event,
        align=align,
        sampling=sampling,
        archival_format=archival_format,
        remarks=remarks,
        legal_reference=legal_reference,
        personal_data=personal_data,
        sorting=sorting,
        delivery_deadline=delivery_deadline,
        original_or_copy=original_or_copy,
        position=position,
    )
    row = DocumentType.objects.select_related("plan", "plan__organisation", "activity__process").get(
        pk=document_type.pk
    )
    require_org_perm(actor, CHANGE_PLAN, row.plan.organisation)
    require_draft(row.plan)
    if activity is not UNCHANGED:
        if activity.plan_id != row.plan_id:
            raise ValidationFailed(_("The activity belongs to another plan."))
        changes["activity"] = activity
    before = snapshot(row)
    for key, value in changes.items():
        setattr(row, key, value)
    full_clean_or_raise(row, exclude=["search_text"])
    row.search_text = search_text(row, row.activity.name, f"{row.activity.process.code} {row.activity.process.name}")
    row.save()
    audit_change(actor=actor, instance=row, before=before, organisation=row.plan.organisation, reason=reason)
    return row


@transaction.atomic
def document_type_create(
    *,
    actor: Actor,
    activity: Activity,
    name: str,
    analog_format: Maybe[str] = UNCHANGED,
    analog_storage: Maybe[str] = UNCHANGED,
    digital_format: Maybe[str] = UNCHANGED,
    digital_storage: Maybe[str] = UNCHANGED,
    retention_text: Maybe[str] = UNCHANGED,
    action: Maybe[str] = UNCHANGED,
    period: Maybe[str | None] = UNCHANGED,
    trigger: Maybe[str] = UNCHANGED,
    trigger_event: Maybe[str | None] = UNCHANGED,
    align: Maybe[str] = UNCHANGED,
    sampling: Maybe[str | None] = UNCHANGED,
    archival_format: Maybe[str] = UNCHANGED,
    remarks: Maybe[str] = UNCHANGED,
    legal_reference: Maybe[str] = UNCHANGED,
    personal_data: Maybe[bool | None] = UNCHANGED,
    sorting: Maybe[str] = UNCHANGED,
    delivery_deadline: Maybe[str] = UNCHANGED,
    original_or_copy: Maybe[str] = UNCHANGED,
    position: Maybe[int] = UNCHANGED,
    reason: str = "",
) -> DocumentType:
    """A new row under `activity`, after its last row unless `position` is given; a field not given: its default."""
    fields = _row_fields(
        name=name,
        analog_format=analog_format,
        analog_storage=analog_storage,
        digital_format=digital_format,
        digital_storage=digital_storage,
        retention_text=retention_text,
        action=action,
        period=period,
        trigger=trigger,
        trigger_event=trigger_event,
        align=align,
        sampling=sampling,
        archival_format=archival_format,
        remarks=remarks,
        legal_reference=legal_reference,
        personal_data=personal_data,
        sorting=sorting,
        delivery_deadline=delivery_deadline,
        original_or_copy=original_or_copy,
        position=position,
    )
    plan = activity.plan
    require_org_perm(actor, CHANGE_PLAN, plan.organisation)
    require_draft(plan)
    if "position" not in fields:
        last = (
            DocumentType.objects.filter(activity=activity)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
        )
        fields["position"] = (last or activity.position) + 1
    row = DocumentType(plan=plan, activity=activity, **fields)
    full_clean_or_raise(row, exclude=["search_text"])
    row.search_text = search_text(row, activity.name, f"{activity.process.code} {activity.process.name}")
    row.save()
    audit_change(actor=actor, instance=row, before=None, organisation=plan.organisation, reason=reason)
    return row


@transaction.atomic
def document_type_delete(*, actor: Actor, document_type: DocumentType, reason: str = "") -> None:
    plan = document_type.plan
    require_org_perm(actor, CHANGE_PLAN, plan.organisation)
    require_draft(plan)
    audit_delete(actor=actor, instance=document_type, organisation=plan.organisation, reason=reason)
