"""A plan's life: edit while a draft, adopt (frozen from then on), start a new version, delete a draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_delete, audit_record, diff, snapshot
from insyn.core.events import send_after_commit
from insyn.core.exceptions import ConflictError, ValidationFailed
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import require_org_perm
from insyn.core.services import UNCHANGED, changed_fields
from insyn.core.services.organisations import full_clean_or_raise
from insyn.records.exceptions import UnclearRulesUnconfirmed
from insyn.records.models import PlanRevision, PlanStatus, RetentionAction, RetentionPlan
from insyn.records.selectors import plan_data
from insyn.records.services._common import ADD_PLAN, CHANGE_PLAN, Maybe, require_draft
from insyn.records.services.content import write_content
from insyn.records.signals import plan_adopted


@transaction.atomic
def plan_update(
    *,
    actor: Actor,
    plan: RetentionPlan,
    title: Maybe[str] = UNCHANGED,
    scope: Maybe[str] = UNCHANGED,
    classification: Maybe[str] = UNCHANGED,
    adopted_by: Maybe[str] = UNCHANGED,
    adopted_on: Maybe[dt.date | None] = UNCHANGED,
    paragraph: Maybe[str] = UNCHANGED,
    version: Maybe[str] = UNCHANGED,
    reason: str = "",
) -> RetentionPlan:
    """Change a draft's own fields; a field not given keeps its value."""
    changes = changed_fields(
        title=title,
        scope=scope,
        classification=classification,
        adopted_by=adopted_by,
        adopted_on=adopted_on,
        paragraph=paragraph,
        version=version,
    )
    locked = RetentionPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    require_org_perm(actor, CHANGE_PLAN, locked.organisation)
    require_draft(locked)
    before = snapshot(locked)
    for key, value in changes.items():
        setattr(locked, key, value)
    full_clean_or_raise(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.organisation, reason=reason)
    return locked


@transaction.atomic
def plan_adopt(
    *,
    actor: Actor,
    plan: RetentionPlan,
    adopted_by: str,
    adopted_on: dt.date,
    paragraph: str,
    version: str,
    revision_note: str = "",
    unclear_confirmations: Mapping[int, str] | None = None,
) -> RetentionPlan:
    """Adopt a draft: it is frozen from now on and replaces the version it was made from.

    Every rule still `unclear` needs a confirmation in `unclear_confirmations` (document type id →
    reason, e.g. "se anmärkning, handled by hand"); they are stored before the plan is frozen and
    recorded on the adoption's audit entry.
    """
    locked = RetentionPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    require_org_perm(actor, CHANGE_PLAN, locked.organisation)
    require_draft(locked)
    if not adopted_by or not version:
        raise ValidationFailed(_("Say who adopted the plan and give the version."))
    confirmations = _confirm_unclear_rules(actor, locked, unclear_confirmations or {})
    before = snapshot(locked)
    previous = locked.previous_version
    if previous is not None:
        if previous.status != PlanStatus.ADOPTED:
            raise ConflictError(_("The version this draft was made from is no longer in force."))
        if previous.version == version:
            raise ValidationFailed(_("The new version needs a version number of its own."))
        last = locked.revisions.order_by("-position").values_list("position", flat=True).first()
        PlanRevision.objects.create(
            plan=locked,
            date=adopted_on,
            paragraph=paragraph,
            description=revision_note,
            version=version,
            position=(last if last is not None else -1) + 1,
        )
    locked.adopted_by, locked.adopted_on, locked.paragraph, locked.version = adopted_by, adopted_on, paragraph, version
    full_clean_or_raise(locked)
    locked.save()
    locked.status = PlanStatus.ADOPTED
    locked.save(update_fields=["status", "updated_at"])
    changes: dict[str, Any] = dict(diff(before, snapshot(locked)))
    if confirmations:
        changes["unclear_confirmations"] = confirmations
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        organisation=locked.organisation,
        changes=changes,
        reason=revision_note,
    )
    # Records' own reaction (its PDFs) and other modules' listen for this: insyn/records/receivers.py.
    send_after_commit(
        plan_adopted, sender=RetentionPlan, plan_id=locked.pk, organisation_id=locked.organisation_id, actor=actor
    )
    if previous is not None:
        prev_before = snapshot(previous)
        previous.status = PlanStatus.REPLACED
        previous.save(update_fields=["status", "updated_at"])
        audit_change(actor=actor, instance=previous, before=prev_before, organisation=previous.organisation)
    return locked


def _confirm_unclear_rules(actor: Actor, plan: RetentionPlan, confirmations: Mapping[int, str]) -> list[dict[str, Any]]:
    """Store a confirmation for each unclear row of the (still draft) plan; refuse if one lacks a reason."""
    from insyn.records.models import UnclearRuleConfirmation

    rows = list(plan.document_types.filter(action=RetentionAction.UNCLEAR).order_by("position"))
    reasons = {int(key): str(value).strip() for key, value in confirmations.items()}
    missing = [row for row in rows if not reasons.get(row.pk)]
    if missing:
        raise UnclearRulesUnconfirmed(missing)
    unknown = sorted(set(reasons) - {row.pk for row in rows})
    if unknown:
        raise ValidationFailed(
            _("Not an unclear rule of this plan: %(ids)s") % {"ids": ", ".join(str(pk) for pk in unknown)},
            code="not_unclear_rule",
        )
    now = timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None
    label = (user.get_username() if user is not None else str(actor))[:200]
    recorded = []
    for row in rows:
        UnclearRuleConfirmation.objects.update_or_create(
            document_type=row,
            defaults={
                "reason": reasons[row.pk],
                "confirmed_by": user,
                "confirmed_by_label": label,
                "confirmed_at": now,
            },
        )
        recorded.append({"document_type": row.pk, "name": row.name, "reason": reasons[row.pk]})
    return recorded


@transaction.atomic
def plan_new_version(*, actor: Actor, plan: RetentionPlan, reason: str = "") -> RetentionPlan:
    """A draft copy of an adopted plan, to be edited and adopted in turn."""
    source = RetentionPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    require_org_perm(actor, ADD_PLAN, source.organisation)
    if source.status != PlanStatus.ADOPTED:
        raise ConflictError(_("Only the version in force can be the base of a new version."))
    if RetentionPlan.objects.filter(previous_version=source, status=PlanStatus.DRAFT).exists():
        raise ConflictError(_("A draft of a new version already exists."))
    data = plan_data(source)
    draft = RetentionPlan.objects.create(
        organisation=source.organisation,
        title=source.title,
        scope=source.scope,
        classification=source.classification,
        adopted_by=source.adopted_by,
        paragraph="",
        version="",
        status=PlanStatus.DRAFT,
        previous_version=source,
    )
    counts = write_content(draft, data)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=draft,
        organisation=source.organisation,
        changes={"new_version_of": source.pk, **counts},
        reason=reason,
    )
    return draft


@transaction.atomic
def plan_delete_draft(*, actor: Actor, plan: RetentionPlan, reason: str = "") -> None:
    require_org_perm(actor, CHANGE_PLAN, plan.organisation)
    require_draft(plan)
    audit_delete(actor=actor, instance=plan, organisation=plan.organisation, reason=reason)
