"""Every read the UI, API and CLI show: scoped to what the actor may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from insyn.core.exceptions import NotFoundError
from insyn.core.models.audit import AuditEntry
from insyn.core.models.documents import DocumentStatus, GoverningDocument
from insyn.core.models.organisations import Organisation, RoleAssignment
from insyn.core.permissions import actor_scope, organisation_q, users_elsewhere


def organisation_list(
    *, actor: Any, kind: str | None = None, municipality_id: int | None = None
) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(organisation_q(actor, "core.view_organisation"))
    if kind:
        qs = qs.filter(kind=kind)
    if municipality_id:
        qs = qs.filter(municipality_id=municipality_id)
    return qs.select_related("parent").order_by("path")


def organisation_get(*, actor: Any, pk: Any) -> Organisation:
    try:
        return organisation_list(actor=actor).get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def organisations_for_perm(*, actor: Any, perm: str) -> QuerySet[Organisation]:
    """Organisations where the actor may do `perm` (for choosers in forms)."""
    return Organisation.objects.filter(organisation_q(actor, perm, write=True)).order_by("path")


def governing_document_list(
    *,
    actor: Any,
    organisation_id: int | None = None,
    status: str | None = None,
    document_type: str | None = None,
    expiring_within_days: int | None = None,
    search: str | None = None,
) -> QuerySet[GoverningDocument]:
    qs = GoverningDocument.objects.filter(
        organisation_q(actor, "core.view_governingdocument", prefix="organisation__")
    ).select_related("organisation", "owner", "replaced_by")
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if status:
        qs = qs.filter(status=status)
    if document_type:
        qs = qs.filter(document_type=document_type)
    if expiring_within_days is not None:
        qs = qs.filter(
            status=DocumentStatus.IN_FORCE,
            valid_until__isnull=False,
            valid_until__lte=timezone.localdate() + dt.timedelta(days=expiring_within_days),
        )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(registration_number__icontains=search))
    return qs


def governing_document_get(*, actor: Any, pk: Any) -> GoverningDocument:
    try:
        return governing_document_list(actor=actor).get(pk=pk)
    except (GoverningDocument.DoesNotExist, ValueError, TypeError):
        raise NotFoundError() from None


def governing_documents_expiring(*, actor: Any, within_days: int = 90) -> QuerySet[GoverningDocument]:
    return governing_document_list(actor=actor, expiring_within_days=within_days).order_by("valid_until")


def audit_entry_list(*, actor: Any) -> QuerySet[AuditEntry]:
    """Superusers see the whole trail; others the entries of municipalities where they hold the audit permission."""
    scope = actor_scope(actor)
    if scope.is_superuser:
        return AuditEntry.objects.all()
    municipalities = scope.municipalities_with("core.view_audit_trail")
    if not municipalities:
        return AuditEntry.objects.none()
    org_ids = Organisation.objects.filter(municipality_id__in=municipalities).values("pk")
    return AuditEntry.objects.filter(organisation_id__in=org_ids)


def role_changes_recent(*, actor: Any, days: int = 30) -> QuerySet[AuditEntry]:
    """Role grants and revocations on the actor's audit trail, newest first."""
    since = timezone.now() - dt.timedelta(days=days)
    return (
        audit_entry_list(actor=actor).filter(object_type="core.roleassignment", created_at__gte=since).order_by("-id")
    )


def role_assignment_list(*, actor: Any) -> QuerySet[RoleAssignment]:
    """Assignments in the subtrees where the actor administers roles."""
    return RoleAssignment.objects.filter(
        organisation_q(actor, "core.view_roleassignment", prefix="organisation__", write=True)
    ).select_related("user", "organisation", "role")


def claimable_users(*, actor: Any, perms: tuple[str, ...]) -> QuerySet[Any]:
    """Logins the actor may tie to their municipality (a role, an official's record) with one of `perms`:
    those already theirs or nobody's yet. Never a superuser (an installation administrator) and never
    another municipality's login (a role there, or an official's record there)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    scope = actor_scope(actor)
    if scope.is_superuser:
        return users.order_by("username")
    municipalities: set[int] = set()
    for perm in perms:
        municipalities |= scope.municipalities_with(perm)
    if not municipalities:
        return users.none()
    users = users.filter(is_superuser=False)
    for elsewhere in users_elsewhere(municipalities):
        users = users.exclude(pk__in=elsewhere)
    return users.order_by("username")


def assignable_users(*, actor: Any) -> QuerySet[Any]:
    """Users an administrator may give a role."""
    return claimable_users(actor=actor, perms=("core.add_roleassignment",))


def municipality_users(*, actor: Any) -> QuerySet[Any]:
    """Users holding a role in one of the actor's municipalities (owners, contacts), the actor included."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    scope = actor_scope(actor)
    if scope.is_superuser:
        return users.order_by("username")
    own = Q(pk=actor.pk) if getattr(actor, "pk", None) else Q(pk__in=[])
    return (
        users.filter(Q(role_assignments__organisation__municipality_id__in=scope.municipalities()) | own)
        .distinct()
        .order_by("username")
    )


def assignable_roles(*, actor: Any) -> QuerySet[Any]:
    from django.contrib.auth.models import Group

    from insyn.core.roles import ROLES

    return Group.objects.filter(name__in=[r.group_name for r in ROLES]).order_by("name")
