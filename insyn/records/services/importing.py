"""Importing a plan: the same file twice changes nothing; a dry run is the real import rolled back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_record
from insyn.core.exceptions import ValidationFailed
from insyn.core.models import Organisation
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import require_org_perm
from insyn.core.services.organisations import full_clean_or_raise
from insyn.records.models import ClassificationNode, PlanStatus, RetentionPlan
from insyn.records.plandata import PlanData
from insyn.records.selectors import plan_data
from insyn.records.services._common import ADD_PLAN, render_pdfs_later, require_draft
from insyn.records.services.content import write_content


class _DryRun(Exception):
    """Raised to roll back a dry-run import after it has counted what it would do."""


@dataclass
class ImportResult:
    plan: RetentionPlan | None
    created: bool = False
    replaced_content: bool = False
    unchanged: bool = False
    dry_run: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    unclear: list[str] = field(default_factory=list)


def _parse_date(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("%(field)s is not a date: %(value)s") % {"field": label, "value": value}) from None


def plan_import(
    *, actor: Actor, organisation: Organisation, data: PlanData, dry_run: bool = False, source: str = ""
) -> ImportResult:
    """Write `data` as a plan of `organisation`, or find that it is already there.

    Idempotent: the same file again changes nothing. A draft with the same
    title and version is overwritten; an adopted one is never touched.
    With `dry_run` everything is written and then rolled back, so the preview
    is exactly what a real import would do.
    """
    require_org_perm(actor, ADD_PLAN, organisation)
    if data.status not in PlanStatus.values:
        raise ValidationFailed(_("Unknown plan status: %(status)s") % {"status": data.status})
    adopted_on = _parse_date(data.adopted_on, "adopted_on")
    if data.status != PlanStatus.DRAFT and adopted_on is None:
        raise ValidationFailed(_("An adopted plan needs its adoption date."))
    result = ImportResult(plan=None, dry_run=dry_run)
    result.unclear = [row.name for row in data.document_types() if row.retention and row.retention.action == "unclear"]
    try:
        with transaction.atomic():
            existing = (
                RetentionPlan.objects.select_for_update()
                .filter(organisation=organisation, title=data.title, version=data.version, scope=data.scope)
                .order_by("-pk")
                .first()
            )
            if existing is not None:
                current = plan_data(existing)
                current.organisation = data.organisation or current.organisation
                if current.to_dict() == data.to_dict():
                    result.plan, result.unchanged = existing, True
                    result.counts = {"document_types": len(data.document_types())}
                    return result
                require_draft(existing)
                ClassificationNode.objects.filter(plan=existing).delete()
                existing.revisions.all().delete()
                plan, result.replaced_content = existing, True
                for key, value in _plan_fields(data, adopted_on).items():
                    setattr(plan, key, value)
                plan.save()
            else:
                plan = RetentionPlan(organisation=organisation, **_plan_fields(data, adopted_on))
                # Rows are written while the plan is a draft; its status is set afterwards (triggers freeze it).
                plan.status = PlanStatus.DRAFT
                full_clean_or_raise(plan, exclude=["organisation"])
                plan.save()
                result.created = True
            result.counts = write_content(plan, data)
            if data.status != PlanStatus.DRAFT:
                RetentionPlan.objects.filter(pk=plan.pk).update(status=data.status)
                plan.status = data.status
                render_pdfs_later(plan.pk)
            result.plan = plan
            audit_record(
                actor=actor,
                action=AuditAction.CREATE if result.created else AuditAction.UPDATE,
                obj=plan,
                organisation=organisation,
                changes={"import": source or "data", **result.counts},
                reason=_("Import"),
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def _plan_fields(data: PlanData, adopted_on: dt.date | None) -> dict[str, Any]:
    return {
        "title": data.title,
        "scope": data.scope,
        "classification": data.classification,
        "adopted_by": data.adopted_by,
        "adopted_on": adopted_on,
        "paragraph": data.paragraph,
        "version": data.version,
        "status": data.status,
    }
