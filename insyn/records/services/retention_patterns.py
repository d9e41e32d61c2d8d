"""Users' grammar rules for retention texts: a municipality's own, or installation-wide (administrators)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_delete, snapshot
from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models import Organisation
from insyn.core.permissions import actor_scope, require_org_perm
from insyn.core.selectors import organisations_for_perm
from insyn.core.services import UNCHANGED, changed_fields
from insyn.core.services.organisations import full_clean_or_raise
from insyn.records.models import RetentionPattern
from insyn.records.services._common import Maybe


def _require_pattern_perm(actor: Actor, perm: str, municipality: Organisation | None) -> None:
    if municipality is None:
        if not actor_scope(actor).is_superuser:
            raise PermissionDeniedError()
    else:
        require_org_perm(actor, perm, municipality)


def _pattern_fields(**fields: Any) -> dict[str, Any]:
    # Empty optional texts arrive as None from some forms: store the empty text.
    return {key: "" if value is None else value for key, value in changed_fields(**fields).items()}


@transaction.atomic
def retention_pattern_create(
    *,
    actor: Actor,
    municipality: Maybe[Organisation | None] = UNCHANGED,
    name: str,
    pattern: str,
    action: str,
    lang: Maybe[str] = UNCHANGED,
    period: Maybe[str] = UNCHANGED,
    trigger: Maybe[str] = UNCHANGED,
    trigger_event: Maybe[str] = UNCHANGED,
    align: Maybe[str] = UNCHANGED,
    sampling: Maybe[str] = UNCHANGED,
    priority: Maybe[int] = UNCHANGED,
) -> RetentionPattern:
    """A user's grammar rule; installation-wide (municipality None) is for installation administrators.

    Without `municipality`: an administrator's rule is installation-wide, an archivist's belongs to
    their own municipality (the first where they may add rules)."""
    if municipality is UNCHANGED:
        municipality = None
        if not actor_scope(actor).is_superuser:
            own = organisations_for_perm(actor=actor, perm="records.add_retentionpattern").first()
            municipality = own.municipality if own is not None else None
    _require_pattern_perm(actor, "records.add_retentionpattern", municipality)
    fields = _pattern_fields(
        name=name,
        pattern=pattern,
        action=action,
        lang=lang,
        period=period,
        trigger=trigger,
        trigger_event=trigger_event,
        align=align,
        sampling=sampling,
        priority=priority,
    )
    created = RetentionPattern(municipality=municipality, **fields)
    full_clean_or_raise(created, exclude=["municipality"])
    created.save()
    audit_change(actor=actor, instance=created, before=None, organisation=municipality)
    return created


@transaction.atomic
def retention_pattern_update(
    *,
    actor: Actor,
    retention_pattern: RetentionPattern,
    name: Maybe[str] = UNCHANGED,
    pattern: Maybe[str] = UNCHANGED,
    action: Maybe[str] = UNCHANGED,
    lang: Maybe[str] = UNCHANGED,
    period: Maybe[str] = UNCHANGED,
    trigger: Maybe[str] = UNCHANGED,
    trigger_event: Maybe[str] = UNCHANGED,
    align: Maybe[str] = UNCHANGED,
    sampling: Maybe[str] = UNCHANGED,
    priority: Maybe[int] = UNCHANGED,
) -> RetentionPattern:
    """Change a rule; a field not given keeps its value. A rule stays in the municipality it was made for."""
    rule = retention_pattern
    _require_pattern_perm(actor, "records.change_retentionpattern", rule.municipality)
    changes = _pattern_fields(
        name=name,
        pattern=pattern,
        action=action,
        lang=lang,
        period=period,
        trigger=trigger,
        trigger_event=trigger_event,
        align=align,
        sampling=sampling,
        priority=priority,
    )
    before = snapshot(rule)
    for key, value in changes.items():
        setattr(rule, key, value)
    full_clean_or_raise(rule)
    rule.save()
    audit_change(actor=actor, instance=rule, before=before, organisation=rule.municipality)
    return rule


@transaction.atomic
def retention_pattern_delete(*, actor: Actor, retention_pattern: RetentionPattern) -> None:
    rule = retention_pattern
    _require_pattern_perm(actor, "records.change_retentionpattern", rule.municipality)
    audit_delete(actor=actor, instance=rule, organisation=rule.municipality)
